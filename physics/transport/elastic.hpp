// Elastic scattering of electrons by atoms: screened Rutherford cross section times the Mott /
// Rutherford ratio.
//
//   d sigma / d mu = pi (Z r_e)^2 (1 - beta^2) / beta^4 * R(mu) / (mu + eta)^2 * (Z + 1) / Z,
//   mu = (1 - cos theta) / 2,
// - screening parameter eta of Moliere with the Bethe correction for Z alpha / beta
//   (as used by Berger and by Geant4's Wentzel models): eta = Z^(2/3) alpha^2 (1.13 + 3.76 (alpha
//   Z / beta)^2) / (4 (9 pi^2 / 128)^(2/3) tau (tau + 2));
// - R(mu) = sum_{j=0..4} a_j (1 - cos theta)^(j/2), a_j = sum_{k=0..5} b_jk (beta - 0.7181287)^k:
//   the analytic fit of the Mott/Rutherford ratio of Lijian, Qing & Zhengming, Radiat. Phys.
//   Chem. 45, 235 (1995), with the b_jk recalculated by Boschini et al., arXiv:1111.4042 (2011);
//   coefficients for Z = 1..92 as tabulated there (W: see elastic.cpp). The fit is used for
//   beta >= 0.2 (E >= 10.6 keV); below, the ratio at beta = 0.2 is used (documented limitation;
//   it only shapes the last ~1 % of the electron range in W).
// - the factor (Z + 1) / Z adds scattering by atomic electrons (Berger 1963).
#pragma once

#include <array>

#include "physics/transport/material.hpp"

namespace mps::transport {

struct MottRatio {
  std::array<std::array<double, 6>, 5> b{};  // b_jk
  double beta_min = 0.2;
  // a_j at an energy
  std::array<double, 5> coefficients(double beta) const;
  // R at 1 - cos theta = 2 mu from the a_j
  static double ratio(const std::array<double, 5>& a, double mu);
};

// Coefficients for the material's Z (throws InputError if no table for that Z).
MottRatio mott_ratio_for(double Z);

double screening_parameter(double Z, double E_eV);
// Prefactor pi (Z r_e)^2 (1 - beta^2) / beta^4 (Z + 1) / Z times atoms per m3: 1/m per unit of
// the integral of R / (mu + eta)^2 d mu.
double elastic_prefactor(const Material& m, double E_eV);

}  // namespace mps::transport
