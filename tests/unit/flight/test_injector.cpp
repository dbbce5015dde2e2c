#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "physics/flight/injector.hpp"

using namespace mps;

namespace {
InjectorParams params() {
  InjectorParams p;
  p.particle_rate = 1e7;
  p.end_time = 1e300;
  p.law = InjectorParams::Law::lognormal;
  p.d_mean = 5e-6;
  p.d_sigma = 1e-6;
  p.d_max = 1.0;
  p.center = {0, 0, 0};
  p.half_width = {1e-4, 1e-4, 1e-4};
  p.v_mean = {400, 0, 0};
  p.v_sigma = {5, 5, 5};
  return p;
}
ParticleStore inject(int shares, int steps, double dt) {
  ParticleStore all;
  for (int share = 0; share < shares; ++share) {
    Injector inj(params());
    ParticleStore p;
    for (int s = 0; s < steps; ++s) {
      StepContext ctx{s * dt, dt, static_cast<std::uint64_t>(s), 11, share, shares};
      inj.apply(Stage::source, p, ctx);
    }
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

TEST(Injector, CountFollowsRate) {
  auto p = inject(1, 100, 1e-7);  // 10 us at 1e7/s = 100 particles
  EXPECT_EQ(p.size(), 100u);
  EXPECT_EQ(p.ids().front(), 0u);
  EXPECT_EQ(p.ids().back(), 99u);
}

TEST(Injector, SameParticlesWhateverTheSharing) {
  auto a = inject(1, 50, 1e-7), b = inject(3, 50, 1e-7);
  ASSERT_EQ(a.size(), b.size());
  for (int k = 0; k < kFieldCount; ++k) {
    const auto& x = a[static_cast<Field>(k)];
    const auto& y = b[static_cast<Field>(k)];
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!(std::isnan(x[i]) && std::isnan(y[i]))) {
        ASSERT_EQ(x[i], y[i]) << field_table()[k].name;
      }
    }
  }
}

TEST(Injector, LognormalMomentsMatch) {
  // 2000 diameters of a log-normal with mean 5 um, sd 1 um: the sample mean has sigma
  // 1/sqrt(2000) um = 0.022 um; 4 sigma tolerance.
  auto p = inject(1, 2000, 1e-7);
  double s = 0, s2 = 0;
  for (double d : p[Field::diameter]) s += d, s2 += d * d;
  const double n = static_cast<double>(p.size());
  EXPECT_NEAR(s / n, 5e-6, 4 * 0.022e-6);
  EXPECT_NEAR(std::sqrt(s2 / n - (s / n) * (s / n)), 1e-6, 0.1e-6);  // sd of sd ~ 3 %: 0.1 um is ~3 sigma
}

TEST(Injector, MassFlowGivesParticleRate) {
  auto p = params();
  p.law = InjectorParams::Law::monodisperse;
  const double m = Injector::mean_particle_mass(p);
  EXPECT_NEAR(m, 19250.0 * M_PI * std::pow(5e-6, 3) / 6, 1e-25);
}
