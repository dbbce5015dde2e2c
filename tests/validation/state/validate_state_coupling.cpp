// Validation of the coupling of the thermal and charging units (the split within a step), run
// in the solver's order of the units. Thermionic cooling is exponential in the particle's
// potential, so it is where a split that reads a stale potential shows first: a hot sphere
// outside the beam charges up until its own potential holds its electrons back, and in every
// step the implicit charge update lands on the potential at the step's end, a few kT above the
// one at its start. Read at the start's potential, the current is tens of times what the step
// actually emits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "solver/sim/builtin_units.hpp"
#include "tests/validation/state/beam_stream.hpp"

using namespace mps;

namespace {

using Stream = test::BeamStream;

// 10 us in steps of dt, the units in the solver's order (the registry's)
void run(Stream& s, double dt) {
  std::vector<ProcessUnit*> order;
  for (const auto& u : builtin_units().all()) {
    if (u.name == "thermal") order.push_back(&s.th);
    if (u.name == "charging") order.push_back(&s.ch);
  }
  StepContext ctx;
  ctx.dt = dt;
  const auto steps = static_cast<int>(std::lround(10e-6 / dt));
  for (int k = 0; k < steps; ++k) {
    ctx.step = static_cast<std::uint64_t>(k);
    ctx.time = k * dt;
    set_beam(s, ctx.time, dt);
    for (ProcessUnit* u : order) u->apply(Stage::state, s.p, ctx);
  }
}

double potential(const ParticleStore& p, std::size_t i) {
  return p[Field::charge][i] /
         (2 * constants::pi * constants::vacuum_permittivity * p[Field::diameter][i]);
}

}  // namespace

// Out of the beam: the thermal unit's thermionic cooling must be carried by the electrons the
// charging unit emits, and converge with the step as they do.
TEST(StateCoupling, ThermionicCoolingIsCarriedByTheEmittedElectrons) {
  const std::size_t n = 2000;
  Stream coarse, fine;
  fill(coarse, n, false);
  fill(fine, n, false);
  run(coarse, 50e-9);
  run(fine, 25e-9);
  const double heat[2] = {coarse.tally(coarse.th, "thermionic_energy_J"),
                          fine.tally(fine.th, "thermionic_energy_J")};
  const double charge[2] = {coarse.tally(coarse.ch, "thermionic_emitted_charge_C"),
                            fine.tally(fine.ch, "thermionic_emitted_charge_C")};
  std::printf("thermionic heat %.6g J (50 ns), %.6g J (25 ns); charge %.6g C, %.6g C\n", heat[0],
              heat[1], charge[0], charge[1]);
  ASSERT_GT(charge[1], 1e-13);  // (hot spheres do emit)
  // The emitted charge, from the implicit update, changes by 0.08 % when the step is halved
  // (first order). The cooling carried by the same electrons must converge alike: 2 % leaves
  // room for the temperature dependence of their mean energy, and fails a split that reads the
  // potential at the step's start, whose cooling halves with the step (94 %, measured).
  EXPECT_LT(std::fabs(heat[0] / heat[1] - 1.0), 0.02);
  // The energy per emitted electron is at most the barrier plus the retarding potential plus the
  // mean kinetic energy, W + phi + 2 kT (emission::escaping_mean_energy_eV; no sphere is
  // negative without a beam, so there is no Schottky lowering), bounded with the largest phi
  // and T over the stream.
  double phi_max = 0.0, T_max = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    phi_max = std::max(phi_max, potential(fine.p, i));
    T_max = std::max(T_max, fine.p[Field::temperature][i]);
  }
  const double W = Material::builtin("tungsten").work_function_eV();
  const double bound = W + phi_max + 2.0 * constants::boltzmann_eV * T_max;
  std::printf("heat per emitted charge %.4g V (bound W + phi + 2kT = %.4g V)\n",
              heat[1] / charge[1], bound);
  EXPECT_LT(heat[1] / charge[1], bound);
  EXPECT_GT(heat[1] / charge[1], W);
}
