// Catcher geometry: surfaces made of primitive parts (rectangle, annulus/disc, cone frustum,
// triangle, of which plane, disc, cylinder, cone, box and STL catchers are built), each divided
// into patches for the deposition maps (an STL catcher: one patch per triangle).
//
// Hit detection is swept: the particle centre moves on the segment a -> b during a step and the
// first crossing of any part (smallest fraction s of the segment) is the hit, so a fast particle
// cannot tunnel through a thin catcher whatever the time step. Crossing is by the particle centre
// (a 5 um particle against mm-size catchers; the radius offset is neglected). Plane crossings
// solve a linear equation; the cone (and cylinder, its k = 0 case) a quadratic
//   |perp(w + s d)|^2 = (r0 + k axial(w + s d))^2,
// roots taken in ascending order inside the frustum's axial extent; triangles (STL) by the
// Moller-Trumbore segment test (Moller and Trumbore 1997, J. Graphics Tools 2(1), 21).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "mesh/stl.hpp"
#include "solver/base/config.hpp"

namespace mps {

struct CatcherHit {
  double s = 0.0;  // fraction of the segment a -> b
  Vec3 point{};    // where the centre crosses the surface
  Vec3 normal{};   // unit normal facing the side the particle came from
  int patch = 0;   // patch index within the catcher
};

// One primitive with an orthonormal frame (u, v, n); patches nu x nv.
struct CatcherPart {
  enum class Kind { rectangle, annulus, frustum, triangle } kind = Kind::rectangle;
  Vec3 c{};                    // centre (rectangle, annulus) or base centre (frustum)
  Vec3 u{}, v{}, n{};          // n: plane normal or frustum axis; u, v span the plane / the base
  double hu = 0, hv = 0;       // rectangle half sizes along u and v
  double r_in = 0, r_out = 0;  // annulus radii
  double r0 = 0, r1 = 0, length = 0;  // frustum radii at axial 0 and length
  std::array<Vec3, 3> tri{};          // triangle corners (STL facets)
  // patches: rectangle u x v; annulus radial x angular; frustum angular x axial; triangle 1
  int nu = 1, nv = 1;
  int patch_offset = 0;

  std::optional<CatcherHit> intersect(const Vec3& a, const Vec3& b, double s_min) const;
  int patches() const { return nu * nv; }
  // corners of patch p (counter-clockwise seen from +n / outside) and its exact area
  std::vector<Vec3> patch_corners(int p) const;
  double patch_area(int p) const;
};

class CatcherGeometry {
 public:
  // Builds from a validated catcher section (see capture_schema.cpp for the keys); STL paths are
  // relative to the folder of `case_file` unless absolute.
  static CatcherGeometry from_config(const Config& c, const std::string& case_file = {});
  void add(CatcherPart p);
  // First hit on the segment a -> b with s > s_min.
  std::optional<CatcherHit> intersect(const Vec3& a, const Vec3& b, double s_min = 0.0) const;
  int patch_count() const { return patches_; }
  const std::vector<CatcherPart>& parts() const { return parts_; }

 private:
  std::vector<CatcherPart> parts_;
  int patches_ = 0;
  bool has_box_ = false;  // bounding box early-out (STL meshes with many facets)
  Vec3 lo_{}, hi_{};
};

// read_stl (STL files, binary or ASCII) lives in mesh/stl.hpp, shared with STL electrodes.

// An orthonormal pair (u, v) completing the unit vector n (u from `hint` if given and not
// parallel to n).
void complete_frame(const Vec3& n, const Vec3* hint, Vec3& u, Vec3& v);

}  // namespace mps
