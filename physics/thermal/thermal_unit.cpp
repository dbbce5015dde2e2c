#include "physics/thermal/thermal_unit.hpp"

#include <algorithm>
#include <string>

#include "solver/base/errors.hpp"

namespace mps {

ThermalUnit::ThermalUnit(Material material, const ThermalUnitParams& p)
    : material_(std::move(material)), p_(p), model_(material_, p.model) {
  require_lanes_supported("thermal");
}

void ThermalUnit::apply(Stage, ParticleStore& p, const StepContext& ctx) {
  const bool test_on =
      p_.test_power > 0.0 && ctx.time >= p_.test_power_on && ctx.time < p_.test_power_off;
  const ParticleSelection all{p.size()};
  advance(p, ctx.state_due ? *ctx.state_due : all, true, test_on ? p_.test_power : 0.0, ctx.dt);
}

void ThermalUnit::catch_up(ParticleStore& p, const ParticleSelection& pending,
                           const StepContext& ctx) {
  advance(p, pending, false, 0.0, ctx.dt);
}

void ThermalUnit::advance(ParticleStore& p, const ParticleSelection& which, bool beam,
                          double test_power, double dt) {
  // Batched fast path first (thermal_lanes.hpp): the particles one Euler step carries over the
  // whole step within the error contract; the rest take the adaptive model, batched as well.
  ThermalLaneTallies lt{&beam_, &radiated_, &thermionic_, &evaporated_energy_, &evaporated_mass_};
  const ThermalLaneFields fields{p.ptr(Field::enthalpy),
                                 p.ptr(Field::temperature),
                                 p.ptr(Field::liquid_fraction),
                                 p.ptr(Field::mass),
                                 p.ptr(Field::diameter),
                                 p.ptr(Field::peak_temperature),
                                 p.ptr(Field::time_molten),
                                 beam ? p.ptr(Field::beam_power) : nullptr,
                                 p.ptr(Field::charge),
                                 p.states().data(),
                                 test_power};
  rest_.clear();
  advance_single_euler(model_, fields, which.quiet_part(), dt, lt, rest_);
  if (which.busy) advance_busy(fields, which.busy_part(), dt, lt);
  advance_adaptive(model_, fields, rest_, dt, lt, {&melted_, &resolidified_});
  substeps_.add(static_cast<double>(lt.substeps));
}

void ThermalUnit::advance_busy(const ThermalLaneFields& fields, const ParticleSelection& busy,
                               double dt, ThermalLaneTallies& lt) {
  // The single Euler step carries most particles in the beam at short steps (10 ns, the
  // reference case: 77 %) and nearly none at long ones (50 ns, bench_particle_physics: 3 %),
  // and trying it on a particle it then leaves to the adaptive model costs about a fifth of that
  // particle's adaptive step (40 of 200 ns in the bench). Either way gives the same bits
  // (ThermalLanes.SingleEulerStepIsBitForBitTheAdaptiveModelsFirstSubStep), so the unit tries
  // it on all of them while it carried at least half of those it last tried, and otherwise on
  // the first sixteenth only, to see when that changes: a choice of speed alone, which no
  // result depends on (nor on the rank count).
  const std::size_t tried =
      busy_euler_share_ >= 0.5 ? busy.n : std::min(busy.n, std::max<std::size_t>(64, busy.n / 16));
  const std::size_t left_before = rest_.index.size();
  advance_single_euler(model_, fields, ParticleSelection{tried, busy.list, busy.steps}, dt, lt,
                       rest_);
  if (tried > 0)
    busy_euler_share_ =
        1.0 - static_cast<double>(rest_.index.size() - left_before) / static_cast<double>(tried);
  rest_.add(busy.list + tried, busy.steps ? busy.steps + tried : nullptr, busy.n - tried);
}

std::vector<TallyRef> ThermalUnit::tallies() {
  return {{"beam_heat_J", &beam_},
          {"radiated_energy_J", &radiated_},
          {"thermionic_energy_J", &thermionic_},
          {"evaporation_energy_J", &evaporated_energy_},
          {"evaporated_mass_kg", &evaporated_mass_},
          {"melted_count", &melted_},
          {"resolidified_count", &resolidified_},
          {"thermal_substeps", &substeps_}};
}

void declare_material_choice(SectionSpec& s) {
  s.string("material",
           "Material by name: tungsten (built in), molybdenum, tantalum "
           "(cases/data/materials/NAME.yaml) "
           "or the path of a NAME.yaml data file; unless material_data is given")
      .def("tungsten");
  declare_material_section(s.section("material_data", "A material given as data (all SI)"));
}

Material material_from_section(const Config& c) {
  if (c.has_section("material_data")) return Material::from_config(c.section("material_data"));
  return Material::builtin(c.string("material"));
}

void register_thermal_unit(UnitRegistry& registry) {
  UnitInfo u;
  u.name = "thermal";
  u.doc =
      "Per-particle enthalpy: beam heating, radiation, thermionic cooling, evaporation; melting "
      "and re-solidification from h(T) (lumped sphere, adaptive Heun/Euler sub-cycling).";
  u.declare = [](SectionSpec& s) {
    declare_material_choice(s);
    s.quantity("wall_temperature", dim::temperature, "Temperature of the enclosure walls")
        .def("300 K")
        .non_negative();
    s.quantity("emissivity", dim::none, "Constant emissivity (default: the material's eps(T))")
        .positive()
        .at_most(1.0);
    s.boolean("radiation", "Thermal radiation to the walls").def("true");
    s.boolean("thermionic", "Thermionic cooling (W + 2kT per escaping electron)").def("true");
    s.boolean("evaporation", "Langmuir evaporation (mass loss, heat of vaporisation)").def("true");
    s.boolean("schottky", "Schottky lowering of the work function on negative particles")
        .def("true");
    s.quantity("tolerance", dim::temperature, "Local temperature error per sub-step")
        .def("0.01 K")
        .positive();
    s.integer("max_substeps", "Sub-step limit per particle and step").def("100000").at_least(1);
    s.quantity("test_power", dim::power, "Constant power on every flying particle (validation)")
        .def("0 W")
        .non_negative();
    s.quantity("test_power_on", dim::time, "test_power switched on").def("0 s").non_negative();
    s.quantity("test_power_off", dim::time, "test_power switched off").def("1e300 s").positive();
  };
  u.make = [](const UnitContext& c) -> std::unique_ptr<ProcessUnit> {
    const Config& s = c.section;
    ThermalUnitParams p;
    p.model.wall_temperature = s.number("wall_temperature");
    if (s.has("emissivity")) p.model.emissivity = s.number("emissivity");
    p.model.radiation = s.boolean("radiation");
    p.model.thermionic = s.boolean("thermionic");
    p.model.evaporation = s.boolean("evaporation");
    p.model.schottky = s.boolean("schottky");
    p.model.tolerance_K = s.number("tolerance");
    p.model.max_substeps = static_cast<int>(s.integer("max_substeps"));
    p.test_power = s.number("test_power");
    p.test_power_on = s.number("test_power_on");
    p.test_power_off = s.number("test_power_off");
    return std::make_unique<ThermalUnit>(material_from_section(s), p);
  };
  registry.add(std::move(u));
}

}  // namespace mps
