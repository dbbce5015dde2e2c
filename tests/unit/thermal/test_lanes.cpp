// The batched fast path of the thermal unit (thermal_lanes.hpp) against the scalar model: a
// particle the lanes advance must get what ThermalModel::advance gives it, which for such a
// particle is the same single Euler step computed with scalar arithmetic. The tolerance,
// 1e-12 relative on the enthalpy, is a few ulps of the batch's exp/cbrt against libm's (xsimd
// documents <= 2 ulp) carried through one step; a particle the scalar model advanced by a Heun
// step instead would differ by the step's error estimate, 1e-6 relative or more, so a
// disagreement on the path is caught too.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include "physics/thermal/thermal_lanes.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/rng.hpp"

using namespace mps;

namespace {

struct Particles {
  std::vector<double> h, T, f, m, d, peak, molten, P, q;
  std::vector<ParticleState> st;
  ThermalLaneFields fields() {
    return {h.data(),    T.data(),      f.data(), m.data(), d.data(),
            peak.data(), molten.data(), P.data(), q.data(), st.data()};
  }
};

// A stream's mix: 373-5000 K (solid, the plateau and liquid), a tenth in the beam, charged
// between -2 and +2 kV.
Particles stream(const Material& w, std::size_t n) {
  Particles p;
  for (std::size_t k = 0; k < n; ++k) {
    Rng rng(11, RngPurpose::test, k);
    const double d = 3e-6 + 4e-6 * rng.uniform();
    double T = 373.15 + 4600.0 * rng.uniform(), f = 0.0;
    if (rng.uniform() < 0.1) {
      T = w.melting_point();
      f = rng.uniform();
    }
    const double h = w.enthalpy(T, f);
    const MeltState s = w.state_of(h);
    p.h.push_back(h);
    p.T.push_back(s.temperature);
    p.f.push_back(s.liquid_fraction);
    p.d.push_back(d);
    p.m.push_back(19250.0 * 3.141592653589793 * d * d * d / 6.0);
    p.peak.push_back(s.temperature);
    p.molten.push_back(0.0);
    p.P.push_back(rng.uniform() < 0.1 ? rng.uniform() : 0.0);
    p.q.push_back(4e-13 * (rng.uniform() - 0.5));  // ~ +-2 kV on a 5 um sphere
    p.st.push_back(ParticleState::flying);
  }
  return p;
}

}  // namespace

TEST(ThermalLanes, AcceptedParticlesMatchTheScalarModel) {
  const Material& w = Material::builtin("tungsten");
  const ThermalModel model(w, ThermalOptions{});
  const std::size_t n = 4001;  // not a multiple of any batch width: the tail block is exercised
  const double dt = 50e-9;
  Particles p = stream(w, n);
  const Particles start = p;
  ExactSum beam, rad, th, evap, evap_m;
  ThermalLaneTallies t{&beam, &rad, &th, &evap, &evap_m};
  ThermalRest left;
  advance_single_euler(model, p.fields(), ParticleSelection{n}, dt, t, left);
  const std::vector<std::size_t>& rest = left.index;
  ASSERT_EQ(t.substeps + rest.size(), n);
  // most particles take the fast path, but not all: both branches are exercised
  EXPECT_GT(t.substeps, n / 2);
  EXPECT_GT(rest.size(), n / 50);
  double sum_rad = 0.0, sum_beam = 0.0;
  std::size_t r = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool fast = !(r < rest.size() && rest[r] == i);
    if (!fast) {
      ++r;
      // untouched: the caller runs the scalar model on it
      EXPECT_EQ(p.h[i], start.h[i]);
      EXPECT_EQ(p.m[i], start.m[i]);
      continue;
    }
    ThermalState s{start.h[i], start.m[i], start.d[i]};
    const MeltState st{start.T[i], start.f[i]};
    const double phi = start.q[i] / (2.0 * 3.141592653589793 * 8.8541878128e-12 * start.d[i]);
    const ThermalStepResult res = model.advance(s, start.P[i], phi, dt, &st);
    EXPECT_EQ(res.substeps, 1) << i;
    EXPECT_NEAR(p.h[i], s.h, 1e-12 * std::fabs(s.h)) << i;
    EXPECT_NEAR(p.T[i], res.end.temperature, 1e-12 * res.end.temperature) << i;
    EXPECT_NEAR(p.f[i], res.end.liquid_fraction, 1e-12) << i;
    EXPECT_NEAR(p.m[i], s.mass, 1e-15 * s.mass) << i;
    EXPECT_NEAR(p.d[i], s.diameter, 1e-15 * s.diameter) << i;
    EXPECT_EQ(p.molten[i], res.time_molten) << i;
    EXPECT_NEAR(p.peak[i], std::max(start.peak[i], res.peak_temperature), 1e-12 * p.peak[i]);
    sum_rad += res.radiated;
    sum_beam += res.beam;
  }
  EXPECT_NEAR(rad.value(), sum_rad, 1e-12 * sum_rad);
  EXPECT_NEAR(beam.value(), sum_beam, 1e-14 * sum_beam);
}

TEST(ThermalLanes, ResultsDoNotDependOnTheBatching) {
  // a particle's result must not depend on which particles share its batch (rank independence):
  // the same particles advanced in one call, and one by one
  const Material& w = Material::builtin("tungsten");
  const ThermalModel model(w, ThermalOptions{});
  const std::size_t n = 203;
  Particles all = stream(w, n), one = all;
  ExactSum s[5], u[5];
  ThermalLaneTallies ta{&s[0], &s[1], &s[2], &s[3], &s[4]}, tu{&u[0], &u[1], &u[2], &u[3], &u[4]};
  ThermalRest left;
  std::vector<std::size_t> rest_one;
  advance_single_euler(model, all.fields(), ParticleSelection{n}, 50e-9, ta, left);
  const std::vector<std::size_t>& rest_all = left.index;
  for (std::size_t i = 0; i < n; ++i) {
    ThermalLaneFields f = one.fields();
    for (double** a : {&f.h, &f.T, &f.f, &f.m, &f.d, &f.peak, &f.molten}) *a += i;
    f.beam_power += i;
    f.charge += i;
    f.state += i;
    ThermalRest r;
    advance_single_euler(model, f, ParticleSelection{1}, 50e-9, tu, r);
    if (!r.index.empty()) rest_one.push_back(i);
  }
  EXPECT_EQ(rest_all, rest_one);
  EXPECT_EQ(all.h, one.h);
  EXPECT_EQ(all.T, one.T);
  EXPECT_EQ(all.m, one.m);
  for (int k = 0; k < 5; ++k) EXPECT_TRUE(s[k] == u[k]) << k;
}

TEST(ThermalLanes, AdaptivePathMatchesTheScalarModelInAnyOrder) {
  // The particles the single Euler step leaves take the adaptive sub-cycling in lanes, a lane
  // taking the next particle as soon as its particle is done (advance_adaptive). Each must get
  // what ThermalModel::advance gives it: the same template on one lane, with libm's exp/cbrt
  // instead of the batch's. Where both take the same sub-steps the enthalpies agree to a few
  // ulps carried through them (1e-10 relative); a sub-step accepted on one side and rejected on
  // the other (an error estimate within ulps of the tolerance) may move the end temperature by
  // up to the tolerance per sub-step, so all must agree within 5 tolerances and nearly all
  // (99 %) to 1e-10. A lane that mixed two particles' states would be off by kelvins.
  // The same particles in reverse order and one by one must give identical results, bit for
  // bit (rank independence); these two evaluate the rates at the start themselves, where the
  // first run takes those the single Euler step handed over (ThermalRest), which must not
  // change a bit either.
  const Material& w = Material::builtin("tungsten");
  const ThermalModel model(w, ThermalOptions{});
  const double dt = 50e-9, tol = model.options().tolerance_K;
  const std::size_t n = 4001;
  Particles p = stream(w, n);
  ExactSum e[5];
  ThermalLaneTallies te{&e[0], &e[1], &e[2], &e[3], &e[4]};
  ThermalRest left;
  advance_single_euler(model, p.fields(), ParticleSelection{n}, dt, te, left);
  const std::vector<std::size_t>& rest = left.index;
  ASSERT_GT(rest.size(), n / 20);
  const Particles start = p;
  Particles all = p, reversed = p, one = p;
  ExactSum s[3][5], melted[3], resolidified[3];
  ThermalLaneTallies ta{&s[0][0], &s[0][1], &s[0][2], &s[0][3], &s[0][4]};
  advance_adaptive(model, all.fields(), left, dt, ta, {&melted[0], &resolidified[0]});
  ThermalRest back;
  back.index.assign(rest.rbegin(), rest.rend());
  back.steps.assign(rest.size(), 1.0);
  ThermalLaneTallies tr{&s[1][0], &s[1][1], &s[1][2], &s[1][3], &s[1][4]};
  advance_adaptive(model, reversed.fields(), back, dt, tr, {&melted[1], &resolidified[1]});
  ThermalLaneTallies to{&s[2][0], &s[2][1], &s[2][2], &s[2][3], &s[2][4]};
  for (const std::size_t i : rest) {
    ThermalRest only;
    only.index = {i};
    only.steps = {1.0};
    advance_adaptive(model, one.fields(), only, dt, to, {&melted[2], &resolidified[2]});
  }
  // rates handed over for the first entries only, as ThermalUnit::advance_busy leaves them (the
  // particles the single Euler step did not try follow without): the same bits again
  Particles prefix = p;
  ThermalRest part;
  const std::size_t rated = rest.size() / 2 + 3;  // (a batch straddles the end of the rates)
  part.index.assign(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(rated));
  part.steps.assign(rated, 1.0);
  for (auto [to_rates, from_rates] :
       {std::pair{&part.radiated, &left.radiated}, std::pair{&part.thermionic, &left.thermionic},
        std::pair{&part.thermionic_current, &left.thermionic_current},
        std::pair{&part.evaporation_mass, &left.evaporation_mass},
        std::pair{&part.evaporation, &left.evaporation}, std::pair{&part.eps, &left.eps}})
    to_rates->assign(from_rates->begin(), from_rates->begin() + static_cast<std::ptrdiff_t>(rated));
  part.add(rest.data() + rated, nullptr, rest.size() - rated);
  ASSERT_EQ(part.rated(), rated);
  ExactSum sp[5], melted_p, resolidified_p;
  ThermalLaneTallies tp{&sp[0], &sp[1], &sp[2], &sp[3], &sp[4]};
  advance_adaptive(model, prefix.fields(), part, dt, tp, {&melted_p, &resolidified_p});
  for (const Particles* q : {&reversed, &one, &prefix}) {
    EXPECT_EQ(all.h, q->h);
    EXPECT_EQ(all.T, q->T);
    EXPECT_EQ(all.f, q->f);
    EXPECT_EQ(all.m, q->m);
    EXPECT_EQ(all.d, q->d);
    EXPECT_EQ(all.peak, q->peak);
    EXPECT_EQ(all.molten, q->molten);
  }
  EXPECT_EQ(ta.substeps, tr.substeps);
  EXPECT_EQ(ta.substeps, to.substeps);
  EXPECT_EQ(ta.substeps, tp.substeps);
  for (int k = 0; k < 5; ++k) {
    EXPECT_TRUE(s[0][k] == s[1][k]) << k;
    EXPECT_TRUE(s[0][k] == s[2][k]) << k;
    EXPECT_TRUE(s[0][k] == sp[k]) << k;
  }
  EXPECT_TRUE(melted[0] == melted[2]);
  EXPECT_TRUE(resolidified[0] == resolidified[2]);
  std::size_t close = 0;
  std::uint64_t substeps = 0;
  for (const std::size_t i : rest) {
    ThermalState st{start.h[i], start.m[i], start.d[i]};
    const MeltState ms{start.T[i], start.f[i]};
    const double phi =
        start.q[i] / (4.0 * constants::pi * constants::vacuum_permittivity * 0.5 * start.d[i]);
    const ThermalStepResult r = model.advance(st, start.P[i], phi, dt, &ms);
    substeps += static_cast<std::uint64_t>(r.substeps);
    EXPECT_NEAR(all.T[i], r.end.temperature, 5 * tol) << i;
    EXPECT_NEAR(all.m[i], st.mass, 1e-9 * st.mass) << i;
    if (std::fabs(all.h[i] - st.h) <= 1e-10 * std::fabs(st.h)) ++close;
  }
  EXPECT_GE(close, rest.size() * 99 / 100);
  EXPECT_NEAR(static_cast<double>(ta.substeps), static_cast<double>(substeps),
              0.01 * static_cast<double>(substeps));
}

TEST(ThermalLanes, SingleEulerStepIsBitForBitTheAdaptiveModelsFirstSubStep) {
  // A particle the single Euler step carries must end exactly where the adaptive model would
  // have taken it (the same Euler sub-step, same expressions), so that the thermal unit may send
  // a particle either way (ThermalUnit::advance routes the particles in the beam by how often
  // the single Euler step carried them lately) without changing a bit of any result.
  const Material& w = Material::builtin("tungsten");
  const ThermalModel model(w, ThermalOptions{});
  const std::size_t n = 4001;
  for (const double dt : {10e-9, 50e-9, 800e-9}) {
    Particles two_paths = stream(w, n), adaptive_only = two_paths;
    ExactSum s[2][5], melted[2], resolidified[2];
    ThermalLaneTallies t2{&s[0][0], &s[0][1], &s[0][2], &s[0][3], &s[0][4]};
    ThermalLaneTallies ta{&s[1][0], &s[1][1], &s[1][2], &s[1][3], &s[1][4]};
    ThermalRest left;
    advance_single_euler(model, two_paths.fields(), ParticleSelection{n}, dt, t2, left);
    const std::size_t carried = n - left.index.size();
    ASSERT_GT(carried, n / 2) << dt;  // (the comparison covers many of them)
    advance_adaptive(model, two_paths.fields(), left, dt, t2, {&melted[0], &resolidified[0]});
    ThermalRest all;
    for (std::size_t i = 0; i < n; ++i) all.index.push_back(i);
    all.steps.assign(n, 1.0);
    advance_adaptive(model, adaptive_only.fields(), all, dt, ta, {&melted[1], &resolidified[1]});
    EXPECT_EQ(two_paths.h, adaptive_only.h) << dt;
    EXPECT_EQ(two_paths.T, adaptive_only.T) << dt;
    EXPECT_EQ(two_paths.f, adaptive_only.f) << dt;
    EXPECT_EQ(two_paths.m, adaptive_only.m) << dt;
    EXPECT_EQ(two_paths.d, adaptive_only.d) << dt;
    EXPECT_EQ(two_paths.peak, adaptive_only.peak) << dt;
    EXPECT_EQ(two_paths.molten, adaptive_only.molten) << dt;
    EXPECT_EQ(t2.substeps, ta.substeps) << dt;
    for (int k = 0; k < 5; ++k) EXPECT_TRUE(s[0][k] == s[1][k]) << dt << " tally " << k;
    EXPECT_TRUE(melted[0] == melted[1]) << dt;
    EXPECT_TRUE(resolidified[0] == resolidified[1]) << dt;
  }
}
