// Batched driver of the thermal unit's fast path (thermal_lanes.hpp). Compiled with the SIMD
// flags (physics/thermal/CMakeLists.txt): this is where the batch width is chosen.
#include "physics/thermal/thermal_lanes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "physics/materials/lane_block.hpp"
#include "physics/materials/lane_refill.hpp"
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
    const Vec phi = b.load(p.charge) / (k2pe0 * d0);  // q / (4 pi eps0 r)
    const auto r = lanes::single_euler(model, h0, T0, f0, m0, d0, power, phi, dt);
    const auto ok = r.accepted;
    b.append_where(!ok, rest.index);
    b.append_values_where(!ok, sel.steps_of(k0), rest.steps);
    // the rates at the start, unless h0 was not set (a new particle: the adaptive model sets it)
    const auto known = !lanes::is_nan(h0);
    const Vec none(std::nan(""));
    b.append_values_where(!ok, select(known, r.rates.radiated, none), rest.radiated);
    b.append_values_where(!ok, select(known, r.rates.thermionic, none), rest.thermionic);
    b.append_values_where(!ok, select(known, r.rates.thermionic_current, none),
                          rest.thermionic_current);
    b.append_values_where(!ok, select(known, r.rates.evaporation_mass, none),
                          rest.evaporation_mass);
    b.append_values_where(!ok, select(known, r.rates.evaporation, none), rest.evaporation);
    b.append_values_where(!ok, select(known, r.rates.eps, none), rest.eps);
    t.substeps += b.count_where(ok);
    const Vec zero(0.0);
    beam.add(b, select(ok, dt * power, zero));
    radiated.add(b, select(ok, dt * r.rates.radiated, zero));
    thermionic.add(b, select(ok, dt * r.rates.thermionic, zero));
    evaporated_energy.add(b, select(ok, dt * r.rates.evaporation, zero));
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
  lanes::for_each_batch(sel, step,
                        std::array<const double*, 9>{p.h, p.T, p.f, p.m, p.d, p.peak, p.molten,
                                                     p.beam_power, p.charge},
                        batch);
  beam.merge_into(*t.beam);
  radiated.merge_into(*t.radiated);
  thermionic.merge_into(*t.thermionic);
  evaporated_energy.merge_into(*t.evaporated_energy);
  evaporated_mass.merge_into(*t.evaporated_mass);
}

void advance_adaptive(const ThermalModel& model, const ThermalLaneFields& p,
                      const ThermalRest& which, double step, ThermalLaneTallies& t,
                      ThermalEvents events) {
  using lanes::Index;
  using lanes::Mask;
  constexpr double k2pe0 = 2.0 * constants::pi * constants::vacuum_permittivity;
  const Material& mat = model.material();
  lanes::AdaptiveLanes<Vec> a(model);
  thread_local std::array<ExactSumBins, 5> bins;  // (as advance_single_euler's)
  lanes::LaneSums beam{bins[0]}, radiated{bins[1]}, thermionic{bins[2]}, evaporated_energy{bins[3]},
      evaporated_mass{bins[4]};
  const lanes::Block all{0, kWidth};  // (the sums' lanes: every one, zero where not done)
  Index particle(0);                  // the particle in each lane
  Mask need = a.active();             // lanes whose rates are due (none yet)
  const Vec zero(0.0);
  lanes::RefillList list(which.index,
                         std::array<const double*, 9>{p.h, p.T, p.f, p.m, p.d, p.peak, p.molten,
                                                      p.beam_power, p.charge});
  // starts the next particles in the lanes of `free` (those left over stay idle)
  auto start = [&](const Mask& free) {
    const Mask fill = list.take(free, particle);
    if (!lanes::any(fill)) return fill;
    const std::size_t first = list.first();
    const Vec dt = lanes::expand_load(fill, which.steps.data() + first, Vec(1.0)) * step;
    // T and f are state_of(h) from the previous step's end (the thermal unit is the only
    // writer of h, T and f); a new particle's enthalpy comes from its initial T and f
    Vec h = lanes::gather_where(fill, p.h, particle, zero);
    Vec T = lanes::gather_where(fill, p.T, particle, Vec(300.0));
    Vec f = lanes::gather_where(fill, p.f, particle, zero);
    const Mask fresh = fill && lanes::is_nan(h);
    if (lanes::any(fresh)) {
      auto hv = lanes::values(h), Tv = lanes::values(T), fv = lanes::values(f);
      lanes::for_each_lane(fresh, particle, [&](std::size_t l, std::size_t i) {
        p.h[i] = hv[l] = mat.enthalpy(p.T[i], p.f[i]);
        const MeltState st = mat.state_of(p.h[i]);
        Tv[l] = st.temperature;
        fv[l] = st.liquid_fraction;
      });
      h = Vec::load_unaligned(hv.data());
      T = Vec::load_unaligned(Tv.data());
      f = Vec::load_unaligned(fv.data());
    }
    const Vec m = lanes::gather_where(fill, p.m, particle, Vec(1.0));
    const Vec d = lanes::gather_where(fill, p.d, particle, Vec(1.0));
    Vec power = p.beam_power ? lanes::gather_where(fill, p.beam_power, particle, zero) : zero;
    if (p.test_power != 0.0) {
      auto pv = lanes::values(power);
      lanes::for_each_lane(fill, particle, [&](std::size_t l, std::size_t i) {
        if (p.state[i] == ParticleState::flying) pv[l] += p.test_power;
      });
      power = Vec::load_unaligned(pv.data());
    }
    const Vec phi = lanes::gather_where(fill, p.charge, particle, zero) / (k2pe0 * d);
    a.start(fill, h, T, f, m, d, power, phi, dt);
    // their rates at the start: handed over by the single Euler step, or to be evaluated
    lanes::Rates<Vec> r;
    // (a batch across the end of the rated entries evaluates its rates: the same values)
    const bool handed_over = first + lanes::count(fill) <= which.rated();
    r.radiated = handed_over ? lanes::expand_load(fill, which.radiated.data() + first, zero)
                             : Vec(std::nan(""));
    const Mask known = fill && !lanes::is_nan(r.radiated);
    if (lanes::any(known)) {
      r.thermionic = lanes::expand_load(fill, which.thermionic.data() + first, zero);
      r.thermionic_current =
          lanes::expand_load(fill, which.thermionic_current.data() + first, zero);
      r.evaporation_mass = lanes::expand_load(fill, which.evaporation_mass.data() + first, zero);
      r.evaporation = lanes::expand_load(fill, which.evaporation.data() + first, zero);
      r.eps = lanes::expand_load(fill, which.eps.data() + first, zero);
      a.set_rates(known, r);
    }
    need = need || (fill && !known);
    return fill;
  };
  // the step's result of the particles in the lanes of `done`, written back and tallied
  auto finish = [&](const Mask& done) {
    const auto r = a.result();
    const Vec m0 = lanes::gather_where(done, p.m, particle, r.m);
    const Vec f0 = lanes::gather_where(done, p.f, particle, zero);
    const Vec molten0 = lanes::gather_where(done, p.molten, particle, zero);
    const Vec peak0 = lanes::gather_where(done, p.peak, particle, zero);
    const Mask was_molten = f0 > 0.0, ever_molten = (molten0 > 0.0) || was_molten;
    // the mass actually removed (exact by Sterbenz's lemma, as in advance_single_euler)
    evaporated_mass.add(all, select(done && (r.m != m0), m0 - r.m, zero));
    lanes::scatter_where(done, p.h, particle, r.h);
    lanes::scatter_where(done, p.m, particle, r.m);
    lanes::scatter_where(done, p.d, particle, r.d);
    lanes::scatter_where(done, p.T, particle, r.T);
    lanes::scatter_where(done, p.f, particle, r.f);
    lanes::scatter_where(done, p.peak, particle, lanes::max(peak0, r.peak_temperature));
    lanes::scatter_where(done, p.molten, particle, molten0 + r.time_molten);
    const Mask melted = done && !ever_molten && ((r.f > 0.0) || (r.time_molten > 0.0));
    const Mask resolidified = done && (was_molten || (r.time_molten > 0.0)) && (r.f == 0.0);
    if (lanes::any(melted)) events.melted->add(static_cast<double>(lanes::count(melted)));
    if (lanes::any(resolidified))
      events.resolidified->add(static_cast<double>(lanes::count(resolidified)));
    beam.add(all, select(done, r.beam, zero));
    radiated.add(all, select(done, r.radiated, zero));
    thermionic.add(all, select(done, r.thermionic, zero));
    evaporated_energy.add(all, select(done, r.evaporated_energy, zero));
    t.substeps += static_cast<std::uint64_t>(xsimd::hadd(select(done, r.substeps, zero)));
  };
  // one round: the rates where needed (fresh lanes, and those after a sub-step), then an attempt
  lanes::run_refilled(
      start,
      [&] {
        if (lanes::any(need)) a.rates_where(need);
        need = a.attempt();
      },
      [&] { return a.active(); }, finish);
  beam.merge_into(*t.beam);
  radiated.merge_into(*t.radiated);
  thermionic.merge_into(*t.thermionic);
  evaporated_energy.merge_into(*t.evaporated_energy);
  evaporated_mass.merge_into(*t.evaporated_mass);
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
