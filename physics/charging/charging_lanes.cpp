// Batched driver of the charging unit's fast path (charging_lanes.hpp). Compiled with the SIMD
// flags (physics/charging/CMakeLists.txt).
#include "physics/charging/charging_lanes.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "physics/charging/implicit_step.hpp"
#include "physics/materials/lane_block.hpp"
#include "physics/materials/lane_refill.hpp"
#include "solver/base/constants.hpp"

namespace mps {

using lanes::kWidth;
using lanes::Vec;

namespace {
constexpr double k2pe0 = 2.0 * constants::pi * constants::vacuum_permittivity;  // C = k2pe0 d
}

void advance_linear_step(const ChargingModel& model, const ChargingLaneFields& p,
                         const ParticleSelection& which, double step, ChargingLaneTallies& t,
                         ChargingRest& rest) {
  // (one set of bins per thread, reused: every call leaves them empty)
  thread_local std::array<ExactSumBins, 4> bins;
  lanes::LaneSums absorbed{bins[0]}, se{bins[1]}, thermionic{bins[2]}, field{bins[3]};
  const bool test = p.test_absorbed != 0.0 || p.test_se != 0.0;
  const lanes::Selection sel{which};
  const bool beam = p.absorbed_current != nullptr;
  // one batch over dt (a double where every particle takes one step: the common case, cheaper)
  auto batch = [&](std::size_t k0, const auto& dt) {
    const lanes::Block b = sel.block(k0);
    Vec Ia = beam ? b.load(p.absorbed_current) : Vec(0.0);
    Vec Ise = beam ? b.load(p.se_current) : Vec(0.0);
    if (test) {
      alignas(64) std::array<double, kWidth> flying;
      for (std::size_t l = 0; l < kWidth; ++l)
        flying[l] = p.state[b.index(std::min(l, b.count - 1))] == ParticleState::flying;
      const Vec on = Vec::load_aligned(flying.data());
      Ia += on * p.test_absorbed;
      Ise += on * p.test_se;
    }
    const Vec q0 = b.load(p.charge), d = b.load(p.d);
    const auto s = lanes::linear_step(model, q0, Ia, Ise, b.load(p.T), d, b.load(p.f), dt);
    const auto ok = s.accepted;
    if (p.hold) {  // |dphi| > hold step x steps, dphi = dq / (4 pi eps0 r)
      const Vec bound = p.hold_potential_step * k2pe0 * sel.steps_of(k0) * d;
      b.set_where(ok && (lanes::abs(s.charge - q0) > bound), p.hold, kStateHold);
    }
    const auto left = !ok && !s.quiet;
    b.append_where(left, rest.index);
    b.append_values_where(left, sel.steps_of(k0), rest.steps);
    b.append_values_where(left, select(s.close, Vec(std::nan("")), s.phi), rest.newton_start);
    t.iterations += b.count_where(ok);
    const Vec zero(0.0);
    absorbed.add(b, select(ok, Ia * dt, zero));
    se.add(b, select(ok, s.se * dt, zero));
    thermionic.add(b, select(ok, s.thermionic * dt, zero));
    field.add(b, select(ok, s.field * dt, zero));
    b.store(p.charge, select(ok, s.charge, q0));
  };
  lanes::for_each_batch(
      sel, step,
      std::array<const double*, 6>{p.charge, p.absorbed_current, p.se_current, p.T, p.d, p.f},
      batch);
  absorbed.merge_into(*t.absorbed);
  se.merge_into(*t.se);
  thermionic.merge_into(*t.thermionic);
  field.merge_into(*t.field);
}

void advance_implicit(const ChargingModel& model, const ChargingLaneFields& p,
                      const ChargingRest& which, double step, ChargingLaneTallies& t,
                      std::vector<ChargingLimitHit>& hits) {
  using lanes::Index;
  using lanes::Mask;
  lanes::ImplicitLanes<Vec> a(model);
  thread_local std::array<ExactSumBins, 4> bins;  // (as advance_linear_step's)
  lanes::LaneSums absorbed{bins[0]}, se{bins[1]}, thermionic{bins[2]}, field{bins[3]};
  const lanes::Block all{0, kWidth};  // (the sums' lanes: every one, zero where not done)
  const Vec zero(0.0);
  Index particle(0);  // the particle in each lane
  // its absorbed current (test current included), step, start charge and diameter
  Vec Ia(0.0), dt(0.0), q0(0.0), d0(1.0);
  const bool beam = p.absorbed_current != nullptr;
  const bool test = p.test_absorbed != 0.0 || p.test_se != 0.0;
  lanes::RefillList list(which.index, std::array<const double*, 6>{p.charge, p.absorbed_current,
                                                                   p.se_current, p.T, p.d, p.f});
  // starts the next particles in the lanes of `free` (those left over stay idle)
  auto start = [&](const Mask& free) {
    const Mask fill = list.take(free, particle);
    if (!lanes::any(fill)) return fill;
    const std::size_t first = list.first();
    dt = select(fill, lanes::expand_load(fill, which.steps.data() + first, zero) * step, dt);
    const Vec phi = lanes::expand_load(fill, which.newton_start.data() + first, zero);
    const Mask from_phi = fill && !lanes::is_nan(phi);
    q0 = lanes::gather_where(fill, p.charge, particle, q0);
    d0 = lanes::gather_where(fill, p.d, particle, d0);
    Ia = select(fill, beam ? lanes::gather_where(fill, p.absorbed_current, particle, zero) : zero,
                Ia);
    Vec Ise = beam ? lanes::gather_where(fill, p.se_current, particle, zero) : zero;
    if (test) {  // (validation runs)
      auto ia = lanes::values(Ia), ise = lanes::values(Ise);
      lanes::for_each_lane(fill, particle, [&](std::size_t l, std::size_t i) {
        if (p.state[i] != ParticleState::flying) return;
        ia[l] += p.test_absorbed;
        ise[l] += p.test_se;
      });
      Ia = Vec::load_unaligned(ia.data());
      Ise = Vec::load_unaligned(ise.data());
    }
    const Vec T = lanes::gather_where(fill, p.T, particle, Vec(300.0));
    const Vec f = lanes::gather_where(fill, p.f, particle, zero);
    if (lanes::any(from_phi)) a.start_newton(from_phi, q0, Ia, Ise, T, d0, f, dt, phi);
    if (lanes::any(fill && !from_phi)) a.start(fill && !from_phi, q0, Ia, Ise, T, d0, f, dt);
    return fill;
  };
  // the step's result of the particles in the lanes of `done`, written back and tallied
  auto finish = [&](const Mask& done) {
    const auto s = a.result();
    lanes::scatter_where(done, p.charge, particle, s.charge);
    if (p.hold) {  // (ChargingLaneFields::hold)
      const Mask fast = done && (lanes::abs(s.charge - q0) >
                                 p.hold_potential_step * k2pe0 * (dt * (1.0 / step)) * d0);
      lanes::for_each_lane(fast, particle,
                           [&](std::size_t, std::size_t i) { p.hold[i] = kStateHold; });
    }
    absorbed.add(all, select(done, Ia * dt, zero));
    se.add(all, select(done, s.end.se * dt, zero));
    thermionic.add(all, select(done, s.end.thermionic * dt, zero));
    field.add(all, select(done, s.end.field * dt, zero));
    t.iterations += static_cast<std::uint64_t>(xsimd::hadd(select(done, s.iterations, zero)));
    const Mask limit = done && (s.field_evaporation || s.breakup || s.rayleigh);
    if (lanes::any(limit)) {
      const auto fe = lanes::flags(s.field_evaporation), bu = lanes::flags(s.breakup),
                 ra = lanes::flags(s.rayleigh);
      lanes::for_each_lane(limit, particle, [&](std::size_t l, std::size_t i) {
        hits.push_back({i, fe[l], bu[l], ra[l]});
      });
    }
  };
  // one round: one evaluation of the currents
  lanes::run_refilled(
      start, [&] { a.iterate(); }, [&] { return a.active(); }, finish);
  absorbed.merge_into(*t.absorbed);
  se.merge_into(*t.se);
  thermionic.merge_into(*t.thermionic);
  field.merge_into(*t.field);
  // (lanes finish out of order)
  std::sort(hits.begin(), hits.end(),
            [](const ChargingLimitHit& x, const ChargingLimitHit& y) { return x.index < y.index; });
}

}  // namespace mps
