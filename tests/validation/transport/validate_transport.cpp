// Validation of the transport Monte Carlo for tungsten against published data (each test names
// its source and justifies its tolerance; statistical sigmas are for the history counts used).
#include <gtest/gtest.h>

#include <cmath>

#include "physics/transport/scenarios.hpp"
#include "physics/transport/stopping_power.hpp"

using namespace mps::transport;

namespace {
BulkFigures bulk(double E, std::uint64_t n, TransportOptions o = {}, std::uint64_t seed = 11) {
  const Material w = tungsten();
  TransportEngine engine(w, bulk_options(w, E, o));
  Slab slab;
  PencilBeam beam(E);
  return bulk_figures(engine.run_histories(slab, beam, 0, n, seed), w);
}
SphereFigures sphere(double d, double E, std::uint64_t n) {
  SphereSetup su = sphere_setup(d, E);
  TransportEngine engine(tungsten(), su.options);
  return sphere_figures(engine.run_histories(su.geometry, su.beam, 0, n, 21));
}
}  // namespace

TEST(TransportValidation, CsdaRangeMatchesEstar) {
  // NIST ESTAR (Berger et al., NIST SRD 124; ICRU Report 37) CSDA ranges of W at 19.3 g/cm3, as
  // quoted in DESIGN.md: 15.4 um (100 keV), 29.4 um (150 keV), 83.5 um (300 keV). ESTAR is the
  // same Bethe formula, so 3 % covers our simpler bremsstrahlung term and the low-energy part.
  const Material w = tungsten();
  EXPECT_NEAR(csda_range(w, 100e3) / 15.4e-6, 1.0, 0.03);
  EXPECT_NEAR(csda_range(w, 150e3) / 29.4e-6, 1.0, 0.03);
  EXPECT_NEAR(csda_range(w, 300e3) / 83.5e-6, 1.0, 0.03);
}

TEST(TransportValidation, BulkBackscatterMatchesMeasured) {
  // Measured eta of W ~ 0.50 at 8-28 keV (Yadav & Shanker, Pramana 68, 507 (2007)) and nearly
  // constant up to 300 keV for high Z (Tabata, Ito & Okabe, NIM 94, 509 (1971) systematics;
  // DESIGN.md). Tolerance 10 % (the brief); sigma(eta) = sqrt(eta (1 - eta) / n) = 0.007 for
  // n = 5000, so the band is 7 sigma wide and a model error of 10 % is still caught.
  // The energy backscatter coefficient is checked through the mean energy of the backscattered
  // electrons, eta_E / eta = 0.6-0.85 for high-Z targets (Reimer, Scanning Electron Microscopy,
  // 2nd ed., Springer 1998, sect. 4.3.2: 0.7-0.8 E0 for Au), sigma ~ 0.01.
  for (double E : {30e3, 100e3}) {
    const BulkFigures f = bulk(E, 5000);
    EXPECT_NEAR(f.backscatter_number, 0.50, 0.05) << E;
    const double mean_energy = f.backscatter_energy / f.backscatter_number;
    EXPECT_GT(mean_energy, 0.60) << E;
    EXPECT_LT(mean_energy, 0.85) << E;
  }
}

TEST(TransportValidation, DepthDosePeakAndD15) {
  // Paper (Methods): zeta peaks at ~8 % (30 keV) to ~6 % (300 keV) of the CSDA range; d15 at
  // 100 keV is 4.85 um (Fig. 5b). The peak of zeta in W is broad, so the estimated peak depth
  // scatters by ~10 % at n = 5000: bands of +-2 percentage points. Our d15 at 100 keV is ~10 %
  // above the paper's Casino 3.3 value (different stopping and elastic models): 15 % band.
  const BulkFigures f30 = bulk(30e3, 5000);
  EXPECT_NEAR(f30.depth.depth_peak_m / f30.csda_range_m, 0.08, 0.02);
  const BulkFigures f300 = bulk(300e3, 3000);
  EXPECT_NEAR(f300.depth.depth_peak_m / f300.csda_range_m, 0.06, 0.02);
  const BulkFigures f100 = bulk(100e3, 5000);
  EXPECT_NEAR(f100.depth.depth15_m / 4.85e-6, 1.0, 0.15);
  // integral of zeta = 1 - eta_E - radiated (paper, Methods), exact by construction of tallies
  EXPECT_NEAR(f100.absorbed_energy_fraction + f100.backscatter_energy + f100.radiated_fraction, 1.0,
              1e-9);
}

TEST(TransportValidation, StepSizeHalvingDoesNotChangeResults) {
  // Halving both step parameters (c1: hard elastic mean free path / transport mfp; c2: maximum
  // fractional energy loss per step) must not change eta and d15 beyond statistics:
  // sigma of the difference of eta = sqrt(2) * 0.0065 = 0.009 at n = 6000: 3 sigma = 0.027;
  // d15 within 4 % (statistical scatter ~1 %).
  TransportOptions fine;
  fine.c1 = 0.025;
  fine.c2 = 0.02;
  const BulkFigures a = bulk(100e3, 6000, {}, 31), b = bulk(100e3, 6000, fine, 32);
  EXPECT_NEAR(a.backscatter_number, b.backscatter_number, 0.027);
  EXPECT_NEAR(a.backscatter_energy, b.backscatter_energy, 0.025);
  EXPECT_NEAR(a.depth.depth15_m / b.depth.depth15_m, 1.0, 0.04);
}

TEST(TransportValidation, SphereYieldsApproachBulkWithDiameter) {
  // Paper (Fig. 4e and text): the yield of electrons leaving a free sphere decreases with the
  // diameter toward the thick-target value; the backward (reflection) part rises toward bulk eta.
  // n = 3000: sigma of the yields ~0.006, of eta ~0.009; the differences tested are > 0.04.
  const double E = 150e3;
  const SphereFigures s1 = sphere(1e-6, E, 3000), s5 = sphere(5e-6, E, 3000),
                      s10 = sphere(10e-6, E, 3000);
  const BulkFigures b = bulk(E, 3000);
  EXPECT_GT(s1.electrons_out_per_primary, s10.electrons_out_per_primary + 0.02);
  EXPECT_GT(s10.electrons_out_per_primary, b.backscatter_number);
  EXPECT_LT(s1.backscatter_number, s5.backscatter_number);
  EXPECT_LT(s5.backscatter_number, s10.backscatter_number);
  EXPECT_LT(s10.backscatter_number, b.backscatter_number + 0.03);
  // every sphere tally closes: electrons in = out + gained
  EXPECT_NEAR(s5.net_charge_per_primary, 1.0 - s5.electrons_out_per_primary - s5.secondary_yield,
              1e-9);
}

TEST(TransportValidation, NeutralityThresholdInDiagnosticRange) {
  // Paper (Fig. 4c): a free 5 um W sphere stops charging (fast electrons out = in) at a threshold
  // energy in the diagnostic range (40-150 keV) where ~11 % of the energy is absorbed. Casino's
  // sphere physics differs from ours (we get ~16 %), so the absorbed fraction is tested within a
  // factor of 2 of 11 %. 3000 histories per energy with common random numbers: threshold
  // uncertainty ~3 keV.
  const Threshold t = neutrality_threshold(tungsten(), 5e-6, 3000, 5, /*include_slow_se=*/false);
  EXPECT_GT(t.energy_eV, 40e3);
  EXPECT_LT(t.energy_eV, 150e3);
  EXPECT_GT(t.absorbed_energy_fraction, 0.055);
  EXPECT_LT(t.absorbed_energy_fraction, 0.22);
}

TEST(TransportValidation, SlowSecondaryYieldOfBulkTungsten) {
  // The constant-loss coefficient of W was set so that the bulk slow-SE yield at 20 keV is the
  // measured 0.125 (Yadav & Shanker 2007); this guards that calibration (10 %, sigma = 0.001),
  // and the yield must fall with energy as the stopping power does (constant-loss model).
  const BulkFigures a = bulk(20e3, 4000), b = bulk(100e3, 2000);
  EXPECT_NEAR(a.secondary_yield, 0.125, 0.0125);
  EXPECT_LT(b.secondary_yield, 0.6 * a.secondary_yield);
}
