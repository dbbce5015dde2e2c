// Batched fast path of the thermal unit.
//
// Most particles, and all those outside the beam, take ThermalModel::advance's one-evaluation
// path over the whole step: one Euler step whose error, predicted from the loss slope, is below a
// tenth of the tolerance and which stays on its branch of h(T). single_euler() is that path as a
// template over the lane type (lanes.hpp): the lanes that qualify are advanced, the others
// (stiff losses, crossing the melting point, fresh particles, states outside the enthalpy
// tables) are returned to the caller, which runs the full adaptive sub-cycling of
// ThermalModel::advance on them, batched as well (advance_adaptive). So a particle's update is
// the same model and the same error contract either way, and which path it takes depends only
// on its own state.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "physics/thermal/thermal_model.hpp"
#include "solver/base/exact_sum.hpp"
#include "solver/particles/particle_store.hpp"
#include "solver/particles/state_clock.hpp"

namespace mps {

// The particle fields the batched update reads and writes (the unit's arrays).
struct ThermalLaneFields {
  double *h, *T, *f, *m, *d, *peak, *molten;
  const double *beam_power, *charge;  // beam_power nullptr: no beam (catching up quiet steps)
  const ParticleState* state;
  double test_power = 0.0;  // W added to every flying particle (validation), 0 outside its window
};

struct ThermalLaneTallies {
  ExactSum *beam, *radiated, *thermionic, *evaporated_energy, *evaporated_mass;
  std::uint64_t substeps = 0;
};

// The particles the single Euler step leaves to the adaptive update: their indices, the time
// steps each advances, and the loss rates at their start state where the single Euler step
// evaluated them (NaN where it did not), which are the adaptive model's first rates: handed
// over, they are not evaluated twice (most particles in the beam take this way). The rates cover
// the first entries only (rated() of them): the particles appended after those by add(), which
// the single Euler step did not try, have none.
struct ThermalRest {
  std::vector<std::size_t> index;
  std::vector<double> steps;
  // the fields of lanes::Rates
  std::vector<double> radiated, thermionic, thermionic_current, evaporation_mass, evaporation, eps;
  void clear() {
    for (auto* v : {&steps, &radiated, &thermionic, &thermionic_current, &evaporation_mass,
                    &evaporation, &eps})
      v->clear();
    index.clear();
  }
  std::size_t rated() const { return radiated.size(); }
  // the n particles list[0..n), over steps[k] steps each (1 where steps is null), their rates
  // left to the adaptive model
  void add(const std::size_t* list, const double* step_counts, std::size_t n) {
    index.insert(index.end(), list, list + n);
    if (step_counts)
      steps.insert(steps.end(), step_counts, step_counts + n);
    else
      steps.resize(steps.size() + n, 1.0);
  }
};

// Advances every particle of `which` that qualifies for the single Euler step over its steps
// (steps x dt) and appends the others to `rest`.
void advance_single_euler(const ThermalModel& model, const ThermalLaneFields& p,
                          const ParticleSelection& which, double dt, ThermalLaneTallies& tallies,
                          ThermalRest& rest);

// Melting events of the adaptive path (ThermalUnit: a particle molten for the first time; a
// molten particle solid again).
struct ThermalEvents {
  ExactSum *melted, *resolidified;
};

// Advances the particles `which` over their steps with the adaptive sub-cycling
// (ThermalModel::advance), kWidth at a time: a lane whose particle is done takes the next one
// (adaptive_step.hpp). A particle with a NaN enthalpy (just injected) gets h(T, f) first.
void advance_adaptive(const ThermalModel& model, const ThermalLaneFields& p,
                      const ThermalRest& which, double dt, ThermalLaneTallies& tallies,
                      ThermalEvents events);

// The instruction set the batched kernels were compiled for (e.g. "avx512bw"), its lane count,
// and whether this CPU runs it.
const char* lanes_instruction_set();
std::size_t lanes_width();
bool lanes_supported_here();
// Throws a RuntimeError naming `unit` when this CPU cannot run the kernels (a build for another
// machine): a clear stop instead of an illegal instruction.
void require_lanes_supported(const char* unit);

}  // namespace mps
