// Beam coupling validation (issue 7):
//  1. dense and direct couplings agree in the dense limit: a thick, closely packed bed of 5 um
//     tungsten spheres under a 150 kV beam absorbs the same power in both, and the power falls
//     off with depth in the same way;
//  2. the gain model reproduces its own closed form and the melting bonus equals the latent to
//     sensible heat ratio of the material model;
//  3. the permitted power of a run (scaling argument, beam_figures.hpp) is what bisection over
//     the beam power finds: at 0.99 P_perm no particle reaches the limit, at 1.01 P_perm one does.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "physics/beam/electron_beam.hpp"
#include "physics/beam/gain_model.hpp"
#include "physics/materials/material.hpp"
#include "physics/thermal/thermal_unit.hpp"
#include "solver/base/rng.hpp"
#include "solver/io/response_table_io.hpp"
#include "sphere_bed.hpp"

using namespace mps;
using namespace mps::beam_test;

namespace {

double absorbed_power(ElectronBeam& eb, ParticleStore& p, std::vector<double>* by_layer) {
  StepContext ctx;
  ctx.dt = 1e-9;
  ctx.seed = 11;
  ctx.gathered = &p;
  eb.apply(Stage::state, p, ctx);
  eb.finish(Stage::state, p, ctx);  // single rank: the "reduced" sums are the local ones
  double total = 0;
  if (by_layer) by_layer->assign(10, 0.0);
  for (std::size_t i = 0; i < p.size(); ++i) {
    total += p[Field::beam_power][i];
    if (by_layer) (*by_layer)[i / 400] += p[Field::beam_power][i];
  }
  return total;
}

}  // namespace

TEST(BeamCoupling, DenseAndDirectAgreeForAPackedBed) {
  // the dense-limit bed: 10 layers
  ParticleStore a = sphere_bed(10, 7), b = sphere_bed(10, 7);
  ElectronBeam dense(beam150(), depth_dose_from_table(table(), 150e3));
  DirectCouplingOptions o;
  o.histories = 4000;
  o.transport.tally_axis = {0, 0, -1};
  ElectronBeam direct(beam150(), depth_dose_from_table(table(), 150e3), {},
                      std::make_unique<DirectCoupling>(transport::tungsten(), o));
  std::vector<double> la, lb;
  const double pa = absorbed_power(dense, a, &la), pb = absorbed_power(direct, b, &lb);
  const double beam = 150e3 * 1e-3;
  std::printf("absorbed fraction: dense %.4f, direct %.4f\n", pa / beam, pb / beam);
  for (int k = 0; k < 10; ++k)
    std::printf("  layer %d: dense %.4f direct %.4f\n", k, la[k] / beam, lb[k] / beam);
  // Tolerance 8 %: the statistical error of 4000 histories on the absorbed fraction is ~1 %;
  // the rest allows for the continuum approximation (the dense mode spreads each sphere's mass
  // over its 10 um column, the direct mode sees the gaps between spheres).
  EXPECT_NEAR(pb / pa, 1.0, 0.08);
  // The mean depth (layer index weighted by power) within 10 %: the depth-dose shape is the
  // same; per-layer values differ more (the top layer of spheres presents gaps and curved
  // surfaces, where the dense mode has a flat compact surface).
  double ca = 0, cb = 0;
  for (int k = 0; k < 10; ++k) ca += k * la[k], cb += k * lb[k];
  EXPECT_NEAR((cb / pb) / (ca / pa), 1.0, 0.10);
}

namespace {

// A row of 5 um spheres (one layer, 2.6 um apart in x under the 60 um beam) crossing the beam
// along its width at 400 m/s, heated by the dense coupling with the thermal unit (losses off, so
// the scaling argument is exact). Returns the beam's figures and the hottest particle.
struct Crossing {
  std::map<std::string, double> figures;
  double peak_K = 0;
  bool any_molten = false;
};

Crossing cross_beam(double current) {
  BeamParams b = beam150();
  b.current = current;
  const Material& w = Material::builtin("tungsten");
  FigureOptions f;
  f.beam_power = b.voltage * b.current;
  f.limit_enthalpy = w.enthalpy_solidus();
  f.enthalpy_of_t = [&w](double T) { return w.enthalpy(T); };
  f.map_half_length = f.map_half_width = 100e-6;
  ElectronBeam eb(b, depth_dose_from_table(table(), b.voltage), f);
  ThermalUnitParams tp;
  tp.model.radiation = tp.model.thermionic = tp.model.evaporation = false;
  ThermalUnit thermal(w, tp);

  ParticleStore p;
  const int n = 20;
  p.resize(n);
  for (int i = 0; i < n; ++i) {
    p.ids()[i] = static_cast<std::uint64_t>(i);
    p.states()[i] = ParticleState::flying;
    p[Field::px][i] = -25e-6 + i * 2.6e-6;
    p[Field::py][i] = 40e-6;                       // beam width spans y in [-30, 30] um
    p[Field::pz][i] = -2.5e-6 - 0.3e-6 * (i % 3);  // slightly different depths
    p[Field::diameter][i] = 5e-6;
    p[Field::mass][i] = table().density * M_PI / 6 * 125e-18;
    p[Field::temperature][i] = 373.15;
    p[Field::peak_temperature][i] = 373.15;
    p[Field::enthalpy][i] = std::nan("");
  }
  StepContext ctx;
  ctx.dt = 5e-9;
  const double v = 400.0;
  for (int step = 0; step < 60; ++step) {  // 120 um of travel: through the whole beam
    ctx.step = static_cast<std::uint64_t>(step);
    ctx.time = step * ctx.dt;
    for (int i = 0; i < n; ++i) p[Field::py][i] -= v * ctx.dt;
    ctx.gathered = &p;
    eb.apply(Stage::state, p, ctx);
    thermal.apply(Stage::state, p, ctx);
  }
  Crossing c;
  eb.summarize({}, c.figures);
  for (int i = 0; i < n; ++i) {
    c.peak_K = std::max(c.peak_K, p[Field::peak_temperature][i]);
    c.any_molten = c.any_molten || p[Field::time_molten][i] > 0 || p[Field::liquid_fraction][i] > 0;
  }
  return c;
}

}  // namespace

TEST(PermittedPower, ScalingAgreesWithBisection) {
  const Crossing probe = cross_beam(1e-3);
  ASSERT_TRUE(probe.figures.count("permitted_power_W"));
  const double p_perm = probe.figures.at("permitted_power_W");
  // the same permitted power from any probe current (linearity of the coupling)
  const Crossing probe2 = cross_beam(3e-3);
  EXPECT_NEAR(probe2.figures.at("permitted_power_W") / p_perm, 1.0, 1e-9);
  // bracketing runs: 1 % below the permitted power nothing melts, 1 % above the hottest
  // particle reaches the melting point (the 1 % margin is far above the thermal unit's
  // integration error, tolerance 0.01 K on ~3300 K of heating)
  const Material& w = Material::builtin("tungsten");
  const Crossing below = cross_beam(0.99 * p_perm / 150e3);
  const Crossing above = cross_beam(1.01 * p_perm / 150e3);
  EXPECT_FALSE(below.any_molten);
  EXPECT_LT(below.peak_K, w.melting_point());
  EXPECT_TRUE(above.any_molten);
}

TEST(GainModel, ClosedFormAndMeltingBonus) {
  const Material& w = Material::builtin("tungsten");
  GainQuery q;
  const GainResult r = stream_gain(table(), w, q);
  // P = rho dh v L_CS / zeta_peak with the IEC 60336 0.3 spot at 8 degrees (L = 0.65 mm)
  const double l_cs = 0.65e-3 / std::sin(8 * M_PI / 180);
  const double dh = w.enthalpy_solidus() - w.enthalpy(373.15);
  EXPECT_NEAR(r.permitted_power_W,
              table().density * dh * 400 * l_cs / table().of_energy(table().zeta_peak_per_m, 150e3),
              1e-9 * r.permitted_power_W);
  EXPECT_NEAR(r.rotating_anode_power_W, 25e3, 1e-6);
  // permitting melting adds the latent heat to the enthalpy budget: gain ratio 1 + L / dh
  q.melting = true;
  const GainResult m = stream_gain(table(), w, q);
  EXPECT_NEAR(m.gain / r.gain, 1 + w.latent_heat_fusion() / dh, 1e-9);
  // gain linear in the particle speed
  q.melting = false;
  q.velocity = 1000;
  EXPECT_NEAR(stream_gain(table(), w, q).gain / r.gain, 2.5, 1e-12);
}
