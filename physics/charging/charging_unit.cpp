#include "physics/charging/charging_unit.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "physics/thermal/thermal_lanes.hpp"
#include "physics/thermal/thermal_unit.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps {

ChargingUnit::ChargingUnit(Material material, const ChargingUnitParams& p)
    : material_(std::move(material)), p_(p), model_(material_, p.model) {
  require_lanes_supported("charging");
}

void ChargingUnit::apply(Stage, ParticleStore& p, const StepContext& ctx) {
  const bool window = ctx.time >= p_.test_on && ctx.time < p_.test_off;
  if (!ctx.state_due) {  // every particle, every step
    advance(p, ParticleSelection{p.size()}, true, window, ctx);
    return;
  }
  // The multi-rate clock (state_clock.hpp): a particle whose potential still moves by more than
  // kHoldPotentialStep per step is held, advanced at every step until it settles. A long step
  // of K steps then changes the potential by at most ~K kHoldPotentialStep (0.16 V at the
  // default stride of 16), and backward Euler over it misses at most about half of that change:
  // well below kT/e (0.2 V at 2300 K), the scale on which thermionic emission and slow-secondary
  // escape depend on the potential. (validate_state: 32 mV at most at a stride of 16 over a
  // stream crossing the beam; 1 mV per step gave 0.3 mV but held most hot spheres, every step,
  // as they keep charging.)
  advance(p, *ctx.state_due, true, window, ctx, p.state_lags().data());
}

void ChargingUnit::catch_up(ParticleStore& p, const ParticleSelection& pending,
                            const StepContext& ctx) {
  advance(p, pending, false, false, ctx);
}

void ChargingUnit::advance(ParticleStore& p, const ParticleSelection& which, bool beam,
                           bool test_window, const StepContext& ctx, std::uint8_t* hold) {
  double* q = p.ptr(Field::charge);
  const double* T = p.ptr(Field::temperature);
  const double* d = p.ptr(Field::diameter);
  const double* f = p.ptr(Field::liquid_fraction);
  const auto& ids = p.ids();
  // Batched fast path first (charging_lanes.hpp): quiet particles and those the linearly
  // implicit step carries; then the full implicit update of the rest, batched as well.
  const ChargingLaneFields fields{q,
                                  beam ? p.ptr(Field::absorbed_current) : nullptr,
                                  beam ? p.ptr(Field::se_current) : nullptr,
                                  T,
                                  d,
                                  f,
                                  p.states().data(),
                                  test_window ? p_.test_absorbed_current : 0.0,
                                  test_window ? p_.test_se_current : 0.0,
                                  hold,
                                  kHoldPotentialStep};
  ChargingLaneTallies lt{&absorbed_, &se_, &thermionic_, &field_};
  rest_.clear();
  hits_.clear();
  advance_linear_step(model_, fields, which.quiet_part(), ctx.dt, lt, rest_);
  if (which.busy) advance_linear_step(model_, fields, which.busy_part(), ctx.dt, lt, rest_);
  advance_implicit(model_, fields, rest_, ctx.dt, lt, hits_);
  iterations_.add(static_cast<double>(lt.iterations));
  for (const ChargingLimitHit& h : hits_) {
    if (h.field_evaporation) field_evaporation_.add(1.0);
    if (h.breakup) breakup_.add(1.0);
    if (h.rayleigh) rayleigh_.add(1.0);
  }
  if (p_.stop_on_limit && !hits_.empty()) {
    const ChargingLimitHit& h = hits_.front();
    const std::size_t i = h.index;
    const double phi = model_.potential(q[i], d[i]);
    throw RuntimeError(fmt::format(
        "charging: particle {} at step {} passed the {} limit (Q = {:.4g} C, phi = {:.4g} V, "
        "surface field {:.4g} V/m, T = {:.1f} K, liquid fraction {:.2f}; Rayleigh charge "
        "{:.4g} C)",
        ids[i], ctx.step,
        h.rayleigh  ? "Rayleigh"
        : h.breakup ? "electrostatic break-up"
                    : "ion field-evaporation",
        q[i], phi, 2.0 * (phi - p_.model.external_potential) / d[i], T[i], f[i],
        model_.rayleigh_charge(d[i], T[i])));
  }
}

std::vector<TallyRef> ChargingUnit::tallies() {
  return {{"absorbed_electron_charge_C", &absorbed_},
          {"se_emitted_charge_C", &se_},
          {"thermionic_emitted_charge_C", &thermionic_},
          {"field_emitted_charge_C", &field_},
          {"charging_newton_iterations", &iterations_},
          {"field_evaporation_limit_particle_steps", &field_evaporation_},
          {"breakup_limit_particle_steps", &breakup_},
          {"rayleigh_limit_particle_steps", &rayleigh_}};
}

void register_charging_unit(UnitRegistry& registry) {
  UnitInfo u;
  u.name = "charging";
  u.doc =
      "Per-particle charge and floating potential: absorbed beam electrons, slow secondaries "
      "(suppressed by a positive potential), thermionic and field emission; implicit update.";
  u.declare = [](SectionSpec& s) {
    declare_material_choice(s);
    s.quantity("se_temperature", dim::voltage, "kT/e of the slow secondary-electron emission")
        .def("2 V")
        .positive();
    s.quantity("external_potential", dim::voltage, "Potential at the particles (no field unit)")
        .def("0 V");
    s.boolean("thermionic", "Thermionic emission (Richardson-Dushman)").def("true");
    s.boolean("schottky", "Schottky lowering on negative particles").def("true");
    s.boolean("field_emission", "Fowler-Nordheim emission from negative particles").def("true");
    s.quantity("field_evaporation_field", dim::electric_field,
               "Ion field-evaporation field (W: 57 V/nm, Tsong 1978)")
        .def("57e9 V/m")
        .positive();
    s.quantity("tensile_strength", dim::pressure, "Solid break-up stress eps0 F^2 / 2 limit")
        .def("1 GPa")
        .positive();
    s.choice("on_limit", {"count", "error"}, "At a charging limit: count it, or stop the run")
        .def("count");
    s.quantity("test_absorbed_current", dim::current,
               "Absorbed electron current on every flying particle (validation)")
        .def("0 A")
        .non_negative();
    s.quantity("test_se_current", dim::current,
               "Slow SE emission current at zero potential on every flying particle")
        .def("0 A")
        .non_negative();
    s.quantity("test_on", dim::time, "Test currents switched on").def("0 s").non_negative();
    s.quantity("test_off", dim::time, "Test currents switched off").def("1e300 s").positive();
  };
  u.make = [](const UnitContext& c) -> std::unique_ptr<ProcessUnit> {
    const Config& s = c.section;
    ChargingUnitParams p;
    p.model.se_temperature_eV = s.number("se_temperature");
    p.model.external_potential = s.number("external_potential");
    p.model.thermionic = s.boolean("thermionic");
    p.model.schottky = s.boolean("schottky");
    p.model.field_emission = s.boolean("field_emission");
    p.model.field_evaporation_field = s.number("field_evaporation_field");
    p.model.tensile_strength = s.number("tensile_strength");
    p.stop_on_limit = s.string("on_limit") == "error";
    p.test_absorbed_current = s.number("test_absorbed_current");
    p.test_se_current = s.number("test_se_current");
    p.test_on = s.number("test_on");
    p.test_off = s.number("test_off");
    return std::make_unique<ChargingUnit>(material_from_section(s), p);
  };
  registry.add(std::move(u));
}

}  // namespace mps
