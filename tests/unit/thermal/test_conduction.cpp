// When the lumped particle model holds and when it does not: 1-D radial conduction against the
// lumped balance for a 5 um and a 100 um tungsten sphere heated near the surface for 1 us.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "physics/thermal/sphere_conduction.hpp"
#include "solver/base/constants.hpp"

namespace mps {
namespace {

const Material& W() {
  return Material::builtin("tungsten");
}

// Power density deposited in the outer 1.5 um (the depth-dose peak region of 100-150 keV
// electrons in W is a few um): q0 below the surface down to 1.5 um, zero deeper.
double surface_source(double depth) {
  return depth < 1.5e-6 ? 5e15 : 0.0;
}

struct Result {
  double surface_rise, mean_rise, centre_rise;
};

Result heat(double d, int shells) {
  SphereConduction s(W(), d, shells, 373.15);
  const double dt = 1e-9;
  for (int k = 0; k < 1000; ++k) s.step(dt, surface_source, 300.0, 0.0);  // 1 us, no radiation
  return {s.surface_temperature() - 373.15, s.mean_temperature() - 373.15,
          s.centre_temperature() - 373.15};
}

TEST(Conduction, EnergyIsConservedWithoutRadiation) {
  // Constant power in, no losses: heat content rises by the deposited energy. Properties are
  // lagged one step (cp changes ~1e-4 per step here), so 1e-3 is the consistency check.
  SphereConduction s(W(), 20e-6, 40, 373.15);
  double deposited = 0.0;
  const double dt = 1e-9;
  for (int k = 0; k < 200; ++k) {
    s.step(dt, surface_source, 300.0, 0.0);
    // volume within 1.5 um of the surface
    const double r = 10e-6, ri = r - 1.5e-6;
    deposited += 5e15 * 4.0 / 3.0 * constants::pi * (r * r * r - ri * ri * ri) * dt;
  }
  EXPECT_NEAR(s.heat_content(373.15) / deposited, 1.0, 1e-3);
}

TEST(Conduction, LumpedHoldsForSmallParticles) {
  // 5 um: Fo ~ 10 over 1 us, the sphere is isothermal: surface and centre within 1 % of the
  // rise of the mean.
  const Result r = heat(5e-6, 50);
  std::printf("5 um, 1 us: rise surface %.1f K, mean %.1f K, centre %.1f K\n", r.surface_rise,
              r.mean_rise, r.centre_rise);
  EXPECT_GT(r.mean_rise, 100.0);
  EXPECT_LT(std::fabs(r.surface_rise - r.centre_rise), 0.01 * r.mean_rise);
  EXPECT_TRUE(lumped_model_valid(W(), 5e-6, 1000.0, 1e-6));
  EXPECT_GT(fourier_number(W(), 5e-6, 1000.0, 1e-6), 5.0);
}

TEST(Conduction, LumpedFailsForLargeParticles) {
  // 100 um: Fo ~ 0.02, the heat stays within the diffusion length sqrt(alpha t) ~ 7 um of the
  // surface, a shell holding ~3 x 7.5 / 50 ~ 0.45 of the volume or less: the surface rise is
  // more than twice the mean (which is what the lumped model would give), the centre is cold.
  const Result r = heat(100e-6, 400);
  std::printf("100 um, 1 us: rise surface %.1f K, mean %.1f K, centre %.3g K\n", r.surface_rise,
              r.mean_rise, r.centre_rise);
  EXPECT_GT(r.surface_rise, 2.0 * r.mean_rise);
  EXPECT_LT(r.centre_rise, 1e-3 * r.mean_rise);
  EXPECT_FALSE(lumped_model_valid(W(), 100e-6, 1000.0, 1e-6));
}

}  // namespace
}  // namespace mps
