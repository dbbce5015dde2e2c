#include "physics/contact/restitution.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace mps::contact {

double hertz_restitution(double c, double* duration, double* abs_impulse) {
  // RK4 on (x, u = x'); the contact ends when x returns to 0. x^(1/4) is not smooth at x = 0,
  // so the step is small (the scaled elastic contact lasts 3.218).
  constexpr double h = 2e-4;
  auto acc = [c](double x, double u) {
    const double xp = x > 0.0 ? x : 0.0;
    return -xp * std::sqrt(xp) - c * std::sqrt(std::sqrt(xp)) * u;
  };
  double x = 0.0, u = 1.0, t = 0.0, impulse = 0.0;
  for (int k = 0; k < 1000000; ++k) {
    const double k1x = u, k1u = acc(x, u);
    const double k2x = u + 0.5 * h * k1u, k2u = acc(x + 0.5 * h * k1x, u + 0.5 * h * k1u);
    const double k3x = u + 0.5 * h * k2u, k3u = acc(x + 0.5 * h * k2x, u + 0.5 * h * k2u);
    const double k4x = u + h * k3u, k4u = acc(x + h * k3x, u + h * k3u);
    const double xn = x + h / 6.0 * (k1x + 2 * k2x + 2 * k3x + k4x);
    const double un = u + h / 6.0 * (k1u + 2 * k2u + 2 * k3u + k4u);
    if (xn <= 0.0 && t > 0.0) {
      // linear interpolation of the crossing for the duration and the exit speed
      const double s = x / (x - xn);
      if (duration) *duration = t + s * h;
      if (abs_impulse) *abs_impulse = impulse + s * h * std::fabs(k1u);
      return -(u + s * (un - u));
    }
    impulse +=
        h / 6.0 * (std::fabs(k1u) + 2 * std::fabs(k2u) + 2 * std::fabs(k3u) + std::fabs(k4u));
    x = xn;
    u = un;
    t += h;
  }
  if (duration) *duration = t;
  return 0.0;
}

double damping_from_restitution(double e, const std::string& method) {
  if (!(e > 0.0 && e <= 1.0)) throw std::invalid_argument("restitution must be in (0, 1]");
  if (e == 1.0) return 0.0;
  if (method == "tsuji") {
    const double e2 = e * e, e3 = e2 * e, e4 = e3 * e, e5 = e4 * e, e6 = e5 * e;
    return 1.2728 - 4.2783 * e + 11.087 * e2 - 22.348 * e3 + 27.467 * e4 - 18.022 * e5 +
           4.8218 * e6;
  }
  if (method == "coeff_restitution") {
    const double l = std::log(e);
    return -std::sqrt(5.0) * l / std::sqrt(std::numbers::pi * std::numbers::pi + l * l);
  }
  if (method != "exact") throw std::invalid_argument("unknown damping method " + method);
  // e(c) decreases monotonically: bisection to 1e-10 in c
  double lo = 0.0, hi = 1.0;
  while (hertz_restitution(hi) > e) hi *= 2.0;
  while (hi - lo > 1e-10 * hi) {
    const double mid = 0.5 * (lo + hi);
    (hertz_restitution(mid) > e ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace mps::contact
