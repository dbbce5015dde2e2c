// Electron stopping powers (eV/m) of a Material, 1 keV - 1 MeV.
//
// Collision: relativistic Bethe formula for electrons as in ICRU Report 37 (1984), eq. 2.2
//   S_col = 2 pi r_e^2 mc^2 n_e / beta^2 [ ln(tau^2 (tau + 2) / (2 (I/mc^2)^2)) + F(tau) - delta ]
//   F(tau) = 1 - beta^2 + (tau^2 / 8 - (2 tau + 1) ln 2) / (tau + 1)^2,
// with the Sternheimer density-effect correction delta (Sternheimer, Berger & Seltzer 1984) and,
// as low-energy correction, the Joy & Luo substitution I -> I / (1 + k I / E) with
// k = 0.734 Z^0.037 (Joy & Luo, Scanning 11, 176 (1989)), which keeps S positive below ~1 keV
// and changes S by < 1 % above 20 keV.
// Radiative: Bethe-Heitler (unscreened, Heitler 1954) 4 alpha r_e^2 N Z (Z + 1) (E + mc^2)
// (ln(2 (E + mc^2) / mc^2) - 1/3); it is 1-3 % of the total here, so its ~30 % uncertainty at
// these energies moves CSDA ranges by < 1 %.
// Moller: the part of S_col carried by collisions with energy transfer above W_cut (delta rays)
// from the Moller cross section (ICRU 37 eq. 2.6), so S_soft = S_col - S_hard.
#pragma once

#include "physics/transport/material.hpp"

namespace mps::transport {

double beta2_of(double E_eV);
double density_effect(const Material& m, double E_eV);
double collision_stopping(const Material& m, double E_eV);  // eV/m
double radiative_stopping(const Material& m, double E_eV);  // eV/m
// Moller: macroscopic cross section (1/m) for energy transfers W in [w_cut, E/2] ...
double moller_cross_section(const Material& m, double E_eV, double w_cut_eV);
// ... and the stopping power carried by them (eV/m).
double moller_hard_stopping(const Material& m, double E_eV, double w_cut_eV);
// CSDA range (m): integral of dE / (S_col + S_rad) from e_low to E (Gauss-Legendre in ln E).
double csda_range(const Material& m, double E_eV, double e_low_eV = 10.0);

}  // namespace mps::transport
