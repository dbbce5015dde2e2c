// Cartesian domain decomposition of the simulation box over MPI ranks.
//
// Ranks form a px x py x pz grid (MPI_Dims_create). Cuts are tensor-product planes, so each
// rank owns a box and the cut positions per axis map onto the ownership ranges (lx, ly, lz) of a
// PETSc DMDA built on a grid of `cells` cells per axis: particles and grid cells then live on the
// same rank. Along the stream axis the cuts are placed by particle count (streams are thin and
// concentrated: uniform cuts would leave most ranks idle); across it they are uniform.
#pragma once

#include <mpi.h>

#include <array>
#include <functional>
#include <vector>

#include "solver/base/config.hpp"
#include "solver/particles/particle_store.hpp"

namespace mps {

class Decomposition {
 public:
  // cells: grid cells per axis that cut planes snap to (the balancing histogram along the stream
  // axis and, if a field grid exists, its cells).
  Decomposition(MPI_Comm comm, const Vec3& lo, const Vec3& hi, int stream_axis,
                std::array<int, 3> cells);

  int rank() const { return rank_; }
  int size() const { return size_; }
  MPI_Comm comm() const { return comm_; }
  const std::array<int, 3>& dims() const { return dims_; }
  const std::array<int, 3>& coords() const { return coords_; }
  const Vec3& lo() const { return lo_; }
  const Vec3& hi() const { return hi_; }
  int stream_axis() const { return axis_; }

  // Owner rank of a point; points outside the box belong to the nearest box.
  int owner(double x, double y, double z) const;
  // This rank's box and any rank's box.
  std::array<Vec3, 2> box(int rank) const;
  // Cut cell indices per axis: rank coordinate c owns cells [cuts[a][c], cuts[a][c+1]).
  const std::array<std::vector<int>, 3>& cell_cuts() const { return cuts_; }
  // Number of cells owned per rank coordinate (PETSc DMDA lx, ly, lz).
  std::vector<int> ownership_counts(int axis) const;

  // Recompute the stream-axis cuts so every slab holds about the same number of particles
  // (collective). Returns true if the cuts changed.
  bool rebalance(const ParticleStore& p);
  // max / mean of particles per rank (collective).
  double imbalance(std::size_t local_count) const;

 private:
  double cut_position(int axis, int cell) const;
  MPI_Comm comm_;
  int rank_ = 0, size_ = 1, axis_ = 0;
  Vec3 lo_, hi_;
  std::array<int, 3> cells_{}, dims_{1, 1, 1}, coords_{0, 0, 0};
  std::array<std::vector<int>, 3> cuts_;
  std::array<std::vector<double>, 3> cut_x_;  // cut positions
};

// Unit-private state that travels with migrating particles (ProcessUnit::pack_migrating): pack
// fills data[k] for ids[k]; unpack receives what came with an arriving particle.
struct MigrationPayload {
  std::function<void(const std::vector<std::uint64_t>& ids, std::vector<std::vector<double>>& data)>
      pack;
  std::function<void(std::uint64_t id, const double* data, std::size_t n)> unpack;
};

// Move particles to the ranks that own them (MPI_Alltoallv of packed fields; particles may cross
// several subdomains in one step). Skipped when an all-reduce says nothing moved. Collective.
// Returns the number of particles this rank sent. With a payload, each particle's record is
// followed by its length and its unit-private data.
std::size_t migrate(ParticleStore& p, const Decomposition& d,
                    const MigrationPayload* payload = nullptr);

// Which owned particles went to which rank at the last exchange_ghosts(), and how many came from
// each rank, so forward_ghosts() refreshes the same ghosts in place.
struct GhostPlan {
  std::vector<std::vector<std::uint32_t>> send;    // per rank: indices of owned particles sent
  std::vector<int> received;                       // per rank: ghosts received
  std::vector<std::uint64_t> ghost_ids;            // the ghosts received, in order
  std::vector<double> ghost_mass, ghost_diameter;  // and their sizes then
  // forward_ghosts' send buffers, kept between steps (no allocation and zero fill per step)
  mutable std::vector<std::vector<double>> out_buffers;
};

// Copies of all particles of all ranks inside the box [lo, hi], sorted by id, on every rank.
// Collective (MPI_Allgatherv).
ParticleStore gather_box(const ParticleStore& p, const Decomposition& d, const Vec3& lo,
                         const Vec3& hi);

// Replace the ghosts by copies of neighbours' particles within `cutoff` of this rank's box
// (ParticleStore::mark_ghosts). Collective. They stay until dropped (ParticleStore::drop_ghosts(),
// or any change of the owned set).
// Along periodic axes, particles within `cutoff` of another rank's box across a periodic face are
// sent too, with their positions unshifted (the unit takes the minimum image); none to itself.
// With a plan, records what was sent and received for forward_ghosts().
void exchange_ghosts(ParticleStore& p, const Decomposition& d, double cutoff,
                     const std::array<bool, 3>& periodic = {false, false, false},
                     GhostPlan* plan = nullptr);
// Refresh the ghosts of the plan's exchange with the current fields of their owners (LAMMPS's
// forward communication), in place (appended again if the store dropped them): the owned
// particles of every rank must be the same, in the same order, as at that exchange. Collective
// (point-to-point with the ranks of the plan only). With `sizes_fixed` (no unit changes the
// mass or diameter of a particle: ProcessUnit::changes_particle_size) those two are not sent:
// the exchange gave the ghosts their values.
void forward_ghosts(ParticleStore& p, const Decomposition& d, const GhostPlan& plan,
                    bool sizes_fixed = false);
// Wrap positions into the box along periodic axes.
void wrap_periodic(ParticleStore& p, const Decomposition& d, const std::array<bool, 3>& periodic);

}  // namespace mps
