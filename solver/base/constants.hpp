// Physical constants in SI (CODATA 2018 exact or recommended values).
#pragma once

namespace mps::constants {

inline constexpr double pi = 3.14159265358979323846;
inline constexpr double elementary_charge = 1.602176634e-19;    // C (exact)
inline constexpr double electron_mass = 9.1093837015e-31;       // kg
inline constexpr double electron_rest_energy_eV = 510998.95;    // eV
inline constexpr double speed_of_light = 299792458.0;           // m/s (exact)
inline constexpr double vacuum_permittivity = 8.8541878128e-12; // F/m
inline constexpr double boltzmann = 1.380649e-23;               // J/K (exact)
inline constexpr double boltzmann_eV = 8.617333262e-5;          // eV/K
inline constexpr double avogadro = 6.02214076e23;               // 1/mol (exact)
inline constexpr double stefan_boltzmann = 5.670374419e-8;      // W/(m^2 K^4)
inline constexpr double planck = 6.62607015e-34;                // J s (exact)
inline constexpr double fine_structure = 7.2973525693e-3;
inline constexpr double classical_electron_radius = 2.8179403262e-15;  // m
inline constexpr double atomic_mass_unit = 1.66053906660e-27;           // kg
inline constexpr double standard_gravity = 9.80665;                     // m/s^2 (exact)

}  // namespace mps::constants
