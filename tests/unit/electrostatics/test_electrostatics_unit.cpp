// Unit tests of the electrostatics building blocks: geometry (signed distances, edge crossings),
// cloud-in-cell weights, DMDA ownership from decomposition cuts, electrode checks (bad input),
// case-file errors and the image-force option of the unit.
#include <gtest/gtest.h>

#include <cmath>

#include "mesh/cic.hpp"
#include "mesh/geometry.hpp"
#include "mesh/grid.hpp"
#include "physics/electrostatics/electrodes.hpp"
#include "physics/electrostatics/electrostatics.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/case_loader.hpp"
#include "tests/validation/electrostatics/petsc_environment.hpp"

namespace mps {
namespace {

TEST(Geometry, SignedDistancesOfPrimitives) {
  auto s = make_sphere({1, 2, 3}, 0.5);
  EXPECT_NEAR(s->signed_distance({1, 2, 3}), -0.5, 1e-15);
  EXPECT_NEAR(s->signed_distance({2, 2, 3}), 0.5, 1e-15);
  auto b = make_box({0, 0, 0}, {1, 2, 3});
  EXPECT_NEAR(b->signed_distance({0.5, 1, 1.5}), -0.5, 1e-15);
  EXPECT_NEAR(b->signed_distance({2, 1, 1.5}), 1.0, 1e-15);
  EXPECT_NEAR(b->signed_distance({2, 3, 1.5}), std::sqrt(2.0), 1e-15);  // corner region
  auto c = make_cylinder({0, 0, 0}, {0, 0, 2}, 1.0);
  EXPECT_NEAR(c->signed_distance({0, 0, 1}), -1.0, 1e-15);
  EXPECT_NEAR(c->signed_distance({3, 0, 1}), 2.0, 1e-15);
  EXPECT_NEAR(c->signed_distance({0, 0, 5}), 3.0, 1e-15);
  auto a = make_annulus({0, 0, 0}, {0, 0, 2}, 1.0, 2.0);
  EXPECT_NEAR(a->signed_distance({0, 0, 1}), 1.0, 1e-15);  // on the axis: in the hole
  EXPECT_NEAR(a->signed_distance({1.5, 0, 1}), -0.5, 1e-15);
  auto p = make_half_space({0, 0, 1}, {0, 0, 2});
  EXPECT_NEAR(p->signed_distance({5, 5, 3}), 2.0, 1e-15);
  EXPECT_TRUE(p->contains({0, 0, 0.5}));
  auto cav = make_inverted(make_sphere({0, 0, 0}, 1.0));
  EXPECT_TRUE(cav->contains({2, 0, 0}));
  EXPECT_FALSE(cav->contains({0.5, 0, 0}));
  EXPECT_EQ(c->feature_size(), 2.0);
  EXPECT_EQ(a->feature_size(), 1.0);
}

TEST(Geometry, CrossingFractionIsExact) {
  auto s = make_sphere({0, 0, 0}, 1.0);
  // from outside (1.3, 0.2, 0) to inside (0.9, 0.2, 0): surface at x = sqrt(1 - 0.04)
  const double t = crossing_fraction(*s, {1.3, 0.2, 0}, {0.9, 0.2, 0});
  EXPECT_NEAR(1.3 - 0.4 * t, std::sqrt(0.96), 1e-13);
  auto c = make_cylinder({0, 0, -5}, {1, 1, 5}, 0.4);
  const Vec3 out{1.0, -0.5, 0.3}, in{0.5, 0.5, 0.0};  // in: on the axis
  const double tc = crossing_fraction(*c, out, in);
  const Vec3 x{out[0] + tc * (in[0] - out[0]), out[1] + tc * (in[1] - out[1]),
               out[2] + tc * (in[2] - out[2])};
  EXPECT_NEAR(c->signed_distance(x), 0.0, 1e-13);
}

TEST(Mesh, CloudInCellWeightsInterpolateLinearFieldsExactly) {
  UniformGrid g{{0, 0, 0}, {1, 2, 3}, {4, 8, 6}};
  const Vec3 x{0.37, 1.21, 2.96};
  const CicStencil s = cic_stencil(g, x);
  ASSERT_TRUE(s.inside);
  double sum = 0, lin = 0;
  for (int dk = 0; dk < 2; ++dk)
    for (int dj = 0; dj < 2; ++dj)
      for (int di = 0; di < 2; ++di) {
        const Vec3 n = g.node(s.i0[0] + di, s.i0[1] + dj, s.i0[2] + dk);
        sum += s.weight(di, dj, dk);
        lin += s.weight(di, dj, dk) * (2 * n[0] - n[1] + 0.5 * n[2]);
      }
  EXPECT_NEAR(sum, 1.0, 1e-15);
  EXPECT_NEAR(lin, 2 * x[0] - x[1] + 0.5 * x[2], 1e-14);
  EXPECT_FALSE(cic_stencil(g, {1.5, 1, 1}).inside);
}

TEST(Mesh, NodeOwnershipFollowsCuts) {
  UniformGrid g{{0, 0, 0}, {1, 1, 1}, {8, 8, 8}};
  // cuts on cell faces 3 and 6 of 8: nodes 0-2, 3-5, 6-8
  EXPECT_EQ(node_ownership(g, 0, {0.0, 3.0 / 8, 6.0 / 8, 1.0}), (std::vector<int>{3, 3, 3}));
  // cuts between nodes
  EXPECT_EQ(node_ownership(g, 0, {0.0, 0.3, 1.0}), (std::vector<int>{3, 6}));
  // a slab without a node
  EXPECT_TRUE(node_ownership(g, 0, {0.0, 0.26, 0.3, 1.0}).empty());
}

UniformGrid unit_grid(int n) {
  return {{0, 0, 0}, {1, 1, 1}, {n, n, n}};
}

TEST(ElectrodeChecks, OverlapWithDifferentPotentialsIsAnError) {
  std::vector<Electrode> e{{"a", make_sphere({0.4, 0.5, 0.5}, 0.2), 100.0},
                           {"b", make_sphere({0.6, 0.5, 0.5}, 0.2), -100.0}};
  try {
    check_electrodes(e, unit_grid(32));
    FAIL() << "no error";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("'a' (100 V) and 'b' (-100 V) overlap"),
              std::string::npos)
        << err.what();
  }
  e[1].potential = 100.0;  // touching conductors at one potential are one conductor
  EXPECT_NO_THROW(check_electrodes(e, unit_grid(32)));
}

TEST(ElectrodeChecks, ElectrodeOutsideTheBoxIsAnError) {
  std::vector<Electrode> e{{"far", make_sphere({3, 0.5, 0.5}, 0.2), 1.0}};
  try {
    check_electrodes(e, unit_grid(16));
    FAIL() << "no error";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("'far' (sphere) lies outside the field box"),
              std::string::npos)
        << err.what();
  }
  // a plane whose solid side misses the box
  std::vector<Electrode> p{{"plane", make_half_space({-1, 0, 0}, {1, 0, 0}), 1.0}};
  EXPECT_THROW(check_electrodes(p, unit_grid(16)), InputError);
}

TEST(ElectrodeChecks, GridTooCoarseIsAnError) {
  std::vector<Electrode> e{{"wire", make_cylinder({0, 0.5, 0.5}, {1, 0.5, 0.5}, 0.02), 1.0}};
  try {
    check_electrodes(e, unit_grid(16));
    FAIL() << "no error";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("too coarse"), std::string::npos) << err.what();
  }
  EXPECT_NO_THROW(check_electrodes(e, unit_grid(128)));
}

const char* kCaseHead = R"(simulation: {end_time: 1 us, dt: 10 ns}
domain: {lo: [0, 0, 0], hi: [1 mm, 1 mm, 1 mm]}
processes: [electrostatics, domain]
electrostatics:
  cells: [16, 16, 16]
  electrodes:
)";

std::string case_error(const std::string& electrodes) {
  try {
    const Case c =
        load_case_text(std::string(kCaseHead) + electrodes, "case.yaml", {}, builtin_units());
    const UnitInfo* u = builtin_units().find("electrostatics");
    u->make(UnitContext{c.root.section("electrostatics"), c.root});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ElectrostaticsCase, BadElectrodesGiveClearErrors) {
  EXPECT_NE(
      case_error(
          "    - {name: s, shape: sphere, center: [0.5 mm, 0.5 mm, 0.5 mm], potential: 1 kV}\n")
          .find("electrostatics.electrodes[0]: a sphere electrode needs 'radius'"),
      std::string::npos);
  EXPECT_NE(
      case_error("    - {name: s, shape: cube, potential: 1 kV}\n").find("electrodes[0].shape"),
      std::string::npos);
  EXPECT_NE(case_error("    - {name: a, shape: sphere, center: [0.4 mm, 0.5 mm, 0.5 mm], radius: "
                       "0.2 mm, potential: 1 kV}\n"
                       "    - {name: b, shape: sphere, center: [0.6 mm, 0.5 mm, 0.5 mm], radius: "
                       "0.2 mm, potential: 2 kV}\n")
                .find("overlap"),
            std::string::npos);
  EXPECT_NE(case_error("    - {name: far, shape: box, lo: [2 mm, 0, 0], hi: [3 mm, 1 mm, 1 mm], "
                       "potential: 1 kV}\n")
                .find("outside the field box"),
            std::string::npos);
  EXPECT_NE(case_error("    - {name: thin, shape: box, lo: [0.4 mm, 0, 0], hi: [0.45 mm, 1 mm, 1 "
                       "mm], potential: 1 kV}\n")
                .find("too coarse"),
            std::string::npos);
  EXPECT_EQ(case_error("    - {name: ok, shape: box, lo: [0.4 mm, 0, 0], hi: [0.6 mm, 1 mm, 1 mm], "
                       "potential: 1 kV}\n"),
            "");
}

TEST(ElectrostaticsCase, FloatingConductorErrors) {
  // potential and floating are exclusive; a fixed electrode needs a potential
  EXPECT_NE(case_error("    - {name: f, shape: sphere, center: [0.5 mm, 0.5 mm, 0.5 mm], radius: "
                       "0.2 mm, potential: 1 kV, floating: true}\n")
                .find("electrode 'f' is floating: its potential is solved for"),
            std::string::npos);
  EXPECT_NE(case_error("    - {name: f, shape: sphere, center: [0.5 mm, 0.5 mm, 0.5 mm], radius: "
                       "0.2 mm}\n")
                .find("electrode 'f' needs 'potential'"),
            std::string::npos);
  // a floating sphere within two cells (h = 62.5 um) of the wall
  EXPECT_NE(case_error("    - {name: f, shape: sphere, center: [0.5 mm, 0.5 mm, 0.5 mm], radius: "
                       "0.4 mm, floating: true, charge: 1 pC}\n")
                .find("floating electrode 'f' comes within two grid cells of the wall"),
            std::string::npos);
  EXPECT_EQ(case_error("    - {name: f, shape: sphere, center: [0.5 mm, 0.5 mm, 0.5 mm], radius: "
                       "0.25 mm, floating: true, charge: 1 pC}\n"),
            "");
  // floating wall around only floating conductors, no capacitance to ground: undefined level
  const std::string wall = "  wall: floating\n";
  auto wall_case = [&](const std::string& extra, const std::string& electrodes) {
    std::string head = kCaseHead;
    head.insert(head.find("  electrodes:"), extra);
    try {
      const Case c = load_case_text(head + electrodes, "case.yaml", {}, builtin_units());
      builtin_units()
          .find("electrostatics")
          ->make(UnitContext{c.root.section("electrostatics"), c.root});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string ball =
      "    - {name: f, shape: sphere, center: [0.5 mm, 0.5 mm, 0.5 mm], radius: 0.2 mm, "
      "floating: true}\n";
  EXPECT_NE(wall_case(wall, ball).find("has no defined potential"), std::string::npos);
  EXPECT_EQ(wall_case(wall + "  wall_capacitance: 1 pF\n", ball), "");
  // an electrode touching a floating wall
  EXPECT_NE(wall_case(wall,
                      "    - {name: p, shape: plane, point: [0.1 mm, 0, 0], normal: [1, 0, "
                      "0], potential: 1 kV}\n")
                .find("the floating wall comes within two grid cells of electrode 'p'"),
            std::string::npos);
}

// The image-force option adds q^2 / (16 pi eps0 d^2) toward the nearest conductor (here the
// grounded x = 0 wall) on top of the grid field: the difference of two runs is that term.
TEST(ElectrostaticsUnit, ImageForceTowardTheNearestConductor) {
  auto force = [](bool image) {
    ElectrostaticsParams p;
    p.poisson.grid = {{0, 0, 0}, {1e-3, 1e-3, 1e-3}, {16, 16, 16}};
    p.image_force = image;
    p.image_force_range = 0.2e-3;
    p.solve_every = 1;
    Electrostatics es(PETSC_COMM_WORLD, p);
    ParticleStore s;
    s.push_back(1, ParticleState::flying);
    s[Field::px][0] = 0.1e-3;
    s[Field::py][0] = 0.5e-3;
    s[Field::pz][0] = 0.5e-3;
    s[Field::diameter][0] = 5e-6;
    s[Field::charge][0] = 1e-13;
    StepContext ctx;
    es.apply(Stage::force, s, ctx);
    return std::array<double, 3>{s[Field::fx][0], s[Field::fy][0], s[Field::fz][0]};
  };
  const auto without = force(false), with = force(true);
  const double expected = 1e-26 / (16 * constants::pi * constants::vacuum_permittivity * 1e-8);
  EXPECT_NEAR(with[0] - without[0], -expected, 1e-9 * expected);
  EXPECT_NEAR(with[1] - without[1], 0.0, 1e-9 * expected);
  // the grid part alone already pulls toward the wall (resolved image charge)
  EXPECT_LT(without[0], 0.0);
}

}  // namespace
}  // namespace mps

namespace mps {
namespace {

// Re-solve schedule: every `solve_every` steps, or earlier when the total |charge| on the grid
// changed by more than `charge_change_fraction` since the last solve.
TEST(ElectrostaticsUnit, ResolvesOnScheduleOrWhenTheChargeChanges) {
  ElectrostaticsParams p;
  p.poisson.grid = {{0, 0, 0}, {1e-3, 1e-3, 1e-3}, {8, 8, 8}};
  p.solve_every = 5;
  p.charge_change_fraction = 0.05;
  Electrostatics es(PETSC_COMM_WORLD, p);
  ParticleStore s;
  s.push_back(1, ParticleState::flying);
  for (Field f : {Field::px, Field::py, Field::pz}) s[f][0] = 0.5e-3;
  s[Field::charge][0] = 1e-13;
  StepContext ctx;
  auto step = [&](std::uint64_t k) {
    ctx.step = k;
    es.apply(Stage::force, s, ctx);
    return es.solves();
  };
  EXPECT_EQ(step(0), 1);  // first step: always
  EXPECT_EQ(step(1), 1);  // same charge, not due
  s[Field::charge][0] = 1.03e-13;
  EXPECT_EQ(step(2), 1);  // 3 % change: below the fraction
  s[Field::charge][0] = 1.2e-13;
  EXPECT_EQ(step(3), 2);  // 20 % change: re-solve now
  EXPECT_EQ(step(4), 2);
  EXPECT_EQ(step(8), 3);  // 5 steps after the last solve
}

}  // namespace
}  // namespace mps
