// Motion of a bead along a radial channel of a rotor spinning at a constant rate (rotating frame).
//
// Model (the classical "bead on a rotating rod" with Coulomb friction, e.g. Goldstein, Classical
// Mechanics, and DESIGN.md section 5 Rotor): in the frame of a rotor turning at omega about the
// unit axis a, a particle of mass m at channel coordinate s (distance along the channel's radial
// line e_r), tangential offset b (along e_t = a x e_r, fixed: the particle rests on a side wall)
// and axial offset z feels
//   centrifugal  m omega^2 (s e_r + b e_t),   Coriolis  -2 m omega s' e_t,   gravity  m g.
// The walls take the e_t and a components: side-wall normal force N_t = m |2 omega s' - omega^2 b -
// g.e_t| (Coriolis presses the particle on the trailing wall) and floor force N_a = m |g.a|.
// Sliding Coulomb friction mu (N_t + N_a) opposes s', so along the channel
//   s'' = omega^2 s + g.e_r - mu (|2 omega s' - omega^2 b - g.e_t| + |g.a|) sign(s').
// Without gravity and offset, s'' = omega^2 s - 2 mu |omega| s' (s' > 0): exponential growth at
// rate lambda = |omega| (sqrt(1 + mu^2) - mu); mu = 0 gives s = s0 cosh(omega t).
// Assumptions: the particle slides (no rolling), stays on one side wall (b fixed), constant omega,
// no particle-particle collisions in the channel (those belong to the contact unit).
//
// Integration: classical RK4 sub-steps of at most `max_angle` radians of rotor turn (a step of
// 0.01 rad gives a relative error ~1e-9 per unit of omega t), and the exit (s = R) located inside
// the sub-step by bisection on a cubic Hermite interpolant followed by one RK4 step of exactly that
// length, so the global time step of the solver can be much larger than the rotor time scale.
#pragma once

#include <cmath>

namespace mps {

struct ChannelMotion {
  double omega = 0.0;   // rotor angular velocity about the axis (rad/s, signed)
  double mu = 0.0;      // Coulomb friction coefficient on the walls
  double b = 0.0;       // tangential offset of the particle from the channel's radial line (m)
  double phase0 = 0.0;  // angle of the channel's radial line at t = 0 in the (e1, e2) plane
  double g1 = 0.0, g2 = 0.0, ga = 0.0;  // gravity components along e1, e2 and the axis (m/s^2)

  // Acceleration along the channel at time t, position s, radial speed u.
  double accel(double t, double s, double u) const {
    const double phi = phase0 + omega * t;
    const double c = std::cos(phi), sn = std::sin(phi);
    const double gr = g1 * c + g2 * sn, gt = -g1 * sn + g2 * c;
    const double drive = omega * omega * s + gr;
    const double normal = std::abs(2.0 * omega * u - omega * omega * b - gt) + std::abs(ga);
    const double friction = mu * normal;
    if (u > 0.0) return drive - friction;
    if (u < 0.0) return drive + friction;
    // at rest: static friction holds the particle unless the drive exceeds the limit
    if (std::abs(drive) <= friction) return 0.0;
    return drive > 0.0 ? drive - friction : drive + friction;
  }
};

struct ChannelState {
  double t = 0.0, s = 0.0, u = 0.0;
};

// Advances `st` to time t_end, or to the exit radius R if the particle reaches it first.
// Returns true if it exited (then st.t is the exit time and st.s == R up to round-off).
bool advance_in_channel(const ChannelMotion& m, ChannelState& st, double t_end, double R,
                        double max_angle);

// One classical RK4 step of length h (exposed for tests).
ChannelState rk4_step(const ChannelMotion& m, const ChannelState& st, double h);

}  // namespace mps
