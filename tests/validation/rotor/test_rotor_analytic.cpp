// Validation of the rotor channel motion against closed-form solutions (DESIGN.md section 5).
//
// Bead in a radial channel of a rotor at constant omega (rotating frame, no gravity, no offset):
//   s'' = omega^2 s - 2 mu omega s'   (s' > 0; Coriolis normal force, Coulomb friction mu).
// Characteristic roots lambda = omega (-mu +- sqrt(1 + mu^2)); with s(0) = r0, s'(0) = 0:
//   s(t) = r0 (-l2 e^{l1 t} + l1 e^{l2 t}) / (l1 - l2),  s'(t) = r0 l1 (-l2) (e^{l1 t} - e^{l2 t})
//   / (l1 - l2)
// so s grows at the rate l1 = omega (sqrt(1 + mu^2) - mu); mu = 0 gives s = r0 cosh(omega t).
// Exit at s = R with the lab-frame velocity s' e_r + omega R e_t, speed sqrt(s'^2 + omega^2 R^2);
// frictionless: omega sqrt(2 R^2 - r0^2) ~ sqrt(2) omega R for r0 << R.
//
// Tolerances: the unit integrates with RK4 sub-steps of 0.01 rad of rotor turn; the local error is
// ~(omega h)^5 / 120 ~ 1e-12 per sub-step, so over the ~ln(2 R / r0) / l1 transit (a few hundred
// sub-steps) the relative error stays below ~1e-8; we test trajectories at 1e-7 and exit speeds at
// 1e-6 (the issue asks for 1e-3), and the measured growth rate at 1e-6 where the decaying root
// e^{l2 t} has died out (its weight is < 1e-9 at the times used).
#include <gtest/gtest.h>

#include <cmath>

#include "physics/rotor/rotor.hpp"

using namespace mps;

namespace {

struct Analytic {
  double r0, omega, mu, l1, l2;
  Analytic(double r0_, double w, double mu_) : r0(r0_), omega(w), mu(mu_) {
    l1 = w * (std::sqrt(1 + mu * mu) - mu);
    l2 = -w * (std::sqrt(1 + mu * mu) + mu);
  }
  double s(double t) const {
    return r0 * (-l2 * std::exp(l1 * t) + l1 * std::exp(l2 * t)) / (l1 - l2);
  }
  double u(double t) const {
    return r0 * l1 * (-l2) * (std::exp(l1 * t) - std::exp(l2 * t)) / (l1 - l2);
  }
  double exit_time(double R) const {
    double lo = 0, hi = 1.0;
    while (s(hi) < R) hi *= 2;
    for (int i = 0; i < 200; ++i) {
      const double m = 0.5 * (lo + hi);
      (s(m) < R ? lo : hi) = m;
    }
    return 0.5 * (lo + hi);
  }
};

RotorParams bead_rotor(double r0, double R, double omega, double mu) {
  RotorParams p;
  p.radius = R;
  p.feed_radius = r0;
  p.omega = omega;
  p.friction = mu;
  p.channels = 4;
  p.channel_width = 5e-6;  // = the diameter: the bead runs on the radial line (b = 0)
  p.channel_height = 5e-6;
  p.axial_uniform = false;
  return p;
}

// One feeding particle (id 0, channel 0, enters at t = 0); steps the unit and checks s(t) at every
// step end against the analytic solution; returns the lab exit velocity and the exit time.
struct Exit {
  Vec3 x, v;  // x: back-projected position at the start of the exit step
  double step_start = 0.0;
  double max_rel_error = 0.0;
};
Exit run_bead(const RotorParams& p, double dt, const Analytic& an) {
  Rotor rotor(p);
  ParticleStore pa;
  const auto i = pa.push_back(0, ParticleState::feeding);
  pa[Field::diameter][i] = 5e-6;
  pa[Field::mass][i] = 1.0;
  Exit e;
  for (std::uint64_t step = 0; step < 1000000; ++step) {
    StepContext ctx{static_cast<double>(step) * dt, dt, step, 1, 0, 1};
    rotor.apply(Stage::source, pa, ctx);
    if (pa.states()[0] == ParticleState::flying) {
      e.x = {pa[Field::px][0], pa[Field::py][0], pa[Field::pz][0]};
      e.v = {pa[Field::vx][0], pa[Field::vy][0], pa[Field::vz][0]};
      e.step_start = ctx.time;
      return e;
    }
    const double t = ctx.time + dt;
    const double s = std::hypot(pa[Field::px][0], pa[Field::py][0]);
    e.max_rel_error = std::max(e.max_rel_error, std::abs(s / an.s(t) - 1.0));
  }
  ADD_FAILURE() << "the bead never left the rotor";
  return e;
}

}  // namespace

TEST(RotorValidation, FrictionlessBeadFollowsCosh) {
  const double r0 = 0.01, R = 0.1, w = 4000.0;
  Analytic an(r0, w, 0.0);
  const Exit e = run_bead(bead_rotor(r0, R, w, 0.0), 1e-6, an);
  EXPECT_LT(e.max_rel_error, 1e-7) << "s(t) vs r0 cosh(omega t)";
  // closed form of the frictionless solution itself
  EXPECT_NEAR(an.s(1e-4) / (r0 * std::cosh(w * 1e-4)), 1.0, 1e-14);
  const double speed = std::sqrt(e.v[0] * e.v[0] + e.v[1] * e.v[1] + e.v[2] * e.v[2]);
  const double exact = w * std::sqrt(2 * R * R - r0 * r0);
  std::printf(
      "frictionless: exit speed %.9g m/s, analytic %.9g m/s, rel. error %.2e; sqrt(2) omega R = "
      "%.6g m/s\n",
      speed, exact, speed / exact - 1, std::sqrt(2.0) * w * R);
  EXPECT_NEAR(speed / exact, 1.0, 1e-6);
  // the exit point: where the straight path from the back-projected start reaches t_exit
  const double te = std::acosh(R / r0) / w;
  Vec3 xe;
  for (int a = 0; a < 3; ++a) xe[a] = e.x[a] + e.v[a] * (te - e.step_start);
  EXPECT_NEAR(std::hypot(xe[0], xe[1]), R, 1e-7 * R);
  EXPECT_NEAR(std::remainder(std::atan2(xe[1], xe[0]) - w * te, 2 * M_PI), 0.0, 1e-6);
  // 45 degrees to the tangent in the limit r0 << R (s' = omega sqrt(R^2 - r0^2))
  const double vr = (e.v[0] * xe[0] + e.v[1] * xe[1]) / R;
  EXPECT_NEAR(vr, w * std::sqrt(R * R - r0 * r0), 1e-6 * w * R);
}

TEST(RotorValidation, SqrtTwoOmegaRForSmallFeedRadius) {
  // r0 / R = 1e-3: omega sqrt(2 R^2 - r0^2) = sqrt(2) omega R (1 - 2.5e-7)
  const double r0 = 1e-4, R = 0.1, w = 1000.0;
  Analytic an(r0, w, 0.0);
  const Exit e = run_bead(bead_rotor(r0, R, w, 0.0), 5e-6, an);
  const double speed = std::sqrt(e.v[0] * e.v[0] + e.v[1] * e.v[1] + e.v[2] * e.v[2]);
  EXPECT_NEAR(speed / (std::sqrt(2.0) * w * R), 1.0, 1e-6);
}

TEST(RotorValidation, CoulombFrictionGrowthRateAndExitSpeed) {
  const double r0 = 0.01, R = 0.1, w = 4000.0;
  for (double mu : {0.1, 0.3, 0.6}) {
    Analytic an(r0, w, mu);
    const Exit e = run_bead(bead_rotor(r0, R, w, mu), 1e-6, an);
    EXPECT_LT(e.max_rel_error, 1e-7) << "mu " << mu;
    const double te = an.exit_time(R);
    const double exact = std::hypot(an.u(te), w * R);
    const double speed = std::sqrt(e.v[0] * e.v[0] + e.v[1] * e.v[1] + e.v[2] * e.v[2]);
    std::printf("mu %.1f: exit speed %.9g m/s, analytic %.9g m/s, rel. error %.2e\n", mu, speed,
                exact, speed / exact - 1);
    EXPECT_NEAR(speed / exact, 1.0, 1e-6) << "mu " << mu;
  }
}

TEST(RotorValidation, MeasuredGrowthRateIsOmegaSqrtOnePlusMuSquaredMinusMu) {
  // integrate the channel ODE directly far out (no exit) and fit ln s between two late times
  const double w = 2000.0, mu = 0.4;
  ChannelMotion m;
  m.omega = w;
  m.mu = mu;
  ChannelState st{0.0, 1e-3, 0.0};
  const double t1 = 10.0 / w, t2 = 14.0 / w;  // e^{(l2 - l1) t1} ~ e^{-21}
  advance_in_channel(m, st, t1, 1e300, 0.01);
  const double s1 = st.s;
  advance_in_channel(m, st, t2, 1e300, 0.01);
  const double rate = std::log(st.s / s1) / (t2 - t1);
  const double exact = w * (std::sqrt(1 + mu * mu) - mu);
  std::printf("growth rate %.10g 1/s, omega (sqrt(1 + mu^2) - mu) = %.10g 1/s, rel. error %.2e\n",
              rate, exact, rate / exact - 1);
  EXPECT_NEAR(rate / exact, 1.0, 1e-6);
}

TEST(RotorValidation, NegativeRotationAndTiltedAxisGiveTheSameSpeed) {
  const double r0 = 0.01, R = 0.1, w = 4000.0, mu = 0.3;
  Analytic an(r0, w, mu);
  RotorParams p = bead_rotor(r0, R, -w, mu);
  const double c = 1 / std::sqrt(3.0);
  p.axis = {c, c, c};
  p.e1 = {1 / std::sqrt(2.0), -1 / std::sqrt(2.0), 0};
  Rotor rotor(p);
  ParticleStore pa;
  pa.push_back(0, ParticleState::feeding);
  pa[Field::diameter][0] = 5e-6;
  pa[Field::mass][0] = 1;
  for (std::uint64_t k = 0; pa.states()[0] != ParticleState::flying && k < 100000; ++k)
    rotor.apply(Stage::source, pa, StepContext{k * 1e-6, 1e-6, k, 1, 0, 1});
  const double speed =
      std::sqrt(pa[Field::vx][0] * pa[Field::vx][0] + pa[Field::vy][0] * pa[Field::vy][0] +
                pa[Field::vz][0] * pa[Field::vz][0]);
  const double along = pa[Field::vx][0] * c + pa[Field::vy][0] * c + pa[Field::vz][0] * c;
  EXPECT_NEAR(speed / std::hypot(an.u(an.exit_time(R)), w * R), 1.0, 1e-6);
  EXPECT_NEAR(along, 0.0, 1e-9 * speed);  // leaves in the rotor plane
}

TEST(RotorValidation, FrictionlessWithGravityInThePlane) {
  // s'' = omega^2 s + g cos(omega t + phi): particular solution -g cos(omega t + phi) / (2 omega^2)
  const double w = 50.0, g = 9.80665, phi = 0.7, r0 = 0.01;
  ChannelMotion m;
  m.omega = w;
  m.phase0 = phi;
  m.g1 = g;  // gravity along e1
  ChannelState st{0.0, r0, 0.0};
  const double sp0 = -g * std::cos(phi) / (2 * w * w), dsp0 = g * std::sin(phi) / (2 * w);
  const double C1 = r0 - sp0, C2 = -dsp0 / w;
  for (double t : {0.01, 0.03, 0.06}) {
    advance_in_channel(m, st, t, 1e300, 0.01);
    const double exact =
        C1 * std::cosh(w * t) + C2 * std::sinh(w * t) - g * std::cos(w * t + phi) / (2 * w * w);
    EXPECT_NEAR(st.s / exact, 1.0, 1e-8) << "t = " << t;
  }
}

TEST(RotorValidation, OffsetOnTheSideWallKeepsCoshWithoutFriction) {
  // without friction the side-wall offset b changes only the lab velocity: (s' - omega b) e_r +
  // omega s e_t
  const double r0 = 0.01, R = 0.1, w = 4000.0, width = 1e-3, d = 5e-6;
  RotorParams p = bead_rotor(r0, R, w, 0.0);
  p.channel_width = width;
  Rotor rotor(p);
  ParticleStore pa;
  pa.push_back(0, ParticleState::feeding);
  pa[Field::diameter][0] = d;
  pa[Field::mass][0] = 1;
  for (std::uint64_t k = 0; pa.states()[0] != ParticleState::flying && k < 100000; ++k)
    rotor.apply(Stage::source, pa, StepContext{k * 1e-6, 1e-6, k, 1, 0, 1});
  const double b = -(width - d) / 2;
  const double exact = std::hypot(w * std::sqrt(R * R - r0 * r0) - w * b, w * R);
  const double speed = std::hypot(pa[Field::vx][0], pa[Field::vy][0]);
  EXPECT_NEAR(speed / exact, 1.0, 1e-6);
}
