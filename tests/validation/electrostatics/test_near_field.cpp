// The electric field at particle positions within one grid cell of an electrode (issue 5: "E at
// particle positions by consistent interpolation"), concentric spheres of test_analytic.cpp
// against the analytic field E = V1 / (1/R1 - 1/R2) (x - c) / r^3.
//
// Cloud-in-cell interpolation in a cell cut by an electrode reads node fields of nodes inside
// the conductor, and the three-point derivative at a gap node very close to the surface divides
// the node's own error by theta h. Both are treated in poisson.hpp (extrapolation of the field
// into the conductor from the gap; a stencil that skips the node when theta < 1/4). Measured
// maximum relative error at points 0.05 h .. h from both surfaces:
//   before: 0.53, 0.47, 0.50 on 16^3, 32^3, 64^3 (O(1), order 0.04);
//   now:    0.082, 0.052, 0.026, 0.015 on 24^3, 32^3, 48^3, 64^3 (fitted order 1.72; pairwise
//           1.57, 1.69, 1.95: still pre-asymptotic, the inner sphere has 4 to 11 cells of
//           radius). Held to fitted order >= 1.6 and 2 % on 64^3 (a regression guard: an O(1)
//           or first-order defect fails both); the mid-gap field to second order (>= 1.8).
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <cmath>
#include <iostream>

#include "fitted_order.hpp"
#include "petsc_environment.hpp"
#include "physics/electrostatics/poisson.hpp"

namespace mps {
namespace {

TEST(ElectrostaticsValidation, FieldWithinOneCellOfElectrodes) {
  const Vec3 c{0.5123, 0.4871, 0.5049};
  const double r1 = 0.17, r2 = 0.43, v1 = 100.0;
  const double k = v1 / (1 / r1 - 1 / r2);
  auto exact = [&](const Vec3& x) {
    const Vec3 d{x[0] - c[0], x[1] - c[1], x[2] - c[2]};
    const double r = std::hypot(d[0], d[1], d[2]);
    return Vec3{k * d[0] / (r * r * r), k * d[1] / (r * r * r), k * d[2] / (r * r * r)};
  };
  const double e_scale = k / (r1 * r1);  // |E| on the inner sphere
  std::vector<double> hs, err_near, err_bulk;
  for (int n : {24, 32, 48, 64}) {
    const double h = 1.0 / n;
    PoissonConfig cfg;
    cfg.grid.lo = {0, 0, 0};
    cfg.grid.hi = {1, 1, 1};
    cfg.grid.cells = {n, n, n};
    cfg.rtol = 1e-12;
    cfg.electrodes.push_back({"inner", make_sphere(c, r1), v1});
    cfg.electrodes.push_back({"outer", make_inverted(make_sphere(c, r2)), 0.0});
    PoissonSolver s(PETSC_COMM_WORLD, cfg);
    s.clear_charge();
    s.finish_deposit();
    s.solve();
    // points at random directions and distances 0.05 h .. h from either surface, and in the
    // middle of the gap
    std::vector<Vec3> near, bulk;
    unsigned seed = 2024;
    auto next = [&] {
      seed = seed * 1664525u + 1013904223u;
      return (seed >> 8) / 16777216.0;
    };
    for (int m = 0; m < 2000; ++m) {
      const double z = 2 * next() - 1, ph = 2 * M_PI * next(), sz = std::sqrt(1 - z * z);
      const Vec3 u{sz * std::cos(ph), sz * std::sin(ph), z};
      const double d = (0.05 + 0.95 * next()) * h;
      const double r = m % 2 ? r1 + d : r2 - d;
      near.push_back({c[0] + r * u[0], c[1] + r * u[1], c[2] + r * u[2]});
      const double rb = 0.5 * (r1 + r2) + (next() - 0.5) * 0.1;
      bulk.push_back({c[0] + rb * u[0], c[1] + rb * u[1], c[2] + rb * u[2]});
    }
    auto max_error = [&](const std::vector<Vec3>& x) {
      std::vector<Vec3> e;
      s.field_at(x, e);
      double m = 0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        const Vec3 ex = exact(x[i]);
        m = std::max(m, std::hypot(e[i][0] - ex[0], e[i][1] - ex[1], e[i][2] - ex[2]));
      }
      return m / e_scale;
    };
    hs.push_back(h);
    err_near.push_back(max_error(near));
    err_bulk.push_back(max_error(bulk));
    std::cout << fmt::format(
        "field N = {:3d}: max relative error within one cell of the electrodes {:.3e}, mid-gap "
        "{:.3e}\n",
        n, err_near.back(), err_bulk.back());
  }
  const double p_near = fitted_order(hs, err_near), p_bulk = fitted_order(hs, err_bulk);
  std::cout << fmt::format("field: fitted order {:.2f} within one cell, {:.2f} mid-gap\n", p_near,
                           p_bulk);
  EXPECT_GE(p_near, 1.6);
  EXPECT_LT(err_near.back(), 0.02);
  EXPECT_GE(p_bulk, 1.8);
}

}  // namespace
}  // namespace mps
