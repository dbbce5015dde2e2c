// Unit tests of the contact unit: constants, restitution solver, neighbour list against brute
// force, Newton's third law, history bookkeeping and schema errors.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "physics/contact/neighbour_list.hpp"
#include "physics/contact/restitution.hpp"
#include "solver/base/errors.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/case_loader.hpp"
#include "tests/unit/contact/contact_test_util.hpp"

using namespace mps;

TEST(ContactConstants, TungstenPairConstants) {
  ContactParams p;  // W defaults
  Contact c(p);
  // E* = E / (2 (1 - nu^2)), G* = G / (2 (2 - nu)), G = E / (2 (1 + nu))
  EXPECT_NEAR(c.pair_constants().e_star, 4.1e11 / (2 * (1 - 0.28 * 0.28)), 1.0);
  EXPECT_NEAR(c.pair_constants().g_star, 4.1e11 / 2.56 / (2 * 1.72), 1.0);
}

TEST(ContactConstants, RayleighTimeOfFiveMicronTungstenIsAboutThreeNanoseconds) {
  // DESIGN.md section 5: ~3e-9 s; the formula gives 2.95e-9 s
  const double t = rayleigh_time(2.5e-6, 19250.0, 4.1e11, 0.28);
  EXPECT_NEAR(t, 2.95e-9, 0.02e-9);
  ContactParams p;
  p.min_diameter = 5e-6;
  EXPECT_NEAR(Contact(p).max_dt(), 0.2 * t, 1e-15);
}

TEST(Restitution, ElasticOscillatorReturnsWithUnitSpeedAfterTheHertzDuration) {
  double tau = 0.0;
  EXPECT_NEAR(contact::hertz_restitution(0.0, &tau), 1.0, 1e-9);
  // scaled duration 2 (5/4)^(2/5) int_0^1 du / sqrt(1 - u^(5/2)) = 3.2181
  EXPECT_NEAR(tau, 3.2181, 2e-4);
}

TEST(Restitution, ExactDampingReproducesTheRestitution) {
  for (double e : {0.1, 0.5, 0.9}) {
    const double c = contact::damping_from_restitution(e, "exact");
    EXPECT_NEAR(contact::hertz_restitution(c), e, 1e-8) << e;
  }
  // LAMMPS's Tsuji polynomial at e = 0.5 and the coeff_restitution formula
  EXPECT_NEAR(contact::damping_from_restitution(0.5, "tsuji"), 0.3407, 1e-3);
  EXPECT_NEAR(contact::damping_from_restitution(0.5, "coeff_restitution"), 0.4817, 1e-3);
}

TEST(NeighbourList, FindsEveryPairCloserThanTheRangeOnceInOpenAndPeriodicBoxes) {
  std::mt19937_64 gen(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (bool periodic : {false, true}) {
    const std::size_t n = 800;
    std::vector<double> x[3], r(n);
    for (auto& c : x) c.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      for (auto& c : x) c[i] = 60e-6 * u(gen);
      r[i] = 1e-6 + 2e-6 * u(gen);
    }
    std::vector<unsigned char> active(n, 1);
    active[7] = 0;
    contact::PeriodicBox box;
    if (periodic)
      box.periodic = {true, true, true}, box.lo = {0, 0, 0}, box.length = {60e-6, 60e-6, 60e-6};
    const double skin = 0.5e-6;
    contact::NeighbourList list;
    const double* const xp[3] = {x[0].data(), x[1].data(), x[2].data()};
    std::vector<std::uint64_t> ids(n);
    for (std::size_t i = 0; i < n; ++i) ids[i] = (i * 7919) % n;  // a permutation
    list.build(xp, r.data(), active.data(), ids.data(), n, skin, box);
    // lower id first, sorted by (lower id, higher id)
    for (std::size_t k = 0; k < list.first().size(); ++k) {
      EXPECT_LT(ids[list.first()[k]], ids[list.second()[k]]);
      if (k > 0) {
        const auto prev = std::make_pair(ids[list.first()[k - 1]], ids[list.second()[k - 1]]);
        EXPECT_LT(prev, std::make_pair(ids[list.first()[k]], ids[list.second()[k]]));
      }
    }
    std::set<std::pair<std::uint32_t, std::uint32_t>> found;
    for (std::size_t k = 0; k < list.first().size(); ++k) {
      auto a = list.first()[k], b = list.second()[k];
      EXPECT_TRUE(found.insert({std::min(a, b), std::max(a, b)}).second) << "pair listed twice";
    }
    std::size_t expected = 0;
    for (std::uint32_t i = 0; i < n; ++i)
      for (std::uint32_t j = i + 1; j < n; ++j) {
        if (!active[i] || !active[j]) continue;
        double d2 = 0;
        for (int a = 0; a < 3; ++a) {
          const double d = box.image(a, x[a][i] - x[a][j]);
          d2 += d * d;
        }
        const double cut = r[i] + r[j] + skin;
        if (d2 < cut * cut) {
          ++expected;
          EXPECT_TRUE(found.count({i, j})) << i << " " << j;
        }
      }
    EXPECT_EQ(found.size(), expected);
    EXPECT_GT(expected, 100u);
    EXPECT_FALSE(list.needs_rebuild(xp, n, box));
    x[0][3] += 0.26e-6;  // more than skin / 2
    EXPECT_TRUE(list.needs_rebuild(xp, n, box));
  }
}

TEST(ContactForces, PairForcesAreEqualAndOppositeAndTheHistoryEndsWithTheContact) {
  ParticleStore p;
  test::add_sphere(p, 10, 5e-6, {0, 0, 0}, {1, 0.3, 0}, {0, 0, 1e5});
  test::add_sphere(p, 4, 5e-6, {4.99e-6, 0.2e-6, 0}, {-1, 0, 0.1});
  ContactParams cp;
  Contact c(cp);
  StepContext ctx;
  ctx.dt = 1e-11;
  c.apply(Stage::force, p, ctx);
  EXPECT_EQ(c.active_contacts(), 1u);
  for (Field f : {Field::fx, Field::fy, Field::fz}) EXPECT_EQ(p[f][0], -p[f][1]);
  EXPECT_LT(p[Field::fx][0], 0.0);  // repulsive: particle 0 sits at lower x
  EXPECT_NE(p[Field::fy][0], 0.0);  // friction
  // angular momentum about the contact: torques from the tangential force on both spheres
  EXPECT_NE(p[Field::wz][1], 0.0);
  p[Field::px][1] = 6e-6;
  c.apply(Stage::force, p, ctx);
  EXPECT_EQ(c.active_contacts(), 0u);
  auto tallies = c.tallies();
  EXPECT_EQ(tallies[0].sum->value(), 1.0);
}

TEST(ContactForces, WallPushesAParticleOutAndNotAParticleFarAway) {
  ParticleStore p;
  test::add_sphere(p, 1, 5e-6, {0, 0, 2.4e-6}, {0, 0, -1});
  test::add_sphere(p, 2, 5e-6, {0, 0, 20e-6}, {0, 0, -1});
  ContactParams cp;
  contact::Wall floor;
  floor.point = {0, 0, 0};
  floor.direction = {0, 0, 1};
  cp.walls.push_back(floor);
  Contact c(cp);
  StepContext ctx;
  ctx.dt = 1e-11;
  c.apply(Stage::force, p, ctx);
  EXPECT_GT(p[Field::fz][0], 0.0);
  EXPECT_EQ(p[Field::fz][1], 0.0);
}

TEST(ContactSchema, BadWallsAndPeriodicAxesAreInputErrors) {
  const std::string base = R"(simulation: {end_time: 1 us, dt: 1 ns}
domain: {lo: [0, 0, 0], hi: [100 um, 100 um, 100 um]}
)";
  auto make = [&](const std::string& contact) {
    Case c = load_case_text(base + contact, "case.yaml", {}, builtin_units());
    const auto* info = builtin_units().find("contact");
    return info->make(UnitContext{c.root.section("contact"), c.root});
  };
  EXPECT_NO_THROW(
      make("contact: {periodic: [x, y, z], walls: [{type: plane, point: [0, 0, 0], normal: [0, 0, "
           "1]}]}\n"));
  EXPECT_THROW(make("contact: {periodic: [w]}\n"), InputError);
  EXPECT_THROW(make("contact: {walls: [{type: plane, point: [0, 0, 0]}]}\n"), InputError);
  EXPECT_THROW(make("contact: {walls: [{type: cylinder, point: [0, 0, 0], axis: [0, 0, 1]}]}\n"),
               InputError);
  EXPECT_THROW(make("contact: {restitution: 1.5}\n"), InputError);
}
