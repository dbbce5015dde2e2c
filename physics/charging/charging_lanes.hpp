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

namespace mps {

struct ChargingLaneFields {
  double* charge;
  const double *absorbed_current, *se_current, *T, *d, *f;
  const ParticleState* state;
  // test currents added to every flying particle (validation), 0 outside their window
  double test_absorbed = 0.0, test_se = 0.0;
};

struct ChargingLaneTallies {
  ExactSum *absorbed, *se, *thermionic, *field;
  std::uint64_t iterations = 0;
};

// Advances over dt every particle of [0, n) the linear step carries, skips the quiet ones, and
// appends the indices of the others to `rest`, in increasing order.
void advance_linear_step(const ChargingModel& model, const ChargingLaneFields& p, std::size_t n,
                         double dt, ChargingLaneTallies& tallies, std::vector<std::size_t>& rest);

// A particle that passed a charging limit during its step (ChargingModel::check_limits).
struct ChargingLimitHit {
  std::size_t index;
  bool field_evaporation, breakup, rayleigh;
};

// The full implicit update (ChargingModel::advance) of the particles `which`, batched: kWidth
// of them at a time, each lane iterating to its own convergence. Limits passed are appended to
// `hits` in the order of `which`.
void advance_implicit(const ChargingModel& model, const ChargingLaneFields& p,
                      const std::vector<std::size_t>& which, double dt,
                      ChargingLaneTallies& tallies, std::vector<ChargingLimitHit>& hits);

}  // namespace mps
