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
  std::vector<std::size_t> rest;
  advance_linear_step(model, p.fields(), n, dt, t, rest);
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
  std::vector<std::size_t> rest;
  advance_linear_step(model, p.fields(), n, dt, t, rest);
  ExactSum absorbed2, se2, th2, fe2;
  ChargingLaneTallies t2{&absorbed2, &se2, &th2, &fe2};
  std::vector<ChargingLimitHit> hits;
  advance_implicit(model, p.fields(), rest, dt, t2, hits);
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
