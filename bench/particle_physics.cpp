// Benchmark of the per-particle state units (bench/run particle-physics): one time step of the
// thermal and charging units on 1e6 particles, on one core. Two mixes are timed:
//   stream: a stream crossing a beam, 10 % of the particles in the beam (0.2-1 W, 5-20 uA
//           absorbed, 0.5x slow SE), the rest flying at 373-3000 K with no beam (cooling,
//           thermionic where hot),
//   beam:   every particle in the beam (the worst case).
// The charges start from the state a particle of that temperature reaches in a stream: each
// particle's charge is first advanced, in one implicit step, over its own age since it became
// hot (uniform in 0-20 us; the reference case's particles stay hot for ~100 us). Started
// neutral at 3000 K instead, every particle would sit in the first few steps of thermionic
// charging, a state real particles pass through only while they are being heated.
// Medians of 7 steps after one warm-up step (which also initialises the enthalpies).
//
// The stream mix is timed twice: with every particle advanced at every step (state stride 1),
// and as a run does it by default, with the multi-rate state clock (solver/particles/
// state_clock.hpp): a particle outside the beam advances every kDefaultStateStride steps, over
// all of them at once. The clock's own work (finding the particles due) is timed with charging,
// the first unit.
// In a steady stream particles leave the beam one injection batch after another, so their
// phases are spread over the stride in runs of consecutive ids: here runs of 64 ids, set after
// the warm-up step. The particles in the beam are spread at random, as before.
// Usage: bench_particle_physics [particles] [stream|beam|FRACTION] [stride] (one mix only, for
// profiling; stride default kDefaultStateStride).
// Last line: "particle-physics: <N> particle-updates/s per core" (stream mix with the default
// stride; thermal + charging of one particle over one step = one update).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "physics/charging/charging_unit.hpp"
#include "physics/thermal/thermal_lanes.hpp"
#include "physics/thermal/thermal_unit.hpp"
#include "solver/base/rng.hpp"
#include "solver/particles/state_clock.hpp"

using namespace mps;

namespace {

void fill(ParticleStore& p, std::size_t n, double beam_fraction, const ChargingModel& charging) {
  p.clear();
  p.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const auto i = p.push_back(k, ParticleState::flying);
    Rng rng(7, RngPurpose::test, k);
    const double d = 3e-6 + 4e-6 * rng.uniform();
    p[Field::diameter][i] = d;
    p[Field::mass][i] = 19250.0 * 3.141592653589793 * d * d * d / 6.0;
    const bool in_beam = rng.uniform() < beam_fraction;
    const double T = 373.15 + 2600.0 * rng.uniform();
    p[Field::temperature][i] = T;
    p[Field::peak_temperature][i] = T;
    p[Field::enthalpy][i] = std::nan("");
    p[Field::charge][i] = 0.0;
    if (in_beam) {
      p[Field::beam_power][i] = 0.2 + 0.8 * rng.uniform();
      p[Field::absorbed_current][i] = 5e-6 + 15e-6 * rng.uniform();
      p[Field::se_current][i] = 0.5 * p[Field::absorbed_current][i];
    }
    ChargingInputs in;
    in.absorbed_current = p[Field::absorbed_current][i];
    in.se_current = p[Field::se_current][i];
    in.temperature = T;
    in.diameter = d;
    charging.advance(p[Field::charge][i], in, 20e-6 * rng.uniform());
  }
}

double cpu_seconds() {  // this thread's CPU time: unaffected by other jobs sharing the core
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double median(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  return x[x.size() / 2];
}

struct Timing {
  double thermal, charging;          // wall s per step, medians (the clock's work in charging)
  double thermal_cpu, charging_cpu;  // CPU s per step, medians
};

Timing time_steps(ParticleStore& p, ThermalUnit& th, ChargingUnit& ch, int steps, int stride) {
  StepContext ctx;
  ctx.dt = 50e-9;  // the quickstart step
  // in the solver's order (builtin_units.cpp): charging, then thermal
  ch.apply(Stage::state, p, ctx);  // warm-up
  th.apply(Stage::state, p, ctx);  // (and enthalpy initialisation)
  // the phases of a steady stream (see the top)
  const double* P = p.ptr(Field::beam_power);
  for (std::size_t i = 0; i < p.size(); ++i)
    p.state_lags()[i] = P[i] > 0.0 ? 0 : static_cast<std::uint8_t>(p.ids()[i] / 64 % stride);
  StateClock clock(stride);
  std::vector<double> tt, tc, ct, cc;
  for (int s = 0; s < steps; ++s) {
    ctx.step = static_cast<std::uint64_t>(s + 1);
    ctx.time = ctx.step * ctx.dt;
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    // the solver's work at a step (Simulation::schedule_state)
    ParticleSelection due{p.size()};
    ctx.state_due = nullptr;
    if (stride > 1) {
      due = clock.schedule(p);
      const ParticleSelection entering = clock.entering();
      ch.catch_up(p, entering, ctx);
      th.catch_up(p, entering, ctx);
      ctx.state_due = &due;
    }
    ch.apply(Stage::state, p, ctx);
    const auto t1 = std::chrono::steady_clock::now();
    const double c1 = cpu_seconds();
    th.apply(Stage::state, p, ctx);
    const auto t2 = std::chrono::steady_clock::now();
    const double c2 = cpu_seconds();
    tc.push_back(std::chrono::duration<double>(t1 - t0).count());
    tt.push_back(std::chrono::duration<double>(t2 - t1).count());
    cc.push_back(c1 - c0);
    ct.push_back(c2 - c1);
  }
  return {median(tt), median(tc), median(ct), median(cc)};
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 1000000;
  // one mix only, for profiling: "stream", "beam" or a beam fraction
  const std::string only = argc > 2 ? argv[2] : "";
  const int clock_stride = argc > 3 ? std::stoi(argv[3]) : kDefaultStateStride;
  // (beam fraction, state stride)
  std::vector<std::pair<double, int>> mixes{{1.0, 1}, {0.1, 1}, {0.1, clock_stride}};
  if (only == "beam") mixes = {{1.0, 1}};
  if (only == "stream") mixes = {{0.1, clock_stride}};
  if (!only.empty() && only != "beam" && only != "stream")
    mixes = {{std::stod(only), clock_stride}};
  const Material& w = Material::builtin("tungsten");
  ParticleStore p;
  std::printf("kernels: %s, %zu lanes (MPS_SIMD_FLAGS)\n", lanes_instruction_set(), lanes_width());
  double stream_rate = 0.0;
  for (const auto& [frac, stride] : mixes) {
    ThermalUnit th(w, ThermalUnitParams{});  // (fresh tallies for each mix)
    ChargingUnit ch(w, ChargingUnitParams{});
    fill(p, n, frac, ChargingModel(w, ChargingUnitParams{}.model));
    const Timing t = time_steps(p, th, ch, 7, stride);
    const double rate = static_cast<double>(n) / (t.thermal + t.charging);
    std::printf(
        "%s mix (%.0f %% in beam, state stride %d), %zu particles: thermal %.3g s, charging %.3g "
        "s per step -> %.3g particle-updates/s (thermal alone %.3g/s, charging alone %.3g/s)\n",
        frac == 1.0 ? "beam" : "stream", 100 * frac, stride, n, t.thermal, t.charging, rate,
        static_cast<double>(n) / t.thermal, static_cast<double>(n) / t.charging);
    std::printf(
        "  per CPU-second (other jobs excluded): thermal %.3g s, charging %.3g s -> %.3g/s\n",
        t.thermal_cpu, t.charging_cpu, static_cast<double>(n) / (t.thermal_cpu + t.charging_cpu));
    double sub = 0, it = 0;
    for (auto& t : th.tallies())
      if (t.name == "thermal_substeps") sub = t.sum->value();
    for (auto& t : ch.tallies())
      if (t.name == "charging_newton_iterations") it = t.sum->value();
    std::printf("  this mix: %.3g thermal sub-steps, %.3g Newton iterations in 8 steps\n", sub, it);
    if (frac != 1.0) stream_rate = rate;
  }
  std::printf("particle-physics: %.3g particle-updates/s per core\n", stream_rate);
  return 0;
}
