// Validation of the tungsten enthalpy budget against the paper and the literature check.
//
// The paper (Methods) says that permitting melting adds at least 48 % to the usable heat of a
// particle entering at 100 C; DESIGN.md section 5 notes that Tolias's recommended cp with
// L_f = 52.3 kJ/mol gives ~0.46 instead. We report what the model gives (not tuned).
#include <gtest/gtest.h>

#include <cstdio>

#include "physics/materials/material.hpp"

namespace mps {
namespace {

// Composite Simpson quadrature of the solid cp fit: an independent check of the analytic
// integral (the solid fit is used up to and including Tm, where cp() already returns the liquid).
double simpson_cp(const Material& m, double a, double b, int n) {
  const PiecewiseFit& cp = m.data().cp_solid;
  const double h = (b - a) / n;
  double s = cp.eval(a) + cp.eval(b);
  for (int i = 1; i < n; ++i) s += (i % 2 ? 4.0 : 2.0) * cp.eval(a + i * h);
  return s * h / 3.0;
}

TEST(LatentHeat, SensibleIntegralMatchesQuadrature) {
  const Material& w = Material::builtin("tungsten");
  const double a = 373.15, tm = w.melting_point();
  const double analytic = w.sensible_enthalpy(a, tm);
  // Simpson over each cp piece (the 3080 K joint is a kink): error ~ (dT)^4 cp'''' -> < 1e-9
  // relative with 20000 intervals; 1e-8 leaves room for round-off in the sum.
  const double quad = simpson_cp(w, a, 3080.0, 20000) + simpson_cp(w, 3080.0, tm, 20000);
  EXPECT_NEAR(analytic / quad, 1.0, 1e-8);
  std::printf("sensible_enthalpy_J_per_kg(373.15 K -> %.0f K) = %.1f\n", tm, analytic);
}

TEST(LatentHeat, LatentToSensibleRatio) {
  const Material& w = Material::builtin("tungsten");
  const double ratio = w.latent_heat_fusion() / w.sensible_enthalpy(373.15, w.melting_point());
  std::printf("latent_to_sensible_ratio = %.4f\n", ratio);
  // DESIGN.md's literature check quotes ~0.46 (two significant digits): +-0.005 is half a unit of
  // the last quoted digit. It must NOT reproduce the paper's 0.48: the difference comes from the
  // data (cp, L_f), and this test fails if someone tunes the data to the paper.
  EXPECT_NEAR(ratio, 0.46, 0.005);
  EXPECT_LT(ratio, 0.48);
}

}  // namespace
}  // namespace mps
