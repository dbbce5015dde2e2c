#include "physics/capture/catcher_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps {

namespace {
constexpr double kPi = constants::pi;
double dot(const Vec3& a, const Vec3& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Vec3 add(const Vec3& a, const Vec3& b, double f = 1.0) {
  return {a[0] + f * b[0], a[1] + f * b[1], a[2] + f * b[2]};
}
Vec3 sub(const Vec3& a, const Vec3& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}
Vec3 scale(const Vec3& a, double f) {
  return {a[0] * f, a[1] * f, a[2] * f};
}
Vec3 unit(const Vec3& a) {
  const double n = std::sqrt(dot(a, a));
  return scale(a, 1.0 / n);
}
int bin(double x, double lo, double hi, int n) {
  const int k = static_cast<int>(std::floor((x - lo) / (hi - lo) * n));
  return std::clamp(k, 0, n - 1);
}
double angle_in(const Vec3& q, const Vec3& u, const Vec3& v) {
  double t = std::atan2(dot(q, v), dot(q, u));
  return t < 0 ? t + 2 * kPi : t;
}
}  // namespace

void complete_frame(const Vec3& n, const Vec3* hint, Vec3& u, Vec3& v) {
  Vec3 h{0, 0, 0};
  if (hint) h = *hint;
  double hn = dot(h, n);
  Vec3 p = sub(h, scale(n, hn));
  if (!hint || dot(p, p) < 1e-18) {
    int k = 0;
    for (int j = 1; j < 3; ++j)
      if (std::abs(n[j]) < std::abs(n[k])) k = j;
    h = {0, 0, 0};
    h[k] = 1.0;
    p = sub(h, scale(n, dot(h, n)));
  }
  u = unit(p);
  v = cross(n, u);
}

std::optional<CatcherHit> CatcherPart::intersect(const Vec3& a, const Vec3& b, double s_min) const {
  const Vec3 d = sub(b, a), w = sub(a, c);
  if (kind == Kind::triangle) {
    // Moller-Trumbore: a + s d = t0 + beta e1 + gamma e2 with beta, gamma >= 0, beta + gamma <= 1
    const Vec3 e1 = sub(tri[1], tri[0]), e2 = sub(tri[2], tri[0]);
    const Vec3 pv = cross(d, e2);
    const double det = dot(e1, pv);
    if (std::abs(det) < 1e-300) return std::nullopt;
    const Vec3 tv = sub(a, tri[0]);
    const double beta = dot(tv, pv) / det;
    if (beta < 0.0 || beta > 1.0) return std::nullopt;
    const Vec3 qv = cross(tv, e1);
    const double gamma = dot(d, qv) / det;
    if (gamma < 0.0 || beta + gamma > 1.0) return std::nullopt;
    const double s = dot(e2, qv) / det;
    if (!(s > s_min && s <= 1.0)) return std::nullopt;
    CatcherHit h;
    h.s = s;
    h.point = add(a, d, s);
    h.normal = dot(n, d) < 0 ? n : scale(n, -1.0);
    h.patch = patch_offset;
    return h;
  }
  if (kind != Kind::frustum) {
    const double da = dot(w, n), dd = dot(d, n);
    if (dd == 0.0) return std::nullopt;
    const double s = -da / dd;
    if (!(s > s_min && s <= 1.0)) return std::nullopt;
    const Vec3 q = add(w, d, s);
    const double pu = dot(q, u), pv = dot(q, v);
    CatcherHit h;
    h.s = s;
    h.point = add(c, q);
    h.normal = dd < 0 ? n : scale(n, -1.0);
    if (kind == Kind::rectangle) {
      if (std::abs(pu) > hu || std::abs(pv) > hv) return std::nullopt;
      h.patch = patch_offset + bin(pv, -hv, hv, nv) * nu + bin(pu, -hu, hu, nu);
    } else {
      const double r = std::hypot(pu, pv);
      if (r > r_out || r < r_in) return std::nullopt;
      h.patch =
          patch_offset + bin(angle_in(q, u, v), 0, 2 * kPi, nv) * nu + bin(r, r_in, r_out, nu);
    }
    return h;
  }
  // frustum: rho(z) = r0 + k z for the axial coordinate z in [0, length]
  const double k = (r1 - r0) / length;
  const double wz = dot(w, n), dz = dot(d, n);
  const Vec3 pw = sub(w, scale(n, wz)), pd = sub(d, scale(n, dz));
  const double rw = r0 + k * wz;
  const double A = dot(pd, pd) - k * k * dz * dz;
  const double B = 2.0 * (dot(pw, pd) - k * dz * rw);
  const double C = dot(pw, pw) - rw * rw;
  double roots[2];
  int nr = 0;
  const double scale_ab = std::abs(B) + std::abs(C) + 1e-300;
  if (std::abs(A) <= 1e-14 * scale_ab) {
    if (B != 0.0) roots[nr++] = -C / B;
  } else {
    const double disc = B * B - 4 * A * C;
    if (disc < 0) return std::nullopt;
    // numerically stable pair of roots
    const double q = -0.5 * (B + std::copysign(std::sqrt(disc), B));
    double x1 = q / A, x2 = q != 0.0 ? C / q : x1;
    if (x1 > x2) std::swap(x1, x2);
    roots[nr++] = x1;
    roots[nr++] = x2;
  }
  for (int i = 0; i < nr; ++i) {
    const double s = roots[i];
    if (!(s > s_min && s <= 1.0)) continue;
    const double z = wz + s * dz;
    if (z < 0.0 || z > length || r0 + k * z < 0.0) continue;
    const Vec3 q = add(w, d, s);
    const Vec3 perp = sub(q, scale(n, z));
    // outward normal: gradient of |perp|^2 - rho(z)^2
    Vec3 g = unit(sub(perp, scale(n, (r0 + k * z) * k)));
    CatcherHit h;
    h.s = s;
    h.point = add(c, q);
    h.normal = dot(g, d) < 0 ? g : scale(g, -1.0);
    h.patch = patch_offset + bin(z, 0, length, nv) * nu + bin(angle_in(perp, u, v), 0, 2 * kPi, nu);
    return h;
  }
  return std::nullopt;
}

std::vector<Vec3> CatcherPart::patch_corners(int p) const {
  if (kind == Kind::triangle) return {tri[0], tri[1], tri[2]};
  const int i = p % nu, j = p / nu;
  std::vector<Vec3> out(4);
  auto at = [&](double x, double y) -> Vec3 {
    switch (kind) {
      case Kind::rectangle:
        return add(add(c, u, -hu + 2 * hu * x), v, -hv + 2 * hv * y);
      case Kind::annulus: {
        const double r = r_in + (r_out - r_in) * x, t = 2 * kPi * y;
        return add(add(c, u, r * std::cos(t)), v, r * std::sin(t));
      }
      case Kind::frustum: {
        const double t = 2 * kPi * x, z = length * y, r = r0 + (r1 - r0) * y;
        return add(add(add(c, n, z), u, r * std::cos(t)), v, r * std::sin(t));
      }
      case Kind::triangle:
        break;
    }
    return c;
  };
  const double x0 = static_cast<double>(i) / nu, x1 = static_cast<double>(i + 1) / nu;
  const double y0 = static_cast<double>(j) / nv, y1 = static_cast<double>(j + 1) / nv;
  out[0] = at(x0, y0);
  out[1] = at(x1, y0);
  out[2] = at(x1, y1);
  out[3] = at(x0, y1);
  return out;
}

double CatcherPart::patch_area(int p) const {
  const int i = p % nu, j = p / nu;
  switch (kind) {
    case Kind::rectangle:
      return (2 * hu / nu) * (2 * hv / nv);
    case Kind::annulus: {
      const double ra = r_in + (r_out - r_in) * i / nu, rb = r_in + (r_out - r_in) * (i + 1) / nu;
      return 0.5 * (2 * kPi / nv) * (rb * rb - ra * ra);
    }
    case Kind::frustum: {
      // lateral band: dA = rho(z) sqrt(1 + k^2) dtheta dz, rho linear: exact with the mid value
      const double k = (r1 - r0) / length;
      const double za = length * j / nv, zb = length * (j + 1) / nv;
      const double rho_mid = r0 + k * 0.5 * (za + zb);
      return (2 * kPi / nu) * std::sqrt(1 + k * k) * rho_mid * (zb - za);
    }
    case Kind::triangle: {
      const Vec3 x = cross(sub(tri[1], tri[0]), sub(tri[2], tri[0]));
      return 0.5 * std::sqrt(dot(x, x));
    }
  }
  return 0.0;
}

void CatcherGeometry::add(CatcherPart p) {
  if (p.kind == CatcherPart::Kind::triangle) {
    for (const auto& x : p.tri)
      for (int k = 0; k < 3; ++k) {
        lo_[k] = has_box_ ? std::min(lo_[k], x[k]) : x[k];
        hi_[k] = has_box_ ? std::max(hi_[k], x[k]) : x[k];
      }
    has_box_ = true;
  }
  p.patch_offset = patches_;
  patches_ += p.patches();
  parts_.push_back(p);
}

std::optional<CatcherHit> CatcherGeometry::intersect(const Vec3& a, const Vec3& b,
                                                     double s_min) const {
  std::optional<CatcherHit> best;
  if (has_box_) {
    // only meshes (all parts triangles) have a box: skip segments that miss it entirely
    for (int k = 0; k < 3; ++k)
      if (std::max(a[k], b[k]) < lo_[k] || std::min(a[k], b[k]) > hi_[k]) return best;
  }
  for (const auto& p : parts_) {
    auto h = p.intersect(a, b, s_min);
    if (h && (!best || h->s < best->s)) best = h;
  }
  return best;
}

CatcherGeometry CatcherGeometry::from_config(const Config& c, const std::string& case_file) {
  CatcherGeometry g;
  const std::string shape = c.string("shape");
  const std::string where = c.path() + ": ";
  auto need = [&](const char* key) {
    if (!c.has(key)) throw InputError(where + "a " + shape + " catcher needs '" + key + "'");
  };
  auto direction = [&](const char* key) {
    need(key);
    Vec3 a = c.vec3(key);
    if (!(dot(a, a) > 0)) throw InputError(where + key + ": expected a non-zero vector");
    return unit(a);
  };
  if (shape != "stl") need("center");
  const Vec3 center = shape != "stl" ? c.vec3("center") : Vec3{0, 0, 0};
  const auto res = c.numbers("patches");  // (STL: one patch per facet, not used)
  if (res.size() != 2 || res[0] < 1 || res[1] < 1 || res[0] != std::floor(res[0]) ||
      res[1] != std::floor(res[1]) || res[0] * res[1] > 1e6)
    throw InputError(where + "patches: expected two whole numbers >= 1 (at most 1e6 patches)");
  const int n1 = static_cast<int>(res[0]), n2 = static_cast<int>(res[1]);
  CatcherPart p;
  if (shape == "plane") {
    p.kind = CatcherPart::Kind::rectangle;
    p.n = direction("normal");
    Vec3 hint = c.has("u_direction") ? c.vec3("u_direction") : Vec3{0, 0, 0};
    complete_frame(p.n, c.has("u_direction") ? &hint : nullptr, p.u, p.v);
    need("half_size");
    const auto hs = c.numbers("half_size");
    if (hs.size() != 2 || !(hs[0] > 0) || !(hs[1] > 0))
      throw InputError(where + "half_size: expected two positive lengths [along u, along v]");
    p.c = center, p.hu = hs[0], p.hv = hs[1], p.nu = n1, p.nv = n2;
    g.add(p);
  } else if (shape == "disc") {
    p.kind = CatcherPart::Kind::annulus;
    p.n = direction("normal");
    complete_frame(p.n, nullptr, p.u, p.v);
    need("radius");
    p.c = center, p.r_out = c.number("radius"), p.r_in = c.number("inner_radius");
    if (!(p.r_in < p.r_out))
      throw InputError(where + "inner_radius: expected inner_radius < radius");
    p.nu = n1, p.nv = n2;
    g.add(p);
  } else if (shape == "cylinder" || shape == "cone") {
    p.kind = CatcherPart::Kind::frustum;
    p.n = direction("axis");
    complete_frame(p.n, nullptr, p.u, p.v);
    need("length");
    p.length = c.number("length");
    if (shape == "cylinder") {
      need("radius");
      p.r0 = p.r1 = c.number("radius");
      p.c = mps::add(center, p.n, -0.5 * p.length);  // `center` is the middle of the cylinder
    } else {
      need("radius_start");
      need("radius_end");
      p.r0 = c.number("radius_start"), p.r1 = c.number("radius_end");
      p.c = center;  // `center` is the centre of the start end of the cone
      if (p.r0 == 0 && p.r1 == 0) throw InputError(where + "a cone needs a non-zero radius");
    }
    p.nu = n1, p.nv = n2;
    g.add(p);
  } else if (shape == "box") {
    // axis-aligned box: six rectangles, patches n1 x n2 on each face
    need("half_widths");
    const Vec3 h = c.vec3("half_widths");
    if (!(h[0] > 0 && h[1] > 0 && h[2] > 0))
      throw InputError(where + "half_widths: expected positive sizes");
    for (int a = 0; a < 3; ++a)
      for (int sgn : {-1, 1}) {
        CatcherPart f;
        f.kind = CatcherPart::Kind::rectangle;
        f.n = {0, 0, 0};
        f.n[a] = sgn;
        const int ua = (a + 1) % 3, va = (a + 2) % 3;
        f.u = {0, 0, 0}, f.v = {0, 0, 0};
        f.u[ua] = 1.0;
        f.v = cross(f.n, f.u);
        f.c = center;
        f.c[a] += sgn * h[a];
        f.hu = h[ua];
        f.hv = h[va];
        f.nu = n1, f.nv = n2;
        g.add(f);
      }
  } else if (shape == "stl") {
    need("file");
    std::filesystem::path file = c.string("file");
    if (file.is_relative() && !case_file.empty())
      file = std::filesystem::path(case_file).parent_path() / file;
    const auto tris = read_stl(file.string(), c.number("scale"));
    for (const auto& t : tris) {
      CatcherPart f;
      f.kind = CatcherPart::Kind::triangle;
      f.tri = t;
      const Vec3 x = cross(sub(t[1], t[0]), sub(t[2], t[0]));
      if (!(dot(x, x) > 0)) continue;  // degenerate facet
      f.n = unit(x);
      f.c = t[0];
      g.add(f);
    }
    if (g.parts_.empty()) throw InputError(where + "file: no usable facets in " + file.string());
  } else {
    throw InputError(where + "shape: unknown shape '" + shape + "'");
  }
  return g;
}

}  // namespace mps
