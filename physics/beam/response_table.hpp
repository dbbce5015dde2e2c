// Electron-response tables of the target material, computed by the transport module
// (`mpstream transport table`) and read by the beam coupling: depth-dose zeta(E, h) of the compact
// material and the per-primary yields of free spheres (for charging), on grids of beam energy,
// depth and sphere diameter. Interpolation is linear in energy and depth (log-linear would not be
// better resolved: the grids are fine), clamped at the grid ends.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mps {

struct ResponseTable {
  std::string material = "tungsten";
  double density = 19250.0;         // kg/m3 of the compact material
  std::vector<double> energies_eV;  // increasing
  std::vector<double> depths_m;     // increasing, from 0
  // [energy][depth]
  std::vector<std::vector<double>> zeta_per_m;   // depth-dose (1/m)
  std::vector<std::vector<double>> transmitted;  // fraction of primaries passing the depth
  std::vector<double> eta_number, eta_energy;    // backscatter coefficients of the bulk
  std::vector<double> radiated_fraction;         // bremsstrahlung energy leaving
  std::vector<double> csda_range_m, zeta_peak_per_m, depth_peak_m, depth15_m;
  // free spheres: [energy][diameter]
  std::vector<double> diameters_m;
  std::vector<std::vector<double>> sphere_absorbed_fraction, sphere_electrons_out,
      sphere_secondary_yield;

  // Interpolated values (E in eV, h in m, d in m).
  double zeta(double e, double h) const;
  double transmitted_fraction(double e, double h) const;
  // The same at a fixed energy located once (the beam unit asks at its tube voltage for every
  // particle, every step): bit for bit the values above.
  struct AtEnergy {
    std::size_t row = 0;  // energies_eV[row] <= e <= energies_eV[row + 1] (clamped)
    double weight = 0.0;  // of row + 1
  };
  AtEnergy at_energy(double e) const;
  double zeta(const AtEnergy& e, double h) const;
  double transmitted_fraction(const AtEnergy& e, double h) const;
  double of_energy(const std::vector<double>& v, double e) const;
  double sphere(const std::vector<std::vector<double>>& v, double e, double d) const;
  // Throws InputError when grids and arrays disagree or are not increasing.
  void validate(const std::string& where) const;
};

}  // namespace mps
