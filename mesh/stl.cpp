#include "mesh/stl.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "solver/base/errors.hpp"

namespace mps {

namespace {

Vec3 sub(const Vec3& a, const Vec3& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}
Vec3 add(const Vec3& a, const Vec3& b, double f = 1.0) {
  return {a[0] + f * b[0], a[1] + f * b[1], a[2] + f * b[2]};
}
double dot(const Vec3& a, const Vec3& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

// Closest point of triangle abc to p (Ericson 2005, 5.1.5: Voronoi regions of the corners,
// edges and face).
Vec3 closest_on_triangle(const Vec3& p, const Vec3& a, const Vec3& b, const Vec3& c) {
  const Vec3 ab = sub(b, a), ac = sub(c, a), ap = sub(p, a);
  const double d1 = dot(ab, ap), d2 = dot(ac, ap);
  if (d1 <= 0 && d2 <= 0) return a;
  const Vec3 bp = sub(p, b);
  const double d3 = dot(ab, bp), d4 = dot(ac, bp);
  if (d3 >= 0 && d4 <= d3) return b;
  const double vc = d1 * d4 - d3 * d2;
  if (vc <= 0 && d1 >= 0 && d3 <= 0) return add(a, ab, d1 / (d1 - d3));
  const Vec3 cp = sub(p, c);
  const double d5 = dot(ab, cp), d6 = dot(ac, cp);
  if (d6 >= 0 && d5 <= d6) return c;
  const double vb = d5 * d2 - d1 * d6;
  if (vb <= 0 && d2 >= 0 && d6 <= 0) return add(a, ac, d2 / (d2 - d6));
  const double va = d3 * d6 - d5 * d4;
  if (va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0)
    return add(b, sub(c, b), (d4 - d3) / ((d4 - d3) + (d5 - d6)));
  const double denom = 1.0 / (va + vb + vc);
  return add(add(a, ab, vb * denom), ac, vc * denom);
}

// Edge function of the projected edge a -> b at p in the (y, z) plane, computed from the
// lexicographically smaller end so the two facets of a shared edge get exactly opposite values.
double edge_function(const Vec3& a, const Vec3& b, const Vec3& p) {
  const bool swap = std::make_pair(b[1], b[2]) < std::make_pair(a[1], a[2]);
  const Vec3& u = swap ? b : a;
  const Vec3& v = swap ? a : b;
  const double e = (v[1] - u[1]) * (p[2] - u[2]) - (v[2] - u[2]) * (p[1] - u[1]);
  return swap ? -e : e;
}

class TriangleSolid final : public Solid {
 public:
  explicit TriangleSolid(std::vector<Facet> f) : facets_(std::move(f)) {
    lo_ = hi_ = facets_.front()[0];
    for (const auto& t : facets_)
      for (const auto& v : t)
        for (int a = 0; a < 3; ++a) {
          lo_[a] = std::min(lo_[a], v[a]);
          hi_[a] = std::max(hi_[a], v[a]);
        }
    // buckets: about one facet per bucket, at most 64 per axis
    const double ext = std::max({hi_[0] - lo_[0], hi_[1] - lo_[1], hi_[2] - lo_[2]});
    const double per = std::cbrt(static_cast<double>(facets_.size()));
    for (int a = 0; a < 3; ++a) {
      nb_[a] = std::clamp(static_cast<int>(per * (hi_[a] - lo_[a]) / ext) + 1, 1, 64);
      cell_[a] = std::max((hi_[a] - lo_[a]) / nb_[a], 1e-300);
    }
    buckets_.resize(static_cast<std::size_t>(nb_[0]) * nb_[1] * nb_[2]);
    for (std::size_t t = 0; t < facets_.size(); ++t) {
      int b0[3], b1[3];
      for (int a = 0; a < 3; ++a) {
        const auto [mn, mx] = std::minmax({facets_[t][0][a], facets_[t][1][a], facets_[t][2][a]});
        b0[a] = bucket(a, mn);
        b1[a] = bucket(a, mx);
      }
      for (int k = b0[2]; k <= b1[2]; ++k)
        for (int j = b0[1]; j <= b1[1]; ++j)
          for (int i = b0[0]; i <= b1[0]; ++i)
            buckets_[index(i, j, k)].push_back(static_cast<int>(t));
    }
  }

  std::string kind() const override { return "stl"; }
  std::array<Vec3, 2> bounds() const override { return {lo_, hi_}; }
  // The thinnest extent of the bounding box: thin walls inside a large mesh are not detected
  // (an electrode that contains no grid node at all is, by check_electrodes).
  double feature_size() const override {
    return std::min({hi_[0] - lo_[0], hi_[1] - lo_[1], hi_[2] - lo_[2]});
  }
  void triangulate(const std::array<Vec3, 2>&, TriangleMesh& out, int part) const override {
    for (const auto& t : facets_) {
      const int base = static_cast<int>(out.points.size());
      for (const auto& v : t) out.points.push_back(v);
      out.triangles.push_back({base, base + 1, base + 2});
      out.part.push_back(part);
    }
  }

  bool contains(const Vec3& p) const override {
    for (int a = 0; a < 3; ++a)
      if (!(p[a] >= lo_[a] && p[a] <= hi_[a])) return false;
    // facets in the buckets along the ray p + s e_x, s > 0
    std::vector<int> cand;
    const int j = bucket(1, p[1]), k = bucket(2, p[2]);
    for (int i = bucket(0, p[0]); i < nb_[0]; ++i) {
      const auto& b = buckets_[index(i, j, k)];
      cand.insert(cand.end(), b.begin(), b.end());
    }
    std::sort(cand.begin(), cand.end());
    cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
    int crossings = 0;
    for (int t : cand) crossings += ray_crosses(facets_[t], p) ? 1 : 0;
    return crossings % 2 == 1;
  }

  double signed_distance(const Vec3& p) const override {
    const double d = std::sqrt(squared_distance(p));
    return contains(p) ? -d : d;
  }

  double crossing(const Vec3& outside, const Vec3& inside) const override {
    const Vec3 d = sub(inside, outside);
    int b0[3], b1[3];
    for (int a = 0; a < 3; ++a) {
      b0[a] = bucket(a, std::min(outside[a], inside[a]));
      b1[a] = bucket(a, std::max(outside[a], inside[a]));
    }
    double best = 2.0;
    for (int k = b0[2]; k <= b1[2]; ++k)
      for (int j = b0[1]; j <= b1[1]; ++j)
        for (int i = b0[0]; i <= b1[0]; ++i)
          for (int t : buckets_[index(i, j, k)]) {
            // Moller-Trumbore: outside + s d = t0 + beta e1 + gamma e2
            const Facet& f = facets_[t];
            const Vec3 e1 = sub(f[1], f[0]), e2 = sub(f[2], f[0]);
            const Vec3 pv = cross(d, e2);
            const double det = dot(e1, pv);
            if (det == 0.0) continue;
            const Vec3 tv = sub(outside, f[0]);
            const double beta = dot(tv, pv) / det;
            if (beta < 0.0 || beta > 1.0) continue;
            const Vec3 qv = cross(tv, e1);
            const double gamma = dot(d, qv) / det;
            if (gamma < 0.0 || beta + gamma > 1.0) continue;
            const double s = dot(e2, qv) / det;
            if (s >= 0.0 && s <= 1.0) best = std::min(best, s);
          }
    // no facet hit (round-off at an edge the segment only touches): root of the distance
    return best <= 1.0 ? best : Solid::crossing(outside, inside);
  }

 private:
  int bucket(int a, double x) const {
    return std::clamp(static_cast<int>(std::floor((x - lo_[a]) / cell_[a])), 0, nb_[a] - 1);
  }
  std::size_t index(int i, int j, int k) const {
    return static_cast<std::size_t>(i) + nb_[0] * (static_cast<std::size_t>(j) + nb_[1] * k);
  }

  // Does the ray p + s e_x (s > 0) cross facet f? See the header for the tie rule.
  static bool ray_crosses(const Facet& f, const Vec3& p) {
    double e[3];  // e[i]: edge opposite corner i
    for (int i = 0; i < 3; ++i) e[i] = edge_function(f[(i + 1) % 3], f[(i + 2) % 3], p);
    const double area = e[0] + e[1] + e[2];
    // orientation of the projected facet from its corners alone (independent of p)
    const double orient =
        (f[1][1] - f[0][1]) * (f[2][2] - f[0][2]) - (f[1][2] - f[0][2]) * (f[2][1] - f[0][1]);
    if (orient == 0.0 || area == 0.0) return false;  // facet seen edge-on along x
    const double sgn = orient > 0 ? 1.0 : -1.0;
    for (int i = 0; i < 3; ++i) {
      const double w = sgn * e[i];
      if (w < 0) return false;
      if (w == 0) {
        // top-left rule on the counter-clockwise edge a -> b: it owns its points if it runs
        // downward, or horizontally to the left
        const Vec3& a = f[(i + 1) % 3];
        const Vec3& b = f[(i + 2) % 3];
        const double du = sgn * (b[1] - a[1]), dv = sgn * (b[2] - a[2]);
        if (!(dv < 0 || (dv == 0 && du < 0))) return false;
      }
    }
    // x of the crossing from the barycentric weights
    const double x = (e[0] * f[0][0] + e[1] * f[1][0] + e[2] * f[2][0]) / area;
    return x > p[0];
  }

  double squared_distance(const Vec3& p) const {
    // buckets in growing shells around p's bucket until no closer facet can remain
    int c[3];
    double cmin = kInfinity;
    for (int a = 0; a < 3; ++a) {
      c[a] = bucket(a, p[a]);
      cmin = std::min(cmin, cell_[a]);
    }
    // distance from p to the bucket grid (p may lie outside it)
    double outside2 = 0;
    for (int a = 0; a < 3; ++a) {
      const double o = std::max({lo_[a] - p[a], p[a] - hi_[a], 0.0});
      outside2 += o * o;
    }
    const int rmax = std::max({nb_[0], nb_[1], nb_[2]});
    double best = kInfinity;
    std::vector<int> seen;
    for (int r = 0; r <= rmax; ++r) {
      for (int k = c[2] - r; k <= c[2] + r; ++k)
        for (int j = c[1] - r; j <= c[1] + r; ++j)
          for (int i = c[0] - r; i <= c[0] + r; ++i) {
            if (std::max({std::abs(i - c[0]), std::abs(j - c[1]), std::abs(k - c[2])}) != r)
              continue;
            if (i < 0 || j < 0 || k < 0 || i >= nb_[0] || j >= nb_[1] || k >= nb_[2]) continue;
            for (int t : buckets_[index(i, j, k)]) {
              const Facet& f = facets_[t];
              const Vec3 q = closest_on_triangle(p, f[0], f[1], f[2]);
              const Vec3 d = sub(p, q);
              best = std::min(best, dot(d, d));
            }
          }
      // a bucket beyond shell r is at least r cells away along one axis, and no bucket is
      // closer than the bucket grid's box
      const double bound = std::max(std::sqrt(outside2), r * cmin);
      if (best <= bound * bound) break;
    }
    return best;
  }

  std::vector<Facet> facets_;
  Vec3 lo_{}, hi_{};
  int nb_[3] = {1, 1, 1};
  double cell_[3] = {1, 1, 1};
  std::vector<std::vector<int>> buckets_;
};

}  // namespace

std::vector<Facet> read_stl(const std::string& path, double scale_factor) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the STL file");
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<Facet> out;
  // binary: 80-byte header, uint32 count, 50 bytes per facet (normal, 3 vertices as float32, attr)
  if (data.size() >= 84) {
    std::uint32_t n = 0;
    std::memcpy(&n, data.data() + 80, 4);
    if (data.size() == 84 + 50 * static_cast<std::size_t>(n)) {
      for (std::uint32_t f = 0; f < n; ++f) {
        Facet t{};
        for (int v = 0; v < 3; ++v)
          for (int k = 0; k < 3; ++k) {
            float x = 0;
            std::memcpy(&x, data.data() + 84 + 50 * f + 12 + 12 * v + 4 * k, 4);
            t[v][k] = scale_factor * static_cast<double>(x);
          }
        out.push_back(t);
      }
      return out;
    }
  }
  // ASCII: "vertex x y z" lines, three per facet
  std::istringstream is(data);
  std::string word;
  std::vector<Vec3> verts;
  while (is >> word) {
    if (word != "vertex") continue;
    Vec3 x{};
    if (!(is >> x[0] >> x[1] >> x[2])) throw InputError(path + ": malformed STL vertex");
    verts.push_back({x[0] * scale_factor, x[1] * scale_factor, x[2] * scale_factor});
  }
  if (verts.empty() || verts.size() % 3 != 0)
    throw InputError(path + ": no facets in the STL file");
  for (std::size_t i = 0; i < verts.size(); i += 3)
    out.push_back({verts[i], verts[i + 1], verts[i + 2]});
  return out;
}

std::vector<Facet> check_closed_surface(std::vector<Facet> facets, const std::string& what) {
  facets.erase(
      std::remove_if(facets.begin(), facets.end(),
                     [](const Facet& f) { return f[0] == f[1] || f[1] == f[2] || f[0] == f[2]; }),
      facets.end());
  if (facets.size() < 4)
    throw InputError(
        fmt::format("{}: {} usable facets: a closed surface needs at least 4 (a tetrahedron)", what,
                    facets.size()));
  // vertices by exact coordinates, edges by their two vertex numbers
  std::map<Vec3, int> vertex;
  std::map<std::pair<int, int>, int> uses;
  for (const auto& f : facets) {
    int id[3];
    for (int v = 0; v < 3; ++v)
      id[v] = vertex.emplace(f[v], static_cast<int>(vertex.size())).first->second;
    for (int e = 0; e < 3; ++e) ++uses[std::minmax(id[e], id[(e + 1) % 3])];
  }
  std::vector<Vec3> corner(vertex.size());
  for (const auto& [x, i] : vertex) corner[static_cast<std::size_t>(i)] = x;
  long open = 0, shared = 0;
  std::pair<int, int> first_open{-1, -1}, first_shared{-1, -1};
  for (const auto& [e, n] : uses) {
    if (n == 1 && open++ == 0) first_open = e;
    if (n > 2 && shared++ == 0) first_shared = e;
  }
  auto edge = [&](std::pair<int, int> e) {
    const Vec3 &a = corner[static_cast<std::size_t>(e.first)],
               &b = corner[static_cast<std::size_t>(e.second)];
    return fmt::format("({:.6g}, {:.6g}, {:.6g}) - ({:.6g}, {:.6g}, {:.6g}) m", a[0], a[1], a[2],
                       b[0], b[1], b[2]);
  };
  if (open > 0)
    throw InputError(fmt::format(
        "{}: the surface is not closed: {} edges belong to a single facet (a hole), the first "
        "{}; an electrode must be a watertight solid (every edge shared by two facets)",
        what, open, edge(first_open)));
  if (shared > 0)
    throw InputError(fmt::format(
        "{}: the surface is not a solid's boundary: {} edges are shared by more than two facets, "
        "the first {}",
        what, shared, edge(first_shared)));
  return facets;
}

void write_stl(const std::string& path, const std::vector<Facet>& facets) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw RuntimeError(path + ": cannot write the STL file");
  char header[80] = "binary STL written by mpstream";
  out.write(header, 80);
  const auto n = static_cast<std::uint32_t>(facets.size());
  out.write(reinterpret_cast<const char*>(&n), 4);
  for (const auto& f : facets) {
    const Vec3 nrm = cross(sub(f[1], f[0]), sub(f[2], f[0]));
    const double len = std::sqrt(dot(nrm, nrm));
    float v[12];
    for (int k = 0; k < 3; ++k) v[k] = static_cast<float>(len > 0 ? nrm[k] / len : 0.0);
    for (int c = 0; c < 3; ++c)
      for (int k = 0; k < 3; ++k) v[3 + 3 * c + k] = static_cast<float>(f[c][k]);
    out.write(reinterpret_cast<const char*>(v), sizeof v);
    const std::uint16_t attr = 0;
    out.write(reinterpret_cast<const char*>(&attr), 2);
  }
  if (!out) throw RuntimeError(path + ": cannot write the STL file");
}

std::vector<Facet> icosphere(const Vec3& center, double radius, int level) {
  // icosahedron: corners (0, +-1, +-t), (+-1, +-t, 0), (+-t, 0, +-1), t the golden ratio
  const double t = 0.5 * (1.0 + std::sqrt(5.0));
  std::vector<Vec3> v{{-1, t, 0},  {1, t, 0},  {-1, -t, 0}, {1, -t, 0}, {0, -1, t},  {0, 1, t},
                      {0, -1, -t}, {0, 1, -t}, {t, 0, -1},  {t, 0, 1},  {-t, 0, -1}, {-t, 0, 1}};
  auto project = [](Vec3 x) {
    const double n = std::sqrt(dot(x, x));
    return Vec3{x[0] / n, x[1] / n, x[2] / n};
  };
  for (auto& x : v) x = project(x);
  std::vector<std::array<int, 3>> tri{{0, 11, 5}, {0, 5, 1},  {0, 1, 7},   {0, 7, 10}, {0, 10, 11},
                                      {1, 5, 9},  {5, 11, 4}, {11, 10, 2}, {10, 7, 6}, {7, 1, 8},
                                      {3, 9, 4},  {3, 4, 2},  {3, 2, 6},   {3, 6, 8},  {3, 8, 9},
                                      {4, 9, 5},  {2, 4, 11}, {6, 2, 10},  {8, 6, 7},  {9, 8, 1}};
  for (int l = 0; l < level; ++l) {
    // one midpoint per edge, shared by its two facets (so the surface stays watertight)
    std::map<std::pair<int, int>, int> mid;
    auto midpoint = [&](int a, int b) {
      const auto key = std::minmax(a, b);
      auto it = mid.find(key);
      if (it != mid.end()) return it->second;
      v.push_back(project(add(v[static_cast<std::size_t>(a)], v[static_cast<std::size_t>(b)])));
      return mid[key] = static_cast<int>(v.size()) - 1;
    };
    std::vector<std::array<int, 3>> next;
    for (const auto& f : tri) {
      const int a = midpoint(f[0], f[1]), b = midpoint(f[1], f[2]), c = midpoint(f[2], f[0]);
      next.push_back({f[0], a, c});
      next.push_back({f[1], b, a});
      next.push_back({f[2], c, b});
      next.push_back({a, b, c});
    }
    tri = std::move(next);
  }
  std::vector<Facet> out;
  out.reserve(tri.size());
  for (const auto& f : tri) {
    Facet q;
    for (int c = 0; c < 3; ++c)
      for (int k = 0; k < 3; ++k)
        q[c][k] = center[k] + radius * v[static_cast<std::size_t>(f[c])][k];
    out.push_back(q);
  }
  return out;
}

std::unique_ptr<Solid> make_triangle_solid(std::vector<Facet> facets) {
  return std::make_unique<TriangleSolid>(std::move(facets));
}

}  // namespace mps
