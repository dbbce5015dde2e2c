// X-ray production map from the transport tallies (issue 7): in the direct coupling the
// focal-spot map is the bremsstrahlung the transport Monte Carlo produces in each particle, not
// the deposited power. On a synthetic target (a packed bed of 5 um W spheres under a 150 kV beam
// with a rectangular cross-section):
//  1. the map holds exactly the radiated energy of the beam's tally (the same emission events,
//     summed per body and per history);
//  2. its IEC 60336 width is the beam width W_CS plus a small lateral corona (and, printed for
//     the record, how it compares with the deposited-power map the dense coupling uses).
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "physics/beam/electron_beam.hpp"
#include "physics/beam/figures_of_merit.hpp"
#include "solver/base/rng.hpp"
#include "solver/io/response_table_io.hpp"
#include "sphere_bed.hpp"

using namespace mps;
using namespace mps::beam_test;

namespace {

// IEC 60336 width (15 % of the maximum) of a line-spread function sampled at `bins` bins over
// [-half, half], from values placed at coordinates w.
double lsf_width_of(const std::vector<double>& w, const std::vector<double>& value, double half,
                    int bins) {
  std::vector<double> x(bins), lsf(bins, 0.0);
  for (int b = 0; b < bins; ++b) x[b] = -half + (b + 0.5) * 2 * half / bins;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const int b = static_cast<int>(std::floor((w[i] + half) / (2 * half) * bins));
    if (b >= 0 && b < bins) lsf[b] += value[i];
  }
  return fom::lsf_width(x, lsf);
}

}  // namespace

TEST(XrayMap, DirectCouplingMapsTheTransportBremsstrahlung) {
  const BeamParams b = beam150(40e-6);  // W_CS = 40 um along y
  FigureOptions f;
  f.beam_power = b.voltage * b.current;
  f.target_angle = M_PI / 2;  // seen from above: the map's length axis is the beam's length
  f.map_half_length = f.map_half_width = 100e-6;
  // bins of 10 um, two lattice pitches: each bin holds whole rows of sphere centres, so the
  // sampled LSF is smooth (finer bins alternate between full and empty rows)
  f.map_bins = 20;
  DirectCouplingOptions o;
  o.histories = 3000;
  o.transport.tally_axis = {0, 0, -1};
  ElectronBeam eb(b, depth_dose_from_table(table(), b.voltage), f,
                  std::make_unique<DirectCoupling>(transport::tungsten(), o));
  ParticleStore p = sphere_bed(8, 9);
  StepContext ctx;
  ctx.dt = 1e-9;
  ctx.seed = 21;
  ctx.gathered = &p;
  eb.apply(Stage::state, p, ctx);
  eb.finish(Stage::state, p, ctx);  // single rank: the "reduced" sums are the local ones

  std::map<std::string, double> global, out;
  for (const auto& t : eb.tallies()) global["beam." + t.name] = t.sum->value();
  eb.summarize(global, out);
  ASSERT_EQ(out.count("focal_spot_map_is_xray"), 1u);
  EXPECT_EQ(out.at("focal_spot_map_is_xray"), 1.0);

  // 1. The map total is the radiated energy of the tally: both sum the same emission events
  // (per body in exact sums, per history in exact sums of per-history doubles), so they agree
  // to round-off; 1e-9 relative is far above it and far below any missing emission.
  const double radiated = global.at("beam.energy_radiated_J");
  ASSERT_GT(radiated, 0.0);
  EXPECT_NEAR(out.at("focal_spot_map_energy_J") / radiated, 1.0, 1e-9);
  // The bed stops the beam (validate_coupling: < 0.1 % of the power reaches its last layers), so
  // its radiated fraction is the thick compact target's (table: 0.37 % at 150 keV; run 0.375 %)
  // within 10 %: 3000 histories give ~2 % (1 sigma) on it, the rest allows for the granular
  // geometry (electrons crossing gaps and re-entering neighbours).
  const double expected = table().of_energy(table().radiated_fraction, 150e3);
  std::printf("radiated fraction %.5f, table (thick compact target) %.5f\n",
              radiated / (f.beam_power * ctx.dt), expected);
  EXPECT_NEAR(radiated / (f.beam_power * ctx.dt) / expected, 1.0, 0.1);

  // 2. Widths along y (the beam width) of the X-ray map and of the deposited-power map.
  std::vector<double> w, power_W;
  for (std::size_t i = 0; i < p.size(); ++i) {
    w.push_back(p[Field::py][i]);
    power_W.push_back(p[Field::beam_power][i]);
  }
  const double power_width = lsf_width_of(w, power_W, 100e-6, 20);
  const double xray_width = out.at("focal_spot_width_m");
  std::printf("X-ray map width %.2f um, deposited-power width %.2f um, W_CS %.0f um\n",
              xray_width * 1e6, power_width * 1e6, b.width_cs * 1e6);
  // The X-ray width is W_CS plus the lateral corona (electrons backscattered into neighbouring
  // spheres): the 15 % level lies at most one 10 um bin beyond each beam edge, and the
  // interpolation between bin centres cannot make it narrower than W_CS minus a bin.
  EXPECT_GT(xray_width, b.width_cs - 10e-6);
  EXPECT_LT(xray_width, b.width_cs + 2 * 10e-6);
  // Measured, not asserted: on this bed the X-ray map is WIDER than the deposited-power map
  // (56 vs 49 um with 3000 histories, edge bins at 20 % vs 10 % of the peak). The spheres at the
  // beam edges are crossed by fast electrons (grazing primaries, backscatter from the core) that
  // radiate more per deposited joule than the electrons slowing down to rest in the core, so the
  // paper's proxy (deposited power, conservative in DEPTH for a compact target, Fig. 5b) is not
  // conservative SIDEWAYS in a granular target. Reported in docs/gallery.md.
}

namespace {

// The dense coupling on the same bed, seen along the beam (target angle 0: the map's length
// axis is the depth), with the map from the bremsstrahlung profile (xray_histories > 0) or from
// the deposited power. Map bins of 3.636 um = the bed's layer spacing, one layer per bin.
std::map<std::string, double> dense_on_bed(std::uint64_t xray_histories) {
  const BeamParams b = beam150(40e-6);
  FigureOptions f;
  f.beam_power = b.voltage * b.current;
  f.target_angle = 0;
  f.map_bins = 20;
  f.map_half_length = f.map_bins / 2 * 0.72 * kPitch;
  f.map_half_width = 100e-6;
  DepthDose dd = depth_dose_from_table(table(), b.voltage);
  if (xray_histories > 0) dd.xray = xray_depth_profile(b.voltage, xray_histories, 5);
  ElectronBeam eb(b, std::move(dd), f);
  ParticleStore p = sphere_bed(8, 9);
  StepContext ctx;
  ctx.dt = 1e-9;
  ctx.gathered = &p;
  eb.apply(Stage::state, p, ctx);
  std::map<std::string, double> global, out;
  for (const auto& t : eb.tallies()) global["beam." + t.name] = t.sum->value();
  eb.summarize(global, out);
  out["energy_in_J"] = global.at("beam.energy_in_J");
  return out;
}

}  // namespace

TEST(XrayMap, DenseCouplingMapsTheBremsstrahlungProfile) {
  const auto xray = dense_on_bed(20000), proxy = dense_on_bed(0);
  EXPECT_EQ(xray.at("focal_spot_map_is_xray"), 1.0);
  EXPECT_EQ(proxy.at("focal_spot_map_is_xray"), 0.0);
  // The map holds the X-rays of the beam in the footprint: U I (radiated fraction) for a thick
  // stream. 20000 histories give the profile's integral to ~1 % (1 sigma); the table's radiated
  // fraction comes from its own 4000 histories (~2 %); the bed is thick (validate_coupling) and
  // the columns' midpoint quadrature of the profile is exact to ~1 %: 6 % covers 2 sigma of both.
  const double fraction = xray.at("focal_spot_map_energy_J") / xray.at("energy_in_J");
  const double expected = table().of_energy(table().radiated_fraction, 150e3);
  std::printf("dense X-ray map: %.5f of the beam energy (table radiated fraction %.5f)\n", fraction,
              expected);
  EXPECT_NEAR(fraction / expected, 1.0, 0.06);
  // Paper, Fig. 5b: the X-ray production corona in depth is shallower than the power-input
  // corona (d15 of the production 4.56 um against 5.40 um at 100 keV in compact W, fig5a
  // study). Seen along the beam the 15 % length of the X-ray map is therefore shorter than that
  // of the deposited-power map; strictly, since both come from deterministic profiles.
  std::printf("depth extent (15 %%): X-ray %.2f um, deposited power %.2f um\n",
              xray.at("focal_spot_length_m") * 1e6, proxy.at("focal_spot_length_m") * 1e6);
  EXPECT_LT(xray.at("focal_spot_length_m"), proxy.at("focal_spot_length_m"));
}
