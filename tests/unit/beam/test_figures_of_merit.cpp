#include <gtest/gtest.h>

#include <cmath>

#include "physics/beam/figures_of_merit.hpp"

using namespace mps::fom;

namespace {
// a rectangular source of width a (m), centred, sampled at spacing h on [-L, L]
void rect(double a, double h, double L, std::vector<double>& x, std::vector<double>& y) {
  x.clear();
  y.clear();
  for (double t = -L; t <= L + 1e-15; t += h) {
    x.push_back(t);
    y.push_back(std::abs(t) <= a / 2 + 1e-15 ? 1.0 : 0.0);
  }
}
}  // namespace

TEST(FocalSpot, RectangularSourceReturnsItsSize) {
  // A rectangle of 0.45 mm sampled at 1 um: the 15 % crossings lie within one sample of the edges
  // (linear interpolation puts them 0.85 samples outside), so the width is exact to 2 um.
  std::vector<double> x, y;
  rect(0.45e-3, 1e-6, 1e-3, x, y);
  EXPECT_NEAR(lsf_width(x, y), 0.45e-3, 2e-6);
}

TEST(FocalSpot, MapGivesWidthAndLength) {
  // 2-D map: 0.3 mm x 0.6 mm rectangle on a 5 um grid; both LSF widths within 2 samples.
  const int nx = 400, ny = 400;
  const double h = 5e-6;
  std::vector<double> map(nx * ny, 0.0), xs(nx), ys(ny);
  for (int i = 0; i < nx; ++i) xs[i] = (i - nx / 2 + 0.5) * h;
  for (int j = 0; j < ny; ++j) ys[j] = (j - ny / 2 + 0.5) * h;
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i)
      if (std::abs(xs[i]) < 0.15e-3 && std::abs(ys[j]) < 0.3e-3) map[j * nx + i] = 1.0;
  EXPECT_NEAR(lsf_width(xs, lsf_along_x(map, nx, ny)), 0.3e-3, 2 * h);
  EXPECT_NEAR(lsf_width(ys, lsf_along_y(map, nx, ny)), 0.6e-3, 2 * h);
}

TEST(FocalSpot, GaussianAt15Percent) {
  // Gaussian LSF: the 15 % full width is 2 sigma sqrt(2 ln(1/0.15)) = 3.896 sigma (analytic).
  std::vector<double> x, y;
  const double s = 0.1e-3;
  for (double t = -1e-3; t <= 1e-3; t += 1e-6) {
    x.push_back(t);
    y.push_back(std::exp(-t * t / (2 * s * s)));
  }
  EXPECT_NEAR(lsf_width(x, y), 2 * s * std::sqrt(2 * std::log(1 / 0.15)), 1e-7);
}

TEST(Mtf, RectangleIsAbsSinc) {
  // MTF of a rectangular LSF of width a is |sinc(pi f a)|; the piecewise-linear transform of a
  // finely sampled (0.5 um) rectangle matches to 2e-3 up to 5 lp/mm.
  const double a = 0.3e-3;
  std::vector<double> x, y;
  rect(a, 0.5e-6, 1e-3, x, y);
  for (double f : {0.0, 500.0, 1000.0, 2000.0, 3000.0, 5000.0}) {  // 1/m (5000 = 5 lp/mm)
    const double arg = M_PI * f * a;
    const double exact = f == 0 ? 1.0 : std::abs(std::sin(arg) / arg);
    EXPECT_NEAR(mtf(x, y, f), exact, 2e-3) << f;
  }
  // MTF50 of a rectangle: sinc(z) = 0.5 at z = 1.8955, f50 = 1.8955 / (pi a)
  EXPECT_NEAR(mtf_frequency_at(x, y, 0.5, 2e4), 1.89549 / (M_PI * a), 5.0);
}

TEST(Gain, PermittedPowerFormulaAndScaling) {
  // P = rho dh v L / zeta: linear in v and L, inverse in zeta.
  const double p = permitted_power_stream(19250, 5e5, 400, 3e-3, 4e4);
  EXPECT_DOUBLE_EQ(p, 19250.0 * 5e5 * 400 * 3e-3 / 4e4);
  EXPECT_DOUBLE_EQ(permitted_power_stream(19250, 5e5, 800, 3e-3, 4e4), 2 * p);
  // Mueller-Oosterkamp: doubling both dimensions gives 2^1.5 the power
  EXPECT_NEAR(rotating_anode_power(25e3, 2, 2, 1), 25e3 * std::pow(2, 1.5), 1e-9);
  EXPECT_NEAR(std::pow(rotating_anode_enlargement_for_gain(8.0), 1.5), 8.0, 1e-12);
  EXPECT_NEAR(paper_gain_fit(400, 150), 12.14, 0.01);
}
