// Unit tests of the thermal model and unit: exact energy bookkeeping, melting plateau,
// re-solidification, evaporation law, error control, NaN enthalpy initialisation.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/materials/emission.hpp"
#include "physics/thermal/thermal_model.hpp"
#include "physics/thermal/thermal_unit.hpp"
#include "solver/base/constants.hpp"

namespace mps {
namespace {

constexpr double kPi = constants::pi;
const Material& W() {
  return Material::builtin("tungsten");
}
double sphere_mass(double d) {
  return 19250.0 * kPi * d * d * d / 6.0;
}

ThermalOptions no_losses() {
  ThermalOptions o;
  o.radiation = o.thermionic = o.evaporation = false;
  return o;
}

TEST(ThermalModel, ConstantPowerWithoutLossesIsExact) {
  ThermalModel model(W(), no_losses());
  const double d = 5e-6, m = sphere_mass(d), P = 1e-3, dt = 1e-7;
  ThermalState s{W().enthalpy(373.15), m, d};
  const double h0 = s.h;
  const auto r = model.advance(s, P, 0.0, dt);
  EXPECT_EQ(r.substeps, 1);  // nothing depends on T: the first try is exact
  EXPECT_NEAR(s.h, h0 + P * dt / m, 1e-9 * std::fabs(s.h));
  EXPECT_DOUBLE_EQ(r.beam, P * dt);
  EXPECT_EQ(s.mass, m);
}

TEST(ThermalModel, EnergyBookkeepingClosesToRoundOff) {
  // Hot molten particle with every loss on, heated by a beam: E_end - E_start must equal
  // beam - radiated - thermionic - evaporation (the tallies use the update's own weights).
  ThermalOptions o;
  o.wall_temperature = 300.0;
  ThermalModel model(W(), o);
  const double d = 5e-6;
  ThermalState s{W().enthalpy(4500.0), sphere_mass(d), d};
  const double E0 = s.h * s.mass;
  const auto r = model.advance(s, 5e-3, -50.0, 2e-6);
  const double E1 = s.h * s.mass;
  const double balance = r.beam - r.radiated - r.thermionic - r.evaporated_energy;
  EXPECT_NEAR((E1 - E0) / balance, 1.0, 1e-10);
  EXPECT_GT(r.evaporated_mass, 0.0);
  EXPECT_NEAR(s.mass, sphere_mass(d) - r.evaporated_mass, 1e-12 * s.mass);
  // d^3 proportional to m
  EXPECT_NEAR(std::pow(s.diameter / d, 3), s.mass / sphere_mass(d), 1e-12);
}

TEST(ThermalModel, LangmuirEvaporationRate) {
  // Short step at 3600 K: mdot = A p_v sqrt(M / (2 pi R T)) (T changes by < 0.01 K).
  ThermalOptions o = no_losses();
  o.evaporation = true;
  ThermalModel model(W(), o);
  const double d = 5e-6, T = 3600.0, dt = 1e-9;
  ThermalState s{W().enthalpy(T), sphere_mass(d), d};
  const auto r = model.advance(s, 0.0, 0.0, dt);
  const double R = constants::boltzmann * constants::avogadro;
  const double expect =
      kPi * d * d * W().vapour_pressure(T) * std::sqrt(W().molar_mass() / (2 * kPi * R * T)) * dt;
  // T drifts by ~1e-4 K over the step: p_v changes by ~1e-7 relative (d ln p/dT ~ 3e-3 /K)
  EXPECT_NEAR(r.evaporated_mass / expect, 1.0, 1e-6);
}

TEST(ThermalModel, ThermionicHeatPerElectron) {
  // At phi = 0 each escaping electron carries W + 2kT.
  const double T = 3500.0, r = 2.5e-6;
  const auto th = emission::thermionic(60e4, 4.55, T, r, 0.0, false);
  EXPECT_NEAR(th.heat / th.current, 4.55 + 2 * constants::boltzmann_eV * T, 1e-12);
  EXPECT_NEAR(th.current,
              4 * kPi * r * r * 60e4 * T * T * std::exp(-4.55 / (constants::boltzmann_eV * T)),
              1e-12 * th.current);
}

TEST(ThermalModel, CutoffsAreBelowTheRelevantRange) {
  ThermalModel model(W(), ThermalOptions{});
  // thermionic and evaporation losses are skipped only where they are negligible (< 1e-12 of
  // sigma T^4); for tungsten that is well below 2000 K.
  EXPECT_GT(model.thermionic_cutoff(), 500.0);
  EXPECT_LT(model.thermionic_cutoff(), 1500.0);
  EXPECT_LT(model.evaporation_cutoff(), 2000.0);
}

TEST(ThermalModel, ErrorControlConvergesWithTolerance) {
  // Beam heating of a 5 um sphere through melting to ~5000 K in 2 us with all losses on; the
  // end state for tolerance 1, 0.1, 0.01 K against 1e-6 K. The error must fall with the
  // tolerance and stay below ~the tolerance times the number of sub-steps taken.
  const double d = 5e-6, P = 0.8, dt = 2e-6;  // 1.6e-6 J into 1.26e-12 kg
  auto run = [&](double tol, int* steps) {
    ThermalOptions o;
    o.tolerance_K = tol;
    ThermalModel model(W(), o);
    ThermalState s{W().enthalpy(373.15), sphere_mass(d), d};
    const auto r = model.advance(s, P, 0.0, dt);
    if (steps) *steps = r.substeps;
    return W().state_of(s.h).temperature;
  };
  const double ref = run(1e-6, nullptr);
  double prev_err = 1e30;
  for (double tol : {1.0, 0.1, 0.01}) {
    int n = 0;
    const double err = std::fabs(run(tol, &n) - ref);
    EXPECT_LE(err, tol * n + 1e-9) << tol;
    EXPECT_LE(err, prev_err) << tol;
    prev_err = err;
  }
  EXPECT_GT(ref, 4000.0);
}

TEST(ThermalUnit, InitialisesEnthalpyAndMeltsAndResolidifies) {
  // One 5 um particle heated by test_power for a while, then cooling by radiation: it melts
  // fully, re-solidifies, and the unit counts both; the plateau time on heating is m L / P.
  ThermalUnitParams p;
  p.model.thermionic = p.model.evaporation = false;
  p.model.radiation = false;
  const double d = 5e-6, m = sphere_mass(d), P = 2e-3;
  // energy to go from 373.15 K to fully liquid plus 100 K, no losses
  const double t_heat = m * (W().enthalpy(3795.0) - W().enthalpy(373.15)) / P;
  p.test_power = P;
  p.test_power_off = t_heat;
  ThermalUnit unit(W(), p);
  ParticleStore ps;
  const auto i = ps.push_back(7, ParticleState::flying);
  ps[Field::diameter][i] = d;
  ps[Field::mass][i] = m;
  ps[Field::temperature][i] = 373.15;
  ps[Field::peak_temperature][i] = 373.15;
  ps[Field::enthalpy][i] = std::nan("");
  StepContext ctx;
  ctx.dt = t_heat / 400.0;
  for (int k = 0; k < 400; ++k, ctx.time += ctx.dt) unit.apply(Stage::state, ps, ctx);
  EXPECT_NEAR(ps[Field::temperature][i], 3795.0, 1e-6);
  EXPECT_EQ(ps[Field::liquid_fraction][i], 1.0);
  // time molten so far = from reaching Tm to the end of heating = (L + cp_l * 100 K) m / P,
  // within one step (the molten indicator is integrated with the trapezoid rule per step)
  const double expect_molten = m * (W().enthalpy(3795.0) - W().enthalpy_solidus()) / P;
  EXPECT_NEAR(ps[Field::time_molten][i], expect_molten, ctx.dt);
  // then cool by radiation only (walls at 300 K)
  ThermalUnitParams q = p;
  q.model.radiation = true;
  q.test_power = 0.0;
  ThermalUnit cool(W(), q);
  StepContext c2;
  c2.dt = 2e-5;
  for (int k = 0; k < 2000 && ps[Field::liquid_fraction][i] > 0.0; ++k, c2.time += c2.dt)
    cool.apply(Stage::state, ps, c2);
  EXPECT_EQ(ps[Field::liquid_fraction][i], 0.0);
  EXPECT_LT(ps[Field::temperature][i], 3695.0);
  double melted = 0, resolid = 0;
  for (auto& t : unit.tallies())
    if (t.name == "melted_count") melted = t.sum->value();
  for (auto& t : cool.tallies())
    if (t.name == "resolidified_count") resolid = t.sum->value();
  EXPECT_EQ(melted, 1.0);
  EXPECT_EQ(resolid, 1.0);
  EXPECT_NEAR(ps[Field::peak_temperature][i], 3795.0, 1e-6);
}

}  // namespace
}  // namespace mps
