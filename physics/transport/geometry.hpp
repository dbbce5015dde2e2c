// Geometries of the transport Monte Carlo: bodies of one material in vacuum.
// Slab (semi-infinite or finite, laterally infinite, z in [0, thickness)), one sphere, and a
// cloud of spheres with arbitrary centres and diameters, looked up through a uniform grid
// (3D-DDA walk along the ray; each sphere is listed in every cell its bounding box touches).
// Bodies are convex, so a ray leaving a body cannot re-enter it: the body just left is skipped.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

namespace mps::transport {

struct Vec3 {
  double x = 0, y = 0, z = 0;
  Vec3 operator+(const Vec3& o) const { return {x + o.x, y + o.y, z + o.z}; }
  Vec3 operator-(const Vec3& o) const { return {x - o.x, y - o.y, z - o.z}; }
  Vec3 operator*(double s) const { return {x * s, y * s, z * s}; }
  double dot(const Vec3& o) const { return x * o.x + y * o.y + z * o.z; }
};

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct BodyHit {
  int body = -1;  // -1: nothing hit
  double distance = kInfinity;
};

class Geometry {
 public:
  virtual ~Geometry() = default;
  virtual int body_count() const = 0;
  // Distance along unit d from p, inside `body`, to its surface.
  virtual double distance_to_exit(int body, const Vec3& p, const Vec3& d) const = 0;
  // From p in vacuum, the first body hit along d (skipping `skip`, the body just left).
  virtual BodyHit next_body(const Vec3& p, const Vec3& d, int skip) const = 0;
  // Outward unit normal of `body` at surface point p.
  virtual Vec3 normal(int body, const Vec3& p) const = 0;
};

class Slab : public Geometry {
 public:
  explicit Slab(double thickness = kInfinity) : t_(thickness) {}
  int body_count() const override { return 1; }
  double distance_to_exit(int body, const Vec3& p, const Vec3& d) const override;
  BodyHit next_body(const Vec3& p, const Vec3& d, int skip) const override;
  Vec3 normal(int body, const Vec3& p) const override;
  double thickness() const { return t_; }

 private:
  double t_;
};

struct SphereSpec {
  Vec3 center;
  double radius = 0;
};

// Ray-sphere helpers shared by Sphere and SphereCloud.
double sphere_exit_distance(const SphereSpec& s, const Vec3& p, const Vec3& d);
double sphere_entry_distance(const SphereSpec& s, const Vec3& p, const Vec3& d);  // inf: miss

class SphereCloud : public Geometry {
 public:
  // cell_size <= 0: chosen from the largest diameter
  explicit SphereCloud(std::vector<SphereSpec> spheres, double cell_size = 0.0);
  int body_count() const override { return static_cast<int>(s_.size()); }
  double distance_to_exit(int body, const Vec3& p, const Vec3& d) const override {
    return sphere_exit_distance(s_[body], p, d);
  }
  BodyHit next_body(const Vec3& p, const Vec3& d, int skip) const override;
  Vec3 normal(int body, const Vec3& p) const override;
  const std::vector<SphereSpec>& spheres() const { return s_; }

 private:
  BodyHit brute_force(const Vec3& p, const Vec3& d, int skip) const;
  std::vector<SphereSpec> s_;
  Vec3 lo_, hi_;
  double h_ = 1.0;
  std::array<int, 3> n_{1, 1, 1};
  std::vector<std::uint32_t> start_, items_;  // CSR lists of spheres per cell
};

// A single sphere is a cloud of one.
inline SphereCloud single_sphere(double diameter, Vec3 center = {}) {
  return SphereCloud({SphereSpec{center, 0.5 * diameter}});
}

}  // namespace mps::transport
