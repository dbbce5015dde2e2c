// The process-unit interface: one physical process (injector, flight, contact, thermal, ...).
//
// A unit declares its case section (schema), is built from the validated section, and is applied
// to the rank's particles at the stages of the time step it takes part in. Units never call MPI and
// never write files: the solver owns communication (ghosts, migration, reductions) and output. That
// keeps every unit testable on a single particle. Units are registered by name in a UnitRegistry
// (like LAMMPS styles); the time loop orders them by stage, then by registration order.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "solver/base/config.hpp"
#include "solver/base/exact_sum.hpp"
#include "solver/base/schema.hpp"
#include "solver/particles/particle_store.hpp"
#include "solver/particles/state_clock.hpp"

namespace mps {

class Decomposition;  // solver/particles/decomposition.hpp
struct GridOutput;    // solver/io/vtk_image.hpp

// Stages of one time step, in order (velocity Verlet: kick-drift, forces, kick).
enum class Stage : unsigned {
  source = 1u << 0,      // injector, rotor feed: create particles
  pre_force = 1u << 1,   // first half kick and drift (flight)
  force = 1u << 2,       // contact, electrostatics: add to fx, fy, fz at the new positions
  post_force = 1u << 3,  // second half kick (flight)
  state = 1u << 4,       // beam, charging, thermal: per-particle state
  boundary = 1u << 5,    // capture, domain: mark captured / escaped particles
};
inline unsigned operator|(Stage a, Stage b) {
  return static_cast<unsigned>(a) | static_cast<unsigned>(b);
}
inline bool has_stage(unsigned mask, Stage s) {
  return (mask & static_cast<unsigned>(s)) != 0;
}

struct StepContext {
  double time = 0.0;  // at the start of the step
  double dt = 0.0;
  std::uint64_t step = 0;  // index of the step being taken (0 for the first)
  std::uint64_t seed = 0;  // the case's random seed
  // Work sharing for sources: this caller creates the new particles k with k % shares == share.
  // What particle k is depends on k only, so the result does not depend on the rank count.
  int share = 0;
  int shares = 1;
  // For units that declare a gather_box(): copies of every particle of every rank inside that box
  // (sorted by id, identical on all ranks), filled by the solver before the unit's stage. Used
  // where a particle's physics depends on particles elsewhere (depth in the stream under the beam).
  const ParticleStore* gathered = nullptr;
  // What the solver did to the local particles before the force stage, for units with a
  // neighbour list (see ProcessUnit::neighbour_skin()). unknown: no guarantee (unit tests; check
  // yourself). renewed: particles migrated and ghosts rebuilt, the local set may have changed.
  // forwarded: the same owned particles and ghosts in the same order as at the last force stage
  // (ghost fields refreshed in place), and no particle has moved more than neighbour_skin()/2
  // since the last renewal.
  enum class Neighbours : std::uint8_t { unknown, renewed, forwarded };
  Neighbours neighbours = Neighbours::unknown;
  // Axes along which the solver wraps positions into the domain box before the force stage
  // (ProcessUnit::periodic_axes()): no particle leaves the box across them.
  std::array<bool, 3> periodic{false, false, false};
  // The multi-rate state clock (solver/particles/state_clock.hpp): the particles the state units
  // advance at this step and over how many steps each; nullptr: every particle, one step.
  const ParticleSelection* state_due = nullptr;
};

// A named tally a unit contributes to diagnostics.csv and summary.json; the solver sums it over
// ranks exactly (ExactSum), so it does not depend on the rank count. The solver also writes the
// global sums to checkpoints and restores them on restart (hence the mutable pointer).
struct TallyRef {
  std::string name;  // with unit: "escaped_mass_kg"
  ExactSum* sum;
};

// ---- issue 6 (capture) hook: surface maps ---------------------------------------------------
// Per-patch maps a unit accumulates on its surfaces (catchers: deposited mass, energies, counts).
// The geometry is the same on every rank; the sums are rank-local ExactSums that the solver adds
// over ranks exactly and writes as OUT/catchers_NNNNNN.vtp (one polygon per patch, cell arrays
// named with units) and keeps in checkpoints (hence the mutable pointers, as for tallies).
struct SurfaceMap {
  std::string name;                                 // surface (catcher) name
  std::vector<Vec3> points;                         // polygon corners
  std::vector<std::vector<std::int64_t>> polygons;  // one polygon (point indices) per patch
  std::vector<double> area;                         // m^2 per patch
  std::vector<std::pair<std::string, std::vector<ExactSum>*>> cell_sums;  // "mass_kg" -> per patch
};
// ---- end of issue 6 hook ----------------------------------------------------------------------

class ProcessUnit {
 public:
  virtual ~ProcessUnit() = default;
  virtual std::string name() const = 0;
  virtual unsigned stages() const = 0;
  virtual void apply(Stage stage, ParticleStore& particles, const StepContext& ctx) = 0;

  // Tallies for diagnostics and summary (cumulative since the start of the run).
  virtual std::vector<TallyRef> tallies() { return {}; }
  // Largest time step this unit can take (the solver uses the minimum over units).
  virtual double max_dt() const { return std::numeric_limits<double>::infinity(); }
  // Distance within which this unit needs neighbour particles from other ranks (contacts).
  virtual double ghost_cutoff() const { return 0.0; }
  // Axes along which the domain box is periodic for this unit (contacts): the solver then wraps
  // positions into the box before the force stage and sends ghosts across those faces.
  virtual std::array<bool, 3> periodic_axes() const { return {false, false, false}; }
  // True if the unit needs every particle on the rank that owns its position at its stages
  // (grid deposits); otherwise the solver migrates lazily.
  virtual bool needs_ownership() const { return false; }
  // Units with a Verlet list (contacts) give its skin. When every unit that asks for ghosts gives
  // one, the solver migrates and rebuilds the ghosts only when some particle has moved more than
  // skin/2 (the least skin) since the last renewal, or particles were added, removed or reordered;
  // otherwise it forwards the ghosts' fields in place (LAMMPS's reneighbouring and forward
  // communication; StepContext::neighbours says which). Owned particles may then stray up to
  // skin/2 outside the rank's box, so ghost_cutoff() must include the skin. 0: no Verlet list,
  // fresh ghosts every step.
  virtual double neighbour_skin() const { return 0.0; }
  // True if the unit changes the mass or diameter of existing particles (evaporation): the
  // solver then refreshes them on ghosts every step, not only when it exchanges ghosts.
  virtual bool changes_particle_size() const { return false; }
  // Unit-private per-particle state that travels with a particle migrating to another rank (the
  // contact unit's tangential histories; the particle store is at its memory budget). Before a
  // migration the solver calls pack_migrating(ids, out) with the ids of the particles leaving
  // this rank; the unit fills out[k] (any length, may stay empty) for ids[k]. On the receiving
  // rank the solver calls unpack_migrating(id, data, n) for every arrival that carried data. The
  // unit never sees MPI.
  virtual bool has_migrating_state() const { return false; }
  virtual void pack_migrating(const std::vector<std::uint64_t>& /*ids*/,
                              std::vector<std::vector<double>>& /*out*/) const {}
  virtual void unpack_migrating(std::uint64_t /*id*/, const double* /*data*/, std::size_t /*n*/) {}
  // Axis-aligned box whose particles (from all ranks) the unit needs in StepContext::gathered at
  // its stages; empty: none. Keep it small (the beam region).
  virtual std::optional<std::array<Vec3, 2>> gather_box() const { return std::nullopt; }
  // Figures of merit for summary.json (keys are the final names, values in SI), computed from the
  // global tallies of every unit ("unit.tally" -> value, summed over ranks) and from state that
  // is the same on every rank. Called on every rank; rank 0's values are written.
  virtual void summarize(const std::map<std::string, double>& /*global*/,
                         std::map<std::string, double>& /*out*/) const {}
  // Two-phase units whose work is shared over ranks (transport histories of the direct beam
  // coupling): after apply() the solver sums these partial sums over all ranks, exactly and in
  // place, and then calls finish() at the same stage with the same context. Empty: one phase.
  virtual std::vector<ExactSum*> shared_sums() { return {}; }
  virtual void finish(Stage, ParticleStore&, const StepContext&) {}
  // Unit state beyond particle fields and tallies, for checkpoints (e.g. injection counters).
  // It must be the same on every rank (the solver saves rank 0's copy).
  virtual std::vector<std::pair<std::string, std::vector<double>>> save_state() const { return {}; }
  virtual void load_state(const std::vector<std::pair<std::string, std::vector<double>>>&) {}

  // ---- hooks of grid-based units (electrostatics, issue 5) ----
  // Called by the Simulation once its decomposition exists. The reference stays valid for the
  // run; its cuts change when the solver rebalances (a grid unit lays its PETSc DMDA out on it).
  virtual void attach(const Decomposition&) {}
  // Node fields (and surfaces) this unit wants written into the run's .pvd series as
  // OUT/fields_NNNNNN.pvti and OUT/surfaces.vtp; nullptr: none. Collective (may call PETSc).
  virtual const GridOutput* grid_output() { return nullptr; }

  // True if save_state() holds this rank's share only (contact histories): the solver then writes
  // the concatenation over ranks (same keys on every rank) and every rank loads all of it.
  virtual bool rank_local_state() const { return false; }

  // ---- the multi-rate state clock (solver/particles/state_clock.hpp) ----
  // True for units that advance per-particle state in time at Stage::state (thermal, charging):
  // they then advance the particles of StepContext::state_due only, each over its own steps.
  virtual bool uses_state_clock() const { return false; }
  // The longest stride this unit allows (1 where it must see every step, e.g. a validation
  // source switched on at a given time).
  virtual int max_state_stride() const { return kMaxStateStride; }
  // Advances the particles `pending` over their pending steps (pending.steps) with no beam:
  // steps in which they were quiet.
  virtual void catch_up(ParticleStore&, const ParticleSelection& /*pending*/, const StepContext&) {}

  // issue 6 hook: surface maps for OUT/catchers_NNNNNN.vtp (see SurfaceMap above); none by default.
  virtual std::vector<SurfaceMap> surface_maps() { return {}; }
};

// What a factory gets: its own validated section and the whole case (for shared sections such as
// `domain` or `material`).
struct UnitContext {
  const Config& section;
  const Config& root;
  std::string case_file = {};  // data files named in the case are relative to its folder
};

struct UnitInfo {
  std::string name;
  std::string doc;
  std::function<void(SectionSpec&)> declare;  // fill in the unit's section
  std::function<std::unique_ptr<ProcessUnit>(const UnitContext&)> make;
};

class UnitRegistry {
 public:
  void add(UnitInfo info) { units_.push_back(std::move(info)); }
  const UnitInfo* find(const std::string& name) const {
    for (const auto& u : units_)
      if (u.name == name) return &u;
    return nullptr;
  }
  const std::vector<UnitInfo>& all() const { return units_; }

 private:
  std::vector<UnitInfo> units_;
};

}  // namespace mps
