// Cloud-in-cell (trilinear) weights of a point on a UniformGrid. The same weights deposit charge
// to nodes and interpolate node fields back to the point, which keeps the scheme momentum
// conserving: a lone particle feels no force from its own charge in a periodic or free domain
// (Birdsall & Langdon, Plasma Physics via Computer Simulation, 1991, ch. 8).
#pragma once

#include <cmath>

#include "mesh/grid.hpp"

namespace mps {

struct CicStencil {
  int i0[3] = {0, 0, 0};  // lower node of the cell holding the point
  double w[3][2] = {};    // weights of nodes i0 and i0 + 1 per axis
  bool inside = false;    // the point lies in the grid box
  double weight(int di, int dj, int dk) const { return w[0][di] * w[1][dj] * w[2][dk]; }
};

inline CicStencil cic_stencil(const UniformGrid& g, const Vec3& p) {
  CicStencil s;
  s.inside = true;
  for (int a = 0; a < 3; ++a) {
    const double u = (p[a] - g.lo[a]) / g.h(a);
    if (!(u >= 0.0 && u <= g.cells[a])) s.inside = false;
    int i = static_cast<int>(std::floor(u));
    i = std::min(std::max(i, 0), g.cells[a] - 1);
    const double f = std::min(std::max(u - i, 0.0), 1.0);
    s.i0[a] = i;
    s.w[a][0] = 1.0 - f;
    s.w[a][1] = f;
  }
  return s;
}

}  // namespace mps
