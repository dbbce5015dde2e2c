#include "physics/rotor/channel_motion.hpp"

#include <algorithm>

namespace mps {

ChannelState rk4_step(const ChannelMotion& m, const ChannelState& y, double h) {
  const double k1s = y.u, k1u = m.accel(y.t, y.s, y.u);
  const double k2s = y.u + 0.5 * h * k1u,
               k2u = m.accel(y.t + 0.5 * h, y.s + 0.5 * h * k1s, y.u + 0.5 * h * k1u);
  const double k3s = y.u + 0.5 * h * k2u,
               k3u = m.accel(y.t + 0.5 * h, y.s + 0.5 * h * k2s, y.u + 0.5 * h * k2u);
  const double k4s = y.u + h * k3u, k4u = m.accel(y.t + h, y.s + h * k3s, y.u + h * k3u);
  ChannelState out;
  out.t = y.t + h;
  out.s = y.s + h / 6.0 * (k1s + 2.0 * k2s + 2.0 * k3s + k4s);
  out.u = y.u + h / 6.0 * (k1u + 2.0 * k2u + 2.0 * k3u + k4u);
  return out;
}

bool advance_in_channel(const ChannelMotion& m, ChannelState& st, double t_end, double R,
                        double max_angle) {
  const double w = std::abs(m.omega);
  const double span = t_end - st.t;
  if (!(span > 0.0)) return false;
  const double h_max = w > 0.0 ? max_angle / w : span;
  const auto n = static_cast<long>(std::max(1.0, std::ceil(span / h_max)));
  const double h = span / static_cast<double>(n);
  for (long k = 0; k < n; ++k) {
    const ChannelState y0 = st;
    // the last sub-step ends exactly at t_end (no drift of the step times by round-off)
    ChannelState y1 = rk4_step(m, y0, k + 1 == n ? t_end - y0.t : h);
    if (y1.s < R) {
      st = y1;
      continue;
    }
    // Exit inside this sub-step: the Hermite cubic through (s0, u0) and (s1, u1) brackets the
    // crossing time (accurate to O(h^4)); one RK4 step of that length gives the exit state.
    const double hh = y1.t - y0.t;
    auto hermite = [&](double x) {
      const double x2 = x * x, x3 = x2 * x;
      return (2 * x3 - 3 * x2 + 1) * y0.s + (x3 - 2 * x2 + x) * hh * y0.u +
             (-2 * x3 + 3 * x2) * y1.s + (x3 - x2) * hh * y1.u;
    };
    double lo = 0.0, hi = 1.0;
    for (int it = 0; it < 60; ++it) {
      const double mid = 0.5 * (lo + hi);
      (hermite(mid) < R ? lo : hi) = mid;
    }
    st = rk4_step(m, y0, hi * hh);
    st.s = std::max(st.s, R);  // the particle is at the tip (round-off)
    return true;
  }
  return false;
}

}  // namespace mps
