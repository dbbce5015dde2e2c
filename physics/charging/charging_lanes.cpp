// Batched driver of the charging unit's fast path (charging_lanes.hpp). Compiled with the SIMD
// flags (physics/charging/CMakeLists.txt).
#include "physics/charging/charging_lanes.hpp"

#include <algorithm>
#include <array>

#include "physics/charging/implicit_step.hpp"
#include "physics/materials/lane_block.hpp"

namespace mps {

using lanes::kWidth;
using lanes::Vec;

void advance_linear_step(const ChargingModel& model, const ChargingLaneFields& p, std::size_t n,
                         double dt, ChargingLaneTallies& t, std::vector<std::size_t>& rest) {
  // (one set of bins per thread, reused: every call leaves them empty)
  thread_local std::array<ExactSumBins, 4> bins;
  lanes::LaneSums absorbed{bins[0]}, se{bins[1]}, thermionic{bins[2]}, field{bins[3]};
  const bool test = p.test_absorbed != 0.0 || p.test_se != 0.0;
  for (std::size_t i0 = 0; i0 < n; i0 += kWidth) {
    const lanes::Block b{i0, std::min(kWidth, n - i0)};
    Vec Ia = b.load(p.absorbed_current), Ise = b.load(p.se_current);
    if (test) {
      alignas(64) std::array<double, kWidth> flying;
      for (std::size_t l = 0; l < kWidth; ++l)
        flying[l] = p.state[i0 + std::min(l, b.count - 1)] == ParticleState::flying;
      const Vec on = Vec::load_aligned(flying.data());
      Ia += on * p.test_absorbed;
      Ise += on * p.test_se;
    }
    const Vec q0 = b.load(p.charge);
    const auto s =
        lanes::linear_step(model, q0, Ia, Ise, b.load(p.T), b.load(p.d), b.load(p.f), dt);
    const auto ok = s.accepted;
    b.append_where(!ok && !s.quiet, rest);
    t.iterations += b.count_where(ok);
    const Vec zero(0.0);
    absorbed.add(b, select(ok, Ia * dt, zero));
    se.add(b, select(ok, s.se * dt, zero));
    thermionic.add(b, select(ok, s.thermionic * dt, zero));
    field.add(b, select(ok, s.field * dt, zero));
    b.store(p.charge, select(ok, s.charge, q0));
  }
  absorbed.merge_into(*t.absorbed);
  se.merge_into(*t.se);
  thermionic.merge_into(*t.thermionic);
  field.merge_into(*t.field);
}

void advance_implicit(const ChargingModel& model, const ChargingLaneFields& p,
                      const std::vector<std::size_t>& which, double dt, ChargingLaneTallies& t,
                      std::vector<ChargingLimitHit>& hits) {
  // (one set of bins per thread, reused: every call leaves them empty)
  thread_local std::array<ExactSumBins, 4> bins;
  lanes::LaneSums absorbed{bins[0]}, se{bins[1]}, thermionic{bins[2]}, field{bins[3]};
  for (std::size_t k0 = 0; k0 < which.size(); k0 += kWidth) {
    const lanes::Block b{k0, std::min(kWidth, which.size() - k0)};
    // gather the particles into lanes (a short batch repeats its last particle)
    alignas(64) std::array<double, kWidth> q, Ia, Ise, T, d, f;
    for (std::size_t l = 0; l < kWidth; ++l) {
      const std::size_t i = which[k0 + std::min(l, b.count - 1)];
      const bool test = p.state[i] == ParticleState::flying;
      q[l] = p.charge[i];
      Ia[l] = p.absorbed_current[i] + (test ? p.test_absorbed : 0.0);
      Ise[l] = p.se_current[i] + (test ? p.test_se : 0.0);
      T[l] = p.T[i];
      d[l] = p.d[i];
      f[l] = p.f[i];
    }
    auto in = [](const std::array<double, kWidth>& a) { return Vec::load_aligned(a.data()); };
    const Vec ia = in(Ia);
    const auto s = lanes::implicit_step(model, in(q), ia, in(Ise), in(T), in(d), in(f), dt);
    absorbed.add(b, ia * dt);
    se.add(b, s.end.se * dt);
    thermionic.add(b, s.end.thermionic * dt);
    field.add(b, s.end.field * dt);
    const auto charge = lanes::values(s.charge), iterations = lanes::values(s.iterations);
    const auto fe = lanes::flags(s.field_evaporation), bu = lanes::flags(s.breakup),
               ra = lanes::flags(s.rayleigh);
    for (std::size_t l = 0; l < b.count; ++l) {
      const std::size_t i = which[k0 + l];
      p.charge[i] = charge[l];
      t.iterations += static_cast<std::uint64_t>(iterations[l]);
      if (fe[l] || bu[l] || ra[l]) hits.push_back({i, fe[l], bu[l], ra[l]});
    }
  }
  absorbed.merge_into(*t.absorbed);
  se.merge_into(*t.se);
  thermionic.merge_into(*t.thermionic);
  field.merge_into(*t.field);
}

}  // namespace mps
