// Batched driver of the charging unit's fast path (charging_lanes.hpp). Compiled with the SIMD
// flags (physics/charging/CMakeLists.txt).
#include "physics/charging/charging_lanes.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "physics/charging/implicit_step.hpp"
#include "physics/materials/lane_block.hpp"
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
  for (std::size_t k0 = 0; k0 < which.n; k0 += kWidth) {
    if (which.steps)
      batch(k0, Vec(sel.steps_of(k0) * step));
    else
      batch(k0, step);
  }
  absorbed.merge_into(*t.absorbed);
  se.merge_into(*t.se);
  thermionic.merge_into(*t.thermionic);
  field.merge_into(*t.field);
}

void advance_implicit(const ChargingModel& model, const ChargingLaneFields& p,
                      const ChargingRest& which, double step, ChargingLaneTallies& t,
                      std::vector<ChargingLimitHit>& hits) {
  lanes::ImplicitLanes<Vec> a(model);
  std::array<std::size_t, kWidth> particle{};   // the particle in each lane
  alignas(64) std::array<double, kWidth> Ia{};  // its absorbed current (test current included)
  alignas(64) std::array<double, kWidth> dt{};  // its step
  alignas(64) std::array<double, kWidth> q0{}, d0{};  // its charge at the start, its diameter
  const bool beam = p.absorbed_current != nullptr;
  std::size_t next = 0;  // the next particle of `which` to start
  // starts the next particles in the lanes of `free` (those left over stay idle)
  auto start = [&](const std::array<bool, kWidth>& free) {
    alignas(64) std::array<double, kWidth> Ise{}, T{}, f{}, phi{};
    auto& q = q0;
    auto& d = d0;
    alignas(64) std::array<bool, kWidth> fresh{}, newton{};
    for (std::size_t l = 0; l < kWidth; ++l) {
      if (!free[l] || next == which.index.size()) continue;
      phi[l] = which.newton_start[next];
      newton[l] = !std::isnan(phi[l]);
      dt[l] = which.steps[next] * step;
      const std::size_t i = which.index[next++];
      const bool test = p.state[i] == ParticleState::flying;
      particle[l] = i;
      fresh[l] = true;
      q[l] = p.charge[i];
      Ia[l] = (beam ? p.absorbed_current[i] : 0.0) + (test ? p.test_absorbed : 0.0);
      Ise[l] = (beam ? p.se_current[i] : 0.0) + (test ? p.test_se : 0.0);
      T[l] = p.T[i];
      d[l] = p.d[i];
      f[l] = p.f[i];
    }
    auto in = [](const std::array<double, kWidth>& x) { return Vec::load_aligned(x.data()); };
    const lanes::Mask m = lanes::Mask::load_aligned(fresh.data());
    const lanes::Mask from_phi = lanes::Mask::load_aligned(newton.data());
    if (lanes::any(from_phi))
      a.start_newton(from_phi, in(q), in(Ia), in(Ise), in(T), in(d), in(f), in(dt), in(phi));
    if (lanes::any(m && !from_phi))
      a.start(m && !from_phi, in(q), in(Ia), in(Ise), in(T), in(d), in(f), in(dt));
    return fresh;
  };
  // the step's result of the particles in the lanes of `done`, written back and tallied (one by
  // one: a lane or two finish at a time)
  auto finish = [&](const std::array<bool, kWidth>& done) {
    const auto s = a.result();
    const auto charge = lanes::values(s.charge), iterations = lanes::values(s.iterations),
               se_out = lanes::values(s.end.se), th_out = lanes::values(s.end.thermionic),
               fe_out = lanes::values(s.end.field);
    const auto fe = lanes::flags(s.field_evaporation), bu = lanes::flags(s.breakup),
               ra = lanes::flags(s.rayleigh);
    for (std::size_t l = 0; l < kWidth; ++l) {
      if (!done[l]) continue;
      const std::size_t i = particle[l];
      p.charge[i] = charge[l];
      if (p.hold &&
          std::fabs(charge[l] - q0[l]) > p.hold_potential_step * k2pe0 * (dt[l] / step) * d0[l])
        p.hold[i] = kStateHold;
      t.absorbed->add(Ia[l] * dt[l]);
      t.se->add(se_out[l] * dt[l]);
      t.thermionic->add(th_out[l] * dt[l]);
      t.field->add(fe_out[l] * dt[l]);
      t.iterations += static_cast<std::uint64_t>(iterations[l]);
      if (fe[l] || bu[l] || ra[l]) hits.push_back({i, fe[l], bu[l], ra[l]});
    }
  };
  // one round: one evaluation of the currents
  lanes::run_refilled(
      start, [&] { a.iterate(); }, [&] { return a.active(); }, finish);
  // (lanes finish out of order)
  std::sort(hits.begin(), hits.end(),
            [](const ChargingLimitHit& x, const ChargingLimitHit& y) { return x.index < y.index; });
}

}  // namespace mps
