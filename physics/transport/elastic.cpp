#include "physics/transport/elastic.hpp"

#include <cmath>
#include <string>

#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps::transport {

std::array<double, 5> MottRatio::coefficients(double beta) const {
  const double x = std::max(beta, beta_min) - 0.7181287;
  std::array<double, 5> a{};
  for (int j = 0; j < 5; ++j) {
    double s = 0.0, p = 1.0;
    for (int k = 0; k < 6; ++k) {
      s += b[j][k] * p;
      p *= x;
    }
    a[j] = s;
  }
  return a;
}

double MottRatio::ratio(const std::array<double, 5>& a, double mu) {
  const double y = std::sqrt(2.0 * mu);  // (1 - cos theta)^(1/2)
  const double r = a[0] + y * (a[1] + y * (a[2] + y * (a[3] + y * a[4])));
  return r > 0.0 ? r : 0.0;
}

MottRatio mott_ratio_for(double Z) {
  MottRatio m;
  if (std::lround(Z) == 74) {
    // Tungsten b_jk, Boschini et al. (2011) / Lijian et al. (1995), rows j = 0..4, k = 0..5.
    m.b = {{{1.00025e0, -1.12974e-3, 3.25083e-4, 1.46196e-2, -1.49818e-2, -6.15916e-2},
            {-2.31499e-1, 1.42403e0, 6.68301e0, -8.72894e0, -3.12005e1, 8.13039e-2},
            {2.84004e0, 2.04799e0, -3.40292e1, 1.28426e1, 2.14035e2, 1.24907e2},
            {-2.24701e0, -2.76343e0, 4.3216e1, 4.91177e0, -3.2188e2, -2.66423e2},
            {2.87708e-1, -4.13579e-1, -1.67235e1, -6.90724e0, 1.33305e2, 1.29426e2}}};
    return m;
  }
  if (std::lround(Z) == 79) {
    // Gold, same source.
    m.b = {{{1.00043e0, -1.06114e-3, -4.7734e-3, 1.25001e-2, 2.40713e-2, -1.65728e-2},
            {-3.80207e-1, 9.40778e-1, 1.13464e1, -3.34423e0, -6.89259e1, -5.00549e1},
            {3.07493e0, 4.26732e0, -5.06567e1, -1.47102e1, 3.67721e2, 3.45521e2},
            {-2.0297e0, -4.13334e0, 6.10696e1, 4.02298e1, -4.99399e2, -5.35495e2},
            {1.06694e-1, -4.80932e-1, -2.28393e1, -2.00106e1, 1.95512e2, 2.27574e2}}};
    return m;
  }
  if (std::lround(Z) == 13) {
    // Aluminium, same source.
    m.b = {{{9.99995e-1, -4.03407e-8, 1.86047e-5, 6.85201e-5, -2.14503e-4, -5.22528e-4},
            {1.55704e-1, 2.18048e-1, 8.88994e-2, 1.24878e-1, -9.51331e-1, -1.26824e0},
            {-3.14244e-1, -8.57322e-1, -8.6719e-1, -5.75787e-1, 3.78571e0, 5.87052e0},
            {-5.55526e-2, -1.86861e-2, 3.5886e-1, 5.81094e-1, -3.67623e0, -5.908e0},
            {1.46269e-2, -9.79742e-4, -1.06652e-1, -1.71226e-1, 1.06737e0, 1.71918e0}}};
    return m;
  }
  throw InputError("transport: no Mott-ratio coefficients for Z = " + std::to_string(Z) +
                   " (available: 13, 74, 79; add the row of Boschini et al. 2011)");
}

double screening_parameter(double Z, double E_eV) {
  const double tau = E_eV / constants::electron_rest_energy_eV;
  const double b2 = tau * (tau + 2.0) / ((tau + 1.0) * (tau + 1.0));
  const double a = constants::fine_structure;
  const double c = 4.0 * std::pow(9.0 * constants::pi * constants::pi / 128.0, 2.0 / 3.0);
  return std::pow(Z, 2.0 / 3.0) * a * a * (1.13 + 3.76 * (a * Z) * (a * Z) / b2) /
         (c * tau * (tau + 2.0));
}

double elastic_prefactor(const Material& m, double E_eV) {
  const double tau = E_eV / constants::electron_rest_energy_eV;
  const double b2 = tau * (tau + 2.0) / ((tau + 1.0) * (tau + 1.0));
  const double zr = m.Z * constants::classical_electron_radius;
  return constants::pi * zr * zr * (1.0 - b2) / (b2 * b2) * (m.Z + 1.0) / m.Z * m.atoms_per_m3();
}

}  // namespace mps::transport
