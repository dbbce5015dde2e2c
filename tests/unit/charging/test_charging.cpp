// Unit tests of the charging model and unit: field emission law, limits, tallies, skip path.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/charging/charging_unit.hpp"
#include "physics/materials/emission.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps {
namespace {

const Material& W() {
  return Material::builtin("tungsten");
}

TEST(Emission, FowlerNordheimReferencePoint) {
  // Forbes & Deane's worked example: W = 4.5 eV, F = 5 V/nm gives f ~ 0.36 and v(f) ~ 0.58.
  const double F = 5e9, phi = 4.5;
  const double f = 1.439964e-9 * F / (phi * phi);
  EXPECT_NEAR(f, 0.36, 0.005);
  const double v = 1 - f + f / 6 * std::log(f);
  EXPECT_NEAR(v, 0.58, 0.005);
  EXPECT_NEAR(emission::fowler_nordheim(F, phi),
              1.541434e-6 * F * F / phi * std::exp(-v * 6.830890e9 * std::pow(phi, 1.5) / F),
              1e-12 * emission::fowler_nordheim(F, phi));
  EXPECT_GT(emission::fowler_nordheim(6e9, phi), emission::fowler_nordheim(5e9, phi));
}

TEST(Emission, SchottkyLowering) {
  // 1e9 V/m lowers the barrier by 1.2 eV: sqrt(1.44e-9 eV m * 1e9 V/m) = 1.2 eV.
  EXPECT_NEAR(emission::schottky_lowering_eV(1e9), 1.19996, 1e-4);
}

TEST(ChargingModel, FieldEmissionLimitsNegativeCharging) {
  // A cold sphere absorbing electrons with no emission but FN: it floats at the field where
  // J_FN * area = I_a, a few 1e9 V/m.
  ChargingModel model(W(), ChargingOptions{});
  ChargingInputs in;
  in.temperature = 300.0;
  in.absorbed_current = 1e-5;
  const double phi = model.equilibrium_potential(in);
  const double F = -phi / 2.5e-6;
  EXPECT_GT(F, 1e9);
  EXPECT_LT(F, 2e10);
  EXPECT_NEAR(model.currents(phi, in).field, 1e-5, 1e-14);
}

TEST(ChargingModel, ChargeConservedPerMechanism) {
  // Backward Euler: Q1 - Q0 = dt (-I_a + I_se + I_th + I_fe) at the end state.
  ChargingModel model(W(), ChargingOptions{});
  ChargingInputs in;
  in.temperature = 3300.0;
  in.absorbed_current = 2e-5;
  in.se_current = 5e-6;
  double q = -1e-15;
  const double q0 = q, dt = 1e-12;
  const auto r = model.advance(q, in, dt);
  const double dq = dt * (-in.absorbed_current + r.end.se + r.end.thermionic + r.end.field);
  EXPECT_NEAR((q - q0) / dq, 1.0, 1e-6);
}

TEST(ChargingModel, RayleighLimitOfAMoltenDrop) {
  ChargingModel model(W(), ChargingOptions{});
  const double d = 5e-6, qr = model.rayleigh_charge(d, 3700.0);
  // 8 pi sqrt(eps0 gamma r^3), gamma(Tm) = 2.48 N/m: 4.1e-13 C for r = 2.5 um
  EXPECT_NEAR(
      qr,
      8 * constants::pi *
          std::sqrt(constants::vacuum_permittivity * (2.48 - 0.31e-3 * 5) * std::pow(2.5e-6, 3)),
      1e-20);
  ChargingInputs in;
  in.temperature = 3700.0;
  in.liquid_fraction = 1.0;
  in.diameter = d;
  ChargingOptions o;
  o.thermionic = o.field_emission = false;
  ChargingModel bare(W(), o);
  double q = 1.01 * qr;
  EXPECT_TRUE(bare.advance(q, in, 1e-12).rayleigh);
  q = 0.99 * qr;
  EXPECT_FALSE(bare.advance(q, in, 1e-12).rayleigh);
}

TEST(ChargingUnit, CountsOrStopsAtLimits) {
  ParticleStore ps;
  const auto i = ps.push_back(42, ParticleState::flying);
  ps[Field::diameter][i] = 5e-6;
  ps[Field::temperature][i] = 3700.0;
  ps[Field::liquid_fraction][i] = 1.0;
  ChargingUnitParams p;
  p.model.thermionic = p.model.field_emission = false;
  p.test_se_current = 1e-30;  // not quiet: the limit check runs
  ChargingUnit counting(W(), p);
  ps[Field::charge][i] = 1e-12;  // above the Rayleigh charge of 4.1e-13 C
  StepContext ctx;
  ctx.dt = 1e-12;
  ctx.step = 17;
  counting.apply(Stage::state, ps, ctx);
  double n = 0;
  for (auto& t : counting.tallies())
    if (t.name == "rayleigh_limit_particle_steps") n = t.sum->value();
  EXPECT_EQ(n, 1.0);
  p.stop_on_limit = true;
  ChargingUnit stopping(W(), p);
  try {
    stopping.apply(Stage::state, ps, ctx);
    FAIL() << "no error at the Rayleigh limit";
  } catch (const RuntimeError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("particle 42"), std::string::npos) << msg;
    EXPECT_NE(msg.find("step 17"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Rayleigh"), std::string::npos) << msg;
  }
}

TEST(ChargingUnit, QuietParticlesKeepTheirCharge) {
  ParticleStore ps;
  const auto i = ps.push_back(1, ParticleState::flying);
  ps[Field::diameter][i] = 5e-6;
  ps[Field::temperature][i] = 400.0;
  ps[Field::charge][i] = -3e-16;  // -1 V: far below field emission
  ChargingUnit unit(W(), ChargingUnitParams{});
  StepContext ctx;
  ctx.dt = 1e-6;
  unit.apply(Stage::state, ps, ctx);
  EXPECT_EQ(ps[Field::charge][i], -3e-16);
}

}  // namespace
}  // namespace mps
