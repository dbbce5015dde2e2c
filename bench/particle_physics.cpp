// Benchmark of the per-particle state units (bench/run particle-physics): one time step of the
// thermal and charging units on 1e6 particles, on one core. Two mixes are timed:
//   stream: a stream crossing a beam, 10 % of the particles in the beam (0.2-1 W, 5-20 uA
//           absorbed, 0.5x slow SE), the rest flying at 373-3000 K with no beam (cooling,
//           thermionic where hot); placement below,
//   beam:   every particle in the beam (the heaviest work per particle).
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
// the warm-up step.
//
// Placement. Particles are injected in id order and the store keeps them so (migration sorts by
// id), so the particles a beam crosses at one time lie in runs of consecutive ids: the stream
// mix places its 10 % in the beam in runs of kBeamRun ids, the mean run of the reference case.
// The same mix with those particles scattered at random over the 1e6 (every batch of the units
// then gathers from all over memory) is printed as well, as the worst case: it was the
// benchmark's only stream mix up to issue 4's stop 16 (1.5e7 updates/s then).
// Usage: bench_particle_physics [particles] [stream|scattered|beam|FRACTION] [stride] [run]
// (one mix only, for profiling; stride default kDefaultStateStride, run default kBeamRun).
// Last line: "particle-physics: <N> particle-updates/s per core" (stream mix, runs of kBeamRun
// ids, default stride; thermal + charging of one particle over one step = one update).
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

// The particles in the beam lie in runs of consecutive ids (see the top): in the reference case
// (cases/paper/ct-150kV-400ms.yaml), 42-46 % of the particles are in the beam at a step, in runs
// of 26 consecutive store indices on average (counted over its 500 steps on one rank).
constexpr std::size_t kBeamRun = 26;

void fill(ParticleStore& p, std::size_t n, double beam_fraction, std::size_t beam_run,
          const ChargingModel& charging) {
  p.clear();
  p.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const auto i = p.push_back(k, ParticleState::flying);
    Rng rng(7, RngPurpose::test, k);
    const double d = 3e-6 + 4e-6 * rng.uniform();
    p[Field::diameter][i] = d;
    p[Field::mass][i] = 19250.0 * 3.141592653589793 * d * d * d / 6.0;
    bool in_beam = rng.uniform() < beam_fraction;
    if (beam_run > 1)  // in runs of consecutive ids (see the top)
      in_beam = Rng(8, RngPurpose::test, k / beam_run).uniform() < beam_fraction;
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

struct Mix {
  double beam_fraction;
  int stride;            // state stride
  std::size_t beam_run;  // the particles in the beam in runs of this many ids (1: scattered)
  bool headline;         // the figure of the last line
};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 1000000;
  // one mix only, for profiling: "stream", "scattered", "beam" or a beam fraction
  const std::string only = argc > 2 ? argv[2] : "";
  const int clock_stride = argc > 3 ? std::stoi(argv[3]) : kDefaultStateStride;
  const std::size_t run = argc > 4 ? std::stoul(argv[4]) : kBeamRun;
  std::vector<Mix> mixes{{1.0, 1, 1, false},
                         {0.1, 1, kBeamRun, false},
                         {0.1, clock_stride, kBeamRun, true},
                         {0.1, clock_stride, 1, false}};
  if (only == "beam") mixes = {{1.0, 1, 1, false}};
  if (only == "stream") mixes = {{0.1, clock_stride, run, true}};
  if (only == "scattered") mixes = {{0.1, clock_stride, 1, true}};
  if (!only.empty() && only != "beam" && only != "stream" && only != "scattered")
    mixes = {{std::stod(only), clock_stride, run, true}};
  const Material& w = Material::builtin("tungsten");
  ParticleStore p;
  std::printf("kernels: %s, %zu lanes (MPS_SIMD_FLAGS)\n", lanes_instruction_set(), lanes_width());
  double headline = 0.0;
  for (const Mix& mix : mixes) {
    ThermalUnit th(w, ThermalUnitParams{});  // (fresh tallies for each mix)
    ChargingUnit ch(w, ChargingUnitParams{});
    fill(p, n, mix.beam_fraction, mix.beam_run, ChargingModel(w, ChargingUnitParams{}.model));
    const Timing t = time_steps(p, th, ch, 7, mix.stride);
    const double rate = static_cast<double>(n) / (t.thermal + t.charging);
    const std::string placement = mix.beam_fraction == 1.0 ? ""
                                  : mix.beam_run > 1
                                      ? " in runs of " + std::to_string(mix.beam_run) + " ids"
                                      : " scattered";
    std::printf(
        "%s mix (%.0f %% in beam%s, state stride %d), %zu particles: thermal %.3g s, charging "
        "%.3g s per step -> %.3g particle-updates/s (thermal alone %.3g/s, charging alone "
        "%.3g/s)\n",
        mix.beam_fraction == 1.0 ? "beam" : "stream", 100 * mix.beam_fraction, placement.c_str(),
        mix.stride, n, t.thermal, t.charging, rate, static_cast<double>(n) / t.thermal,
        static_cast<double>(n) / t.charging);
    std::printf(
        "  per CPU-second (other jobs excluded): thermal %.3g s, charging %.3g s -> %.3g/s\n",
        t.thermal_cpu, t.charging_cpu, static_cast<double>(n) / (t.thermal_cpu + t.charging_cpu));
    double sub = 0, it = 0;
    for (auto& t : th.tallies())
      if (t.name == "thermal_substeps") sub = t.sum->value();
    for (auto& t : ch.tallies())
      if (t.name == "charging_newton_iterations") it = t.sum->value();
    std::printf("  this mix: %.3g thermal sub-steps, %.3g Newton iterations in 8 steps\n", sub, it);
    if (mix.headline) headline = rate;
  }
  std::printf("particle-physics: %.3g particle-updates/s per core\n", headline);
  return 0;
}
