// Validation of the thermal model against analytic solutions:
//  - radiative cooling T(t) of a sphere with constant cp and emissivity into walls at 0 K,
//  - the melting plateau duration m L / P under constant power and the freezing plateau
//    m L / Q_rad(Tm) on radiative cooling (re-solidification).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "physics/thermal/thermal_model.hpp"
#include "solver/base/constants.hpp"

namespace mps {
namespace {

constexpr double kPi = constants::pi;
constexpr double kSigma = constants::stefan_boltzmann;

MaterialData constant_cp_metal() {
  MaterialData d;
  d.name = "constant-cp";
  d.molar_mass = 0.18384;
  d.melting_point = 3695.0;
  d.latent_heat_fusion = 284487.0;
  d.min_temperature = 100.0;
  d.max_temperature = 6000.0;
  d.cp_solid.pieces = {PolyFit{0.0, {150.0}, 0.0}};
  d.cp_liquid.pieces = {PolyFit{0.0, {280.0}, 0.0}};
  d.density_solid = d.density_liquid = PolyFit{0.0, {19250.0}, 0.0};
  d.conductivity_solid = d.conductivity_liquid = PolyFit{0.0, {100.0}, 0.0};
  d.emissivity_solid = d.emissivity_liquid = PolyFit{0.0, {0.3}, 0.0};
  d.surface_tension_liquid = PolyFit{0.0, {2.5}, 0.0};
  d.heat_of_vaporisation = PolyFit{0.0, {4.6e6}, 0.0};
  d.antoine_a = 12.0;
  d.antoine_b = 40000.0;
  d.work_function_eV = 4.55;
  d.richardson_constant = 60e4;
  return d;
}

TEST(RadiativeCooling, AnalyticT4Law) {
  // m c dT/dt = -eps sigma A T^4  =>  T(t) = (T0^-3 + 3 k t)^(-1/3), k = eps sigma A / (m c).
  const Material mat(constant_cp_metal());
  ThermalOptions o;
  o.thermionic = o.evaporation = false;
  o.wall_temperature = 0.0;
  o.emissivity = 0.3;
  o.tolerance_K = 1e-4;
  ThermalModel model(mat, o);
  const double d = 5e-6, m = 19250.0 * kPi * d * d * d / 6.0, c = 150.0, T0 = 3000.0;
  const double k = 0.3 * kSigma * kPi * d * d / (m * c);
  ThermalState s{mat.enthalpy(T0), m, d};
  const double dt = 1e-5;  // 2e3 steps, 20 ms: cools to ~1100 K
  double worst = 0.0;
  for (int n = 1; n <= 2000; ++n) {
    model.advance(s, 0.0, 0.0, dt);
    const double T = mat.state_of(s.h).temperature;
    const double exact = std::pow(std::pow(T0, -3.0) + 3.0 * k * n * dt, -1.0 / 3.0);
    worst = std::max(worst, std::fabs(T - exact));
  }
  std::printf("radiative cooling 3000 K, 20 ms: max |T - T_exact| = %.3g K\n", worst);
  // Heun is 2nd order with local error held < 1e-4 K per sub-step; over the ~2000+ sub-steps
  // the global error is bounded by their sum, 0.2 K; the smooth decay keeps it far lower. 0.05 K
  // is 1.6e-5 of the temperature drop: tight enough to fail for a wrong rate (a 1 % error in k
  // gives ~10 K) or a first-order scheme at this step (~1 K).
  EXPECT_LT(worst, 0.05);
}

TEST(MeltingPlateau, DurationIsLatentHeatOverPower) {
  const Material& w = Material::builtin("tungsten");
  ThermalOptions o;
  o.radiation = o.thermionic = o.evaporation = false;
  ThermalModel model(w, o);
  const double d = 5e-6, m = 19250.0 * kPi * d * d * d / 6.0, P = 1e-3;
  ThermalState s{w.enthalpy(3000.0), m, d};
  const double dt = 1e-9;
  double t = 0.0, t_start = -1.0, t_end = -1.0;
  while (t_end < 0.0 && t < 1e-3) {
    const double f0 = w.state_of(s.h).liquid_fraction;
    model.advance(s, P, 0.0, dt);
    t += dt;
    const double f1 = w.state_of(s.h).liquid_fraction;
    if (f0 == 0.0 && f1 > 0.0) t_start = t;
    if (f0 < 1.0 && f1 == 1.0) t_end = t;
  }
  const double expect = m * w.latent_heat_fusion() / P;
  std::printf("melting plateau: %.6g s (m L / P = %.6g s)\n", t_end - t_start, expect);
  // Detected at step granularity: within one step dt at each end.
  EXPECT_NEAR(t_end - t_start, expect, 2 * dt);
}

TEST(FreezingPlateau, DurationIsLatentHeatOverRadiatedPower) {
  // A fully molten drop at Tm cooling by radiation (liquid eps = 0.38) to walls at 300 K
  // freezes at constant T = Tm, so the plateau lasts m L / (eps sigma A (Tm^4 - Tw^4)).
  const Material& w = Material::builtin("tungsten");
  ThermalOptions o;
  o.thermionic = o.evaporation = false;
  o.wall_temperature = 300.0;
  ThermalModel model(w, o);
  const double d = 5e-6, m = 19250.0 * kPi * d * d * d / 6.0;
  ThermalState s{w.enthalpy_liquidus(), m, d};
  const double dt = 1e-6;
  double t = 0.0;
  while (w.state_of(s.h).liquid_fraction > 0.0 && t < 1.0) {
    model.advance(s, 0.0, 0.0, dt);
    t += dt;
  }
  const double Tm = w.melting_point();
  // On the plateau T = Tm, the emissivity is the liquid's (0.38) while f > 0: state_of gives
  // T = Tm, and emissivity(Tm) is the solid's value at Tm (T <= Tm is solid in the fit). The
  // rate that applies is therefore eps_solid(Tm).
  const double Q = w.emissivity(Tm) * kSigma * kPi * d * d * (std::pow(Tm, 4) - std::pow(300.0, 4));
  const double expect = m * w.latent_heat_fusion() / Q;
  std::printf("freezing plateau: %.6g s (m L / Q_rad = %.6g s)\n", t, expect);
  EXPECT_NEAR(t, expect, dt);  // step granularity
}

}  // namespace
}  // namespace mps
