// The dense coupling reproduces a prescribed depth-dose profile exactly, and the beam's energy
// bookkeeping closes.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/beam/electron_beam.hpp"
#include "physics/beam/response_table.hpp"

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

TEST(ResponseTable, InterpolationAtAFixedEnergyOnUniformAndUnevenDepths) {
  // zeta(e, h) and the located-energy form must agree bit for bit, and both with bilinear
  // interpolation written out here, on a uniform depth grid (where the interval comes from the
  // spacing) and on an uneven one (where it comes from bisection), at and between grid points
  // and outside the grid.
  for (const bool uniform : {true, false}) {
    ResponseTable t;
    t.energies_eV = {50e3, 100e3, 150e3};
    for (int k = 0; k < 40; ++k)
      t.depths_m.push_back(uniform ? 1e-7 * (k + 1) : 1e-7 * (k + 1) * (1.0 + 0.02 * k));
    for (std::size_t e = 0; e < 3; ++e) {
      std::vector<double> z, tr;
      for (std::size_t k = 0; k < t.depths_m.size(); ++k) {
        z.push_back(1e5 * (1.0 + e) + 3e3 * static_cast<double>(k * k));
        tr.push_back(1.0 - 0.02 * static_cast<double>(k) / (1.0 + static_cast<double>(e)));
      }
      t.zeta_per_m.push_back(z);
      t.transmitted.push_back(tr);
    }
    const double e = 120e3;
    const auto at = t.at_energy(e);
    const double s = (e - 100e3) / 50e3;  // between rows 1 and 2
    const auto& g = t.depths_m;
    for (int q = -3; q < 4 * static_cast<int>(g.size()) + 3; ++q) {
      const double h = q < 0        ? 0.0
                       : q % 4 == 0 ? g[std::min<std::size_t>(q / 4, g.size() - 1)]
                                    : g.front() + (g.back() - g.front()) * q / (4.0 * g.size());
      EXPECT_EQ(t.zeta(at, h), t.zeta(e, h));
      EXPECT_EQ(t.transmitted_fraction(at, h), t.transmitted_fraction(e, h));
      // written out
      std::size_t k = 0;
      while (k + 2 < g.size() && g[k + 1] <= h) ++k;
      const double w = h <= g.front() ? 0.0 : std::min(1.0, (h - g[k]) / (g[k + 1] - g[k]));
      auto row = [&](std::size_t r) {
        return (1 - w) * t.zeta_per_m[r][k] + w * t.zeta_per_m[r][k + 1];
      };
      const double expected = h > g.back() ? 0.0 : (1 - s) * row(1) + s * row(2);  // none beyond
      EXPECT_NEAR(t.zeta(at, h), expected, 1e-9 * row(2)) << h;
    }
  }
}
