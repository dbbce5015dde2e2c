// Normal damping coefficient c_n of the Hertz contact (contact_law.hpp) from a restitution
// coefficient e.
//
// With F = -K delta^(3/2) - c_n sqrt(m* K) delta^(1/4) d(delta)/dt (K = 4/3 E* sqrt(R*)), scaling
// delta by delta_0 and t by t_0 = delta_0 / v_0 with K delta_0^(5/2) = m* v_0^2 leaves
//   x'' = -x^(3/2) - c_n x^(1/4) x',  x(0) = 0, x'(0) = 1,
// whose rebound speed e = -x'(t_end) depends on c_n only (Tsuji et al. 1992). Three ways to get
// c_n:
//   exact             solve that equation for c_n (bisection): the measured e is the set e
//   tsuji             the polynomial fit of LAMMPS `damping tsuji` (Marshall, J. Comput. Phys. 228
//                     (2009) 1541, eq. 53) as in Debian's LAMMPS 20220106 (no sqrt(2) factor; newer
//                     LAMMPS multiply it by sqrt(2))
//   coeff_restitution LAMMPS `damping coeff_restitution`: -sqrt(5) ln e / sqrt(pi^2 + ln^2 e)
#pragma once

#include <string>

namespace mps::contact {

// Rebound speed ratio of the scaled Hertz-Tsuji oscillator for damping c (0 <= c).
// Also returns the scaled contact duration if duration != nullptr, and the integral of |F_n| dt
// over the contact in units of m* v (1 + e without the attractive end; more with it) if
// abs_impulse != nullptr: the Coulomb limit uses |F_n|, so this sets the sliding friction impulse.
double hertz_restitution(double c, double* duration = nullptr, double* abs_impulse = nullptr);
// c_n for a restitution e in (0, 1] by the named method ("exact", "tsuji", "coeff_restitution").
double damping_from_restitution(double e, const std::string& method);

}  // namespace mps::contact
