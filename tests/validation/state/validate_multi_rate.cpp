// Validation of the multi-rate state clock (solver/particles/state_clock.hpp): a stream whose
// particles cross the beam at different times, advanced by the charging and thermal units at
// every step and with the default stride K (quiet particles every K steps, catching up when they
// enter the beam and at the end), must end in the same state within the error the units' own
// controls allow, and emit and radiate the same.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "solver/particles/state_clock.hpp"
#include "tests/validation/state/beam_stream.hpp"

using namespace mps;

namespace {

constexpr double kDt = 50e-9;  // the quickstart step
constexpr int kSteps = 200;

using Stream = test::BeamStream;

// the solver's loop (Simulation::step and synchronize_state) for the state units
void run(Stream& r, int stride) {
  StateClock clock(stride);
  StepContext ctx;
  ctx.dt = kDt;
  for (int s = 0; s < kSteps; ++s) {
    ctx.step = static_cast<std::uint64_t>(s);
    ctx.time = s * kDt;
    set_beam(r, ctx.time, kDt);
    ParticleSelection due;
    ctx.state_due = nullptr;
    if (stride > 1) {
      due = clock.schedule(r.p);
      r.ch.catch_up(r.p, clock.entering(), ctx);
      r.th.catch_up(r.p, clock.entering(), ctx);
      ctx.state_due = &due;
    }
    r.ch.apply(Stage::state, r.p, ctx);
    r.th.apply(Stage::state, r.p, ctx);
  }
  set_beam(r, kSteps * kDt, kDt);  // (after the last crossing: nothing pending is in the beam)
  const ParticleSelection pending = clock.pending(r.p);
  r.ch.catch_up(r.p, pending, ctx);
  r.th.catch_up(r.p, pending, ctx);
}

}  // namespace

TEST(MultiRateState, StreamEndsInTheSameStateAsWithEveryStep) {
  const std::size_t n = 2000;
  Stream every, multi;
  fill(every, n, true);
  fill(multi, n, true);
  run(every, 1);
  run(multi, kDefaultStateStride);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(multi.p.state_lags()[i], 0) << i;

  const double tol = ThermalOptions{}.tolerance_K;
  double dT = 0, dphi = 0, dm = 0, dpeak = 0, dmolten = 0;
  const double k4pe0 = 4.0 * constants::pi * constants::vacuum_permittivity;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = 0.5 * every.p[Field::diameter][i];
    dT = std::max(dT, std::fabs(every.p[Field::temperature][i] - multi.p[Field::temperature][i]));
    dphi = std::max(dphi,
                    std::fabs(every.p[Field::charge][i] - multi.p[Field::charge][i]) / (k4pe0 * r));
    dm = std::max(
        dm, std::fabs(every.p[Field::mass][i] - multi.p[Field::mass][i]) / every.p[Field::mass][i]);
    dpeak = std::max(dpeak, std::fabs(every.p[Field::peak_temperature][i] -
                                      multi.p[Field::peak_temperature][i]));
    dmolten = std::max(dmolten,
                       std::fabs(every.p[Field::time_molten][i] - multi.p[Field::time_molten][i]));
  }
  auto rel = [](double a, double b) { return std::fabs(a - b) / std::max(std::fabs(a), 1e-300); };
  std::printf("max |dT| %.3g K, |dphi| %.3g V, |dm|/m %.3g, |dpeak| %.3g K, |dmolten| %.3g s\n", dT,
              dphi, dm, dpeak, dmolten);
  for (const char* t : {"beam_heat_J", "radiated_energy_J", "thermionic_energy_J",
                        "evaporation_energy_J", "evaporated_mass_kg", "thermal_substeps"})
    std::printf("thermal %s: every step %.6g, stride %d %.6g (rel %.3g)\n", t,
                every.tally(every.th, t), kDefaultStateStride, multi.tally(multi.th, t),
                rel(every.tally(every.th, t), multi.tally(multi.th, t)));
  for (const char* t : {"absorbed_electron_charge_C", "se_emitted_charge_C",
                        "thermionic_emitted_charge_C", "charging_newton_iterations"})
    std::printf("charging %s: every step %.6g, stride %d %.6g (rel %.3g)\n", t,
                every.tally(every.ch, t), kDefaultStateStride, multi.tally(multi.ch, t),
                rel(every.tally(every.ch, t), multi.tally(multi.ch, t)));
  // Temperature: each long step's local error is at most the tolerance (adaptive sub-cycling),
  // each of the every-step run's K short steps at most a tenth of it (its one-step path), so
  // the two differ by at most ~(1 + K / 10) tolerances per K steps, and a cooling particle's errors
  // do not grow (radiation is contracting): 10 tolerances over the run.
  EXPECT_LT(dT, 10.0 * tol);
  EXPECT_LT(dpeak, 10.0 * tol);
  // Potential: a particle whose potential moves by more than kHoldPotentialStep per step is
  // advanced every step (ChargingUnit::apply), so a long step changes it by at most K x 10 mV
  // and backward Euler misses at most about half of that (80 mV at 16). Without the hold the stream
  // ended 482 V off at a stride of 16 (a sphere discharging by field emission after the beam);
  // without the hold of particles leaving the beam, 35 V.
  EXPECT_LT(dphi, 0.5 * kDefaultStateStride * kHoldPotentialStep);
  // Mass: evaporation is a thermal rate; its relative error follows the temperature's,
  // d ln(p_vap)/dT ~ 0.02/K near 3000 K: 10 tolerances give 2e-3.
  EXPECT_LT(dm, 2e-3);
  // Time molten: a sub-step that crosses the melting point counts half of itself as molten
  // (adaptive_step.hpp), and a quiet particle's sub-step may be its whole long step: half of it.
  EXPECT_LE(dmolten, 0.5 * kDefaultStateStride * kDt);
  // The inputs are the same: beam heat and absorbed charge exactly (the same steps in the beam);
  // what the particles emit and radiate follows their state: within 1e-3.
  EXPECT_EQ(every.tally(every.th, "beam_heat_J"), multi.tally(multi.th, "beam_heat_J"));
  EXPECT_EQ(every.tally(every.ch, "absorbed_electron_charge_C"),
            multi.tally(multi.ch, "absorbed_electron_charge_C"));
  for (const char* t : {"radiated_energy_J", "thermionic_energy_J", "evaporation_energy_J"})
    EXPECT_LT(rel(every.tally(every.th, t), multi.tally(multi.th, t)), 1e-3) << t;
  for (const char* t : {"se_emitted_charge_C", "thermionic_emitted_charge_C"})
    EXPECT_LT(rel(every.tally(every.ch, t), multi.tally(multi.ch, t)), 1e-3) << t;
  // and it is cheaper: fewer thermal sub-steps and Newton evaluations
  EXPECT_LT(multi.tally(multi.th, "thermal_substeps"),
            0.6 * every.tally(every.th, "thermal_substeps"));
}
