#include "mesh/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace mps {

namespace {

Vec3 sub(const Vec3& a, const Vec3& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}
Vec3 add(const Vec3& a, const Vec3& b) {
  return {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
}
Vec3 mul(const Vec3& a, double s) {
  return {a[0] * s, a[1] * s, a[2] * s};
}
double dot(const Vec3& a, const Vec3& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double norm(const Vec3& a) {
  return std::sqrt(dot(a, a));
}
Vec3 unit(const Vec3& a) {
  return mul(a, 1.0 / norm(a));
}
// Two unit vectors completing u to an orthonormal basis.
void basis(const Vec3& u, Vec3& e1, Vec3& e2) {
  const Vec3 t = std::abs(u[0]) < 0.9 ? Vec3{1, 0, 0} : Vec3{0, 1, 0};
  e1 = unit(cross(u, t));
  e2 = cross(u, e1);
}

// Distance to a rectangle |q - c| <= half in 2D, signed (negative inside).
double rect_distance(double dx, double dy) {
  const double ox = std::max(dx, 0.0), oy = std::max(dy, 0.0);
  return std::sqrt(ox * ox + oy * oy) + std::min(std::max(dx, dy), 0.0);
}

constexpr int kSegments = 48;

class HalfSpace final : public Solid {
 public:
  HalfSpace(const Vec3& p, const Vec3& n) : p_(p), n_(unit(n)) {}
  std::string kind() const override { return "plane"; }
  double signed_distance(const Vec3& x) const override { return dot(sub(x, p_), n_); }
  std::array<Vec3, 2> bounds() const override {
    return {Vec3{-kInfinity, -kInfinity, -kInfinity}, Vec3{kInfinity, kInfinity, kInfinity}};
  }
  double feature_size() const override { return kInfinity; }
  void triangulate(const std::array<Vec3, 2>& box, TriangleMesh& out, int part) const override {
    // The polygon where the plane cuts the box: crossings of the 12 box edges, sorted by angle.
    std::vector<Vec3> pts;
    for (int a = 0; a < 3; ++a) {
      const int b = (a + 1) % 3, c = (a + 2) % 3;
      for (int sb = 0; sb < 2; ++sb)
        for (int sc = 0; sc < 2; ++sc) {
          Vec3 p0{}, p1{};
          p0[a] = box[0][a];
          p1[a] = box[1][a];
          p0[b] = p1[b] = box[sb][b];
          p0[c] = p1[c] = box[sc][c];
          const double d0 = signed_distance(p0), d1 = signed_distance(p1);
          if ((d0 < 0) != (d1 < 0)) pts.push_back(add(p0, mul(sub(p1, p0), d0 / (d0 - d1))));
        }
    }
    if (pts.size() < 3) return;
    Vec3 c{0, 0, 0};
    for (const auto& q : pts) c = add(c, mul(q, 1.0 / pts.size()));
    Vec3 e1, e2;
    basis(n_, e1, e2);
    std::sort(pts.begin(), pts.end(), [&](const Vec3& a, const Vec3& b) {
      return std::atan2(dot(sub(a, c), e2), dot(sub(a, c), e1)) <
             std::atan2(dot(sub(b, c), e2), dot(sub(b, c), e1));
    });
    const int base = static_cast<int>(out.points.size());
    out.points.push_back(c);
    for (const auto& q : pts) out.points.push_back(q);
    const int n = static_cast<int>(pts.size());
    for (int k = 0; k < n; ++k) {
      out.triangles.push_back({base, base + 1 + k, base + 1 + (k + 1) % n});
      out.part.push_back(part);
    }
  }

 private:
  Vec3 p_, n_;
};

// Ball of radius r, or the spherical shell r_in <= |x - c| <= r (r_in > 0).
class Sphere final : public Solid {
 public:
  Sphere(const Vec3& c, double r, double r_in = 0.0) : c_(c), r_(r), r_in_(r_in) {}
  std::string kind() const override { return r_in_ > 0 ? "spherical shell" : "sphere"; }
  double signed_distance(const Vec3& x) const override {
    const double r = norm(sub(x, c_));
    return r_in_ > 0 ? std::abs(r - 0.5 * (r_ + r_in_)) - 0.5 * (r_ - r_in_) : r - r_;
  }
  std::array<Vec3, 2> bounds() const override {
    return {sub(c_, Vec3{r_, r_, r_}), add(c_, Vec3{r_, r_, r_})};
  }
  double feature_size() const override { return r_in_ > 0 ? r_ - r_in_ : 2.0 * r_; }
  void triangulate(const std::array<Vec3, 2>&, TriangleMesh& out, int part) const override {
    sphere(r_, out, part);
    if (r_in_ > 0) sphere(r_in_, out, part);
  }

 private:
  void sphere(double radius, TriangleMesh& out, int part) const {
    const int nu = kSegments, nv = kSegments / 2;
    const int base = static_cast<int>(out.points.size());
    for (int j = 0; j <= nv; ++j) {
      const double th = std::numbers::pi * j / nv;
      for (int i = 0; i < nu; ++i) {
        const double ph = 2 * std::numbers::pi * i / nu;
        out.points.push_back(
            add(c_, Vec3{radius * std::sin(th) * std::cos(ph), radius * std::sin(th) * std::sin(ph),
                         radius * std::cos(th)}));
      }
    }
    for (int j = 0; j < nv; ++j)
      for (int i = 0; i < nu; ++i) {
        const int a = base + j * nu + i, b = base + j * nu + (i + 1) % nu;
        const int c = a + nu, d = b + nu;
        out.triangles.push_back({a, c, b});
        out.triangles.push_back({b, c, d});
        out.part.push_back(part);
        out.part.push_back(part);
      }
  }

  Vec3 c_;
  double r_, r_in_;
};

class Box final : public Solid {
 public:
  Box(const Vec3& lo, const Vec3& hi) : lo_(lo), hi_(hi) {}
  std::string kind() const override { return "box"; }
  double signed_distance(const Vec3& x) const override {
    double o2 = 0.0, in = -kInfinity;
    for (int a = 0; a < 3; ++a) {
      const double d = std::abs(x[a] - 0.5 * (lo_[a] + hi_[a])) - 0.5 * (hi_[a] - lo_[a]);
      o2 += std::max(d, 0.0) * std::max(d, 0.0);
      in = std::max(in, d);
    }
    return std::sqrt(o2) + std::min(in, 0.0);
  }
  std::array<Vec3, 2> bounds() const override { return {lo_, hi_}; }
  double feature_size() const override {
    return std::min({hi_[0] - lo_[0], hi_[1] - lo_[1], hi_[2] - lo_[2]});
  }
  void triangulate(const std::array<Vec3, 2>&, TriangleMesh& out, int part) const override {
    const int base = static_cast<int>(out.points.size());
    for (int k = 0; k < 8; ++k)
      out.points.push_back(
          {k & 1 ? hi_[0] : lo_[0], k & 2 ? hi_[1] : lo_[1], k & 4 ? hi_[2] : lo_[2]});
    const int quads[6][4] = {{0, 2, 6, 4}, {1, 5, 7, 3}, {0, 4, 5, 1},
                             {2, 3, 7, 6}, {0, 1, 3, 2}, {4, 6, 7, 5}};
    for (const auto& q : quads) {
      out.triangles.push_back({base + q[0], base + q[1], base + q[2]});
      out.triangles.push_back({base + q[0], base + q[2], base + q[3]});
      out.part.push_back(part);
      out.part.push_back(part);
    }
  }

 private:
  Vec3 lo_, hi_;
};

// Solid of revolution of the rectangle r_in <= rho <= r_out, 0 <= t <= L about the axis a -> b.
class Revolved final : public Solid {
 public:
  Revolved(const Vec3& a, const Vec3& b, double r_in, double r_out)
      : a_(a), u_(unit(sub(b, a))), len_(norm(sub(b, a))), r_in_(r_in), r_out_(r_out) {}
  std::string kind() const override { return r_in_ > 0 ? "annulus" : "cylinder"; }
  double signed_distance(const Vec3& x) const override {
    const Vec3 d = sub(x, a_);
    const double t = dot(d, u_);
    const double rho = norm(sub(d, mul(u_, t)));
    // radial part: a ring has two radial faces, a cylinder only its mantle (rho = 0 is the axis)
    const double dr =
        r_in_ > 0 ? std::abs(rho - 0.5 * (r_in_ + r_out_)) - 0.5 * (r_out_ - r_in_) : rho - r_out_;
    return rect_distance(dr, std::abs(t - 0.5 * len_) - 0.5 * len_);
  }
  std::array<Vec3, 2> bounds() const override {
    std::array<Vec3, 2> b{};
    const Vec3 e = add(a_, mul(u_, len_));
    for (int k = 0; k < 3; ++k) {
      // radius of the end disc projected on axis k
      const double ext = r_out_ * std::sqrt(std::max(0.0, 1.0 - u_[k] * u_[k]));
      b[0][k] = std::min(a_[k], e[k]) - ext;
      b[1][k] = std::max(a_[k], e[k]) + ext;
    }
    return b;
  }
  double feature_size() const override {
    return std::min(len_, r_in_ > 0 ? r_out_ - r_in_ : 2.0 * r_out_);
  }
  void triangulate(const std::array<Vec3, 2>&, TriangleMesh& out, int part) const override {
    Vec3 e1, e2;
    basis(u_, e1, e2);
    const int n = kSegments;
    auto ring = [&](double r, double t) {
      const int base = static_cast<int>(out.points.size());
      for (int i = 0; i < n; ++i) {
        const double ph = 2 * std::numbers::pi * i / n;
        out.points.push_back(
            add(add(a_, mul(u_, t)), add(mul(e1, r * std::cos(ph)), mul(e2, r * std::sin(ph)))));
      }
      return base;
    };
    auto band = [&](int r0, int r1) {
      for (int i = 0; i < n; ++i) {
        const int j = (i + 1) % n;
        out.triangles.push_back({r0 + i, r0 + j, r1 + j});
        out.triangles.push_back({r0 + i, r1 + j, r1 + i});
        out.part.push_back(part);
        out.part.push_back(part);
      }
    };
    const int o0 = ring(r_out_, 0.0), o1 = ring(r_out_, len_);
    band(o0, o1);
    if (r_in_ > 0) {
      const int i0 = ring(r_in_, 0.0), i1 = ring(r_in_, len_);
      band(i1, i0);
      band(i0, o0);
      band(o1, i1);
    } else {
      for (double t : {0.0, len_}) {  // end discs as fans
        const int c = static_cast<int>(out.points.size());
        out.points.push_back(add(a_, mul(u_, t)));
        const int r = t == 0.0 ? o0 : o1;
        for (int i = 0; i < n; ++i) {
          out.triangles.push_back({c, r + i, r + (i + 1) % n});
          out.part.push_back(part);
        }
      }
    }
  }

 private:
  Vec3 a_, u_;
  double len_, r_in_, r_out_;
};

class Inverted final : public Solid {
 public:
  explicit Inverted(std::unique_ptr<Solid> s) : s_(std::move(s)) {}
  std::string kind() const override { return "inverted " + s_->kind(); }
  double signed_distance(const Vec3& x) const override { return -s_->signed_distance(x); }
  std::array<Vec3, 2> bounds() const override {
    return {Vec3{-kInfinity, -kInfinity, -kInfinity}, Vec3{kInfinity, kInfinity, kInfinity}};
  }
  double feature_size() const override { return s_->feature_size(); }
  void triangulate(const std::array<Vec3, 2>& box, TriangleMesh& out, int part) const override {
    s_->triangulate(box, out, part);
  }

 private:
  std::unique_ptr<Solid> s_;
};

}  // namespace

std::unique_ptr<Solid> make_half_space(const Vec3& point, const Vec3& normal) {
  return std::make_unique<HalfSpace>(point, normal);
}
std::unique_ptr<Solid> make_sphere(const Vec3& center, double radius) {
  return std::make_unique<Sphere>(center, radius);
}
std::unique_ptr<Solid> make_spherical_shell(const Vec3& center, double r_in, double r_out) {
  return std::make_unique<Sphere>(center, r_out, r_in);
}
std::unique_ptr<Solid> make_box(const Vec3& lo, const Vec3& hi) {
  return std::make_unique<Box>(lo, hi);
}
std::unique_ptr<Solid> make_cylinder(const Vec3& a, const Vec3& b, double radius) {
  return std::make_unique<Revolved>(a, b, 0.0, radius);
}
std::unique_ptr<Solid> make_annulus(const Vec3& a, const Vec3& b, double r_in, double r_out) {
  return std::make_unique<Revolved>(a, b, r_in, r_out);
}
std::unique_ptr<Solid> make_inverted(std::unique_ptr<Solid> inner) {
  return std::make_unique<Inverted>(std::move(inner));
}

double crossing_fraction(const Solid& s, const Vec3& outside, const Vec3& inside) {
  return s.crossing(outside, inside);
}

double Solid::crossing(const Vec3& outside, const Vec3& inside) const {
  const Solid& s = *this;
  const Vec3 d = sub(inside, outside);
  auto f = [&](double t) { return s.signed_distance(add(outside, mul(d, t))); };
  double a = 0.0, b = 1.0, fa = f(a), fb = f(b);
  if (fb > 0.0) return 1.0;  // not actually inside: no crossing on this segment
  if (fa <= 0.0) return 0.0;
  int side = 0;
  for (int it = 0; it < 100 && b - a > 1e-15; ++it) {
    const double t = (a * fb - b * fa) / (fb - fa);
    const double ft = f(t);
    if (ft > 0.0) {
      a = t;
      fa = ft;
      if (side == -1) fb *= 0.5;  // Illinois: halve the stale end
      side = -1;
    } else {
      b = t;
      fb = ft;
      if (side == 1) fa *= 0.5;
      side = 1;
    }
    if (ft == 0.0) return t;
  }
  return 0.5 * (a + b);
}

}  // namespace mps
