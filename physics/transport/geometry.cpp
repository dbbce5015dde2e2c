#include "physics/transport/geometry.hpp"

#include <algorithm>
#include <cmath>

#include "solver/base/errors.hpp"

namespace mps::transport {

double Slab::distance_to_exit(int, const Vec3& p, const Vec3& d) const {
  if (d.z > 0) return std::max(0.0, (t_ - p.z) / d.z);
  if (d.z < 0) return std::max(0.0, -p.z / d.z);
  return kInfinity;
}

BodyHit Slab::next_body(const Vec3& p, const Vec3& d, int skip) const {
  if (skip == 0) return {};  // convex: cannot come back after leaving
  if (p.z < 0 && d.z > 0) return {0, -p.z / d.z};
  if (p.z >= t_ && d.z < 0) return {0, (t_ - p.z) / d.z};
  return {};
}

Vec3 Slab::normal(int, const Vec3& p) const {
  return (p.z <= 0.5 * std::min(t_, 1e300)) ? Vec3{0, 0, -1} : Vec3{0, 0, 1};
}

double sphere_exit_distance(const SphereSpec& s, const Vec3& p, const Vec3& d) {
  const Vec3 q = p - s.center;
  const double b = q.dot(d);
  const double c = q.dot(q) - s.radius * s.radius;
  const double disc = b * b - c;
  if (disc <= 0) return 0.0;
  return std::max(0.0, -b + std::sqrt(disc));  // far root
}

double sphere_entry_distance(const SphereSpec& s, const Vec3& p, const Vec3& d) {
  const Vec3 q = p - s.center;
  const double b = q.dot(d);
  const double c = q.dot(q) - s.radius * s.radius;
  const double disc = b * b - c;
  if (disc <= 0 || b >= 0) return kInfinity;  // miss or moving away (outside point)
  const double t = -b - std::sqrt(disc);
  return t >= 0 ? t : kInfinity;
}

SphereCloud::SphereCloud(std::vector<SphereSpec> spheres, double cell_size)
    : s_(std::move(spheres)) {
  if (s_.empty()) throw InputError("transport: sphere cloud without spheres");
  double rmax = 0;
  lo_ = {kInfinity, kInfinity, kInfinity};
  hi_ = {-kInfinity, -kInfinity, -kInfinity};
  for (const auto& s : s_) {
    if (!(s.radius > 0)) throw InputError("transport: sphere diameter must be positive");
    rmax = std::max(rmax, s.radius);
    lo_ = {std::min(lo_.x, s.center.x - s.radius), std::min(lo_.y, s.center.y - s.radius),
           std::min(lo_.z, s.center.z - s.radius)};
    hi_ = {std::max(hi_.x, s.center.x + s.radius), std::max(hi_.y, s.center.y + s.radius),
           std::max(hi_.z, s.center.z + s.radius)};
  }
  if (s_.size() < 8) return;  // brute force is faster than a grid walk
  h_ = cell_size > 0 ? cell_size : 2.0 * rmax;
  const double span[3] = {hi_.x - lo_.x, hi_.y - lo_.y, hi_.z - lo_.z};
  // keep the cell count bounded (~ 4 cells per sphere at most)
  const double cells_max = 4.0 * static_cast<double>(s_.size()) + 64.0;
  while ((std::ceil(span[0] / h_) * std::ceil(span[1] / h_) * std::ceil(span[2] / h_)) > cells_max)
    h_ *= 1.25;
  for (int a = 0; a < 3; ++a) n_[a] = std::max(1, static_cast<int>(std::ceil(span[a] / h_)));
  const std::size_t ncell = static_cast<std::size_t>(n_[0]) * n_[1] * n_[2];
  std::vector<std::vector<std::uint32_t>> lists(ncell);
  auto clampi = [&](double v, int a) { return std::clamp(static_cast<int>(v), 0, n_[a] - 1); };
  for (std::uint32_t i = 0; i < s_.size(); ++i) {
    const auto& s = s_[i];
    const int i0 = clampi((s.center.x - s.radius - lo_.x) / h_, 0),
              i1 = clampi((s.center.x + s.radius - lo_.x) / h_, 0);
    const int j0 = clampi((s.center.y - s.radius - lo_.y) / h_, 1),
              j1 = clampi((s.center.y + s.radius - lo_.y) / h_, 1);
    const int k0 = clampi((s.center.z - s.radius - lo_.z) / h_, 2),
              k1 = clampi((s.center.z + s.radius - lo_.z) / h_, 2);
    for (int k = k0; k <= k1; ++k)
      for (int j = j0; j <= j1; ++j)
        for (int ii = i0; ii <= i1; ++ii)
          lists[(static_cast<std::size_t>(k) * n_[1] + j) * n_[0] + ii].push_back(i);
  }
  start_.assign(ncell + 1, 0);
  for (std::size_t c = 0; c < ncell; ++c)
    start_[c + 1] = start_[c] + static_cast<std::uint32_t>(lists[c].size());
  items_.reserve(start_.back());
  for (auto& l : lists) items_.insert(items_.end(), l.begin(), l.end());
}

BodyHit SphereCloud::brute_force(const Vec3& p, const Vec3& d, int skip) const {
  BodyHit best;
  for (std::size_t i = 0; i < s_.size(); ++i) {
    if (static_cast<int>(i) == skip) continue;
    const double t = sphere_entry_distance(s_[i], p, d);
    if (t < best.distance) best = {static_cast<int>(i), t};
  }
  return best;
}

BodyHit SphereCloud::next_body(const Vec3& p, const Vec3& d, int skip) const {
  if (start_.empty()) return brute_force(p, d, skip);
  // clip the ray to the grid box
  const double o[3] = {p.x, p.y, p.z}, v[3] = {d.x, d.y, d.z};
  const double lo[3] = {lo_.x, lo_.y, lo_.z}, hi[3] = {hi_.x, hi_.y, hi_.z};
  double t0 = 0, t1 = kInfinity;
  for (int a = 0; a < 3; ++a) {
    if (v[a] == 0) {
      if (o[a] < lo[a] || o[a] > hi[a]) return {};
      continue;
    }
    double ta = (lo[a] - o[a]) / v[a], tb = (hi[a] - o[a]) / v[a];
    if (ta > tb) std::swap(ta, tb);
    t0 = std::max(t0, ta);
    t1 = std::min(t1, tb);
  }
  if (t0 > t1) return {};
  int c[3], step[3];
  double tmax[3], tdelta[3];
  for (int a = 0; a < 3; ++a) {
    const double x = o[a] + t0 * v[a];
    c[a] = std::clamp(static_cast<int>(std::floor((x - lo[a]) / h_)), 0, n_[a] - 1);
    if (v[a] > 0) {
      step[a] = 1;
      tmax[a] = t0 + (lo[a] + (c[a] + 1) * h_ - x) / v[a];
      tdelta[a] = h_ / v[a];
    } else if (v[a] < 0) {
      step[a] = -1;
      tmax[a] = t0 + (lo[a] + c[a] * h_ - x) / v[a];
      tdelta[a] = -h_ / v[a];
    } else {
      step[a] = 0;
      tmax[a] = kInfinity;
      tdelta[a] = kInfinity;
    }
  }
  BodyHit best;
  while (true) {
    const std::size_t cell = (static_cast<std::size_t>(c[2]) * n_[1] + c[1]) * n_[0] + c[0];
    for (std::uint32_t k = start_[cell]; k < start_[cell + 1]; ++k) {
      const int i = static_cast<int>(items_[k]);
      if (i == skip) continue;
      const double t = sphere_entry_distance(s_[i], p, d);
      if (t < best.distance) best = {i, t};
    }
    const int a = tmax[0] < tmax[1] ? (tmax[0] < tmax[2] ? 0 : 2) : (tmax[1] < tmax[2] ? 1 : 2);
    // a hit closer than the end of this cell cannot be beaten by later cells
    if (best.distance <= tmax[a] || tmax[a] > t1) return best;
    c[a] += step[a];
    if (c[a] < 0 || c[a] >= n_[a]) return best;
    tmax[a] += tdelta[a];
  }
}

Vec3 SphereCloud::normal(int body, const Vec3& p) const {
  const auto& s = s_[body];
  const Vec3 q = p - s.center;
  return q * (1.0 / std::sqrt(q.dot(q)));
}

}  // namespace mps::transport
