// Unit tests of the rotor: feed ids and rank-independent work sharing, channel assignment, step
// size independence of the sub-cycled motion, presets and schema overrides, tallies.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "physics/rotor/rotor.hpp"
#include "solver/base/errors.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/case_loader.hpp"

using namespace mps;

namespace {

const char* kBase = R"(simulation: {end_time: 1 ms, dt: 1 us, seed: 5}
domain: {lo: [-0.2, -0.2, -0.2], hi: [0.2, 0.2, 0.2]}
)";

std::unique_ptr<ProcessUnit> make_rotor(const std::string& section) {
  Case c = load_case_text(std::string(kBase) + section, "t.yaml", {}, builtin_units());
  return builtin_units().find("rotor")->make(UnitContext{c.root.section("rotor"), c.root});
}

const char* kFed = R"(rotor:
  preset: magnetic_levitated
  axial_placement: uniform
  exit_divergence: 1 deg
  feed:
    particle_rate: 1e7
    diameter: {law: lognormal, mean: 5 um, sigma: 1 um, max: 20 um}
)";

// All particles of `shares` ranks after `steps`, sorted by id.
ParticleStore run_shared(int shares, int steps, double dt) {
  ParticleStore all;
  for (int share = 0; share < shares; ++share) {
    auto rotor = make_rotor(kFed);
    ParticleStore p;
    for (int s = 0; s < steps; ++s)
      rotor->apply(Stage::source, p,
                   StepContext{s * dt, dt, static_cast<std::uint64_t>(s), 5, share, shares});
    std::vector<double> buf(ParticleStore::packed_size(kMigrate));
    for (std::size_t i = 0; i < p.size(); ++i) {
      p.pack(i, kMigrate, buf.data());
      all.unpack_append(buf.data(), kMigrate);
    }
  }
  all.sort_by_id();
  return all;
}

}  // namespace

TEST(Rotor, FeedIdsAreTaggedAndWorkSharingDoesNotChangeParticles) {
  const double dt = 2e-6;
  auto a = run_shared(1, 60, dt), b = run_shared(3, 60, dt);
  ASSERT_EQ(a.size(), 1200u);  // 120 us at 1e7/s
  ASSERT_EQ(a.ids(), b.ids());
  EXPECT_EQ(a.ids().front(), Rotor::kFeedTag);
  for (int k = 0; k < kFieldCount; ++k)
    for (std::size_t i = 0; i < a.size(); ++i)
      ASSERT_EQ(
          std::memcmp(&a[static_cast<Field>(k)][i], &b[static_cast<Field>(k)][i], sizeof(double)),
          0)
          << field_table()[k].name;
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a.states()[i], b.states()[i]);
}

TEST(Rotor, ParticlesLeaveAfterTheTransitAndOnlyThen) {
  // magnetic_levitated: omega 4000, R 0.1, r0 0.01, mu 0.3: transit ~ ln(2 R/r0)/l1 ~ 1.0 ms
  auto rotor = make_rotor(kFed);
  ParticleStore p;
  const double dt = 5e-6;
  int flying_at = -1;
  for (int s = 0; s < 400 && flying_at < 0; ++s) {
    rotor->apply(Stage::source, p, StepContext{s * dt, dt, static_cast<std::uint64_t>(s), 5, 0, 1});
    for (auto st : p.states())
      if (st == ParticleState::flying) flying_at = s;
  }
  ASSERT_GT(flying_at, 0);
  const double t = (flying_at + 1) * dt;
  EXPECT_GT(t, 0.8e-3);
  EXPECT_LT(t, 1.2e-3);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double r = std::hypot(p[Field::px][i], p[Field::py][i]);
    if (p.states()[i] == ParticleState::in_rotor) {
      EXPECT_LT(r, 0.1 + 1e-9);
      EXPECT_GE(r, 0.01 - 1e-9);
      EXPECT_LE(std::abs(p[Field::pz][i]), 0.5e-3);
    }
  }
}

TEST(Rotor, ChannelAssignmentAndTrailingWall) {
  RotorParams rp = rotor_preset("hybrid_anode");
  rp.axial_uniform = false;
  Rotor r(rp);
  ParticleStore p;
  for (std::uint64_t id = 0; id < 24; ++id) {
    p.push_back(id, ParticleState::feeding);
    p[Field::diameter][id] = 5e-6;
    p[Field::mass][id] = 1e-12;
  }
  r.apply(Stage::source, p, StepContext{0, 1e-9, 0, 1, 0, 1});
  for (std::uint64_t id = 0; id < 24; ++id) {
    Vec3 er, et;
    r.channel_frame(static_cast<int>(id % 12), 1e-9, er, et);
    const double x = p[Field::px][id], y = p[Field::py][id];
    EXPECT_NEAR(x * er[0] + y * er[1], 0.02, 1e-9) << id;
    // trailing wall: behind the radial line for positive rotation
    EXPECT_NEAR(x * et[0] + y * et[1], -(0.5e-3 - 5e-6) / 2, 1e-12) << id;
    EXPECT_EQ(p.states()[id], ParticleState::in_rotor);
  }
}

TEST(Rotor, ExitIsIndependentOfTheGlobalTimeStep) {
  // the channel motion is sub-cycled and the exit time located exactly: dt of 1 us or 50 us give
  // the same exit velocity (to the RK4 accuracy) and the same path after back-projection
  auto exit_state = [](double dt) {
    RotorParams rp = rotor_preset("magnetic_levitated");
    rp.axial_uniform = false;
    Rotor r(rp);
    ParticleStore p;
    p.push_back(0, ParticleState::feeding);
    p[Field::diameter][0] = 5e-6;
    p[Field::mass][0] = 1e-12;
    std::uint64_t s = 0;
    for (; p.states()[0] != ParticleState::flying; ++s)
      r.apply(Stage::source, p, StepContext{s * dt, dt, s, 1, 0, 1});
    // straight flight to a common time after the exit
    const double t = 2e-3, t0 = static_cast<double>(s - 1) * dt;
    return std::array<double, 4>{p[Field::px][0] + p[Field::vx][0] * (t - t0),
                                 p[Field::py][0] + p[Field::vy][0] * (t - t0), p[Field::vx][0],
                                 p[Field::vy][0]};
  };
  auto a = exit_state(1e-6), b = exit_state(5e-5);
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(a[k], b[k], 1e-7 * std::max(1.0, std::abs(a[k]))) << k;
}

TEST(Rotor, PresetsAndOverrides) {
  auto m = rotor_preset("magnetic_levitated");
  EXPECT_DOUBLE_EQ(m.omega * m.radius, 400.0);
  auto h = rotor_preset("hybrid_anode");
  EXPECT_DOUBLE_EQ(h.omega * h.radius, 100.0);
  auto u = make_rotor("rotor: {preset: hybrid_anode, angular_velocity: 600 rpm, channels: 3}\n");
  const auto& p = dynamic_cast<Rotor&>(*u).params();
  EXPECT_NEAR(p.omega, 600 * 2 * M_PI / 60, 1e-12);
  EXPECT_EQ(p.channels, 3);
  EXPECT_DOUBLE_EQ(p.radius, 0.1);                                   // from the preset
  EXPECT_THROW(make_rotor("rotor: {radius: 0.1 m}\n"), InputError);  // no preset, keys missing
  EXPECT_THROW(make_rotor("rotor: {preset: hybrid_anode, feed_radius: 0.2 m}\n"), InputError);
  EXPECT_THROW(make_rotor("rotor: {preset: hybrid_anode, axis: [0, 0, 0]}\n"), InputError);
  EXPECT_THROW(make_rotor("rotor: {preset: hybrid_anode, reference_direction: [0, 0, 2]}\n"),
               InputError);
  EXPECT_THROW(make_rotor("rotor: {preset: hybrid_anode, angular_velocity: 0 rpm}\n"), InputError);
  EXPECT_THROW(make_rotor("rotor: {preset: hybrid_anode, feed: {particle_rate: 1, mass_flow: 1 "
                          "g/s, diameter: {mean: 5 um}}}\n"),
               InputError);
  EXPECT_THROW(make_rotor("rotor: {preset: magnetc_levitated}\n"), InputError);  // unknown choice
}

TEST(Rotor, ExitTalliesMatchTheReleasedParticles) {
  auto rotor = make_rotor(kFed);
  ParticleStore p;
  const double dt = 1e-5;
  for (int s = 0; s < 150; ++s)
    rotor->apply(Stage::source, p, StepContext{s * dt, dt, static_cast<std::uint64_t>(s), 5, 0, 1});
  double n = 0, mass = 0, v = 0;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p.states()[i] == ParticleState::flying) {
      n += 1;
      mass += p[Field::mass][i];
      v += std::sqrt(p[Field::vx][i] * p[Field::vx][i] + p[Field::vy][i] * p[Field::vy][i] +
                     p[Field::vz][i] * p[Field::vz][i]);
    }
  ASSERT_GT(n, 0);
  std::map<std::string, double> t;
  for (const auto& r : rotor->tallies()) t[r.name] = r.sum->value();
  EXPECT_EQ(t["exit_count"], n);
  EXPECT_NEAR(t["exit_mass_kg"], mass, 1e-12 * mass);
  EXPECT_NEAR(t["exit_speed_sum_m_per_s"], v, 1e-9 * v);
  EXPECT_EQ(t["injected_count"], static_cast<double>(p.size()));
  // exit angle ~ atan(l1 / omega) for r0 << R with mu = 0.3: tan = sqrt(1.09) - 0.3 = 0.744
  const double mean_angle = t["exit_angle_to_tangent_sum_rad"] / n;
  EXPECT_NEAR(mean_angle, std::atan(std::sqrt(1.09) - 0.3), 0.05);
  // divergence: rms out-of-plane angle ~ 1 deg
  const double rms = std::sqrt(t["exit_out_of_plane_angle_sq_sum_rad2"] / n);
  EXPECT_GT(rms, 0.3 * M_PI / 180);
  EXPECT_LT(rms, 3.0 * M_PI / 180);
  // summary figures from the global sums
  std::map<std::string, double> global, fig;
  for (const auto& [k, v] : t) global["rotor." + k] = v;
  rotor->summarize(global, fig);
  EXPECT_NEAR(fig["rotor_exit_speed_mean_m_per_s"], v / n, 1e-12 * v / n);  // v: plain sum
  EXPECT_DOUBLE_EQ(fig["rotor_divergence_rms_rad"], rms);
  // thickness: uniform over the free height (1 mm - d) -> ~0.29 mm rms, plus 1 deg x 10 mm
  EXPECT_GT(fig["rotor_stream_thickness_rms_m"], 0.2e-3);
  EXPECT_LT(fig["rotor_stream_thickness_rms_m"], 0.4e-3);
  EXPECT_DOUBLE_EQ(fig["rotor_tip_speed_m_per_s"], 400.0);
}
