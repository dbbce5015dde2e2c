#include "physics/transport/monolayer.hpp"

#include <cmath>
#include <vector>

namespace mps::transport {

Primary HexCellBeam::sample(Rng& rng) const {
  // rejection from the bounding rectangle of a hexagon with flats at x = +-a/2 (pointy along y)
  const double h = a_ / std::sqrt(3.0);  // centre to vertex
  for (;;) {
    const double x = (rng.uniform() - 0.5) * a_, y = (rng.uniform() - 0.5) * 2 * h;
    // inside: |x| <= a/2 and |y| <= h - |x| / sqrt(3)
    if (std::abs(y) <= h - std::abs(x) / std::sqrt(3.0)) return {{x, y, z0_}, {0, 0, 1}, e_};
  }
}

MonolayerSetup monolayer_setup(double d, double E, TransportOptions base, int rings) {
  // triangular lattice, pitch d, in the z = 0 plane; neighbours along x (flats of the cell)
  std::vector<SphereSpec> s;
  const double a = d * (1 + 1e-9);  // touching, without shared surface points
  for (int j = -rings; j <= rings; ++j)
    for (int i = -rings; i <= rings; ++i) {
      // axial coordinates (i, j) within `rings` hexagonal rings of the origin
      const int k = -i - j;
      if (std::max({std::abs(i), std::abs(j), std::abs(k)}) > rings) continue;
      s.push_back({{a * (i + 0.5 * j), a * j * std::sqrt(3.0) / 2, 0.0}, 0.5 * d});
    }
  base.tally_origin = {0, 0, -0.5 * d};
  base.tally_axis = {0, 0, 1};
  return {SphereCloud(std::move(s)), HexCellBeam(E, a, -d), base};
}

SphereFigures monolayer_figures(const Tallies& t) {
  SphereFigures f;
  const auto n = t.histories;
  double q = 0, se = 0, dep = 0;
  for (std::size_t b = 0; b < t.body_charge.size(); ++b) {
    q += t.body_charge[b].mean(n);
    se += t.body_secondary[b].mean(n);
    dep += t.body_deposited[b].mean(n);
  }
  f.net_charge_per_primary = q;
  f.secondary_yield = se;
  f.electrons_out_per_primary = 1.0 - (q + se);
  f.absorbed_energy_fraction = dep;
  f.backscatter_number = t.back_number.mean(n);
  f.transmitted_number = t.forward_number.mean(n);
  return f;
}

}  // namespace mps::transport
