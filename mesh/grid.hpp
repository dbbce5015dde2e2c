// Uniform vertex-centred structured grid over an axis-aligned box: the geometry of a PETSc DMDA.
//
// Nodes sit at lo + i h (i = 0..cells), so the box faces carry nodes (Dirichlet walls) and the
// grid coarsens by two for geometric multigrid when `cells` is even (PETSc's DMCoarsen of a
// non-periodic DMDA needs an odd node count, 2^k + 1 being the ideal).
#pragma once

#include <array>
#include <cmath>
#include <vector>

#include "solver/base/config.hpp"

namespace mps {

struct UniformGrid {
  Vec3 lo{}, hi{};
  std::array<int, 3> cells{1, 1, 1};

  double h(int a) const { return (hi[a] - lo[a]) / cells[a]; }
  int nodes(int a) const { return cells[a] + 1; }
  double x(int a, int i) const { return lo[a] + h(a) * i; }
  Vec3 node(int i, int j, int k) const { return {x(0, i), x(1, j), x(2, k)}; }
  double cell_volume() const { return h(0) * h(1) * h(2); }
  double max_h() const { return std::max(h(0), std::max(h(1), h(2))); }
  double min_h() const { return std::min(h(0), std::min(h(1), h(2))); }
  // The same box with a given number of nodes per axis (a coarse multigrid level).
  UniformGrid with_nodes(int mx, int my, int mz) const {
    return {lo, hi, {mx - 1, my - 1, mz - 1}};
  }
};

// Nodes per rank coordinate along `axis` when ranks own the half-open slabs [cuts[c], cuts[c+1])
// (positions in m, cuts.front() = lo, cuts.back() = hi); the last slab also takes the node on hi.
// These are the DMDA ownership ranges (lx, ly, lz) that make grid and particle ownership coincide.
// Returns an empty vector if some slab would own no node (grid too coarse for that many ranks).
std::vector<int> node_ownership(const UniformGrid& g, int axis, const std::vector<double>& cuts);

}  // namespace mps
