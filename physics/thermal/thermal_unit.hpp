// The `thermal` process unit: per-particle enthalpy update (Stage::state, after the beam and
// charging units).
//
// Reads beam_power (W, set by the beam unit each step) and charge (for the thermionic barrier:
// the charge the charging unit ends the step on),
// advances each particle's lumped energy balance (thermal_model.hpp) over the step and writes
// enthalpy, temperature, liquid_fraction, mass and diameter (evaporation), peak_temperature and
// time_molten. A particle whose enthalpy is NaN (just injected) gets h = h(T) first. Melting and
// re-solidification are counted as events (a particle whose liquid fraction becomes positive
// for the first time; a molten particle that becomes fully solid again), so the summary says
// how many particles melted and how many were solid again; the liquid_fraction field at capture
// says whether a particle re-solidified before it.
//
// For cases without a beam response table, `test_power` adds a constant power to every flying
// particle between test_power_on and test_power_off (validation cases).
#pragma once

#include "physics/thermal/thermal_lanes.hpp"
#include "physics/thermal/thermal_model.hpp"
#include "solver/base/process.hpp"

namespace mps {

struct ThermalUnitParams {
  ThermalOptions model;
  double test_power = 0.0;  // W per flying particle
  double test_power_on = 0.0, test_power_off = 1e300;
};

class ThermalUnit : public ProcessUnit {
 public:
  ThermalUnit(Material material, const ThermalUnitParams& p);
  std::string name() const override { return "thermal"; }
  unsigned stages() const override { return static_cast<unsigned>(Stage::state); }
  void apply(Stage stage, ParticleStore& particles, const StepContext& ctx) override;
  std::vector<TallyRef> tallies() override;
  // evaporation shrinks particles (ghosts then need their sizes every step)
  bool changes_particle_size() const override { return p_.model.evaporation; }
  const ThermalModel& model() const { return model_; }
  // the multi-rate state clock (state_clock.hpp); test_power needs every step
  bool uses_state_clock() const override { return true; }
  int max_state_stride() const override { return p_.test_power > 0.0 ? 1 : kMaxStateStride; }
  void catch_up(ParticleStore& particles, const ParticleSelection& pending,
                const StepContext& ctx) override;

 private:
  // the particles `which` over their steps, with the beam power or none
  void advance(ParticleStore& p, const ParticleSelection& which, bool beam, double test_power,
               double dt);
  // the particles in the beam of a step: the single Euler step where it pays, else the adaptive
  // model directly
  void advance_busy(const ThermalLaneFields& fields, const ParticleSelection& busy, double dt,
                    ThermalLaneTallies& tallies);
  Material material_;
  ThermalUnitParams p_;
  ThermalModel model_;
  ExactSum beam_, radiated_, thermionic_, evaporated_energy_, evaporated_mass_, melted_,
      resolidified_, substeps_;
  ThermalRest rest_;  // the particles of this step that take the adaptive path
  // the share of the particles in the beam the single Euler step carried when last tried on
  // them (advance_busy)
  double busy_euler_share_ = 1.0;
};

// Resolve the material a unit section names: `material_data` (a material given as data) if
// present, else the built-in `material`.
Material material_from_section(const Config& section);
void declare_material_choice(SectionSpec& s);

void register_thermal_unit(UnitRegistry& registry);

}  // namespace mps
