#include "physics/transport/tallies.hpp"

#include <algorithm>
#include <cmath>

namespace mps::transport {

double Estimator::stderr_of_mean(std::uint64_t n) const {
  if (n < 2) return 0.0;
  const double dn = static_cast<double>(n);
  const double m = s1.value() / dn;
  const double var = std::max(0.0, s2.value() / dn - m * m) * dn / (dn - 1.0);
  return std::sqrt(var / dn);
}

void Histogram::init(int n, double lo_, double hi_) {
  lo = lo_;
  hi = hi_;
  bins.assign(static_cast<std::size_t>(n), Estimator{});
  pending.assign(static_cast<std::size_t>(n), 0.0);
  touched.clear();
}

void Histogram::score_segment(double a, double b, double x) {
  if (bins.empty() || x == 0.0) return;
  if (a > b) std::swap(a, b);
  const double w = width();
  const double n = static_cast<double>(bins.size());
  if (b - a < 1e-3 * w) return score_at(0.5 * (a + b), x);
  const double density = x / (b - a);
  const double ua = (a - lo) / w, ub = (b - lo) / w;
  int i0 = static_cast<int>(std::floor(std::max(ua, 0.0)));
  const int i1 = static_cast<int>(std::floor(std::min(ub, n - 1e-9)));
  for (int i = i0; i <= i1; ++i) {
    const double l = std::max(ua, static_cast<double>(i)), h = std::min(ub, i + 1.0);
    if (h > l) score(i, density * (h - l) * w);
  }
}

void Histogram::flush() {
  for (int b : touched) {
    bins[b].add(pending[b]);
    pending[b] = 0.0;
  }
  touched.clear();
}

void Histogram::merge(const Histogram& o) {
  for (std::size_t i = 0; i < bins.size() && i < o.bins.size(); ++i) bins[i].merge(o.bins[i]);
}

void Tallies::init(int bodies, int depth_bins, double depth_max, int spectrum_bins) {
  body_deposited.assign(bodies, {});
  body_charge.assign(bodies, {});
  body_secondary.assign(bodies, {});
  depth_dose.init(depth_bins, 0.0, depth_max);
  depth_xray.init(depth_bins, 0.0, depth_max);
  penetration.init(depth_bins, 0.0, depth_max);
  spectrum_back.init(spectrum_bins, 0.0, 1.0 + 1e-9);
  spectrum_forward.init(spectrum_bins, 0.0, 1.0 + 1e-9);
}

void Tallies::merge(const Tallies& o) {
  histories += o.histories;
  if (energy_eV == 0) energy_eV = o.energy_eV;
  for (auto [a, b] : {std::pair{&back_number, &o.back_number},
                      {&back_energy, &o.back_energy},
                      {&back_primary_number, &o.back_primary_number},
                      {&back_primary_energy, &o.back_primary_energy},
                      {&forward_number, &o.forward_number},
                      {&forward_energy, &o.forward_energy},
                      {&deposited_energy, &o.deposited_energy},
                      {&radiated_energy, &o.radiated_energy},
                      {&secondary_yield, &o.secondary_yield},
                      {&electrons_out, &o.electrons_out},
                      {&energy_balance, &o.energy_balance}})
    a->merge(*b);
  for (std::size_t i = 0; i < body_deposited.size() && i < o.body_deposited.size(); ++i) {
    body_deposited[i].merge(o.body_deposited[i]);
    body_charge[i].merge(o.body_charge[i]);
    body_secondary[i].merge(o.body_secondary[i]);
  }
  depth_dose.merge(o.depth_dose);
  depth_xray.merge(o.depth_xray);
  penetration.merge(o.penetration);
  spectrum_back.merge(o.spectrum_back);
  spectrum_forward.merge(o.spectrum_forward);
}

std::vector<double> Tallies::zeta_per_m() const {
  std::vector<double> z(depth_dose.bins.size());
  for (std::size_t i = 0; i < z.size(); ++i)
    z[i] = depth_dose.bins[i].mean(histories) / depth_dose.width();
  return z;
}

std::vector<double> Tallies::zeta_stderr_per_m() const {
  std::vector<double> z(depth_dose.bins.size());
  for (std::size_t i = 0; i < z.size(); ++i)
    z[i] = depth_dose.bins[i].stderr_of_mean(histories) / depth_dose.width();
  return z;
}

std::vector<double> Tallies::depth_centers_m() const {
  std::vector<double> c(depth_dose.bins.size());
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = depth_dose.lo + (i + 0.5) * depth_dose.width();
  return c;
}

std::vector<double> Tallies::transmitted_fraction() const {
  std::vector<double> f(penetration.bins.size());
  double below = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const double p = penetration.bins[i].mean(histories);
    f[i] = 1.0 - below - 0.5 * p;
    below += p;
  }
  return f;
}

std::vector<ExactSum*> Tallies::sums() {
  std::vector<ExactSum*> v;
  auto add = [&](Estimator& e) {
    v.push_back(&e.s1);
    v.push_back(&e.s2);
  };
  for (Estimator* e : {&back_number, &back_energy, &back_primary_number, &back_primary_energy,
                       &forward_number, &forward_energy, &deposited_energy, &radiated_energy,
                       &secondary_yield, &electrons_out, &energy_balance})
    add(*e);
  for (auto* list : {&body_deposited, &body_charge, &body_secondary})
    for (auto& e : *list) add(e);
  for (Histogram* h : {&depth_dose, &depth_xray, &penetration, &spectrum_back, &spectrum_forward})
    for (auto& e : h->bins) add(e);
  return v;
}

DepthDoseFigures depth_dose_figures(const std::vector<double>& depth,
                                    const std::vector<double>& z) {
  DepthDoseFigures f;
  const int n = static_cast<int>(z.size());
  if (n < 8) return f;
  // maximum of a 5-bin moving average, then a least-squares parabola over +-w bins of the raw
  // curve around it (the peak of zeta in W is broad: a single-bin maximum is dominated by noise)
  std::vector<double> s(n);
  for (int i = 0; i < n; ++i) {
    double sum = 0;
    int c = 0;
    for (int j = std::max(0, i - 2); j <= std::min(n - 1, i + 2); ++j, ++c) sum += z[j];
    s[i] = sum / c;
  }
  const int ip = static_cast<int>(std::max_element(s.begin(), s.end()) - s.begin());
  const int w = std::max(3, n / 40);
  const int i0 = std::max(0, ip - w), i1 = std::min(n - 1, ip + w);
  // fit z = c0 + c1 x + c2 x^2, x = i - ip (normal equations, 3x3 by Cramer's rule)
  double S[5] = {0, 0, 0, 0, 0}, T[3] = {0, 0, 0};
  for (int i = i0; i <= i1; ++i) {
    const double x = i - ip;
    double p = 1;
    for (int k = 0; k < 5; ++k, p *= x) S[k] += p;
    T[0] += z[i];
    T[1] += x * z[i];
    T[2] += x * x * z[i];
  }
  auto det3 = [](double a, double b, double c, double d, double e, double g, double h, double k,
                 double l) {
    return a * (e * l - g * k) - b * (d * l - g * h) + c * (d * k - e * h);
  };
  const double D = det3(S[0], S[1], S[2], S[1], S[2], S[3], S[2], S[3], S[4]);
  double vertex = 0, value = s[ip];
  if (std::abs(D) > 0) {
    const double c0 = det3(T[0], S[1], S[2], T[1], S[2], S[3], T[2], S[3], S[4]) / D;
    const double c1 = det3(S[0], T[0], S[2], S[1], T[1], S[3], S[2], T[2], S[4]) / D;
    const double c2 = det3(S[0], S[1], T[0], S[1], S[2], T[1], S[2], S[3], T[2]) / D;
    if (c2 < 0) {
      vertex =
          std::clamp(-c1 / (2 * c2), static_cast<double>(i0 - ip), static_cast<double>(i1 - ip));
      value = c0 + c1 * vertex + c2 * vertex * vertex;
    }
  }
  const double dh = depth[1] - depth[0];
  f.depth_peak_m = depth[ip] + vertex * dh;
  f.zeta_peak_per_m = value;
  const double level = 0.15 * f.zeta_peak_per_m;
  for (int i = ip; i + 1 < n; ++i) {
    if (z[i + 1] <= level) {
      const double t = (z[i] - level) / (z[i] - z[i + 1]);
      f.depth15_m = depth[i] + std::clamp(t, 0.0, 1.0) * dh;
      break;
    }
  }
  return f;
}

}  // namespace mps::transport
