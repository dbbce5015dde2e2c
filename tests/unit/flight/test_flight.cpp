// The flight integrator against analytic solutions.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/flight/flight.hpp"

using namespace mps;

namespace {

ParticleStore one_particle(Vec3 x, Vec3 v) {
  ParticleStore p;
  auto i = p.push_back(1, ParticleState::flying);
  p[Field::px][i] = x[0], p[Field::py][i] = x[1], p[Field::pz][i] = x[2];
  p[Field::vx][i] = v[0], p[Field::vy][i] = v[1], p[Field::vz][i] = v[2];
  p[Field::mass][i] = 1.26e-12;
  return p;
}

void advance(Flight& f, ParticleStore& p, double dt, int steps) {
  for (int s = 0; s < steps; ++s) {
    StepContext ctx;
    ctx.dt = dt;
    ctx.time = s * dt;
    f.apply(Stage::pre_force, p, ctx);
    f.apply(Stage::post_force, p, ctx);
  }
}

}  // namespace

TEST(Flight, GravityParabolaIsExact) {
  // Velocity Verlet integrates a constant acceleration exactly: only round-off remains, so the
  // tolerance is a few hundred ulps of the largest term after 10^4 steps.
  FlightParams fp;
  fp.gravity = {0.0, 0.0, -9.80665};
  Flight f(fp);
  Vec3 x0{1e-3, 0.0, 2e-3}, v0{400.0, 3.0, 25.0};
  auto p = one_particle(x0, v0);
  const double dt = 1e-7;
  const int n = 10000;
  advance(f, p, dt, n);
  const double t = n * dt;
  EXPECT_NEAR(p[Field::px][0], x0[0] + v0[0] * t, 1e-13);
  EXPECT_NEAR(p[Field::py][0], x0[1] + v0[1] * t, 1e-13);
  EXPECT_NEAR(p[Field::pz][0], x0[2] + v0[2] * t - 0.5 * 9.80665 * t * t, 1e-13);
  EXPECT_NEAR(p[Field::vz][0], v0[2] - 9.80665 * t, 1e-11);
}

TEST(Flight, OnlyFlyingParticlesMove) {
  Flight f(FlightParams{});
  auto p = one_particle({0, 0, 0}, {1, 1, 1});
  p.states()[0] = ParticleState::in_rotor;
  advance(f, p, 1e-3, 10);
  EXPECT_EQ(p[Field::px][0], 0.0);
}

namespace {
// Error at time T of the rotating-frame integration against the exact solution: in the inertial
// frame a free particle moves on a straight line; the frame turns at omega about z.
double rotating_frame_error(double dt, double T) {
  const double w = 2 * M_PI * 3.0;  // 3 rev/s: a CT gantry
  FlightParams fp;
  fp.rotating_frame = true;
  fp.omega = {0.0, 0.0, w};
  Flight f(fp);
  const Vec3 x0{0.3, 0.1, 0.05};
  const Vec3 vI{2.0, -1.0, 0.5};  // inertial velocity
  // rotating-frame velocity v_R = v_I - Omega x r
  const Vec3 vR{vI[0] + w * x0[1], vI[1] - w * x0[0], vI[2]};
  auto p = one_particle(x0, vR);
  const int n = static_cast<int>(std::lround(T / dt));
  advance(f, p, dt, n);
  const double t = n * dt;
  const double xi = x0[0] + vI[0] * t, yi = x0[1] + vI[1] * t, zi = x0[2] + vI[2] * t;
  const double c = std::cos(w * t), s = std::sin(w * t);
  const double xr = c * xi + s * yi, yr = -s * xi + c * yi;  // R(-w t) x_I
  return std::hypot(p[Field::px][0] - xr, p[Field::py][0] - yr, p[Field::pz][0] - zi);
}
}  // namespace

TEST(Flight, RotatingFrameConvergesAtSecondOrder) {
  const double T = 0.2;
  const double e1 = rotating_frame_error(1e-3, T), e2 = rotating_frame_error(5e-4, T);
  const double order = std::log2(e1 / e2);
  // Second-order scheme: observed order 2 within 0.1 (asymptotic range: w dt = 0.019 rad).
  EXPECT_NEAR(order, 2.0, 0.1) << "e1=" << e1 << " e2=" << e2;
  // and accurate: relative position error below 1e-4 of the travelled distance (~0.5 m)
  EXPECT_LT(e2, 5e-5);
}
