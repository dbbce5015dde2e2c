// Unit tests of the charging model and unit: field emission law, limits, tallies, skip path.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/charging/charging_unit.hpp"
#include "physics/materials/emission.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"
#include "solver/base/rng.hpp"

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

// The backward-Euler root C (phi1 - phi0) = dt I(phi1), found by plain bisection on that
// balance (monotone in phi: one root, above phi_a = phi0 - dt I_a / C).
double backward_euler_root(const ChargingModel& model, double q0, const ChargingInputs& in,
                           double dt) {
  const double C = ChargingModel::capacitance(in.diameter);
  const double phi0 = q0 / C, phi_a = phi0 - dt * in.absorbed_current / C;
  auto F = [&](double phi) { return C * (phi - phi0) - dt * model.currents(phi, in).total; };
  double lo = phi_a, hi = phi_a + 1.0;
  while (F(hi) <= 0.0) hi = phi_a + 2.0 * (hi - phi_a);
  for (int k = 0; k < 400 && hi - lo > 1e-14 * (1.0 + std::fabs(lo)); ++k)
    (F(0.5 * (lo + hi)) > 0.0 ? hi : lo) = 0.5 * (lo + hi);
  return 0.5 * (lo + hi);
}

TEST(ChargingModel, StepLandsOnTheBackwardEulerRoot) {
  // Random states over the regimes of a stream (cold to above melting, in and out of the beam,
  // either sign of charge, RC far below and far above dt). Tolerance: the fast path (linearly
  // implicit step) is taken where its predicted distance to the root is at most 5 % of the
  // change (ChargingModel::kFastPathFraction), a second-order estimate: 10 % allowed. Newton
  // stops within 1e-12 (1 + |phi|) V (ChargingOptions::tolerance), its last step taken
  // unevaluated only where its error bound is below that: 1e-9 (1 + |phi|) V allowed for the
  // rounding of the balance near its root, on Newton steps without the fast path's allowance. A
  // solver that stops away from the root (as the Newton iteration on ln E - ln A once did next
  // to phi_a, where it is singular) fails by volts; one that trusted a curvature bound over a
  // long last step (from where nothing is emitted yet) by hundreds of volts.
  ChargingModel model(W(), ChargingOptions{});
  const double dts[] = {1e-12, 1e-10, 1e-8, 1e-7};
  int newton_steps = 0;
  for (std::uint64_t k = 0; k < 20000; ++k) {
    Rng rng(31, RngPurpose::test, k);
    ChargingInputs in;
    in.temperature = 300.0 + 3000.0 * rng.uniform();
    in.diameter = 2e-6 + 8e-6 * rng.uniform();
    in.absorbed_current = rng.uniform() < 0.4 ? 0.0 : 2e-5 * rng.uniform();
    in.se_current = rng.uniform() < 0.5 ? 0.0 : in.absorbed_current * rng.uniform();
    const double dt = dts[k % 4];
    const double phi0 = rng.uniform() < 0.7 ? -5000.0 * std::pow(rng.uniform(), 3.0)
                                            : 200.0 * std::pow(rng.uniform(), 3.0);
    const double q0 = phi0 * ChargingModel::capacitance(in.diameter);
    double q = q0;
    const auto r = model.advance(q, in, dt);
    newton_steps += r.iterations > 1;
    const double phi1 = model.potential(q, in.diameter);
    const double root = backward_euler_root(model, q0, in, dt);
    const double allowed =
        (r.iterations > 1 ? 0.0 : 0.1 * std::fabs(phi1 - phi0)) + 1e-9 * (1.0 + std::fabs(root));
    ASSERT_LE(std::fabs(phi1 - root), allowed)
        << "state " << k << ": phi0 " << phi0 << " V, T " << in.temperature << " K, d "
        << in.diameter << " m, I_a " << in.absorbed_current << " A, I_se " << in.se_current
        << " A, dt " << dt << " s: step to " << phi1 << " V, root " << root << " V";
  }
  EXPECT_GT(newton_steps, 2000);  // both paths are exercised
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
