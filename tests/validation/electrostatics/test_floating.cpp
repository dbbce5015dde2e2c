// Validation of floating conductors (issue 5: "the vessel wall as grounded or floating"):
//  - three concentric spheres, inner at V1, middle shell floating with net charge Q, outer
//    grounded, against the analytic potential of the shell and of both gaps: the errors fall at
//    second order under refinement (fitted order >= 1.8, the criterion for the
//    potential);
//  - a floating vessel wall (the box faces): the discrete Gauss law and the series-capacitor law
//    V_wall = (C_sw V1 + Q_wall) / (C_sw + C_ext) with C_sw measured on the same grid, both
//    exact for the discrete problem, so held to solver tolerance.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <cmath>
#include <iostream>
#include <memory>

#include "fitted_order.hpp"
#include "petsc_environment.hpp"
#include "physics/electrostatics/poisson.hpp"
#include "solver/base/constants.hpp"

namespace mps {
namespace {

double dist(const Vec3& a, const Vec3& b) {
  return std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

PoissonConfig unit_box(int cells) {
  PoissonConfig c;
  c.grid.lo = {0, 0, 0};
  c.grid.hi = {1, 1, 1};
  c.grid.cells = {cells, cells, cells};
  c.rtol = 1e-12;
  return c;
}

// Inner sphere R1 at V1; shell R2..R3 floating with net charge Q; cavity R4 at 0 V. With
// k = 1 / (4 pi eps0), the inner sphere's charge q1 and the shell potential Vm follow from
//   Vm = k (q1 + Q) (1/R3 - 1/R4),  V1 = Vm + k q1 (1/R1 - 1/R2).
// Criteria: the shell potential error falls at second order (fitted >= 1.8) and so does the
// rms nodal error over both gaps. The maximum nodal error sits next to the small inner sphere
// (3.8 cells of radius on the coarsest grid) and falls at 1.7 on these grids whether the shell
// floats or is held at the exact Vm (measured: 3.17e-1, 1.67e-1, 9.54e-2 V floating against
// 3.23e-1, 1.70e-1, 9.64e-2 V fixed), so it is a property of the embedded scheme on
// under-resolved curvature, not of the floating conductor. What floating adds is bounded
// exactly: phi_floating - phi_fixed = dV psi_shell with 0 <= psi_shell <= 1 (maximum principle),
// checked on the coarsest grid; the max norm is then held to 1.6 as a regression guard.
void three_spheres(double q_shell) {
  const Vec3 c{0.5123, 0.4871, 0.5049};
  const double r1 = 0.12, r2 = 0.24, r3 = 0.31, r4 = 0.46, v1 = 100.0;
  const double k = 1.0 / (4 * constants::pi * constants::vacuum_permittivity);
  const double a = 1 / r1 - 1 / r2, b = 1 / r3 - 1 / r4;
  const double q1 = (v1 - k * q_shell * b) / (k * (a + b));
  const double vm = k * (q1 + q_shell) * b;
  auto exact = [&](const Vec3& x) {
    const double r = dist(x, c);
    return r < r2 ? vm + k * q1 * (1 / r - 1 / r2) : k * (q1 + q_shell) * (1 / r - 1 / r4);
  };
  auto gap = [&](const Vec3& x) {
    const double r = dist(x, c);
    return (r > r1 && r < r2) || (r > r3 && r < r4);
  };
  auto solve = [&](int n, bool floating, std::vector<double>& phi) {
    PoissonConfig cfg = unit_box(n);
    cfg.electrodes.push_back({"inner", make_sphere(c, r1), v1});
    Electrode shell{"shell", make_spherical_shell(c, r2, r3), floating ? 0.0 : vm};
    shell.floating = floating;
    shell.charge = q_shell;
    cfg.electrodes.push_back(shell);
    cfg.electrodes.push_back({"outer", make_inverted(make_sphere(c, r4)), 0.0});
    check_electrodes(cfg.electrodes, cfg.grid);  // the floating band check passes here
    auto s = std::make_unique<PoissonSolver>(PETSC_COMM_WORLD, cfg);
    s->clear_charge();
    s->finish_deposit();
    s->solve();
    std::array<int, 3> lo, hi;
    std::vector<double> e, emag, rho;
    s->output_arrays(lo, hi, phi, e, emag, rho);
    return s;
  };
  std::vector<double> hs, e_shell, e_max, e_rms;
  for (int n : {32, 48, 64}) {
    std::vector<double> phi;
    auto s = solve(n, true, phi);
    const double v_shell = s->conductor_potential(1);
    double emax = 0, esq = 0, dmax = 0;
    std::size_t count = 0;
    std::vector<double> phi_fixed;
    if (n == 32) solve(n, false, phi_fixed);
    std::array<int, 3> lo = s->owned_start(), hi = lo;
    for (int ax = 0; ax < 3; ++ax) hi[ax] = std::min(lo[ax] + s->owned_count()[ax], n);
    std::size_t idx = 0;
    for (int kk = lo[2]; kk <= hi[2]; ++kk)
      for (int j = lo[1]; j <= hi[1]; ++j)
        for (int i = lo[0]; i <= hi[0]; ++i, ++idx) {
          if (!phi_fixed.empty()) dmax = std::max(dmax, std::abs(phi[idx] - phi_fixed[idx]));
          const Vec3 x = s->grid().node(i, j, kk);
          if (!gap(x)) continue;
          const double err = std::abs(phi[idx] - exact(x));
          emax = std::max(emax, err);
          esq += err * err;
          ++count;
        }
    const double erms = std::sqrt(esq / std::max<std::size_t>(count, 1));
    // the set charge is what the solver measures on the shell (discrete Gauss law)
    const double q_measured = s->conductor_charge(1);
    std::cout << fmt::format(
        "three spheres Q = {:.1e} C  N = {:3d}  V_shell {:.6f} V (exact {:.6f})  error {:.3e} V  "
        "nodal error max {:.3e} V rms {:.3e} V  shell charge {:.2e} C  ({} iterations)\n",
        q_shell, n, v_shell, vm, std::abs(v_shell - vm), emax, erms, q_measured, s->iterations());
    EXPECT_NEAR(q_measured, q_shell, 1e-8 * std::abs(q1));
    if (!phi_fixed.empty()) {
      std::cout << fmt::format("  max |phi_floating - phi_fixed at exact Vm| = {:.3e} V\n", dmax);
      EXPECT_LE(dmax, std::abs(v_shell - vm) * (1 + 1e-6) + 1e-9 * v1);
    }
    hs.push_back(1.0 / n);
    e_shell.push_back(std::abs(v_shell - vm));
    e_max.push_back(emax);
    e_rms.push_back(erms);
  }
  const double p_shell = fitted_order(hs, e_shell), p_max = fitted_order(hs, e_max),
               p_rms = fitted_order(hs, e_rms);
  std::cout << fmt::format(
      "three spheres Q = {:.1e} C: fitted order {:.2f} (V_shell), {:.2f} "
      "(rms nodal), {:.2f} (max nodal)\n",
      q_shell, p_shell, p_rms, p_max);
  EXPECT_GE(p_shell, 1.8);
  EXPECT_GE(p_rms, 1.8);
  EXPECT_GE(p_max, 1.6);
  // and small in absolute terms: the shell potential within 0.01 % of V1 on 64^3
  EXPECT_LT(e_shell.back(), 1e-4 * v1);
}

TEST(ElectrostaticsValidation, FloatingShellUnchargedSecondOrder) {
  three_spheres(0.0);
}

// Q of the order of the inner sphere's charge (q1 ~ 1.7e-9 C here), so both terms matter.
TEST(ElectrostaticsValidation, FloatingShellChargedSecondOrder) {
  three_spheres(-2e-9);
}

// A sphere at V1 inside the box. Grounded wall: its charge defines the discrete capacitance
// C_sw = q / V1. Floating wall with net charge Qw and capacitance C_ext to ground:
//   Qw = (inner surface charge) + C_ext Vw,  inner surface charge = -C_sw (V1 - Vw),
// so Vw = (C_sw V1 + Qw) / (C_sw + C_ext). Exact for the discrete problem (superposition of the
// same two solutions), hence held to 1e-6 relative: the solves stop at rtol 1e-12 and the
// charge functional sums O(N^2) face fluxes of a potential of order V1.
TEST(ElectrostaticsValidation, FloatingWallSeriesCapacitorAndGaussLaw) {
  const Vec3 c{0.4873, 0.5121, 0.4962};
  const double r = 0.2, v1 = 100.0;
  auto config = [&](bool floating, double qw, double cext) {
    PoissonConfig cfg = unit_box(32);
    cfg.electrodes.push_back({"ball", make_sphere(c, r), v1});
    cfg.wall_floating = floating;
    cfg.wall_charge = qw;
    cfg.wall_capacitance = cext;
    check_electrodes(cfg.electrodes, cfg.grid, {floating, cext});
    return cfg;
  };
  PoissonSolver grounded(PETSC_COMM_WORLD, config(false, 0, 0));
  grounded.clear_charge();
  grounded.finish_deposit();
  grounded.solve();
  const double c_sw = grounded.conductor_charge(0) / v1;
  // the continuum capacitance of a sphere in a box lies above the isolated sphere's 4 pi eps0 r
  // and below that of a sphere in the inscribed spherical cavity (r_cavity = 0.4873)
  const double c_iso = 4 * constants::pi * constants::vacuum_permittivity * r;
  std::cout << fmt::format("sphere in a grounded box: C = {:.4e} F (isolated sphere {:.4e} F)\n",
                           c_sw, c_iso);
  EXPECT_GT(c_sw, c_iso);
  EXPECT_LT(c_sw, c_iso / (1 - r / 0.4873));
  // the wall's charge is minus the sphere's
  EXPECT_NEAR(grounded.conductor_charge(PoissonSolver::kWall), -c_sw * v1, 1e-6 * c_sw * v1);

  for (const auto& [qw, cext] : std::vector<std::pair<double, double>>{
           {0.0, 0.0}, {0.0, c_sw}, {3e-10, 0.5 * c_sw}, {-1e-9, 2 * c_sw}}) {
    PoissonSolver s(PETSC_COMM_WORLD, config(true, qw, cext));
    s.clear_charge();
    s.finish_deposit();
    s.solve();
    const double vw = s.conductor_potential(PoissonSolver::kWall);
    const double expected = (c_sw * v1 + qw) / (c_sw + cext);
    std::cout << fmt::format(
        "floating wall Qw = {:.2e} C, C_ext = {:.3e} F: Vw = {:.9f} V "
        "(series law {:.9f} V)\n",
        qw, cext, vw, expected);
    EXPECT_NEAR(vw, expected, 1e-6 * v1);
    EXPECT_NEAR(s.conductor_charge(PoissonSolver::kWall) + cext * vw, qw, 1e-6 * c_sw * v1);
  }

  // Gauss: a point charge q inside an isolated (C_ext = 0, Qw = 0) wall: the fixed sphere
  // carries -q, whatever the potentials.
  const double q = 2e-10;
  PoissonSolver s(PETSC_COMM_WORLD, config(true, 0.0, 0.0));
  s.clear_charge();
  s.deposit({0.8131, 0.2213, 0.6377}, q);
  s.finish_deposit();
  s.solve();
  std::cout << fmt::format(
      "point charge {:.2e} C in an isolated wall: sphere charge {:.6e} C, "
      "Vw = {:.4f} V\n",
      q, s.conductor_charge(0), s.conductor_potential(PoissonSolver::kWall));
  EXPECT_NEAR(s.conductor_charge(0), -q, 1e-6 * q);
}

}  // namespace
}  // namespace mps
