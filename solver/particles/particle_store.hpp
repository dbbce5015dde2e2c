// Structure-of-arrays particle container with stable 64-bit ids.
//
// Every double-valued per-particle field is declared once in MPS_PARTICLE_FIELDS (name, output
// name with unit, flags); that one list drives storage, migration, ghosts, checkpoints and VTK
// output, so adding a field is one line (the LAMMPS atom-style lesson in DESIGN.md section 7).
// Vector quantities are stored as three scalar arrays (px, py, pz) for vectorised loops.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "solver/base/huge_page_allocator.hpp"

namespace mps {

enum class ParticleState : std::uint8_t {
  feeding = 0,   // in the reservoir / feed, not yet in the rotor
  in_rotor = 1,  // inside a rotor channel
  flying = 2,    // free flight in the vacuum vessel
  captured = 3,  // stuck on a catcher (removed from the store after tallying)
  escaped = 4,   // left the domain (removed after tallying)
};
inline constexpr int kParticleStateCount = 5;
std::string_view to_string(ParticleState s);

// Field flags.
inline constexpr unsigned kMigrate = 1u;     // travels with the particle between ranks
inline constexpr unsigned kGhost = 2u;       // copied to ghost particles (what contacts read)
inline constexpr unsigned kCheckpoint = 4u;  // written to / read from HDF5 checkpoints
inline constexpr unsigned kOutput = 8u;      // written to VTK output
inline constexpr unsigned kAll = kMigrate | kGhost | kCheckpoint | kOutput;
inline constexpr unsigned kState = kMigrate | kCheckpoint | kOutput;  // not needed by ghosts

// X(field, "vtk/hdf5 name with unit", flags). Vector components are consecutive and named
// name_x/_y/_z in the output; output groups them into one 3-component array (see vector_groups).
#define MPS_PARTICLE_FIELDS(X)                                                                 \
  X(px, "position_m", kAll)                                                                    \
  X(py, "position_m", kAll)                                                                    \
  X(pz, "position_m", kAll)                                                                    \
  X(vx, "velocity_m_per_s", kAll)                                                              \
  X(vy, "velocity_m_per_s", kAll)                                                              \
  X(vz, "velocity_m_per_s", kAll)                                                              \
  X(wx, "angular_velocity_rad_per_s", kAll)                                                    \
  X(wy, "angular_velocity_rad_per_s", kAll)                                                    \
  X(wz, "angular_velocity_rad_per_s", kAll)                                                    \
  X(diameter, "diameter_m", kAll)                                                              \
  X(mass, "mass_kg", kAll)                                                                     \
  X(enthalpy, "specific_enthalpy_J_per_kg", kState)                                            \
  X(temperature, "temperature_K", kState)                                                      \
  X(liquid_fraction, "liquid_fraction", kState)                                                \
  X(charge, "charge_C", kState)                                                                \
  X(peak_temperature, "peak_temperature_K", kState)                                            \
  X(time_molten, "time_molten_s", kState)                                                      \
  X(beam_power, "beam_power_W", kState)                                                        \
  X(absorbed_current, "absorbed_beam_current_A", kState) /* electrons/s x e */                 \
  X(se_current, "slow_secondary_current_A", kState)      /* at zero potential */               \
  X(fx, "force_N", kMigrate | kCheckpoint)               /* forces persist: velocity Verlet */ \
  X(fy, "force_N", kMigrate | kCheckpoint)                                                     \
  X(fz, "force_N", kMigrate | kCheckpoint)

enum class Field : int {
#define MPS_X(f, out, flags) f,
  MPS_PARTICLE_FIELDS(MPS_X)
#undef MPS_X
      count
};
inline constexpr int kFieldCount = static_cast<int>(Field::count);

struct FieldInfo {
  std::string_view name;         // code name, e.g. "px"
  std::string_view output_name;  // name with unit, e.g. "position_m"
  unsigned flags;
  int components;  // 3 for the first component of a vector group, 0 for its other components, 1
                   // scalar
};
const std::array<FieldInfo, kFieldCount>& field_table();

// Owned particles of one rank, indices [0, size()), and after the solver's ghost exchange ghost
// copies of other ranks' particles behind them, indices [size(), size_with_ghosts()): read-only
// neighbours. The ghosts stay between steps (the solver refreshes their fields in place each step,
// forward_ghosts) until the owned set changes: push_back, resize, compact, sort_by_id,
// unpack_append and clear drop them first, so the owned particles always come first.
// A field's values, one per particle (huge pages for large stores: huge_page_allocator.hpp).
using FieldArray = std::vector<double, HugePageAllocator<double>>;

class ParticleStore {
 public:
  std::size_t size() const { return id_.size() - ghosts_; }  // owned particles
  std::size_t ghost_count() const { return ghosts_; }
  std::size_t size_with_ghosts() const { return id_.size(); }
  bool empty() const { return size() == 0; }

  // Field arrays: p[Field::px][i], size_with_ghosts() long. Raw pointers for hot loops.
  FieldArray& operator[](Field f) { return data_[static_cast<int>(f)]; }
  const FieldArray& operator[](Field f) const { return data_[static_cast<int>(f)]; }
  double* ptr(Field f) { return data_[static_cast<int>(f)].data(); }
  const double* ptr(Field f) const { return data_[static_cast<int>(f)].data(); }
  std::vector<std::uint64_t>& ids() { return id_; }
  const std::vector<std::uint64_t>& ids() const { return id_; }
  std::vector<ParticleState>& states() { return state_; }
  const std::vector<ParticleState>& states() const { return state_; }
  // Steps whose per-particle state update (thermal, charging) is still pending: the multi-rate
  // state clock (solver/particles/state_clock.hpp). 0 for a particle whose state is current.
  std::vector<std::uint8_t>& state_lags() { return lag_; }
  const std::vector<std::uint8_t>& state_lags() const { return lag_; }
  // Tells whether the particles may have changed since a moment: a new value, never used before
  // by any store, whenever particles are added, removed or reordered (the members below that do
  // so; ids are written once, when a particle is added, never changed in place). The solver
  // compares it instead of every id, every step, to know that its ghosts still fit.
  std::uint64_t generation() const { return generation_; }

  // Append one particle with every field zero; returns its index.
  std::size_t push_back(std::uint64_t id, ParticleState s);
  void reserve(std::size_t n);
  void resize(std::size_t n);  // new entries zero, id 0, state feeding
  void clear();
  // Remove owned particles whose keep[i] is false (keep has size() entries), keeping the order of
  // the others (stable).
  void compact(const std::vector<char>& keep);
  // Order particles by id (deterministic reductions and output).
  void sort_by_id();
  // Ghosts: the solver appends copies after the owned particles (as owned ones) and then declares
  // the last n entries ghosts; drop_ghosts() removes them (no copy: the arrays shrink).
  void drop_ghosts();
  void mark_ghosts(std::size_t n) { ghosts_ = n; }

  // Pack / unpack particle i into a flat buffer of doubles (ids, and state with lag, bit-cast) for
  // migration and ghost exchange; the count of doubles per particle is packed_size(flags).
  static std::size_t packed_size(unsigned flag_mask);
  void pack(std::size_t i, unsigned flag_mask, double* out) const;
  std::size_t unpack_append(const double* in, unsigned flag_mask);
  // count records of packed_size(flag_mask) doubles each, appended at once (column by column:
  // many records, as gathered or exchanged, cost one resize instead of a push_back each)
  void unpack_append_all(const double* in, std::size_t count, unsigned flag_mask);

  std::size_t bytes_per_particle() const;

 private:
  std::array<FieldArray, kFieldCount> data_;
  std::vector<std::uint64_t> id_;
  std::vector<ParticleState> state_;
  std::vector<std::uint8_t> lag_;
  std::size_t ghosts_ = 0;
  std::uint64_t generation_ = 0;
  void changed();  // a fresh generation
};

}  // namespace mps
