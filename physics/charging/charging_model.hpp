// Charge balance of one particle (a sphere of capacitance C = 4 pi eps0 r) and its floating
// potential phi = Q / C + phi_ext.
//
//   dQ/dt = I(phi) = -I_abs + I_se(phi) + I_th(phi, T) + I_fe(phi)
//   I_abs  net primary/fast electron current absorbed (beam unit; electrons counted positive)
//   I_se   slow secondary electrons: I_se0 (emission at phi = 0, beam unit) times the escaping
//          fraction (1 + x) e^-x, x = phi / T_se, of a Maxwellian emission of temperature T_se
//          (slow SE spectra peak at a few eV: Seiler, J. Appl. Phys. 54 (1983) R1)
//   I_th   thermionic emission (Richardson-Dushman; Schottky lowering at phi < 0, retarded by a
//          positive potential, emission.hpp)
//   I_fe   Fowler-Nordheim field emission at the surface field -phi / r of a negative sphere
// Every emission term decreases with phi, so I is monotone and the balance has one root.
//
// Charging is stiff (C ~ 3e-16 F against ~1e-5 A: time constants of ps to ns), so the update is
// backward Euler solved for the end-of-step potential: C (phi1 - phi0) = dt I(phi1), with a
// safeguarded Newton iteration (bracketing, bisection fallback). It is L-stable: a step much
// longer than RC lands on the equilibrium I(phi) = 0, a short one follows the RC relaxation.
//
// Limits (reported, not modelled): ion field evaporation of a positive surface (field above the
// material's evaporation field; W: 57 V/nm, Tsong, Surf. Sci. 70 (1978) 211), electrostatic
// break-up of a solid when the field stress eps0 F^2 / 2 exceeds its tensile strength, and the
// Rayleigh limit Q_R = 8 pi sqrt(eps0 gamma r^3) of a molten drop (Rayleigh, Phil. Mag. 14
// (1882) 184).
#pragma once

#include "physics/materials/material.hpp"

namespace mps {

struct ChargingOptions {
  double se_temperature_eV = 2.0;   // kT_se of the slow SE emission (eV)
  double external_potential = 0.0;  // V, phi_ext at the particles (until a field exists)
  bool thermionic = true, schottky = true, field_emission = true;
  double field_evaporation_field = 57e9;  // V/m (W: Tsong 1978)
  double tensile_strength = 1e9;          // Pa, solid break-up by field stress
  // Newton convergence: the distance to the root, F's Newton correction or the error bound of
  // a last short Newton step (implicit_step.hpp), below tolerance (1 + |phi|) V. Tight, because
  // a relaxation followed over many short steps accumulates the per-step solver error.
  double tolerance = 1e-12;
};

struct ChargingInputs {
  double absorbed_current = 0.0;  // A (electrons in, counted positive)
  double se_current = 0.0;        // A (slow SE emission at zero potential)
  double temperature = 300.0;     // K
  double diameter = 5e-6;         // m
  double liquid_fraction = 0.0;
};

struct Currents {
  double se = 0.0, thermionic = 0.0, field = 0.0;  // emitted electron currents (A, >= 0)
  double total = 0.0;                              // dQ/dt = -absorbed + se + th + fe
  double dtotal_dphi = 0.0;                        // A/V (<= 0)
  double dse_dphi = 0.0, dthermionic_dphi = 0.0, dfield_dphi = 0.0;  // its parts
  double curvature = 0.0;  // A/V^2, a bound on |d2 total / dphi2| near phi
};

struct ChargingStepResult {
  Currents end;  // currents at the end-of-step potential (what the step used)
  int iterations = 0;
  bool field_evaporation = false, breakup = false, rayleigh = false;
};

class ChargingModel {
 public:
  ChargingModel(const Material& material, const ChargingOptions& options);
  const ChargingOptions& options() const { return o_; }

  static double capacitance(double diameter);  // 4 pi eps0 r
  double potential(double charge, double diameter) const {
    return charge / capacitance(diameter) + o_.external_potential;
  }
  Currents currents(double phi, const ChargingInputs& in) const;
  // Backward-Euler step of the charge (updated in place).
  ChargingStepResult advance(double& charge, const ChargingInputs& in, double dt) const;
  // Equilibrium potential (I = 0) for these inputs (a very long implicit step).
  double equilibrium_potential(const ChargingInputs& in) const;
  // Rayleigh charge limit of a drop (C).
  double rayleigh_charge(double diameter, double temperature) const;
  // True when nothing can change the charge (no beam currents, cold, weak field): skipped.
  bool quiet(double phi, const ChargingInputs& in) const;

  // Fast path of advance(): the linearly implicit step is taken when its predicted distance to
  // the backward-Euler root is at most this fraction of the step's change (see there).
  static constexpr double kFastPathFraction = 0.05;

  const Material& material() const { return *m_; }
  double thermionic_cutoff() const { return t_th_cut_; }      // K (see the constructor)
  double field_emission_cutoff() const { return f_fe_cut_; }  // V/m
  double fowler_nordheim_bw15() const { return fn_b_w15_; }   // V/m

 private:
  const Material* m_;
  ChargingOptions o_;
  double t_th_cut_ = 0.0;  // K, thermionic current density < 1e-20 A/m^2 below
  double f_fe_cut_ = 0.0;  // V/m, FN current density < 1e-20 A/m^2 below
  double fn_b_w15_ = 0.0;  // V/m, the FN exponent's b W^1.5
};

}  // namespace mps
