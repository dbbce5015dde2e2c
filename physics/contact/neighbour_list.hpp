// Linked-cell Verlet list for contacts (half list: each pair once).
//
// Particles are binned into cells of edge >= the list range (largest contact distance + skin);
// each cell is paired with itself and its 13 "forward" neighbours, so every pair closer than
// R_i + R_j + skin is found once. The list is reused until some particle has moved more than
// skin/2 since the build (then no pair outside the list can have come into contact), or the set
// of local particles changed in a way remap() cannot carry over. Periodic axes wrap the cells and
// use the minimum image; the box must then hold at least 3 cells along them.
//
// Pairs are stored with the lower id first and sorted by (lower id, higher id): a loop over the
// list then adds the contributions to each particle in increasing partner id, whatever the local
// order, which makes the sums independent of the rank count.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
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
  // Build from n particles (positions x[3][i], radii r[i]; active[i] = 0 excludes one).
  void build(const double* const x[3], const double* r, const unsigned char* active,
             const std::uint64_t* id, std::size_t n, double skin, const PeriodicBox& box);
  // Carry the list over to a new local order: index_map[old] = new index or -1 (gone). Pairs
  // with a particle gone are dropped; kept[k] is the old index of new pair k (to move per-pair
  // data). New particles (not in the map) start their displacement reference at x.
  void remap(const std::vector<std::int64_t>& index_map, const double* const x[3],
             std::size_t n_new, std::vector<std::uint32_t>& kept);
  // True if some particle moved more than skin/2 since the build (or the count changed).
  bool needs_rebuild(const double* const x[3], std::size_t n, const PeriodicBox& box) const;

  const std::vector<std::uint32_t>& first() const { return first_; }
  const std::vector<std::uint32_t>& second() const { return second_; }
  std::size_t builds() const { return builds_; }
  double skin() const { return skin_; }

 private:
  std::vector<std::uint32_t> first_, second_;
  std::vector<double> ref_[3];  // positions at the build
  std::vector<std::uint32_t> cell_start_, cell_items_;
  double skin_ = 0.0;
  std::size_t builds_ = 0;
};

}  // namespace mps::contact
