// Solid primitives for embedded boundaries (electrodes): signed distance, bounds, size, surface.
//
// signed_distance(p) < 0 inside the solid, > 0 outside, exact Euclidean distance for every
// primitive here (so the crossing point of a grid edge is found to round-off and the embedded
// Dirichlet condition stays second order). Formulas: the standard exact distances to a sphere,
// an axis-aligned box and a finite revolved rectangle (I. Quilez, "distance functions",
// iquilezles.org/articles/distfunctions; the cylinder and the annulus are the rectangle
// [r_in, r_out] x [0, L] of the meridional plane revolved about the axis).
#pragma once

#include <array>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "solver/base/config.hpp"

namespace mps {

// Triangles for a .vtp surface file.
struct TriangleMesh {
  std::vector<Vec3> points;
  std::vector<std::array<int, 3>> triangles;
  std::vector<int> part;  // per triangle: index of the solid it came from
};

class Solid {
 public:
  virtual ~Solid() = default;
  virtual std::string kind() const = 0;
  virtual double signed_distance(const Vec3& p) const = 0;
  // Bounding box of the solid; infinite extents for unbounded solids.
  virtual std::array<Vec3, 2> bounds() const = 0;
  // Smallest dimension of the solid (plate thickness, diameter, ring width): the grid must
  // resolve it. Infinity for a half-space.
  virtual double feature_size() const = 0;
  // Append the surface (clipped or extended to `box` where the solid is unbounded).
  virtual void triangulate(const std::array<Vec3, 2>& box, TriangleMesh& out, int part) const = 0;
  virtual bool contains(const Vec3& p) const { return signed_distance(p) <= 0.0; }
  // Fraction t in (0, 1] of the segment from `outside` to `inside` where the surface is crossed
  // (see crossing_fraction below). Default: a root of the signed distance on the segment;
  // surfaces with a cheaper exact answer (triangle meshes: ray-triangle intersection) override.
  virtual double crossing(const Vec3& outside, const Vec3& inside) const;
};

// Half-space behind a plane: the solid is where (p - point) . normal <= 0 (the normal points out
// of the conductor, into the gap).
std::unique_ptr<Solid> make_half_space(const Vec3& point, const Vec3& normal);
std::unique_ptr<Solid> make_sphere(const Vec3& center, double radius);
// Hollow sphere r_in <= |x - center| <= r_out (a floating shell between two electrodes).
std::unique_ptr<Solid> make_spherical_shell(const Vec3& center, double r_in, double r_out);
std::unique_ptr<Solid> make_box(const Vec3& lo, const Vec3& hi);
// Finite cylinder from `a` to `b` of radius r (r_in = 0), or annulus r_in < r < r_out.
std::unique_ptr<Solid> make_cylinder(const Vec3& a, const Vec3& b, double radius);
std::unique_ptr<Solid> make_annulus(const Vec3& a, const Vec3& b, double r_in, double r_out);
// The complement of a solid (a spherical or cylindrical cavity in a conductor).
std::unique_ptr<Solid> make_inverted(std::unique_ptr<Solid> inner);

// Fraction t in (0, 1] of the segment from `outside` (not in the solid) to `inside` (in it) where
// the surface is crossed: signed_distance(outside + t (inside - outside)) = 0. Illinois regula
// falsi on the signed distance, to round-off.
double crossing_fraction(const Solid& s, const Vec3& outside, const Vec3& inside);

constexpr double kInfinity = std::numeric_limits<double>::infinity();

}  // namespace mps
