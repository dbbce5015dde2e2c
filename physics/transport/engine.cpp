#include "physics/transport/engine.hpp"

#include <algorithm>
#include <cmath>

#include "physics/transport/stopping_power.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps::transport {

namespace {
constexpr double kMc2 = constants::electron_rest_energy_eV;
constexpr int kTableSize = 480;
constexpr int kMuNodes = 1200;

Vec3 normalized(Vec3 v) {
  return v * (1.0 / std::sqrt(v.dot(v)));
}

// Two unit vectors orthogonal to d.
void basis(const Vec3& d, Vec3& u, Vec3& v) {
  const Vec3 a = std::abs(d.x) < 0.9 ? Vec3{1, 0, 0} : Vec3{0, 1, 0};
  u = normalized(Vec3{a.y * d.z - a.z * d.y, a.z * d.x - a.x * d.z, a.x * d.y - a.y * d.x});
  v = {d.y * u.z - d.z * u.y, d.z * u.x - d.x * u.z, d.x * u.y - d.y * u.x};
}

// Rotate unit direction d by polar cos theta and azimuth phi.
Vec3 rotate(const Vec3& d, double cos_t, double phi) {
  const double sin_t = std::sqrt(std::max(0.0, 1.0 - cos_t * cos_t));
  const double cp = std::cos(phi), sp = std::sin(phi);
  Vec3 r;
  if (std::abs(d.z) < 0.99999999) {
    const double s = std::sqrt(1.0 - d.z * d.z);
    r.x = d.x * cos_t + sin_t * (d.x * d.z * cp - d.y * sp) / s;
    r.y = d.y * cos_t + sin_t * (d.y * d.z * cp + d.x * sp) / s;
    r.z = d.z * cos_t - sin_t * cp * s;
  } else {
    const double sg = d.z > 0 ? 1.0 : -1.0;
    r = {sin_t * cp, sin_t * sp, sg * cos_t};
  }
  return normalized(r);
}
}  // namespace

DiscBeam::DiscBeam(double energy_eV, Vec3 center, Vec3 direction, double radius)
    : e_(energy_eV), r_(radius), c_(center), d_(normalized(direction)) {
  basis(d_, u_, v_);
}

Primary DiscBeam::sample(Rng& rng) const {
  const double r = r_ * std::sqrt(rng.uniform());
  const double phi = 2.0 * constants::pi * rng.uniform();
  return {c_ + u_ * (r * std::cos(phi)) + v_ * (r * std::sin(phi)), d_, e_};
}

TransportEngine::TransportEngine(const Material& material, const TransportOptions& options)
    : mat_(material), opt_(options), mott_(mott_ratio_for(material.Z)) {
  if (!(opt_.absorption_energy_eV >= 50.0))
    throw InputError("transport: absorption energy must be >= 50 eV");
  if (!(opt_.c1 > 0 && opt_.c1 <= 0.2) || !(opt_.c2 > 0 && opt_.c2 <= 0.2))
    throw InputError("transport: step parameters c1, c2 must be in (0, 0.2]");
  delta_cut_ = opt_.delta_cut_eV > 0 ? std::max(opt_.delta_cut_eV, opt_.absorption_energy_eV)
                                     : opt_.absorption_energy_eV;
  const double e0 = 0.5 * opt_.absorption_energy_eV, e1 = 1.05 * opt_.max_energy_eV;
  ln_e0_ = std::log(e0);
  const double dln = (std::log(e1) - ln_e0_) / (kTableSize - 1);
  inv_dln_ = 1.0 / dln;
  table_.resize(kTableSize);
  std::vector<double> mu(kMuNodes + 1), H(kMuNodes + 1), T(kMuNodes + 1);
  for (int i = 0; i < kTableSize; ++i) {
    const double E = std::exp(ln_e0_ + i * dln);
    Row& r = table_[i];
    r.s_col = collision_stopping(mat_, E);
    r.s_rad = radiative_stopping(mat_, E);
    r.sig_m = moller_cross_section(mat_, E, delta_cut_);
    r.s_soft = std::max(0.0, r.s_col - moller_hard_stopping(mat_, E, delta_cut_));
    // elastic: integrate R / (mu + eta)^2 on log-spaced mu nodes, R constant per interval
    const double eta = screening_parameter(mat_.Z, E);
    const auto a = mott_.coefficients(std::sqrt(beta2_of(E)));
    const double pref = elastic_prefactor(mat_, E);
    mu[0] = 0.0;
    const double mlo = std::log(1e-12), mhi = 0.0;
    for (int k = 1; k <= kMuNodes; ++k)
      mu[k] = std::exp(mlo + (mhi - mlo) * (k - 1) / (kMuNodes - 1));
    // H[k] = integral over [mu_k, 1] (number), T[k] = integral over [0, mu_k] of 2 mu (transport)
    H[kMuNodes] = 0.0;
    T[0] = 0.0;
    std::vector<double> seg_n(kMuNodes), seg_t(kMuNodes);
    for (int k = 0; k < kMuNodes; ++k) {
      const double lo = mu[k], hi = mu[k + 1];
      const double R = MottRatio::ratio(a, 0.5 * (lo + hi));
      seg_n[k] = R * (1.0 / (lo + eta) - 1.0 / (hi + eta));
      seg_t[k] =
          R * 2.0 * (std::log((hi + eta) / (lo + eta)) + eta / (hi + eta) - eta / (lo + eta));
    }
    for (int k = kMuNodes - 1; k >= 0; --k) H[k] = H[k + 1] + seg_n[k];
    for (int k = 0; k < kMuNodes; ++k) T[k + 1] = T[k] + seg_t[k];
    r.sig_el = pref * H[0];
    r.sig1 = pref * T[kMuNodes];
    const double target = std::min(r.sig_el, r.sig1 / opt_.c1);
    if (target >= r.sig_el) {
      r.mu_c = 0.0;
      r.sig_h = r.sig_el;
      r.sig1s = 0.0;
    } else {
      // H decreases with k: find k with pref H[k] >= target > pref H[k+1]
      int k = 0;
      while (k + 1 < kMuNodes && pref * H[k + 1] >= target) ++k;
      const double f = (pref * H[k] - target) / (pref * (H[k] - H[k + 1]));
      r.mu_c = mu[k] + f * (mu[k + 1] - mu[k]);
      r.sig_h = target;
      r.sig1s = pref * (T[k] + f * seg_t[k]);
    }
    double rmax = 0.0;
    for (int k = 0; k <= 400; ++k)
      rmax = std::max(rmax, MottRatio::ratio(a, r.mu_c + (1.0 - r.mu_c) * k / 400.0));
    r.r_max = 1.05 * rmax;
  }
}

TransportEngine::Row TransportEngine::row(double E) const {
  double x = (std::log(E) - ln_e0_) * inv_dln_;
  x = std::clamp(x, 0.0, static_cast<double>(kTableSize - 1) - 1e-9);
  const int i = static_cast<int>(x);
  const double f = x - i;
  const Row &a = table_[i], &b = table_[i + 1];
  auto L = [f](double p, double q) { return p + f * (q - p); };
  return {L(a.s_col, b.s_col),       L(a.s_soft, b.s_soft), L(a.s_rad, b.s_rad),
          L(a.sig_m, b.sig_m),       L(a.sig_el, b.sig_el), L(a.sig_h, b.sig_h),
          L(a.sig1, b.sig1),         L(a.sig1s, b.sig1s),   L(a.mu_c, b.mu_c),
          std::max(a.r_max, b.r_max)};
}

TransportEngine::Coefficients TransportEngine::coefficients(double E) const {
  const Row r = row(E);
  return {r.s_col, r.s_soft, r.s_rad, r.sig_m, r.sig_el, r.sig_h, r.sig1, r.sig1s, r.mu_c};
}

Tallies TransportEngine::empty_tallies(const Geometry& g) const {
  Tallies t;
  t.init(g.body_count(), opt_.depth_bins, opt_.depth_max_m > 0 ? opt_.depth_max_m : 1.0,
         opt_.spectrum_bins);
  return t;
}

struct TransportEngine::Electron {
  Vec3 pos, dir;
  double E;
  int body;  // -1: vacuum
  int last_body;
  bool primary;
};

struct TransportEngine::History {
  History(Rng r, Tallies* tallies, XraySink* sink, double e0)
      : rng(r), t(tallies), xrays(sink), E0(e0) {}
  Rng rng;
  Tallies* t;
  XraySink* xrays;
  double E0;
  std::vector<Electron> stack;
  // per-history sums (fractions of E0 or numbers)
  double back_n = 0, back_e = 0, back_pn = 0, back_pe = 0, fwd_n = 0, fwd_e = 0;
  double dep = 0, rad = 0, se = 0, out = 0, max_depth = 0;
  std::vector<double> body_dep, body_q, body_se;
  std::vector<int> touched;
  void touch(int b) {
    if (body_dep[b] == 0 && body_q[b] == 0 && body_se[b] == 0) touched.push_back(b);
  }
};

namespace {
double depth_of(const TransportOptions& o, const Vec3& p) {
  return (p - o.tally_origin).dot(o.tally_axis);
}
}  // namespace

Tallies TransportEngine::run_histories(const Geometry& g, const BeamSource& src,
                                       std::uint64_t first_id, std::uint64_t count,
                                       std::uint64_t seed, XraySink* xrays) const {
  Tallies t = empty_tallies(g);
  t.energy_eV = src.energy_eV();
  if (src.energy_eV() > opt_.max_energy_eV)
    throw InputError("transport: beam energy above the table limit max_energy");
  const int nb = g.body_count();
  History h(Rng(seed, RngPurpose::transport, first_id), &t, xrays, src.energy_eV());
  h.body_dep.assign(nb, 0.0);
  h.body_q.assign(nb, 0.0);
  h.body_se.assign(nb, 0.0);
  for (std::uint64_t id = first_id; id < first_id + count; ++id) {
    h.rng = Rng(seed, RngPurpose::transport, id);
    h.back_n = h.back_e = h.back_pn = h.back_pe = h.fwd_n = h.fwd_e = 0;
    h.dep = h.rad = h.se = h.out = h.max_depth = 0;
    const Primary p = src.sample(h.rng);
    h.stack.clear();
    h.stack.push_back({p.position, normalized(p.direction), p.energy_eV, -1, -1, true});
    track(h, g);
    t.back_number.add(h.back_n);
    t.back_energy.add(h.back_e);
    t.back_primary_number.add(h.back_pn);
    t.back_primary_energy.add(h.back_pe);
    t.forward_number.add(h.fwd_n);
    t.forward_energy.add(h.fwd_e);
    t.deposited_energy.add(h.dep);
    t.radiated_energy.add(h.rad);
    t.secondary_yield.add(h.se);
    t.electrons_out.add(h.out);
    t.energy_balance.add(1.0 - h.dep - h.rad - h.back_e - h.fwd_e);
    for (int b : h.touched) {
      t.body_deposited[b].add(h.body_dep[b]);
      t.body_charge[b].add(h.body_q[b]);
      t.body_secondary[b].add(h.body_se[b]);
      h.body_dep[b] = h.body_q[b] = h.body_se[b] = 0;
    }
    h.touched.clear();
    if (opt_.depth_bins > 0) t.penetration.score_at(h.max_depth, 1.0);
    t.depth_dose.flush();
    t.penetration.flush();
    t.depth_xray.flush();
    t.spectrum_back.flush();
    t.spectrum_forward.flush();
    ++t.histories;
  }
  return t;
}

void TransportEngine::track(History& h, const Geometry& g) const {
  Tallies& t = *h.t;
  const double inv_e0 = 1.0 / h.E0;
  const double e_abs = opt_.absorption_energy_eV;
  const bool depth_tally = opt_.depth_bins > 0;
  const double two_pi = 2.0 * constants::pi;
  const double se_k = opt_.slow_secondaries ? mat_.se_coefficient : 0.0;

  auto surface_se = [&](const Electron& e, int body) {
    if (se_k == 0.0) return;
    const double c = std::abs(e.dir.dot(g.normal(body, e.pos)));
    const double y = se_k * row(e.E).s_col * std::min(1.0 / std::max(c, 1e-12), 10.0);
    h.touch(body);
    h.body_se[body] += y;
    h.body_q[body] -= y;
    h.se += y;
  };
  // continuous losses along a straight segment of length len from e.pos (before moving)
  auto segment = [&](Electron& e, double len, double s_soft, double s_rad) {
    double dep = s_soft * len, rad = s_rad * len;
    if (dep + rad > e.E) {
      const double f = e.E / (dep + rad);
      dep *= f;
      rad = e.E - dep;
    }
    const Vec3 end = e.pos + e.dir * len;
    if (depth_tally) {
      const double z0 = depth_of(opt_, e.pos), z1 = depth_of(opt_, end);
      t.depth_dose.score_segment(z0, z1, dep * inv_e0);
      t.depth_xray.score_segment(z0, z1, rad * inv_e0);
      if (e.primary) h.max_depth = std::max(h.max_depth, z1);
    }
    if (h.xrays && rad > 0) h.xrays->emit((e.pos + end) * 0.5, rad, e.body);
    h.touch(e.body);
    h.body_dep[e.body] += dep * inv_e0;
    h.dep += dep * inv_e0;
    h.rad += rad * inv_e0;
    e.E = (e.E - dep) - rad;
    e.pos = end;
  };

  while (!h.stack.empty()) {
    Electron e = h.stack.back();
    h.stack.pop_back();
    for (int guard = 0; guard < 10000000; ++guard) {
      if (e.body < 0) {
        const BodyHit hit = g.next_body(e.pos, e.dir, e.last_body);
        if (hit.body < 0) {  // escapes
          const double f = e.E * inv_e0;
          if (e.dir.dot(opt_.tally_axis) < 0) {
            h.back_n += 1;
            h.back_e += f;
            if (e.primary) {
              h.back_pn += 1;
              h.back_pe += f;
            }
            t.spectrum_back.score_at(f, 1.0);
          } else {
            h.fwd_n += 1;
            h.fwd_e += f;
            t.spectrum_forward.score_at(f, 1.0);
          }
          break;
        }
        e.pos = e.pos + e.dir * hit.distance;
        e.body = hit.body;
        h.touch(e.body);
        h.body_q[e.body] += 1.0;
        surface_se(e, e.body);
        continue;
      }
      if (e.E <= e_abs) {  // absorbed here
        h.touch(e.body);
        h.body_dep[e.body] += e.E * inv_e0;
        h.dep += e.E * inv_e0;
        if (depth_tally) t.depth_dose.score_at(depth_of(opt_, e.pos), e.E * inv_e0);
        break;
      }
      const Row r = row(e.E);
      const double s_tot = r.s_soft + r.s_rad;
      const double s_max = opt_.c2 * e.E / s_tot;
      const double sig = r.sig_h + r.sig_m;
      const double dist = h.rng.exponential() / sig;
      const bool hard = dist < s_max;
      const double s = hard ? dist : s_max;
      const double tau = s * h.rng.uniform();
      // first leg to the hinge
      double d_exit = g.distance_to_exit(e.body, e.pos, e.dir);
      if (d_exit <= tau) {
        segment(e, d_exit, r.s_soft, r.s_rad);
        h.out += 1;
        h.body_q[e.body] -= 1.0;
        surface_se(e, e.body);
        e.last_body = e.body;
        e.body = -1;
        continue;
      }
      segment(e, tau, r.s_soft, r.s_rad);
      // soft deflection at the hinge
      if (r.sig1s > 0) {
        const double m = 0.5 * (1.0 - std::exp(-s * r.sig1s));
        double mu;
        do mu = -m * std::log(h.rng.uniform());
        while (mu > 1.0);
        e.dir = rotate(e.dir, 1.0 - 2.0 * mu, two_pi * h.rng.uniform());
      }
      // second leg
      d_exit = g.distance_to_exit(e.body, e.pos, e.dir);
      if (d_exit <= s - tau) {
        segment(e, d_exit, r.s_soft, r.s_rad);
        h.out += 1;
        h.body_q[e.body] -= 1.0;
        surface_se(e, e.body);
        e.last_body = e.body;
        e.body = -1;
        continue;
      }
      segment(e, s - tau, r.s_soft, r.s_rad);
      if (!hard || e.E <= e_abs) continue;
      const Row q = row(e.E);
      if (h.rng.uniform() * (q.sig_h + q.sig_m) < q.sig_h) {
        // hard elastic event: screened Rutherford on [mu_c, 1], Mott ratio by rejection
        const double eta = screening_parameter(mat_.Z, e.E);
        const auto a = mott_.coefficients(std::sqrt(beta2_of(e.E)));
        const double A = 1.0 / (q.mu_c + eta), B = 1.0 / (1.0 + eta);
        double mu;
        do mu = 1.0 / (A - h.rng.uniform() * (A - B)) - eta;
        while (h.rng.uniform() * q.r_max > MottRatio::ratio(a, std::clamp(mu, 0.0, 1.0)));
        e.dir = rotate(e.dir, 1.0 - 2.0 * std::clamp(mu, 0.0, 1.0), two_pi * h.rng.uniform());
      } else if (e.E > 2.0 * delta_cut_) {
        // Moller collision with W in [W_cut, E/2]: 1/kappa^2 sampling, bracket by rejection
        const double tau_e = e.E / kMc2, g2 = (tau_e / (tau_e + 1)) * (tau_e / (tau_e + 1));
        const double c = (2 * tau_e + 1) / ((tau_e + 1) * (tau_e + 1));
        const double kc = delta_cut_ / e.E;
        double k;
        while (true) {
          k = 1.0 / (1.0 / kc - h.rng.uniform() * (1.0 / kc - 2.0));
          const double x = k / (1.0 - k);
          if (h.rng.uniform() * 2.25 <= 1.0 + x * x + g2 * k * k - c * x) break;
        }
        const double W = k * e.E, E1 = e.E - W;
        const double cos_p = std::sqrt(E1 * (e.E + 2 * kMc2) / (e.E * (E1 + 2 * kMc2)));
        const double cos_s = std::sqrt(W * (e.E + 2 * kMc2) / (e.E * (W + 2 * kMc2)));
        const double phi = two_pi * h.rng.uniform();
        Electron d{e.pos,       rotate(e.dir, std::min(cos_s, 1.0), phi + constants::pi),
                   W,           e.body,
                   e.last_body, false};
        h.stack.push_back(d);
        e.dir = rotate(e.dir, std::min(cos_p, 1.0), phi);
        e.E = E1;
      }
    }
  }
}

}  // namespace mps::transport
