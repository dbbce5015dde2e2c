// Target material for the electron-transport Monte Carlo: an element given by Z, molar mass and
// density, with the mean excitation energy and Sternheimer density-effect parameters of its
// stopping power.
//
// Sources: I-values and density-effect parameters of tungsten from Sternheimer, Berger & Seltzer,
// At. Data Nucl. Data Tables 30, 261 (1984) (W: I = 727 eV, -C = 5.4059, X0 = 0.2167,
// X1 = 3.4960, a = 0.15509, m = 2.8447, delta0 = 0.14), the values ESTAR (ICRU Report 37) uses.
// For other elements: I from the fit I = 9.76 Z + 58.8 Z^-0.19 eV (Sternheimer 1966, valid for
// Z > 13) unless given, and the general density-effect parameters of Sternheimer & Peierls,
// Phys. Rev. B 3, 3681 (1971) for solids.
#pragma once

#include <string>

namespace mps::transport {

struct Material {
  std::string name = "tungsten";
  double Z = 74.0;
  double molar_mass = 0.18384;  // kg/mol
  double density = 19300.0;     // kg/m3 (ESTAR's W density 19.3 g/cm3)
  double I_eV = 727.0;          // mean excitation energy
  // Sternheimer density-effect parameters (X = log10(beta gamma))
  double C_bar = 5.4059, X0 = 0.2167, X1 = 3.4960, a = 0.15509, m = 2.8447, delta0 = 0.14;
  // Slow secondary-electron constant-loss coefficient lambda/epsilon (m/eV): expected slow SE
  // escaping per eV of collision loss per m of path, see secondary_yield.hpp.
  double se_coefficient = 0.0;

  double atoms_per_m3() const;
  double electrons_per_m3() const;
};

Material tungsten();
// Element by Z, molar mass (kg/mol) and density (kg/m3); I in eV (<= 0: Sternheimer fit).
Material element(const std::string& name, double Z, double molar_mass, double density,
                 double I_eV = 0.0);

}  // namespace mps::transport
