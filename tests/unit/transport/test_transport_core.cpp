// Unit tests of the transport Monte Carlo: cross sections, geometry look-ups, energy
// conservation per history and independence of the history split (exact merges).
#include <gtest/gtest.h>

#include <cmath>

#include "physics/transport/elastic.hpp"
#include "physics/transport/particle_cloud.hpp"
#include "physics/transport/scenarios.hpp"
#include "physics/transport/stopping_power.hpp"
#include "solver/base/errors.hpp"
#include "solver/base/rng.hpp"

using namespace mps::transport;

TEST(TransportPhysics, StoppingPowerPartsAreConsistent) {
  const Material w = tungsten();
  for (double E : {2e3, 20e3, 100e3, 300e3}) {
    const double s = collision_stopping(w, E);
    EXPECT_GT(s, 0.0);
    // the hard (delta-ray) part is a fraction of the total, growing with E
    const double h = moller_hard_stopping(w, E, 1e3);
    EXPECT_GE(h, 0.0);
    EXPECT_LT(h, 0.5 * s);
    // bremsstrahlung is a few % of collision loss in W below 300 keV (ESTAR ratio ~ Z E / 800 MeV)
    const double ratio = radiative_stopping(w, E) / s;
    EXPECT_GT(ratio, 0.2 * 74 * E / 800e6);
    EXPECT_LT(ratio, 3.0 * 74 * E / 800e6);
  }
  // the density effect of a conductor below X0 is small (delta0 = 0.14 at X0, Sternheimer 1984)
  EXPECT_LT(density_effect(w, 100e3), 0.14);
  EXPECT_GT(density_effect(w, 100e3), 0.0);
}

TEST(TransportPhysics, MottRatioLimits) {
  // The ratio tends to 1 at zero angle for any Z and energy (Rutherford limit).
  for (double Z : {13.0, 74.0, 79.0}) {
    const MottRatio m = mott_ratio_for(Z);
    for (double E : {20e3, 100e3, 300e3}) {
      const auto a = m.coefficients(std::sqrt(beta2_of(E)));
      EXPECT_NEAR(MottRatio::ratio(a, 0.0), 1.0, 2e-3) << Z << " " << E;
      EXPECT_GT(MottRatio::ratio(a, 1.0), 0.0);
    }
  }
  EXPECT_THROW(mott_ratio_for(26), mps::InputError);
}

TEST(TransportPhysics, HardElasticRateRespectsC1) {
  TransportOptions o;
  o.c1 = 0.05;
  TransportEngine e(tungsten(), o);
  for (double E : {5e3, 50e3, 150e3}) {
    const auto c = e.coefficients(E);
    // lambda_h = max(lambda_el, c1 lambda_1): the hard rate is min(sigma_el, sigma_1 / c1)
    EXPECT_NEAR(c.sigma_hard_el, std::min(c.sigma_el, c.sigma1 / o.c1), 1e-6 * c.sigma_el);
    EXPECT_LE(c.sigma1_soft, c.sigma1 * (1 + 1e-9));
    // The total cross section is dominated by small angles, where the Mott ratio is ~1: it must
    // agree with the analytic screened-Rutherford total pref / (eta (1 + eta)) within 10 %.
    const double eta = screening_parameter(74, E);
    const double sr = elastic_prefactor(tungsten(), E) / (eta * (1 + eta));
    // (above 50 keV; at 5 keV, eta ~ 0.1, large angles and the Mott ratio matter more)
    if (E < 50e3) continue;
    EXPECT_NEAR(c.sigma_el / sr, 1.0, 0.10) << E;
    // transport mean free path well above the elastic one (forward-peaked scattering)
    EXPECT_GT(c.sigma_el / c.sigma1, 5.0);
  }
}

TEST(TransportGeometry, SphereDistances) {
  const SphereSpec s{{0, 0, 0}, 1.0};
  EXPECT_NEAR(sphere_entry_distance(s, {0, 0, -3}, {0, 0, 1}), 2.0, 1e-12);
  EXPECT_NEAR(sphere_exit_distance(s, {0, 0, 0}, {0, 1, 0}), 1.0, 1e-12);
  EXPECT_TRUE(std::isinf(sphere_entry_distance(s, {0, 2, -3}, {0, 0, 1})));
  EXPECT_TRUE(std::isinf(sphere_entry_distance(s, {0, 0, 3}, {0, 0, 1})));  // moving away
}

TEST(TransportGeometry, CloudGridMatchesBruteForce) {
  // 300 random spheres: the grid walk must find the same first hit as testing every sphere.
  mps::Rng rng(3, mps::RngPurpose::test, 0);
  std::vector<SphereSpec> s;
  for (int i = 0; i < 300; ++i)
    s.push_back(
        {{20 * rng.uniform(), 20 * rng.uniform(), 20 * rng.uniform()}, 0.2 + 0.8 * rng.uniform()});
  SphereCloud cloud(s);
  for (int k = 0; k < 2000; ++k) {
    Vec3 p{-5 + 30 * rng.uniform(), -5 + 30 * rng.uniform(), -5 + 30 * rng.uniform()};
    const double ct = 2 * rng.uniform() - 1, ph = 6.283185307179586 * rng.uniform();
    const double st = std::sqrt(1 - ct * ct);
    Vec3 d{st * std::cos(ph), st * std::sin(ph), ct};
    BodyHit best;
    for (int i = 0; i < 300; ++i) {
      const double t = sphere_entry_distance(s[i], p, d);
      if (t < best.distance) best = {i, t};
    }
    const BodyHit h = cloud.next_body(p, d, -1);
    EXPECT_EQ(h.body, best.body) << k;
    if (best.body >= 0) {
      EXPECT_NEAR(h.distance, best.distance, 1e-9);
    }
  }
}

TEST(TransportEngine, EnergyConservedPerHistory) {
  // deposited + escaped + radiated = incident for every history, to round-off: the per-history
  // imbalance is scored, so its root mean square bounds every single history.
  const Material w = tungsten();
  auto su = sphere_setup(3e-6, 100e3);
  TransportEngine e(w, su.options);
  Tallies t = e.run_histories(su.geometry, su.beam, 0, 400, 1);
  const double rms = std::sqrt(t.energy_balance.s2.value() / 400.0);
  EXPECT_LT(rms, 1e-12);
  // and the tallies add up: the escaping energy of a sphere is backward + forward
  const double sum = t.deposited_energy.mean(400) + t.radiated_energy.mean(400) +
                     t.back_energy.mean(400) + t.forward_energy.mean(400);
  EXPECT_NEAR(sum, 1.0, 1e-12);
}

TEST(TransportEngine, ResultsIndependentOfHistorySplit) {
  // histories keyed by id: [0,300) in one call equals [0,120) + [120,300) merged, bit for bit
  const Material w = tungsten();
  TransportEngine e(w, bulk_options(w, 50e3));
  Slab bulk;
  PencilBeam beam(50e3);
  Tallies all = e.run_histories(bulk, beam, 0, 300, 9);
  Tallies a = e.run_histories(bulk, beam, 120, 180, 9);
  Tallies b = e.run_histories(bulk, beam, 0, 120, 9);
  a.merge(b);
  EXPECT_EQ(a.histories, all.histories);
  EXPECT_TRUE(a.back_number.s1 == all.back_number.s1);
  EXPECT_TRUE(a.deposited_energy.s2 == all.deposited_energy.s2);
  for (int i = 0; i < all.depth_dose.size(); ++i)
    EXPECT_TRUE(a.depth_dose.bins[i].s1 == all.depth_dose.bins[i].s1);
}

TEST(TransportEngine, CloudChargeBookkeepingCloses) {
  // Over all bodies of a cloud, electrons gained = 1 - electrons escaping - slow SE, per history
  // (an electron is counted on entering and leaving each sphere; a primary that misses every
  // sphere escapes and changes nothing).
  std::vector<SphereSpec> s;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) s.push_back({{i * 4e-6, j * 4e-6, (i + j) * 1e-6}, 1.5e-6});
  SphereCloud cloud(s);
  TransportEngine e(tungsten(), TransportOptions{});
  DiscBeam beam(80e3, {6e-6, 6e-6, -20e-6}, {0, 0, 1}, 9e-6);
  Tallies t = e.run_histories(cloud, beam, 0, 400, 2);
  double gained = 0;
  for (const auto& q : t.body_charge) gained += q.mean(t.histories);
  const double escaped = t.back_number.mean(t.histories) + t.forward_number.mean(t.histories);
  EXPECT_NEAR(gained, 1.0 - escaped - t.secondary_yield.mean(t.histories), 1e-9);
  EXPECT_LT(std::sqrt(t.energy_balance.s2.value() / 400.0), 1e-12);
}

TEST(TransportGeometry, CloudFromParticleStore) {
  mps::ParticleStore store;
  store.resize(3);
  const double xs[3] = {0, 10e-6, 100e-6};
  for (int i = 0; i < 3; ++i) {
    store.ptr(mps::Field::px)[i] = xs[i];
    store.ptr(mps::Field::diameter)[i] = 5e-6;
  }
  const ParticleCloud pc = cloud_from_particles(store, {-1e-5, -1e-5, -1e-5}, {5e-5, 1e-5, 1e-5});
  ASSERT_EQ(pc.indices.size(), 2u);  // the third particle is outside the beam box
  EXPECT_EQ(pc.indices[1], 1u);
  EXPECT_NEAR(pc.cloud.spheres()[1].radius, 2.5e-6, 1e-18);
  const BodyHit h = pc.cloud.next_body({10e-6, 0, -1e-3}, {0, 0, 1}, -1);
  EXPECT_EQ(h.body, 1);
}
