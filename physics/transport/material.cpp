#include "physics/transport/material.hpp"

#include <cmath>

#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps::transport {

double Material::atoms_per_m3() const {
  return density * constants::avogadro / molar_mass;
}
double Material::electrons_per_m3() const {
  return Z * atoms_per_m3();
}

Material tungsten() {
  Material w;  // defaults are tungsten (see header for the sources)
  // Slow-SE constant-loss coefficient for W: chosen so that the simulated bulk total slow-SE
  // yield at 20 keV normal incidence is 0.125, the measured value of Yadav & Shanker, Pramana
  // 68, 507 (2007) (SE = 20 % of the total yield 0.625 with eta = 0.5, 8-28 keV). Escape depth
  // ~1 nm and ~40 eV per escaping SE give the same order (Seiler, J. Appl. Phys. 54, R1 (1983)).
  w.se_coefficient = 5.14e-12;
  return w;
}

Material element(const std::string& name, double Z, double molar_mass, double density,
                 double I_eV) {
  if (Z < 1 || molar_mass <= 0 || density <= 0)
    throw InputError("material " + name + ": Z, molar mass and density must be positive");
  Material m;
  m.name = name;
  m.Z = Z;
  m.molar_mass = molar_mass;
  m.density = density;
  m.I_eV = I_eV > 0 ? I_eV : 9.76 * Z + 58.8 * std::pow(Z, -0.19);
  // Sternheimer & Peierls (1971) general parameters for solids and liquids.
  const double n_e = m.electrons_per_m3();
  // plasma energy hbar omega_p = hbar sqrt(n e^2 / (eps0 m)) in eV
  const double hbar_eVs = constants::planck / (2 * constants::pi) / constants::elementary_charge;
  const double wp = std::sqrt(n_e * constants::elementary_charge * constants::elementary_charge /
                              (constants::vacuum_permittivity * constants::electron_mass));
  const double plasma_eV = hbar_eVs * wp;
  m.C_bar = 2.0 * std::log(m.I_eV / plasma_eV) + 1.0;
  if (m.I_eV < 100.0) {
    m.X0 = m.C_bar < 3.681 ? 0.2 : 0.326 * m.C_bar - 1.0;
    m.X1 = 2.0;
  } else {
    m.X0 = m.C_bar < 5.215 ? 0.2 : 0.326 * m.C_bar - 1.5;
    m.X1 = 3.0;
  }
  m.m = 3.0;
  m.a = (m.C_bar - 4.606 * m.X0) / std::pow(m.X1 - m.X0, m.m);
  m.delta0 = 0.0;
  m.se_coefficient = 5.14e-12;  // tungsten's value (no general model): set it for other metals
  return m;
}

}  // namespace mps::transport
