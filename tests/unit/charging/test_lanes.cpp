// The batched fast path of the charging unit (charging_lanes.hpp) against the scalar model: a
// particle the lanes advance must get what ChargingModel::advance gives it (its linearly
// implicit step, one "iteration"), quiet particles stay as they are, and the others are left
// untouched for the Newton path. Tolerance 1e-12 relative on the charge: a few ulps of the
// batch's exp/log against libm's carried through one step; Newton's root would differ from the
// linear step by up to 5 % of the step's change, so a disagreement on the path is caught too.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "physics/charging/charging_lanes.hpp"
#include "solver/base/rng.hpp"

using namespace mps;

namespace {

struct Particles {
  std::vector<double> q, Ia, Ise, T, d, f;
  std::vector<ParticleState> st;
  ChargingLaneFields fields() {
    return {q.data(), Ia.data(), Ise.data(), T.data(), d.data(), f.data(), st.data()};
  }
  ChargingInputs inputs(std::size_t i) const {
    ChargingInputs in;
    in.absorbed_current = Ia[i];
    in.se_current = Ise[i];
    in.temperature = T[i];
    in.diameter = d[i];
    in.liquid_fraction = f[i];
    return in;
  }
};

// A stream's mix (as bench/particle_physics.cpp): 300-3500 K, a tenth in the beam, some
// molten, charges from each particle's own charging history over 0-20 us.
Particles stream(const ChargingModel& model, std::size_t n) {
  Particles p;
  for (std::size_t k = 0; k < n; ++k) {
    Rng rng(5, RngPurpose::test, k);
    ChargingInputs in;
    in.diameter = 3e-6 + 4e-6 * rng.uniform();
    in.temperature = 300.0 + 3200.0 * rng.uniform();
    in.liquid_fraction = rng.uniform() < 0.05 ? 1.0 : 0.0;
    if (rng.uniform() < 0.1) {
      in.absorbed_current = 5e-6 + 15e-6 * rng.uniform();
      in.se_current = 0.5 * in.absorbed_current;
    }
    double q = 0.0;
    model.advance(q, in, 20e-6 * rng.uniform());
    p.q.push_back(q);
    p.Ia.push_back(in.absorbed_current);
    p.Ise.push_back(in.se_current);
    p.T.push_back(in.temperature);
    p.d.push_back(in.diameter);
    p.f.push_back(in.liquid_fraction);
    p.st.push_back(ParticleState::flying);
  }
  return p;
}

}  // namespace

TEST(ChargingLanes, AcceptedParticlesMatchTheScalarModel) {
  const ChargingModel model(Material::builtin("tungsten"), ChargingOptions{});
  const std::size_t n = 3001;  // not a multiple of any batch width: the tail block is exercised
  const double dt = 50e-9;
  Particles p = stream(model, n);
  const Particles start = p;
  ExactSum absorbed, se, th, fe;
  ChargingLaneTallies t{&absorbed, &se, &th, &fe};
  ChargingRest left;
  advance_linear_step(model, p.fields(), ParticleSelection{n}, dt, t, left);
  const std::vector<std::size_t>& rest = left.index;
  ASSERT_EQ(left.newton_start.size(), rest.size());
  std::size_t quiet = 0, r = 0;
  double sum_th = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const ChargingInputs in = start.inputs(i);
    const bool in_rest = r < rest.size() && rest[r] == i;
    if (in_rest) ++r;
    if (model.quiet(model.potential(start.q[i], start.d[i]), in)) {
      ++quiet;
      EXPECT_FALSE(in_rest);
      EXPECT_EQ(p.q[i], start.q[i]);
      continue;
    }
    if (in_rest) {
      EXPECT_EQ(p.q[i], start.q[i]);  // left to the Newton path
      continue;
    }
    double q = start.q[i];
    const ChargingStepResult res = model.advance(q, in, dt);
    EXPECT_EQ(res.iterations, 1) << i;
    EXPECT_NEAR(p.q[i], q, 1e-12 * std::fabs(q) + 1e-30) << i;
    sum_th += res.end.thermionic * dt;
  }
  EXPECT_EQ(t.iterations + rest.size() + quiet, n);
  // every path is exercised
  EXPECT_GT(quiet, n / 20);
  EXPECT_GT(rest.size(), n / 100);
  EXPECT_GT(t.iterations, n / 2);
  EXPECT_NEAR(th.value(), sum_th, 1e-12 * sum_th);
}

TEST(ChargingLanes, BatchedImplicitStepMatchesTheScalarModel) {
  // The particles the fast path leaves go through the batched backward-Euler update: the same
  // template as ChargingModel::advance, with the batch's exp/log instead of libm's. Both stop
  // when the Newton correction is below 1e-12 (1 + |phi|) V, so their potentials agree to a
  // few times that; 1e-9 (1 + |phi|) V leaves room for the conditioning of the root and still
  // catches any difference of method (the fast path's linearisation error is ~1e-2 of a step).
  const ChargingModel model(Material::builtin("tungsten"), ChargingOptions{});
  const std::size_t n = 2001;
  const double dt = 50e-9;
  Particles p = stream(model, n);
  const Particles start = p;
  ExactSum absorbed, se, th, fe;
  ChargingLaneTallies t{&absorbed, &se, &th, &fe};
  ChargingRest left;
  advance_linear_step(model, p.fields(), ParticleSelection{n}, dt, t, left);
  const std::vector<std::size_t>& rest = left.index;
  ExactSum absorbed2, se2, th2, fe2;
  ChargingLaneTallies t2{&absorbed2, &se2, &th2, &fe2};
  std::vector<ChargingLimitHit> hits;
  advance_implicit(model, p.fields(), left, dt, t2, hits);
  ASSERT_GT(rest.size(), 20u);
  std::uint64_t iterations = 0;
  double sum_se = 0.0;
  for (const std::size_t i : rest) {
    const ChargingInputs in = start.inputs(i);
    double q = start.q[i];
    const ChargingStepResult res = model.advance(q, in, dt);
    const double C = ChargingModel::capacitance(in.diameter);
    EXPECT_NEAR(p.q[i] / C, q / C, 1e-9 * (1.0 + std::fabs(q / C))) << i;
    iterations += static_cast<std::uint64_t>(res.iterations);
    sum_se += res.end.se * dt;
  }
  // the same iterations, give or take one here and there
  const double batched = static_cast<double>(t2.iterations);
  EXPECT_NEAR(batched, static_cast<double>(iterations), 0.02 * static_cast<double>(iterations));
  EXPECT_NEAR(se2.value(), sum_se, 1e-9 * sum_se);
}

TEST(ChargingLanes, ImplicitResultsDoNotDependOnTheBatching) {
  // The implicit update refills a lane with the next particle as soon as its particle is done
  // (advance_implicit): a particle's result must not depend on which particles share the lanes
  // with it, nor when (rank independence). The same particles in one call, in reverse order and
  // one by one must give the same charges, bit for bit, and the same tallies.
  const ChargingModel model(Material::builtin("tungsten"), ChargingOptions{});
  // The stream, with every 16th particle a neutral cold sphere entering the beam, whose Newton
  // iteration probes phi_a (a lane's per-particle flags must be reset for the next particle).
  const std::size_t n = 4001;
  const double dt = 50e-9;
  Particles p = stream(model, n);
  for (std::size_t i = 0; i < n; i += 16) {
    p.q[i] = 0.0;
    p.T[i] = 300.0;
    p.f[i] = 0.0;
    p.Ia[i] = 5e-6 + 1e-9 * static_cast<double>(i);
    p.Ise[i] = 0.5 * p.Ia[i];
  }
  ExactSum a[4];
  ChargingLaneTallies t{&a[0], &a[1], &a[2], &a[3]};
  ChargingRest left;
  advance_linear_step(model, p.fields(), ParticleSelection{n}, dt, t, left);
  ASSERT_GT(left.index.size(), 20u);
  Particles all = p, reversed = p, one = p;
  ExactSum s[3][4];
  std::vector<ChargingLimitHit> hits;
  ChargingLaneTallies ta{&s[0][0], &s[0][1], &s[0][2], &s[0][3]};
  advance_implicit(model, all.fields(), left, dt, ta, hits);
  ChargingRest back;
  for (std::size_t k = left.index.size(); k-- > 0;) {
    back.index.push_back(left.index[k]);
    back.steps.push_back(left.steps[k]);
    back.newton_start.push_back(left.newton_start[k]);
  }
  ChargingLaneTallies tr{&s[1][0], &s[1][1], &s[1][2], &s[1][3]};
  advance_implicit(model, reversed.fields(), back, dt, tr, hits);
  ChargingLaneTallies to{&s[2][0], &s[2][1], &s[2][2], &s[2][3]};
  for (std::size_t k = 0; k < left.index.size(); ++k) {
    ChargingRest single;
    single.index = {left.index[k]};
    single.steps = {left.steps[k]};
    single.newton_start = {left.newton_start[k]};
    advance_implicit(model, one.fields(), single, dt, to, hits);
  }
  EXPECT_EQ(all.q, reversed.q);
  EXPECT_EQ(all.q, one.q);
  EXPECT_EQ(ta.iterations, tr.iterations);
  EXPECT_EQ(ta.iterations, to.iterations);
  for (int k = 0; k < 4; ++k) {
    EXPECT_TRUE(s[0][k] == s[1][k]) << k;
    EXPECT_TRUE(s[0][k] == s[2][k]) << k;
  }
}
