// The `charging` process unit (Stage::state, after the beam unit, before thermal): implicit
// charge update of every particle from the currents the beam unit sets (absorbed_current,
// se_current), the particle's temperature at the step's start (thermionic) and its own field
// (field emission); see charging_model.hpp. Thermal runs after it so that its thermionic
// cooling reads the potential this update ends on (builtin_units.cpp).
//
// Limits: a particle beyond the ion field-evaporation field, the solid break-up stress or the
// Rayleigh limit of a molten drop is counted in a tally per particle-step (the physics beyond
// them, ion emission or fission, is not modelled). With `on_limit: error` the run stops with a
// RuntimeError naming the particle id, the step and the values instead (for design runs where
// crossing a limit invalidates the result).
#pragma once

#include "physics/charging/charging_lanes.hpp"
#include "physics/charging/charging_model.hpp"
#include "solver/base/process.hpp"

namespace mps {

// The multi-rate clock holds a particle whose potential moves by more than this per step (V;
// ChargingUnit::apply says why).
inline constexpr double kHoldPotentialStep = 1e-2;

struct ChargingUnitParams {
  ChargingOptions model;
  bool stop_on_limit = false;
  double test_absorbed_current = 0.0;      // A on every flying particle (validation without a beam)
  double test_se_current = 0.0;            // A
  double test_on = 0.0, test_off = 1e300;  // s, window of the test currents
};

class ChargingUnit : public ProcessUnit {
 public:
  ChargingUnit(Material material, const ChargingUnitParams& p);
  std::string name() const override { return "charging"; }
  unsigned stages() const override { return static_cast<unsigned>(Stage::state); }
  void apply(Stage stage, ParticleStore& particles, const StepContext& ctx) override;
  std::vector<TallyRef> tallies() override;
  const ChargingModel& model() const { return model_; }
  // the multi-rate state clock (state_clock.hpp); test currents need every step
  bool uses_state_clock() const override { return true; }
  int max_state_stride() const override {
    return p_.test_absorbed_current != 0.0 || p_.test_se_current != 0.0 ? 1 : kMaxStateStride;
  }
  void catch_up(ParticleStore& particles, const ParticleSelection& pending,
                const StepContext& ctx) override;

 private:
  // the particles `which` over their steps, with the beam currents or none; hold: the clock's
  // lags, to hold the particles whose potential still moves fast (apply())
  void advance(ParticleStore& p, const ParticleSelection& which, bool beam, bool test_window,
               const StepContext& ctx, std::uint8_t* hold = nullptr);
  Material material_;
  ChargingUnitParams p_;
  ChargingModel model_;
  ExactSum absorbed_, se_, thermionic_, field_, iterations_, field_evaporation_, breakup_,
      rayleigh_;
  ChargingRest rest_;                   // the particles of this step the fast path left
  std::vector<ChargingLimitHit> hits_;  // the particles of this step at a charging limit
};

void register_charging_unit(UnitRegistry& registry);

}  // namespace mps
