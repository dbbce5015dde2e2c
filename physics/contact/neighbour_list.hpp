// Linked-cell Verlet list for contacts (half list: each pair once), stored by rows.
//
// Particles are binned into cells of edge >= the list range (largest contact distance + skin);
// each cell is paired with itself and its 13 "forward" neighbours, so every pair closer than
// R_i + R_j + skin is found once. The list is reused until some particle has moved more than
// skin/2 since the build (then no pair outside the list can have come into contact). Periodic
// axes wrap the cells and use the minimum image; the box must then hold at least 3 cells along
// them.
//
// Layout (compressed rows, as LAMMPS's half lists): the active particles are ranked by id
// (order()), row s lists the partners of particle order()[s] that have a higher id, in increasing
// id. Slot k of the list is the pair (first()[k], second()[k]); slots are sorted by (lower id,
// higher id). A loop over the rows in order then adds the contributions to each particle in
// increasing partner id, whatever the local memory order, which makes the sums independent of the
// rank count. No sort of the pairs is needed: pairs are counted into rows (counting sort by the
// rank of the lower id) and each short row is sorted by insertion.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace mps::contact {

struct PeriodicBox {
  std::array<bool, 3> periodic{false, false, false};
  std::array<double, 3> lo{0, 0, 0};
  std::array<double, 3> length{0, 0, 0};
  bool any() const { return periodic[0] || periodic[1] || periodic[2]; }
  // minimum image of a separation along axis a
  double image(int a, double d) const {
    if (!periodic[a]) return d;
    const double h = 0.5 * length[a];
    if (d > h) return d - length[a];
    if (d < -h) return d + length[a];
    return d;
  }
};

class NeighbourList {
 public:
  // Build from n particles (positions x[3][i], radii r[i]; active[i] = 0 excludes one). Pairs of
  // two particles with index >= first_ghost (ghosts of other ranks) are left out when
  // skip_ghost_pairs is set (their forces belong to other ranks).
  void build(const double* const x[3], const double* r, const unsigned char* active,
             const std::uint64_t* id, std::size_t n, double skin, const PeriodicBox& box,
             std::size_t first_ghost = std::numeric_limits<std::size_t>::max(),
             bool skip_ghost_pairs = false);
  // True if some particle moved more than skin/2 since the build (or the count changed).
  bool needs_rebuild(const double* const x[3], std::size_t n, const PeriodicBox& box) const;

  // Active particles by increasing id; row s belongs to order()[s].
  const std::vector<std::uint32_t>& order() const { return order_; }
  // Slots of row s: [row_start()[s], row_start()[s + 1]).
  const std::vector<std::uint32_t>& row_start() const { return row_start_; }
  const std::vector<std::uint32_t>& first() const { return first_; }
  const std::vector<std::uint32_t>& second() const { return second_; }
  std::size_t size() const { return second_.size(); }
  std::size_t builds() const { return builds_; }
  double skin() const { return skin_; }
  std::size_t particles() const { return ref_[0].size(); }

 private:
  void rank_by_id(const unsigned char* active, const std::uint64_t* id, std::size_t n);
  std::vector<std::uint32_t> first_, second_, order_, row_start_;
  std::vector<double> ref_[3];  // positions at the build
  std::vector<std::uint32_t> cell_start_, cell_items_, cell_of_, rank_;
  std::vector<double> cell_pos_;
  std::vector<std::uint64_t> pairs_;  // (rank of lower id) << 32 | rank of higher id
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys_, merge_;
  double skin_ = 0.0;
  std::size_t builds_ = 0;
};

}  // namespace mps::contact
