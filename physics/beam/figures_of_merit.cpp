#include "physics/beam/figures_of_merit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps::fom {

double lsf_width(const std::vector<double>& x, const std::vector<double>& lsf, double level) {
  if (x.size() != lsf.size() || x.size() < 3) throw InputError("lsf_width: need >= 3 samples");
  const auto imax =
      static_cast<std::size_t>(std::max_element(lsf.begin(), lsf.end()) - lsf.begin());
  const double thr = level * lsf[imax];
  if (!(lsf[imax] > 0)) throw InputError("lsf_width: the line spread function is zero");
  // outermost crossings: first sample from the left above the threshold, and from the right
  std::size_t l = 0, r = lsf.size() - 1;
  while (l < imax && lsf[l] < thr) ++l;
  while (r > imax && lsf[r] < thr) --r;
  auto cross = [&](std::size_t a, std::size_t b) {  // a below (or edge), b at/above threshold
    if (lsf[a] >= thr) return x[a];
    return x[a] + (thr - lsf[a]) * (x[b] - x[a]) / (lsf[b] - lsf[a]);
  };
  const double xl = l == 0 ? x[0] : cross(l - 1, l);
  const double xr = r == lsf.size() - 1 ? x.back() : cross(r + 1, r);
  return xr - xl;
}

std::vector<double> lsf_along_x(const std::vector<double>& map, int nx, int ny) {
  std::vector<double> l(nx, 0.0);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) l[i] += map[static_cast<std::size_t>(j) * nx + i];
  return l;
}

std::vector<double> lsf_along_y(const std::vector<double>& map, int nx, int ny) {
  std::vector<double> l(ny, 0.0);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) l[j] += map[static_cast<std::size_t>(j) * nx + i];
  return l;
}

double mtf(const std::vector<double>& x, const std::vector<double>& lsf, double f) {
  // Exact Fourier transform of the piecewise-linear interpolant of the samples.
  double re = 0.0, im = 0.0, area = 0.0;
  const double w = 2.0 * constants::pi * f;
  for (std::size_t k = 0; k + 1 < x.size(); ++k) {
    const double a = x[k], b = x[k + 1], h = b - a, ya = lsf[k], yb = lsf[k + 1];
    area += 0.5 * h * (ya + yb);
    if (w == 0.0) continue;
    // integral over [a,b] of (ya + (yb-ya)(t-a)/h) e^{-i w t} dt
    const double s = (yb - ya) / h;
    const double ca = std::cos(w * a), sa = std::sin(w * a), cb = std::cos(w * b),
                 sb = std::sin(w * b);
    // F(t) = e^{-iwt} [ i (y(t))/w + s / w^2 ]
    auto F = [&](double y, double c, double sn) {
      // e^{-iwt} = c - i sn ; times (s/w^2 + i y/w)
      const double pr = s / (w * w), pi = y / w;
      return std::pair<double, double>{c * pr + sn * pi, c * pi - sn * pr};
    };
    auto [rb, ib] = F(yb, cb, sb);
    auto [ra, ia] = F(ya, ca, sa);
    re += rb - ra;
    im += ib - ia;
  }
  if (w == 0.0) return 1.0;
  return std::hypot(re, im) / area;
}

double mtf_frequency_at(const std::vector<double>& x, const std::vector<double>& lsf, double level,
                        double f_max) {
  // step until the MTF drops below the level, then bisect
  const int n = 2000;
  double lo = 0.0, hi = -1.0;
  for (int k = 1; k <= n; ++k) {
    const double f = f_max * k / n;
    if (mtf(x, lsf, f) < level) {
      hi = f;
      break;
    }
    lo = f;
  }
  if (hi < 0) return f_max;
  for (int it = 0; it < 60; ++it) {
    const double m = 0.5 * (lo + hi);
    (mtf(x, lsf, m) < level ? hi : lo) = m;
  }
  return 0.5 * (lo + hi);
}

double permitted_power_stream(double rho, double dh, double v, double length_cs, double zeta_peak) {
  return rho * dh * v * length_cs / zeta_peak;
}

double rotating_anode_power(double p_ref, double length_ratio, double width_ratio,
                            double speed_ratio) {
  return p_ref * length_ratio * std::sqrt(width_ratio * speed_ratio);
}

double rotating_anode_enlargement_for_gain(double gain) {
  return std::pow(gain, 2.0 / 3.0);
}

NominalSpot iec_nominal_focal_spot(double nominal) {
  // IEC 60336 (Table: maximum permissible focal-spot dimensions for nominal values), width and
  // length upper limits in mm
  struct Row {
    double f, w, l;
  };
  static const Row rows[] = {
      {0.1, 0.15, 0.15}, {0.15, 0.23, 0.23}, {0.2, 0.30, 0.30}, {0.25, 0.38, 0.38},
      {0.3, 0.45, 0.65}, {0.4, 0.60, 0.85},  {0.5, 0.75, 1.10}, {0.6, 0.90, 1.30},
      {0.7, 1.10, 1.50}, {0.8, 1.20, 1.60},  {0.9, 1.30, 1.80}, {1.0, 1.40, 2.00},
      {1.1, 1.50, 2.20}, {1.2, 1.70, 2.40},  {1.3, 1.80, 2.60}, {1.4, 1.90, 2.80},
      {1.5, 2.00, 3.00}, {1.6, 2.10, 3.10},  {1.7, 2.20, 3.20}, {1.8, 2.30, 3.30},
      {1.9, 2.40, 3.50}, {2.0, 2.60, 3.70}};
  for (const Row& r : rows)
    if (std::abs(r.f - nominal) < 1e-9) return {r.w * 1e-3, r.l * 1e-3};
  throw InputError("focal spot: " + std::to_string(nominal) +
                   " is not a nominal focal-spot value of IEC 60336 (0.1 ... 2.0)");
}

double rotating_anode_reference_power(double length_cs, double width_cs, double p_ref,
                                      double ref_nominal, double ref_target_angle) {
  const NominalSpot ref = iec_nominal_focal_spot(ref_nominal);
  const double ref_length_cs = ref.length_m / std::sin(ref_target_angle);
  return rotating_anode_power(p_ref, length_cs / ref_length_cs, width_cs / ref.width_m, 1.0);
}

double paper_gain_fit(double v, double u_kv) {
  return 1.970e-5 * v * std::pow(u_kv, 1.4649);
}

}  // namespace mps::fom
