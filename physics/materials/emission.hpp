// Electron emission from a charged metal sphere: thermionic (Richardson-Dushman with Schottky
// lowering, retarded by a positive potential), field emission (Fowler-Nordheim), and the escape
// of Maxwellian slow electrons over a positive potential. Shared by the thermal unit (energy
// carried away by thermionic electrons) and the charging unit (currents).
//
// Sign conventions: phi is the particle's surface potential relative to infinity (V); the surface
// field of an isolated sphere of radius r is F = phi / r (outward for phi > 0). Currents are
// emitted-electron currents, positive (A), i.e. each one charges the particle positively.
//
// Sources:
//  - Richardson-Dushman J = A T^2 exp(-W / kT); A and W of the material (Material).
//  - Schottky lowering of the barrier by a field F pulling electrons out:
//    dW = sqrt(e^3 F / (4 pi eps0)) (e.g. Murphy & Good, Phys. Rev. 102 (1956) 1464).
//  - A positive sphere: an emitted electron escapes to infinity when its kinetic energy at the
//    surface exceeds e phi (the attractive potential is monotone, so the direction does not
//    matter). With the Richardson (and slow-SE Maxwellian) flux spectrum E exp(-E / kT), the
//    escaping fraction is (1 + x) exp(-x), x = e phi / kT, the form used by dust-in-plasma codes
//    (MIGRAINe: Bacharis, Coppins & Allen, Phys. Plasmas 17 (2010) 042505; DTOKS).
//  - Fowler-Nordheim: the simplified standard FN-type equation of Forbes & Deane, Proc. R. Soc. A
//    463 (2007) 2907 with Forbes's approximation (Appl. Phys. Lett. 89 (2006) 113122):
//      J = a F^2 / W exp(-v(f) b W^1.5 / F),  v(f) = 1 - f + (f/6) ln f,  f = c F / W^2,
//      a = 1.541434e-6 A eV V^-2, b = 6.830890e9 eV^-1.5 V m^-1, c = 1.439964e-9 eV^2 m V^-1.
#pragma once

namespace mps::emission {

// Richardson-Dushman current density at zero field (A/m^2).
double richardson_dushman(double richardson_constant, double work_function_eV, double T);

// Schottky barrier lowering (eV) at a surface field F (V/m, magnitude).
double schottky_lowering_eV(double field);

// Fraction of a Maxwellian-flux emission of temperature kT_eV that escapes a sphere at positive
// potential phi (V); 1 for phi <= 0.
double escape_fraction(double phi, double kT_eV);
// Mean kinetic energy at the surface (eV) of the electrons that escape (the heat they carry
// beyond the work function): kT (x^2 + 2x + 2) / (x + 1), 2 kT at phi <= 0.
double escaping_mean_energy_eV(double phi, double kT_eV);

// Net thermionic emission of a sphere: current (A, positive = electrons leaving) and the heat it
// removes from the particle (W) = current / e * (effective barrier + mean kinetic energy).
struct ThermionicResult {
  double current;
  double heat;
  double dcurrent_dphi;  // A/V, for the charging unit's Newton iteration
};
// with_slope = false skips dcurrent_dphi (the thermal unit needs only the current and heat).
ThermionicResult thermionic(double richardson_constant, double work_function_eV, double T,
                            double radius, double phi, bool schottky = true,
                            bool with_slope = true);

// Fowler-Nordheim current density (A/m^2) at surface field F (V/m, magnitude) and work function.
double fowler_nordheim(double field, double work_function_eV);

}  // namespace mps::emission
