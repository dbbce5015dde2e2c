// Validation of the charging model against analytic floating potentials and the RC relaxation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "physics/charging/charging_model.hpp"
#include "physics/materials/emission.hpp"
#include "solver/base/constants.hpp"

namespace mps {
namespace {

constexpr double kPi = constants::pi;
const Material& W() {
  return Material::builtin("tungsten");
}

// Lambert W, lower branch W_{-1}(z) for z in (-1/e, 0), by Newton on w e^w = z: an independent
// route to the positive floating potential.
double lambert_wm1(double z) {
  double w = std::log(-z) - std::log(-std::log(-z));  // asymptotic start
  for (int i = 0; i < 100; ++i) {
    const double f = w * std::exp(w) - z, df = std::exp(w) * (w + 1.0);
    const double dw = f / df;
    w -= dw;
    if (std::fabs(dw) < 1e-15 * std::fabs(w)) break;
  }
  return w;
}

ChargingOptions thermionic_only() {
  ChargingOptions o;
  o.field_emission = false;
  return o;
}

TEST(FloatingPotential, PositiveThermionicAgainstLambertW) {
  // Absorbed electrons I_a balanced by retarded thermionic emission I0 (1 + x) e^-x, x = phi/kT:
  // x = -1 - W_{-1}(-a / e), a = I_a / I0 < 1.
  ChargingModel model(W(), thermionic_only());
  ChargingInputs in;
  in.temperature = 3600.0;
  in.diameter = 5e-6;
  const double r = 2.5e-6, kT = constants::boltzmann_eV * in.temperature;
  const double I0 = 4 * kPi * r * r *
                    emission::richardson_dushman(W().richardson_constant(), 4.55, in.temperature);
  in.absorbed_current = 0.05 * I0;
  const double x = -1.0 - lambert_wm1(-0.05 / std::exp(1.0));
  const double phi = model.equilibrium_potential(in);
  std::printf("thermionic floating potential (a = 0.05, T = 3600 K): %.6f V, analytic %.6f V\n",
              phi, x * kT);
  // Newton tolerance 1e-12 (1 + phi) V; 1e-8 V leaves ample room for the exp() round-off.
  EXPECT_NEAR(phi, x * kT, 1e-8);
  EXPECT_NEAR(model.currents(phi, in).total, 0.0, 1e-12 * in.absorbed_current);
}

TEST(FloatingPotential, NegativeThermionicWithSchottkyClosedForm) {
  // More absorbed current than the zero-field emission: the sphere floats negative until the
  // Schottky lowering raises emission to I_a: sqrt(e F / 4 pi eps0) = kT ln(I_a / I0) with
  // F = -phi / r, so phi = -r (kT ln a)^2 4 pi eps0 / e.
  ChargingModel model(W(), thermionic_only());
  ChargingInputs in;
  in.temperature = 3000.0;
  in.diameter = 5e-6;
  const double r = 2.5e-6, kT = constants::boltzmann_eV * in.temperature;
  const double I0 = 4 * kPi * r * r *
                    emission::richardson_dushman(W().richardson_constant(), 4.55, in.temperature);
  const double a = 3.0;
  in.absorbed_current = a * I0;
  const double kS = constants::elementary_charge / (4 * kPi * constants::vacuum_permittivity);
  const double expect = -r * std::pow(kT * std::log(a), 2) / kS;
  const double phi = model.equilibrium_potential(in);
  std::printf("Schottky-limited floating potential (a = 3, T = 3000 K): %.6g V, analytic %.6g V\n",
              phi, expect);
  EXPECT_NEAR(phi / expect, 1.0, 1e-8);
}

TEST(FloatingPotential, SlowSecondariesHoldAFewVoltsPositive) {
  // Cold sphere, SE yield 2 per absorbed electron: I_se0 (1 + x) e^-x = I_a, x = phi / T_se.
  ChargingModel model(W(), ChargingOptions{});
  ChargingInputs in;
  in.temperature = 400.0;
  in.absorbed_current = 1e-5;
  in.se_current = 2e-5;
  const double x = -1.0 - lambert_wm1(-0.5 / std::exp(1.0));
  const double phi = model.equilibrium_potential(in);
  EXPECT_NEAR(phi, x * 2.0, 1e-8);
  EXPECT_GT(phi, 0.0);
}

TEST(Relaxation, TimeConstantIsRC) {
  // Near equilibrium dQ/dt = I'(phi_eq) (phi - phi_eq): tau = C / (-dI/dphi). Follow the decay
  // with dt = tau / 2000 (backward Euler's per-step factor 1/(1 + dt/tau) gives tau to 2.5e-4)
  // and measure tau from the potential after 1 tau.
  ChargingModel model(W(), ChargingOptions{});
  ChargingInputs in;
  in.temperature = 400.0;
  in.absorbed_current = 1e-5;
  in.se_current = 2e-5;
  const double phi_eq = model.equilibrium_potential(in);
  const double C = ChargingModel::capacitance(in.diameter);
  const double tau = C / -model.currents(phi_eq, in).dtotal_dphi;
  double q = C * (phi_eq + 1e-3);  // 1 mV off: linear regime
  const double dt = tau / 2000.0;
  for (int k = 0; k < 2000; ++k) model.advance(q, in, dt);
  const double ratio = (model.potential(q, in.diameter) - phi_eq) / 1e-3;
  const double tau_measured = -tau / std::log(ratio);
  std::printf("RC relaxation: tau = %.4g s (C/|dI/dphi| = %.4g s)\n", tau_measured, tau);
  // 1e-3: the backward-Euler bias (2.5e-4) plus the curvature of I over 1 mV (~x/T_se 1e-3/2).
  EXPECT_NEAR(tau_measured / tau, 1.0, 1e-3);
  // A 5 um sphere: C = 2.8e-16 F and tau ~ 1e-12 s: charging is stiff against a ~1e-8 s step.
  EXPECT_NEAR(C, 2.78e-16, 0.01e-16);
}

TEST(StiffStep, LongStepLandsOnTheEquilibrium) {
  // One step of 1 us (~1e5 tau) from neutral. Backward Euler is L-stable: the end state lies
  // on the equilibrium up to its own lag, I(phi1) = C (phi1 - phi0) / dt, i.e. a distance
  // (tau / dt) |phi1 - phi0| from phi_eq to first order.
  ChargingModel model(W(), ChargingOptions{});
  ChargingInputs in;
  in.temperature = 3400.0;
  in.absorbed_current = 2e-5;
  in.se_current = 1e-5;
  double q = 0.0;
  const double dt = 1e-6, C = ChargingModel::capacitance(in.diameter);
  const auto r = model.advance(q, in, dt);
  const double phi = model.potential(q, in.diameter), phi_eq = model.equilibrium_potential(in);
  const double tau = C / -model.currents(phi_eq, in).dtotal_dphi;
  std::printf("1 us step: phi = %.9f V, phi_eq = %.9f V, tau = %.3g s, %d Newton iterations\n", phi,
              phi_eq, tau, r.iterations);
  // the solver residual: the end currents equal C dphi / dt to the Newton tolerance
  EXPECT_NEAR(r.end.total, C * phi / dt, 1e-9 * C * phi / dt);
  // net current ~1e-5 of the absorbed current, and the lag (factor 2 for the first-order estimate)
  EXPECT_LT(std::fabs(r.end.total), 1e-4 * in.absorbed_current);
  EXPECT_LT(std::fabs(phi - phi_eq), 2.0 * tau / dt * std::fabs(phi));
  EXPECT_LT(r.iterations, 60);
}

}  // namespace
}  // namespace mps
