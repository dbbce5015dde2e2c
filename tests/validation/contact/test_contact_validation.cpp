// Validation of the contact unit against analytic results (velocity Verlet of the flight unit
// around the contact unit, as in the solver):
//  - normal impact: restitution = set value at any speed; elastic contact duration against Hertz,
//    t_c = 2.868 (m*^2 / (R* E*^2 v))^(1/5) (Johnson, Contact Mechanics, 1985, sec. 11.4; the
//    2.868 = 3.2181 (3/4)^(2/5) of the scaled oscillator, often rounded to 2.87);
//  - oblique impact on a wall in the gross-sliding regime, where Coulomb friction acts through the
//    whole contact and the rigid-body impulse balance is exact (Maw, Barber & Fawcett, Wear 38
//    (1976) 101; Thornton, Cummins & Cleary, Powder Technol. 233 (2013) 30): for
//    tan(theta) = v_t / v_n > 3.5 mu (1 + e),  v_t' = v_t - mu (1 + e) v_n,  R w' = 2.5 mu (1 + e)
//    v_n; and at small angles the reversal of the contact-point velocity (Mindlin elasticity, Maw
//    et al.);
//  - energy conservation of elastic frictionless contacts in a walled box.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "physics/contact/restitution.hpp"
#include "tests/unit/contact/contact_test_util.hpp"

using namespace mps;

namespace {

constexpr double kD = 5e-6;  // 5 um W spheres

double hertz_duration(double mstar, double rstar, double estar, double v) {
  return 2.868 * std::pow(mstar * mstar / (rstar * estar * estar * v), 0.2);
}

struct Impact {
  double restitution = 0.0;
  double duration = 0.0;
};

// Head-on impact of two equal spheres at relative speed v; dt = t_c / steps_per_contact.
Impact head_on(const ContactParams& cp, double v, int steps_per_contact) {
  ParticleStore p;
  test::add_sphere(p, 1, kD, {-kD / 2 - 1e-9, 0, 0}, {v / 2, 0, 0});
  test::add_sphere(p, 2, kD, {kD / 2 + 1e-9, 0, 0}, {-v / 2, 0, 0});
  Contact c(cp);
  Flight fl(FlightParams{});
  const double m = p[Field::mass][0];
  const double tc = hertz_duration(m / 2, kD / 4, c.pair_constants().e_star, v);
  const double dt = tc / steps_per_contact;
  int in_contact = 0;
  for (std::uint64_t s = 0; s < static_cast<std::uint64_t>(4 * steps_per_contact); ++s) {
    test::verlet_step(fl, c, p, dt, s);
    in_contact += c.active_contacts() > 0;
  }
  return {(p[Field::vx][1] - p[Field::vx][0]) / v, in_contact * dt};
}

}  // namespace

TEST(NormalImpact, ElasticContactDurationMatchesHertz) {
  ContactParams cp;
  cp.restitution = 1.0;
  for (double v : {0.1, 1.0, 10.0}) {
    Impact r = head_on(cp, v, 2000);
    const double tc = hertz_duration(19250 * std::numbers::pi / 6 * kD * kD * kD / 2, kD / 4,
                                     4.1e11 / (2 * (1 - 0.28 * 0.28)), v);
    // The duration is counted in steps (resolution t_c/2000) and the constant 2.868 is given to
    // 4 digits (3.2181 (3/4)^0.4 = 2.8684): 1e-3 relative covers both.
    EXPECT_NEAR(r.duration / tc, 1.0, 1e-3) << "v = " << v;
    // elastic: the spheres separate with the approach speed (Verlet error ~ (dt/t_c)^2)
    EXPECT_NEAR(r.restitution, 1.0, 1e-5) << "v = " << v;
  }
}

TEST(NormalImpact, RestitutionEqualsTheSetValueAtEverySpeed) {
  ContactParams cp;  // restitution 0.5, damping "exact"
  for (double e : {0.5, 0.8}) {
    cp.restitution = e;
    for (double v : {0.1, 1.0, 10.0}) {
      Impact r = head_on(cp, v, 1000);
      // The damping coefficient is solved to 1e-10; the remaining error is the time integration
      // (1000 steps per contact, first order at the start and end of the contact, where the
      // velocity-dependent force switches on and off): 1e-3 absolute bounds it.
      EXPECT_NEAR(r.restitution, e, 1e-3) << "e = " << e << ", v = " << v;
    }
  }
}

TEST(NormalImpact, LammpsTsujiPolynomialGivesTheRestitutionOfTheScaledOscillator) {
  // LAMMPS 20220106 `damping tsuji` with e = 0.5 does not rebound at 0.5: its alpha(e) fit was
  // made for another mass convention (newer LAMMPS multiply it by sqrt(2)). The dynamics here
  // give what the scaled oscillator predicts for that coefficient; the benchmark uses it.
  ContactParams cp;
  cp.damping = "tsuji";
  const double predicted =
      contact::hertz_restitution(contact::damping_from_restitution(0.5, "tsuji"));
  Impact r = head_on(cp, 1.0, 1000);
  EXPECT_NEAR(r.restitution, predicted, 1e-3);
  EXPECT_GT(predicted, 0.55);
  ::testing::Test::RecordProperty("lammps_tsuji_restitution_for_0.5", std::to_string(predicted));
  std::printf("LAMMPS-2022 tsuji damping, set e = 0.5: rebound ratio %.4f\n", predicted);
}

TEST(NormalImpact, WallRestitutionEqualsTheSetValue) {
  ContactParams cp;
  contact::Wall floor;
  floor.direction = {0, 0, 1};
  cp.walls.push_back(floor);
  ParticleStore p;
  test::add_sphere(p, 1, kD, {0, 0, kD / 2 + 1e-9}, {0, 0, -1.0});
  Contact c(cp);
  Flight fl(FlightParams{});
  const double dt = 2e-11;  // t_c ~ 1.3e-8 s at 1 m/s: ~650 steps per contact
  for (std::uint64_t s = 0; s < 3000; ++s) test::verlet_step(fl, c, p, dt, s);
  EXPECT_NEAR(p[Field::vz][0], 0.5, 1e-3);  // same tolerance as the pair impact
}

namespace {

struct Oblique {
  double vt, spin_r, slip;  // tangential velocity, R w_y, contact-point tangential velocity
};

// Sphere hitting the floor z = 0 with normal speed vn and tangential speed vt along x.
Oblique oblique(double e, double mu, double vn, double vt, double xt = 1.0,
                double* energy_ratio = nullptr) {
  ContactParams cp;
  cp.restitution = e;
  cp.friction = mu;
  cp.tangential_damping_ratio = xt;
  contact::Wall floor;
  floor.direction = {0, 0, 1};
  cp.walls.push_back(floor);
  ParticleStore p;
  test::add_sphere(p, 1, kD, {0, 0, kD / 2 + 1e-10}, {vt, 0, -vn});
  Contact c(cp);
  Flight fl(FlightParams{});
  const double dt = 1e-11;  // ~1300 steps per contact at 1 m/s
  for (std::uint64_t s = 0; s < 4000; ++s) test::verlet_step(fl, c, p, dt, s);
  EXPECT_EQ(c.active_contacts(), 0u);
  const double r = kD / 2;
  if (energy_ratio) {
    // translational + rotational (I = 2/5 m R^2) kinetic energy after / before
    const double v2 = p[Field::vx][0] * p[Field::vx][0] + p[Field::vy][0] * p[Field::vy][0] +
                      p[Field::vz][0] * p[Field::vz][0];
    const double w2 = p[Field::wx][0] * p[Field::wx][0] + p[Field::wy][0] * p[Field::wy][0] +
                      p[Field::wz][0] * p[Field::wz][0];
    *energy_ratio = (v2 + 0.4 * r * r * w2) / (vn * vn + vt * vt);
  }
  // contact point at -R z: v + w x (-R z) = v_x - R w_y along x
  return {p[Field::vx][0], r * p[Field::wy][0], p[Field::vx][0] - r * p[Field::wy][0]};
}

}  // namespace

TEST(ObliqueImpact, GrossSlidingMatchesTheCoulombImpulseElastic) {
  const double mu = 0.3, vn = 1.0;
  for (double vt : {2.5, 4.0}) {  // tan(theta) > 3.5 mu (1 + e) = 2.1
    Oblique o = oblique(1.0, mu, vn, vt);
    // exact for a sliding contact with F_n >= 0 (elastic); residual: time integration and the
    // Mindlin spring's first steps below the Coulomb limit (~1e-4 of the impulse)
    EXPECT_NEAR(o.vt, vt - mu * 2.0 * vn, 2e-3 * vt);
    EXPECT_NEAR(o.spin_r, 2.5 * mu * 2.0 * vn, 2e-3 * 2.5 * mu * 2.0 * vn);
    EXPECT_GT(o.slip, 0.0);
  }
}

TEST(ObliqueImpact, GrossSlidingWithDampingMatchesTheCoulombImpulse) {
  // e = 0.5 with the Mindlin spring alone in the tangential direction (x_t = 0): the friction
  // force sits on the Coulomb limit mu |F_n| throughout. The Tsuji-damped normal force turns
  // attractive at the end of the contact (LAMMPS convention, no force limit), so the friction
  // impulse is mu A m v_n with A = int |F_n| dt / (m v_n) > 1 + e, from the scaled oscillator.
  const double mu = 0.3, vn = 1.0, vt = 3.0, e = 0.5;  // tan(theta) = 3 > 3.5 mu A
  double tau = 0.0, A = 0.0;
  contact::hertz_restitution(contact::damping_from_restitution(e, "exact"), &tau, &A);
  Oblique o = oblique(e, mu, vn, vt, 0.0);
  const double jt = mu * A * vn;
  std::printf(
      "oblique e = 0.5, x_t = 0: A = %.4f (1 + e = 1.5); v_t' = %.5f (Coulomb %.5f), R w = %.5f "
      "(Coulomb %.5f)\n",
      A, o.vt, vt - jt, o.spin_r, 2.5 * jt);
  // Not exactly on the limit: the spring builds up over the first steps and the Mindlin force
  // leaves the cone again while the contact unloads (k_t xi ~ a against mu F_n ~ a^3); the torque
  // lever is R - delta/2. Measured 0.5 % (v_t) and 0.6 % (spin) below the Coulomb impulse; 1 %
  // allowed, against the 6.7 % by which A differs from 1 + e.
  EXPECT_NEAR(o.vt, vt - jt, 0.01 * jt);
  EXPECT_NEAR(o.spin_r, 2.5 * jt, 0.01 * 2.5 * jt);
  // With LAMMPS's tangential damping x_t = 1 the viscous part exceeds the Coulomb limit early in
  // the contact, the spring stores a displacement of the opposite sign and the force drops below
  // the limit later: less tangential impulse than Coulomb. Shown, not asserted.
  Oblique d = oblique(e, mu, vn, vt, 1.0);
  std::printf("oblique e = 0.5, x_t = 1: v_t' = %.5f, R w = %.5f\n", d.vt, d.spin_r);
}

TEST(ObliqueImpact, StickingContactOscillatesAndKeepsNearlyAllItsEnergy) {
  // Well below the sliding limit the Mindlin spring sticks: with e = 1 and no tangential damping
  // only the unavoidable micro-slip at the very end (mu F_n ~ a^3 falls faster than k_t xi ~ a)
  // and the incremental spring with a changing stiffness exchange energy: 1e-3 allowed (measured
  // 1.5e-4). The contact-point velocity oscillates with the tangential frequency: k_t / k_n =
  // 2 (1 - nu) / (2 - nu) = 0.84 on the reduced mass 2/7 m gives 1.7 times the normal frequency,
  // ~1.9 pi of phase over a Hertz contact, so the slip comes back close to its incident value
  // (the oscillation of Maw, Barber & Fawcett 1976).
  const double mu = 0.3, vn = 1.0, vt = 0.1;  // tan(theta) = 0.1 << 3.5 mu (1 + e)
  double ratio = 0.0;
  Oblique o = oblique(1.0, mu, vn, vt, 0.0, &ratio);
  std::printf("sticking: slip after / before = %.4f, energy ratio - 1 = %.2e\n", o.slip / vt,
              ratio - 1.0);
  EXPECT_NEAR(ratio, 1.0, 1e-3);
  EXPECT_LT(std::fabs(o.slip), vt);
  EXPECT_GT(o.slip, 0.8 * vt);
}

TEST(EnergyConservation, ElasticFrictionlessGasInAWalledBoxKeepsItsKineticEnergy) {
  ContactParams cp;
  cp.restitution = 1.0;
  cp.friction = 0.0;
  const double L = 40e-6;
  for (int a = 0; a < 3; ++a)
    for (int side = 0; side < 2; ++side) {
      contact::Wall w;
      w.point = {0, 0, 0};
      w.point[a] = side ? L : 0.0;
      w.direction = {0, 0, 0};
      w.direction[a] = side ? -1.0 : 1.0;
      cp.walls.push_back(w);
    }
  ParticleStore p;
  std::uint64_t id = 0;
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j)
      for (int k = 0; k < 5; ++k) {
        const double s = 7.5e-6;
        const double u = std::sin(1.3 * ++id), v = std::cos(2.1 * id), w = std::sin(0.7 * id + 1);
        test::add_sphere(p, id, kD * (0.9 + 0.2 * std::fabs(std::sin(5.0 * id))),
                         {4e-6 + s * i, 4e-6 + s * j, 4e-6 + s * k}, {5 * u, 5 * v, 5 * w});
      }
  auto kinetic = [&] {
    double e = 0;
    for (std::size_t i = 0; i < p.size(); ++i)
      e += 0.5 * p[Field::mass][i] *
           (p[Field::vx][i] * p[Field::vx][i] + p[Field::vy][i] * p[Field::vy][i] +
            p[Field::vz][i] * p[Field::vz][i]);
    return e;
  };
  const double e0 = kinetic();
  Contact c(cp);
  Flight fl(FlightParams{});
  const double dt = 2e-10;  // t_c ~ 5e-9 s at 10 m/s: 25 steps per contact
  double worst = 0.0;
  std::uint64_t s = 0;
  for (; s < 20000; ++s) {
    test::verlet_step(fl, c, p, dt, s);
    if (c.active_contacts() == 0) worst = std::max(worst, std::fabs(kinetic() / e0 - 1.0));
  }
  const auto t = c.tallies();
  std::printf("elastic gas: %g collisions, %g wall collisions, max |dE/E| between contacts %.2e\n",
              t[0].sum->value(), t[1].sum->value(), worst);
  EXPECT_GT(t[0].sum->value(), 100.0);
  // Velocity Verlet is symplectic: between contacts the energy returns to its value up to the
  // phase error of the contacts in progress at a step boundary, O((dt/t_c)^2) ~ 2e-3 per contact
  // and not cumulative; 1e-3 bounds what remains when no contact is active.
  EXPECT_LT(worst, 1e-3);
}

TEST(Multirate, ImpactInsideOneLongSolverStepKeepsTheRestitution) {
  // Solver step 40 ns (2.4 contact durations at 1 m/s); contacts sub-cycled at 0.01 T_R = 0.03 ns
  // (~550 substeps per contact, position Verlet): restitution to 2e-3 (first-order start and end
  // of the contact as in the single-rate test, with half as many steps per contact).
  ContactParams cp;
  cp.multirate = true;
  cp.time_step_safety = 0.01;
  cp.min_diameter = kD;
  ParticleStore p;
  test::add_sphere(p, 1, kD, {-kD / 2 - 0.1e-6, 0, 0}, {0.5, 0.01, 0});
  test::add_sphere(p, 2, kD, {kD / 2 + 0.1e-6, 0, 0}, {-0.5, 0, 0});
  Contact c(cp);
  EXPECT_TRUE(std::isinf(c.max_dt()));
  Flight fl(FlightParams{});
  const double DT = 40e-9;
  for (std::uint64_t s = 0; s < 20; ++s) test::verlet_step(fl, c, p, DT, s);
  EXPECT_EQ(c.tallies()[0].sum->value(), 1.0);
  EXPECT_NEAR((p[Field::vx][1] - p[Field::vx][0]) / 1.0, 0.5, 2e-3);
  // momentum is exchanged in equal and opposite kicks
  EXPECT_NEAR(p[Field::vx][0] + p[Field::vx][1], 0.0, 1e-12);
  EXPECT_GT(c.substeps_taken(), 500u);
  EXPECT_LT(c.substeps_taken(), 20u * 1400u);  // not every step is sub-cycled
}

TEST(Multirate, FreeFlightIsNotSubcycledAndStaysBallistic) {
  ContactParams cp;
  cp.multirate = true;
  ParticleStore p;
  test::add_sphere(p, 1, kD, {0, 0, 0}, {1, 0, 0});
  test::add_sphere(p, 2, kD, {0, 20e-6, 0}, {0, -0.1, 0});
  Contact c(cp);
  FlightParams fp;
  fp.gravity = {0, 0, -9.81};
  Flight fl(fp);
  const double DT = 50e-9;
  for (std::uint64_t s = 0; s < 100; ++s) test::verlet_step(fl, c, p, DT, s);
  EXPECT_EQ(c.substeps_taken(), 0u);
  const double t = 100 * DT;
  EXPECT_NEAR(p[Field::px][0], t, 1e-15);
  EXPECT_NEAR(p[Field::pz][0], -0.5 * 9.81 * t * t, 1e-18);
}

TEST(Multirate, GrossSlidingImpactOnAWallMatchesCoulomb) {
  // as ObliqueImpact.GrossSlidingMatchesTheCoulombImpulseElastic, with 20 ns solver steps
  ContactParams cp;
  cp.multirate = true;
  cp.time_step_safety = 0.01;
  cp.min_diameter = kD;
  cp.restitution = 1.0;
  contact::Wall floor;
  floor.direction = {0, 0, 1};
  cp.walls.push_back(floor);
  ParticleStore p;
  const double vn = 1.0, vt = 2.5, mu = 0.3;
  test::add_sphere(p, 1, kD, {0, 0, kD / 2 + 30e-9}, {vt, 0, -vn});
  Contact c(cp);
  Flight fl(FlightParams{});
  for (std::uint64_t s = 0; s < 10; ++s) test::verlet_step(fl, c, p, 20e-9, s);
  EXPECT_EQ(c.tallies()[1].sum->value(), 1.0);
  EXPECT_NEAR(p[Field::vz][0], vn, 1e-3);
  EXPECT_NEAR(p[Field::vx][0], vt - 2 * mu * vn, 2e-3 * vt);
  EXPECT_NEAR(kD / 2 * p[Field::wy][0], 5 * mu * vn, 2e-3 * 5 * mu * vn);
}
