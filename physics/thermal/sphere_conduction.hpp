// Radial conduction inside one particle: 1-D spherical finite volumes (equal-thickness shells),
// backward Euler in time with the properties k(T), cp(T) taken at the start of the step (shell
// masses fixed at the initial density)
// and the surface radiation linearised about it (a tridiagonal solve per step). Solid only (no
// melting front): it is the check of the lumped model's validity, not a replacement for it.
//
// The lumped model (one temperature per particle, thermal_model.hpp) holds when heat spreads
// through the sphere faster than it is deposited or lost: Fourier number Fo = alpha t / r^2 >~ 1
// over the heating time t (alpha = k / (rho cp)) and Biot number Bi = h r / k << 1 for the
// surface losses (h = 4 eps sigma T^3 for radiation). For 5 um tungsten crossing a ~1 us beam
// Fo ~ 10 and Bi ~ 1e-6: lumped. For 100 um particles Fo ~ 0.02: the energy deposited by depth
// stays near the surface and the peak temperature is far above the lumped mean (test_conduction).
#pragma once

#include <functional>
#include <vector>

#include "physics/materials/material.hpp"

namespace mps {

class SphereConduction {
 public:
  SphereConduction(const Material& material, double diameter, int shells, double T0);
  // Advance dt with a volumetric power density q(depth below the surface) (W/m^3), radiating to
  // walls at wall_T with emissivity eps.
  void step(double dt, const std::function<double(double)>& power_density, double wall_T,
            double eps);
  const std::vector<double>& temperatures() const { return T_; }  // centre to surface
  double surface_temperature() const { return T_.back(); }
  double centre_temperature() const { return T_.front(); }
  double mean_temperature() const;          // volume-weighted
  double heat_content(double T_ref) const;  // sum m_i (h(T_i) - h(T_ref)), J

 private:
  const Material* m_;
  double radius_;
  std::vector<double> r_face_, volume_, mass_, T_;
};

// Fourier number alpha t / r^2 and radiative Biot number 4 eps sigma T^3 r / k of a sphere.
double fourier_number(const Material& m, double diameter, double T, double time);
double radiative_biot_number(const Material& m, double diameter, double T, double eps);
// The lumped model holds: Fo >= 1 over the heating time and Bi <= 0.1.
bool lumped_model_valid(const Material& m, double diameter, double T, double heating_time);

}  // namespace mps
