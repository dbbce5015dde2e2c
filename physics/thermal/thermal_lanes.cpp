// Batched driver of the thermal unit's fast path (thermal_lanes.hpp). Compiled with the SIMD
// flags (physics/thermal/CMakeLists.txt): this is where the batch width is chosen.
#include "physics/thermal/thermal_lanes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "physics/materials/lane_block.hpp"
#include "physics/thermal/adaptive_step.hpp"
#include "physics/thermal/single_euler.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps {

using lanes::kWidth;
using lanes::Vec;

void advance_single_euler(const ThermalModel& model, const ThermalLaneFields& p,
                          const ParticleSelection& which, double step, ThermalLaneTallies& t,
                          ThermalRest& rest) {
  constexpr double k2pe0 = 2.0 * constants::pi * constants::vacuum_permittivity;
  // (one set of bins per thread, reused: every call leaves them empty)
  thread_local std::array<ExactSumBins, 5> bins;
  lanes::LaneSums beam{bins[0]}, radiated{bins[1]}, thermionic{bins[2]}, evaporated_energy{bins[3]},
      evaporated_mass{bins[4]};
  const lanes::Selection sel{which};
  // one batch over dt (a double where every particle takes one step: the common case, cheaper)
  auto batch = [&](std::size_t k0, const auto& dt) {
    const lanes::Block b = sel.block(k0);
    Vec power = p.beam_power ? b.load(p.beam_power) : Vec(0.0);
    if (p.test_power != 0.0) {
      alignas(64) std::array<double, kWidth> test;
      for (std::size_t l = 0; l < kWidth; ++l)
        test[l] = p.state[b.index(std::min(l, b.count - 1))] == ParticleState::flying ? p.test_power
                                                                                      : 0.0;
      power += Vec::load_aligned(test.data());
    }
    const Vec h0 = b.load(p.h), T0 = b.load(p.T), f0 = b.load(p.f), m0 = b.load(p.m),
              d0 = b.load(p.d);
    // Particles the beam alone heats past the Euler prediction's span in this step
    // (kEulerPredictionSpan) go to the adaptive model without their rates being evaluated here:
    // a router only, on the particle's own state (the adaptive model's first attempt takes the
    // same Euler step wherever that holds). In the beam at 50 ns steps, nearly all of them.
    lanes::Mask beyond = power != power;  // (none)
    if (lanes::any(power > 0.0)) {
      beyond = dt * power > lanes::kEulerPredictionSpan * T0 * m0 * lanes::cp(model.material(), T0);
      if (lanes::all(beyond)) {
        b.append_where(beyond, rest.index);
        b.append_values_where(beyond, sel.steps_of(k0), rest.steps);
        return;
      }
    }
    const Vec phi = b.load(p.charge) / (k2pe0 * d0);  // q / (4 pi eps0 r)
    const auto r = lanes::single_euler(model, h0, T0, f0, m0, d0, power, phi, dt);
    const auto ok = r.accepted && !beyond;
    b.append_where(!ok, rest.index);
    b.append_values_where(!ok, sel.steps_of(k0), rest.steps);
    t.substeps += b.count_where(ok);
    const Vec zero(0.0);
    beam.add(b, select(ok, dt * power, zero));
    radiated.add(b, select(ok, dt * r.radiated, zero));
    thermionic.add(b, select(ok, dt * r.thermionic, zero));
    evaporated_energy.add(b, select(ok, dt * r.evaporation, zero));
    // the mass actually removed (exact by Sterbenz's lemma, as in ThermalUnit::apply)
    evaporated_mass.add(b, select(ok, m0 - r.m, zero));
    // on the start's branch a molten particle stays molten and a solid one solid: no melting or
    // re-solidification event happens on this path
    b.store(p.molten, select(ok && (f0 > 0.0), b.load(p.molten) + dt, b.load(p.molten)));
    const Vec peak = b.load(p.peak);
    b.store(p.peak, select(ok, lanes::max(peak, lanes::max(T0, r.T)), peak));
    b.store(p.h, select(ok, r.h, h0));
    b.store(p.T, select(ok, r.T, T0));
    b.store(p.f, select(ok, r.f, f0));
    b.store(p.m, select(ok, r.m, m0));
    b.store(p.d, select(ok, r.d, d0));
  };
  for (std::size_t k0 = 0; k0 < which.n; k0 += kWidth) {
    if (which.steps)
      batch(k0, Vec(sel.steps_of(k0) * step));
    else
      batch(k0, step);
  }
  beam.merge_into(*t.beam);
  radiated.merge_into(*t.radiated);
  thermionic.merge_into(*t.thermionic);
  evaporated_energy.merge_into(*t.evaporated_energy);
  evaporated_mass.merge_into(*t.evaporated_mass);
}

void advance_adaptive(const ThermalModel& model, const ThermalLaneFields& p,
                      const ThermalRest& which, double step, ThermalLaneTallies& t,
                      ThermalEvents events) {
  constexpr double k2pe0 = 2.0 * constants::pi * constants::vacuum_permittivity;
  const Material& mat = model.material();
  lanes::AdaptiveLanes<Vec> a(model);
  std::array<std::size_t, kWidth> particle{};  // the particle in each lane
  std::size_t next = 0;                        // the next particle of `which` to start
  lanes::Mask need = a.active();               // lanes whose rates are due (none yet)
  // starts the next particles in the lanes of `free` (those left over stay idle)
  auto start = [&](const std::array<bool, kWidth>& free) {
    alignas(64) std::array<double, kWidth> h, T, f, m, d, power, phi, dt;
    alignas(64) std::array<bool, kWidth> fresh{};
    for (std::size_t l = 0; l < kWidth; ++l) {
      if (!free[l] || next == which.index.size()) continue;
      dt[l] = which.steps[next] * step;
      const std::size_t i = which.index[next++];
      particle[l] = i;
      fresh[l] = true;
      // T and f are state_of(h) from the previous step's end (the thermal unit is the only
      // writer of h, T and f); a new particle's enthalpy comes from its initial T and f
      MeltState st{p.T[i], p.f[i]};
      if (std::isnan(p.h[i])) {
        p.h[i] = mat.enthalpy(p.T[i], p.f[i]);
        st = mat.state_of(p.h[i]);
      }
      h[l] = p.h[i];
      T[l] = st.temperature;
      f[l] = st.liquid_fraction;
      m[l] = p.m[i];
      d[l] = p.d[i];
      power[l] = (p.beam_power ? p.beam_power[i] : 0.0) +
                 (p.state[i] == ParticleState::flying ? p.test_power : 0.0);
      phi[l] = p.charge[i] / (k2pe0 * p.d[i]);
    }
    const auto in = [](const std::array<double, kWidth>& x) { return Vec::load_aligned(x.data()); };
    const lanes::Mask fresh_lanes = lanes::Mask::load_aligned(fresh.data());
    if (lanes::any(fresh_lanes))
      a.start(fresh_lanes, in(h), in(T), in(f), in(m), in(d), in(power), in(phi), in(dt));
    need = need || fresh_lanes;  // their rates at the start
    return lanes::flags(fresh_lanes);
  };
  // the step's result of the particles in the lanes of `done`, written back and tallied
  auto finish = [&](const std::array<bool, kWidth>& done) {
    const auto r = a.result();
    const auto h = lanes::values(r.h), m = lanes::values(r.m), d = lanes::values(r.d),
               T = lanes::values(r.T), f = lanes::values(r.f), beam = lanes::values(r.beam),
               rad = lanes::values(r.radiated), th = lanes::values(r.thermionic),
               ev = lanes::values(r.evaporated_energy), molten = lanes::values(r.time_molten),
               peak = lanes::values(r.peak_temperature), sub = lanes::values(r.substeps);
    for (std::size_t l = 0; l < kWidth; ++l) {
      if (!done[l]) continue;
      const std::size_t i = particle[l];
      const bool was_molten = p.f[i] > 0.0, ever_molten = p.molten[i] > 0.0 || was_molten;
      // the mass actually removed (exact by Sterbenz's lemma, as in advance_single_euler)
      t.evaporated_mass->add(m[l] == p.m[i] ? 0.0 : p.m[i] - m[l]);
      p.h[i] = h[l];
      p.m[i] = m[l];
      p.d[i] = d[l];
      p.T[i] = T[l];
      p.f[i] = f[l];
      p.peak[i] = std::max(p.peak[i], peak[l]);
      p.molten[i] += molten[l];
      if (!ever_molten && (f[l] > 0.0 || molten[l] > 0.0)) events.melted->add(1.0);
      if ((was_molten || molten[l] > 0.0) && f[l] == 0.0) events.resolidified->add(1.0);
      t.beam->add(beam[l]);
      t.radiated->add(rad[l]);
      t.thermionic->add(th[l]);
      t.evaporated_energy->add(ev[l]);
      t.substeps += static_cast<std::uint64_t>(sub[l]);
    }
  };
  // one round: the rates where needed (fresh lanes, and those after a sub-step), then an attempt
  lanes::run_refilled(
      start,
      [&] {
        if (lanes::any(need)) a.rates_where(need);
        need = a.attempt();
      },
      [&] { return a.active(); }, finish);
}

const char* lanes_instruction_set() {
  return xsimd::default_arch::name();
}
std::size_t lanes_width() {
  return kWidth;
}
bool lanes_supported_here() {
  return xsimd::available_architectures().best >= xsimd::default_arch::version();
}

void require_lanes_supported(const char* unit) {
  if (!lanes_supported_here())
    throw RuntimeError(std::string(unit) + ": mpstream was built for the " +
                       lanes_instruction_set() +
                       " instruction set, which this CPU lacks: rebuild on this machine or "
                       "configure with -DMPS_SIMD_FLAGS=-march=x86-64 (README, Set up)");
}

}  // namespace mps
