// The dense coupling reproduces a prescribed depth-dose profile exactly, and the beam's energy
// bookkeeping closes.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/beam/electron_beam.hpp"

using namespace mps;

namespace {

DepthDose prescribed() {
  DepthDose d;
  d.voltage = 100e3;
  // a smooth profile with the shape of a depth-dose curve (units 1/m, h in m)
  d.zeta = [](double h) { return 4e4 * (1 + h / 2e-6) * std::exp(-h / 3e-6); };
  d.transmitted = [](double h) { return std::exp(-h / 5e-6); };
  d.eta_energy = 0.4;
  d.radiated_fraction = 0.01;
  return d;
}

BeamParams beam() {
  BeamParams b;
  b.voltage = 100e3;
  b.current = 0.1;
  b.center = {0, 0, 0};
  b.axis = {0, 0, -1};  // electrons travel down
  b.length_dir = {1, 0, 0};
  b.length_cs = 1e-3;
  b.width_cs = 0.5e-3;
  b.column_size = 100e-6;
  b.depth_extent = 1e-3;
  return b;
}

}  // namespace

TEST(ElectronBeam, DenseModeReproducesPrescribedZeta) {
  ElectronBeam eb(beam(), prescribed());
  ParticleStore p;
  // one column: 10 particles stacked downwards at x = y = 10 um
  const double m = 1.26e-12, rho = 19250.0, area = 100e-6 * 100e-6;
  for (int k = 0; k < 10; ++k) {
    auto i = p.push_back(static_cast<std::uint64_t>(k), ParticleState::flying);
    p[Field::px][i] = 10e-6;
    p[Field::py][i] = 10e-6;
    p[Field::pz][i] = -1e-6 * k;  // first particle (k = 0) is hit first
    p[Field::mass][i] = m;
    p[Field::diameter][i] = 5e-6;
  }
  ParticleStore g = p;  // one rank: the gathered set is the store
  StepContext ctx;
  ctx.dt = 1e-8;
  ctx.gathered = &g;
  eb.apply(Stage::state, p, ctx);
  const double j = 0.1 / (1e-3 * 0.5e-3);
  for (int k = 0; k < 10; ++k) {
    const double h = (k + 0.5) * m / (rho * area);
    // exact up to round-off (same formula): relative 1e-14
    EXPECT_NEAR(p[Field::beam_power][k], j * 100e3 * prescribed().zeta(h) * m / rho,
                1e-14 * p[Field::beam_power][k]);
    EXPECT_NEAR(p[Field::absorbed_current][k],
                j * M_PI * 6.25e-12 *
                    (std::exp(-(k * m / (rho * area)) / 5e-6) -
                     std::exp(-((k + 1) * m / (rho * area)) / 5e-6)),
                1e-14);
  }
}

TEST(ElectronBeam, OutsideTheBeamNothing) {
  ElectronBeam eb(beam(), prescribed());
  ParticleStore p;
  auto i = p.push_back(1, ParticleState::flying);
  p[Field::px][i] = 0.6e-3;  // beyond L/2
  p[Field::mass][i] = 1e-12;
  ParticleStore g = p;
  StepContext ctx;
  ctx.dt = 1e-8;
  ctx.gathered = &g;
  eb.apply(Stage::state, p, ctx);
  EXPECT_EQ(p[Field::beam_power][i], 0.0);
}

TEST(ElectronBeam, EnergyBookkeepingCloses) {
  // in = absorbed + backscattered + radiated + transmitted to 1e-12 relative over many steps
  ElectronBeam eb(beam(), prescribed());
  ParticleStore p;
  for (int k = 0; k < 200; ++k) {
    auto i = p.push_back(static_cast<std::uint64_t>(k), ParticleState::flying);
    p[Field::px][i] = -0.45e-3 + 0.9e-3 * (k % 20) / 20.0;
    p[Field::py][i] = -0.2e-3 + 0.4e-3 * (k / 20) / 10.0;
    p[Field::pz][i] = -1e-6 * (k % 7);
    p[Field::mass][i] = 1.26e-12;
    p[Field::diameter][i] = 5e-6;
  }
  for (int s = 0; s < 50; ++s) {
    ParticleStore g = p;
    StepContext ctx;
    ctx.time = s * 1e-8;
    ctx.dt = 1e-8;
    ctx.gathered = &g;
    eb.apply(Stage::state, p, ctx);
  }
  double in = 0, out = 0;
  for (const auto& t : eb.tallies()) {
    if (t.name == "energy_in_J")
      in = t.sum->value();
    else
      out += t.sum->value();
  }
  EXPECT_NEAR(out, in, 1e-12 * in);
  EXPECT_NEAR(in, 100e3 * 0.1 * 50 * 1e-8, 1e-12);
}
