// Batched driver of the charging unit's fast path (charging_lanes.hpp). Compiled with the SIMD
// flags (physics/charging/CMakeLists.txt).
#include "physics/charging/charging_lanes.hpp"

#include <algorithm>
#include <array>

#include "physics/charging/linear_step.hpp"
#include "physics/materials/lane_block.hpp"

namespace mps {

using lanes::kWidth;
using lanes::Vec;

void advance_linear_step(const ChargingModel& model, const ChargingLaneFields& p, std::size_t n,
                         double dt, ChargingLaneTallies& t, std::vector<std::size_t>& rest) {
  lanes::LaneSums absorbed, se, thermionic, field;
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

}  // namespace mps
