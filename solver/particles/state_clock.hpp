// The multi-rate state clock: how often the per-particle state units (thermal, charging) advance
// each particle.
//
// DESIGN.md (section 2) asks for a multi-rate loop: particles in the beam sub-cycle, the others
// take long steps. Out of the beam a particle's state changes slowly (a 5 um sphere at 3000 K
// cools by ~0.03 K and its potential moves by millivolts in a 50 ns step), in the beam fast
// (~100 K per step). So a *quiet* particle (no beam power, no beam current, enthalpy set) is
// advanced only every `stride` steps, over all the steps it has pending at once: the state
// units' own error control (thermal sub-cycling, implicit charging) then works over that longer
// interval. A particle that is not quiet is advanced every step.
//
// Bookkeeping: ParticleStore::state_lags()[i] counts the steps particle i has pending. Before the
// state units run, schedule() lists the particles due this step with the steps each advances
// (lag + 1) and sets their lag to 0 (kStateHold for a particle in the beam, below); the others'
// lag grows by one. A particle that leaves the quiet set with steps pending (entering the beam)
// is first caught up over them with no beam (ProcessUnit::catch_up: they were quiet steps), then
// takes this step with the beam. Output writes a copy of the particles caught up to the end of
// the step, checkpoints keep the lags, and the summary catches every particle up: so output and
// restarts do not change a run, and what is written is the state at the end of the step. Between
// its updates, what reads a quiet particle's state (capture's heat tally, the space charge,
// diagnostics) sees it up to stride - 1 steps old: a consistent state (every energy and charge
// tally stays exact), short of the losses of those steps.
//
// Quiet is not yet settled: a sphere leaving the beam carries a potential that relaxes over
// ~0.1-1 us, as long as a long step, and backward Euler over one long step would land hundreds
// of volts from the every-step result (validate_state). So the charging unit holds a particle
// (kStateHold) while its potential moves faster than a long step can follow.
//
// A particle's schedule depends only on its own history, so results do not depend on the rank
// count; the lag travels with a migrating particle. stride = 1 advances every particle every
// step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "solver/particles/particle_store.hpp"

namespace mps {

// The particles a state unit advances and over how many steps each: every particle of [0, n)
// over one step (list == nullptr), or the particles list[0..n) over steps[k] steps each. The
// list's last `busy` entries are particles known not to be quiet (in the beam), after the
// others; each part lists increasing indices. (The units run their one-evaluation fast paths
// on each part: batches of particles in the beam alone, which the thermal unit can send to its
// adaptive model without evaluating their rates.)
struct ParticleSelection {
  std::size_t n = 0;
  const std::size_t* list = nullptr;
  const double* steps = nullptr;
  std::size_t busy = 0;
  // the entries before the busy ones
  ParticleSelection quiet_part() const { return {n - busy, list, steps, 0}; }
  // the busy entries
  ParticleSelection busy_part() const {
    return {busy, list + (n - busy), steps + (n - busy), busy};
  }
};

// The default stride: long enough to pay (bench/run particle-physics, stream mix: 1.2e7
// updates/s at stride 1, 2.1e7 at 16), short enough that the charging unit's hold keeps a long
// step's potential error (at most ~K x 10 mV / 2, ChargingUnit::apply) well below kT/e. On the
// reference case the radiated, evaporated and thermionic tallies then stay within 2e-5 of an
// every-step run, while halving that run's 10 ns step changes them by 0.2-3 %
// (tests/cli/state_clock.sh).
inline constexpr int kDefaultStateStride = 16;
inline constexpr int kMaxStateStride = 254;  // lags are bytes; 255 is kStateHold
// A lag a state unit sets on a particle whose state is still changing fast (a potential still
// relaxing after the beam): the clock advances it at the next step, one step, like a particle
// in the beam, until no unit holds it any more.
inline constexpr std::uint8_t kStateHold = 255;

class StateClock {
 public:
  explicit StateClock(int stride);
  int stride() const { return stride_; }
  // The particles due at this step (the selection's arrays live in this clock until the next
  // call), those not quiet last (ParticleSelection::busy); their lags become 0, the others'
  // grow by one. Particles due with steps pending
  // because they stopped being quiet are listed in entering() with their pending steps.
  ParticleSelection schedule(ParticleStore& p);
  ParticleSelection entering() const {
    return {entering_.size(), entering_.data(), entering_steps_.data()};
  }
  // Every particle with steps pending, and those steps (arrays of their own: entering() is left
  // as it was); their lags become 0 (the caller catches them up).
  ParticleSelection pending(ParticleStore& p);

 private:
  int stride_;
  std::vector<std::size_t> due_, busy_, entering_, pending_;
  std::vector<double> due_steps_, entering_steps_, pending_steps_;
};

}  // namespace mps
