#include "mesh/grid.hpp"

namespace mps {

std::vector<int> node_ownership(const UniformGrid& g, int axis, const std::vector<double>& cuts) {
  const int parts = static_cast<int>(cuts.size()) - 1;
  std::vector<int> counts(parts, 0);
  const double h = g.h(axis);
  // first node index at or above a cut; a cut within 1e-9 h of a node counts as on it
  auto first_node = [&](double x) {
    return static_cast<int>(std::ceil((x - g.lo[axis]) / h - 1e-9));
  };
  for (int c = 0; c < parts; ++c) {
    const int a = c == 0 ? 0 : first_node(cuts[c]);
    const int b = c == parts - 1 ? g.nodes(axis) : first_node(cuts[c + 1]);
    counts[c] = std::max(0, std::min(b, g.nodes(axis)) - std::max(a, 0));
    if (counts[c] == 0) return {};
  }
  return counts;
}

}  // namespace mps
