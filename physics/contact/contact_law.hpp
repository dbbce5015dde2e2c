// Hertz-Mindlin soft-sphere contact law (the pair kernel of the contact unit).
//
// Model, with the definitions of LAMMPS `pair_style granular` (hertz/material, damping tsuji,
// tangential mindlin, Debian lammps 20220106; see doc/src/pair_granular.rst) so the granular-gas
// benchmark compares the same physics:
//   overlap delta = R_i + R_j - r, unit normal n = (x_i - x_j) / r, contact radius a = sqrt(R*
//   delta) normal:     F_n = (4/3) E* a delta  -  eta_n v_n,     eta_n = c_n sqrt(m* (4/3) E* a)
//               (Hertz 1882; the delta^(1/4) damping of Tsuji, Tanaka & Ishida, Powder Technol.
//               71 (1992) 239: the restitution does not depend on the impact speed)
//   tangential: incremental Mindlin spring k_t = 8 G* a on the tangential displacement xi (kept
//               per contact, rotated into the current tangent plane each step), damping
//               eta_t = x_t eta_n, Coulomb limit |F_t| <= mu |F_n| (xi is rescaled to the limit
//               while sliding; Mindlin & Deresiewicz 1953 in the "no-slip then slip" form of
//               Thornton et al., Powder Technol. 233 (2013) 30)
//   rolling:    optional constant directional torque -mu_r R* |F_n| w_rel/|w_rel| (model A of
//               Ai, Chen, Rotter & Ooi, Powder Technol. 206 (2011) 269)
//   effective:  1/E* = (1-nu_i^2)/E_i + (1-nu_j^2)/E_j,  1/G* = (2-nu_i)/G_i + (2-nu_j)/G_j,
//               R* = R_i R_j/(R_i+R_j), m* = m_i m_j/(m_i+m_j); a wall has R, m -> infinity.
// Torques use the lever arm R - delta/2 (contact point in the middle of the overlap), as LAMMPS.
#pragma once

#include <cmath>

namespace mps::contact {

// Constants of one pair of materials (particle-particle or particle-wall).
struct PairConstants {
  double e_star = 0.0;   // effective Young's modulus E* (Pa)
  double g_star = 0.0;   // effective shear modulus G* (Pa)
  double damping = 0.0;  // c_n: dimensionless normal damping coefficient (see restitution.hpp)
  double tangential_damping_ratio = 1.0;  // x_t = eta_t / eta_n
  double friction = 0.0;                  // Coulomb mu
  double rolling_friction = 0.0;          // mu_r (0: off)
};

// Force and torques of one contact. The force acts on i; j receives -force.
struct ContactForce {
  double f[3];
  double ti[3];
  double tj[3];
};

// One evaluation of the contact law. d = x_i - x_j (minimum image), r = |d| > 0 and
// delta = R_i + R_j - r > 0 (the caller tested the overlap). dv = v_i - v_j. hist is the
// tangential displacement of this contact (zero at first touch), updated in place with step dt.
[[gnu::always_inline]] inline void hertz_mindlin(const PairConstants& c, const double d[3],
                                                 double r, double delta, double ri, double rj,
                                                 double reff, double meff, const double dv[3],
                                                 const double wi[3], const double wj[3], double dt,
                                                 double hist[3], ContactForce& out) {
  const double inv_r = 1.0 / r;
  const double nx = d[0] * inv_r, ny = d[1] * inv_r, nz = d[2] * inv_r;
  const double a = std::sqrt(reff * delta);
  const double kn_a = (4.0 / 3.0) * c.e_star * a;  // F_elastic / delta
  const double vn = dv[0] * nx + dv[1] * ny + dv[2] * nz;
  const double eta_n = c.damping * std::sqrt(meff * kn_a);
  const double fn = kn_a * delta - eta_n * vn;  // may turn slightly attractive at the end (LAMMPS)

  // relative tangential velocity of the contact point: v_t + n x (R_i w_i + R_j w_j)
  const double wrx = ri * wi[0] + rj * wj[0], wry = ri * wi[1] + rj * wj[1],
               wrz = ri * wi[2] + rj * wj[2];
  const double vtx = dv[0] - vn * nx + (ny * wrz - nz * wry);
  const double vty = dv[1] - vn * ny + (nz * wrx - nx * wrz);
  const double vtz = dv[2] - vn * nz + (nx * wry - ny * wrx);

  // rotate the stored displacement into the current tangent plane, keeping its length
  const double hn = hist[0] * nx + hist[1] * ny + hist[2] * nz;
  if (hn != 0.0) {
    const double len2 = hist[0] * hist[0] + hist[1] * hist[1] + hist[2] * hist[2];
    hist[0] -= hn * nx;
    hist[1] -= hn * ny;
    hist[2] -= hn * nz;
    const double p2 = hist[0] * hist[0] + hist[1] * hist[1] + hist[2] * hist[2];
    const double s = p2 > 0.0 ? std::sqrt(len2 / p2) : 0.0;
    hist[0] *= s;
    hist[1] *= s;
    hist[2] *= s;
  }
  hist[0] += dt * vtx;
  hist[1] += dt * vty;
  hist[2] += dt * vtz;

  const double kt = 8.0 * c.g_star * a;
  const double eta_t = c.tangential_damping_ratio * eta_n;
  const double fdx = -eta_t * vtx, fdy = -eta_t * vty, fdz = -eta_t * vtz;
  double ftx = -kt * hist[0] + fdx, fty = -kt * hist[1] + fdy, ftz = -kt * hist[2] + fdz;
  const double ft2 = ftx * ftx + fty * fty + ftz * ftz;
  const double ft_max = c.friction * std::fabs(fn);
  if (ft2 > ft_max * ft_max) {  // (squares: no root unless sliding)
    // sliding: the force sits on the Coulomb cone; the spring keeps the elastic part of it
    if (hist[0] != 0.0 || hist[1] != 0.0 || hist[2] != 0.0) {
      const double s = ft_max / std::sqrt(ft2);
      ftx *= s;
      fty *= s;
      ftz *= s;
      hist[0] = -(ftx - fdx) / kt;
      hist[1] = -(fty - fdy) / kt;
      hist[2] = -(ftz - fdz) / kt;
    } else {
      ftx = fty = ftz = 0.0;
    }
  }

  out.f[0] = fn * nx + ftx;
  out.f[1] = fn * ny + fty;
  out.f[2] = fn * nz + ftz;
  // torque = (lever) x F_t with lever -(R_i - delta/2) n on i and +(R_j - delta/2) n on j (-F_t)
  const double cx = ny * ftz - nz * fty, cy = nz * ftx - nx * ftz, cz = nx * fty - ny * ftx;
  const double li = ri - 0.5 * delta, lj = rj - 0.5 * delta;
  out.ti[0] = -li * cx;
  out.ti[1] = -li * cy;
  out.ti[2] = -li * cz;
  out.tj[0] = -lj * cx;
  out.tj[1] = -lj * cy;
  out.tj[2] = -lj * cz;
  if (c.rolling_friction > 0.0) {
    const double rx = wi[0] - wj[0], ry = wi[1] - wj[1], rz = wi[2] - wj[2];
    const double w = std::sqrt(rx * rx + ry * ry + rz * rz);
    if (w > 0.0) {
      const double m = c.rolling_friction * reff * std::fabs(fn) / w;
      out.ti[0] -= m * rx;
      out.ti[1] -= m * ry;
      out.ti[2] -= m * rz;
      out.tj[0] += m * rx;
      out.tj[1] += m * ry;
      out.tj[2] += m * rz;
    }
  }
}

}  // namespace mps::contact
