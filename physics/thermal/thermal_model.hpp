// Lumped energy balance of one particle (a sphere at uniform temperature).
//
// Prognostic variables: the particle's total enthalpy E = m h (J) and its mass m. With the beam
// power P (given), the balance over a time step is
//     dE/dt = P - Q_rad(T) - Q_th(T, phi) - mdot(T) (h + dH_vap(T)),     dm/dt = -mdot(T),
// where T and the liquid fraction follow from h = E / m through the material's enthalpy inverse
// (melting and re-solidification are the plateau of h(T); no separate phase logic).
//   Q_rad = eps(T) sigma A (T^4 - T_wall^4)       gray sphere in a large enclosure at T_wall
//   Q_th  = thermionic heat (emission.hpp): per escaping electron W_eff + its mean kinetic energy
//   mdot  = A p_vap(T) sqrt(M / (2 pi R T))       Hertz-Knudsen-Langmuir free evaporation into
//                                                  vacuum, evaporation coefficient 1 (upper bound)
// The evaporated mass leaves with its own enthalpy h plus the enthalpy of vaporisation, so the
// specific enthalpy of what remains only changes by the heat of vaporisation. The diameter
// follows the mass at fixed density, d = d0 (m / m0)^(1/3) (thermal expansion is not applied to
// the diameter, which also sets contacts).
//
// Integration: adaptive sub-cycling with the embedded Heun (2nd order) / Euler (1st order) pair
// on (E, m). The local error estimate |E_heun - E_euler| / (m cp) is a temperature error held
// below `tolerance_K` per sub-step; the step size controller (safety 0.9, growth <= 4x) shortens
// sub-steps where the losses are stiff (evaporation near boiling) and takes the whole step at
// once where they are not. Where the error estimate predicted from the loss slope is below a
// tenth of the tolerance (particles outside the beam), the Euler step is taken alone with one
// evaluation of the rates. The energy tallies use the same Heun weights as the update, so
// E_end - E_start = beam - radiated - thermionic - evaporated to round-off.
#pragma once

#include <cstdint>
#include <limits>

#include "physics/materials/material.hpp"

namespace mps {

struct ThermalOptions {
  double wall_temperature = 300.0;                               // K
  double emissivity = std::numeric_limits<double>::quiet_NaN();  // NaN: the material's eps(T)
  bool radiation = true, thermionic = true, evaporation = true, schottky = true;
  double tolerance_K = 0.01;  // local temperature error per sub-step
  int max_substeps = 100000;
};

// One particle's thermal state (SI).
struct ThermalState {
  double h;         // specific enthalpy, J/kg
  double mass;      // kg
  double diameter;  // m
};

// Loss rates at a state.
struct ThermalRates {
  double radiated = 0.0;            // W
  double thermionic = 0.0;          // W (heat carried by emitted electrons)
  double thermionic_current = 0.0;  // A
  double evaporation_mass = 0.0;    // kg/s
  double evaporation = 0.0;         // W: mdot (h + dH_vap)
};

// What a step did (energies in J, mass in kg); the unit adds these to its tallies.
struct ThermalStepResult {
  double beam = 0.0, radiated = 0.0, thermionic = 0.0, evaporated_energy = 0.0;
  double evaporated_mass = 0.0;
  double time_molten = 0.0;  // s with liquid fraction > 0 during the step
  double peak_temperature = 0.0;
  MeltState end{0.0, 0.0};  // temperature and liquid fraction at the end of the step
  int substeps = 0;
};

class ThermalModel {
 public:
  ThermalModel(const Material& material, const ThermalOptions& options);
  const Material& material() const { return *m_; }
  const ThermalOptions& options() const { return o_; }

  // Loss rates of a sphere of the given diameter at temperature T, specific enthalpy h and
  // surface potential phi (V).
  ThermalRates rates(double T, double h, double diameter, double phi) const;
  // Advance one particle over dt with constant beam power (W) and surface potential phi (V).
  // `start`, when given, is state_of(s.h) already known (the unit keeps T and the liquid
  // fraction of the last step's end), saving one inversion per particle and step.
  ThermalStepResult advance(ThermalState& s, double power, double phi, double dt,
                            const MeltState* start = nullptr) const;

  // Below these temperatures the thermionic and evaporation heat fluxes are < 1e-12 of the
  // blackbody flux sigma T^4 and are skipped (speed; see the constructor).
  double thermionic_cutoff() const { return t_th_cut_; }
  double evaporation_cutoff() const { return t_ev_cut_; }
  double evaporation_coefficient() const { return evap_coeff_; }  // sqrt(M / (2 pi R)), SI

 private:
  const Material* m_;
  ThermalOptions o_;
  double t_th_cut_ = 0.0, t_ev_cut_ = 0.0;
  double evap_coeff_ = 0.0;  // sqrt(M / (2 pi R))
};

}  // namespace mps
