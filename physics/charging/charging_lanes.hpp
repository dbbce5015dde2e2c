// Batched fast path of the charging unit.
//
// Most particles either have nothing changing their charge (ChargingModel::quiet: skipped) or
// take ChargingModel::advance's fast path, the linearly implicit step accepted where it lies
// close to the backward-Euler root. linear_step() (linear_step.hpp) is that path as a template
// over the lane type; the lanes it does not accept (far from equilibrium, at a charging limit)
// are returned to the caller, which runs the full Newton iteration of advance() on them. A
// particle's path depends only on its own state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "physics/charging/charging_model.hpp"
#include "solver/base/exact_sum.hpp"
#include "solver/particles/particle_store.hpp"
#include "solver/particles/state_clock.hpp"

namespace mps {

struct ChargingLaneFields {
  double* charge;
  // absorbed_current and se_current nullptr: no beam (catching up quiet steps)
  const double *absorbed_current, *se_current, *T, *d, *f;
  const ParticleState* state;
  // test currents added to every flying particle (validation), 0 outside their window
  double test_absorbed = 0.0, test_se = 0.0;
  // where not nullptr, the multi-rate clock's lags (state_clock.hpp): a particle whose potential
  // moves by more than hold_potential_step (V) per step of its update is held (kStateHold)
  std::uint8_t* hold = nullptr;
  double hold_potential_step = 0.0;
};

struct ChargingLaneTallies {
  ExactSum *absorbed, *se, *thermionic, *field;
  std::uint64_t iterations = 0;
};

// The particles the linear step leaves to the implicit update: their indices, in increasing
// order, the time steps each advances, and where Newton starts for each: the linear step's end
// potential (V), or NaN where the update starts over (a linear step close to the root but past a
// charging limit, reported by the implicit update, or not finite).
struct ChargingRest {
  std::vector<std::size_t> index;
  std::vector<double> steps;
  std::vector<double> newton_start;
  void clear() {
    index.clear();
    steps.clear();
    newton_start.clear();
  }
};

// Advances every particle of `which` the linear step carries over its steps (steps x dt), skips
// the quiet ones, and appends the others to `rest`.
void advance_linear_step(const ChargingModel& model, const ChargingLaneFields& p,
                         const ParticleSelection& which, double dt, ChargingLaneTallies& tallies,
                         ChargingRest& rest);

// A particle that passed a charging limit during its step (ChargingModel::check_limits).
struct ChargingLimitHit {
  std::size_t index;
  bool field_evaporation, breakup, rayleigh;
};

// The full implicit update (ChargingModel::advance) of the particles `which`, batched: kWidth
// of them at a time, each lane iterating to its own convergence, a lane whose particle is done
// taking the next one. Limits passed are appended to `hits` in increasing particle order.
void advance_implicit(const ChargingModel& model, const ChargingLaneFields& p,
                      const ChargingRest& which, double dt, ChargingLaneTallies& tallies,
                      std::vector<ChargingLimitHit>& hits);

}  // namespace mps
