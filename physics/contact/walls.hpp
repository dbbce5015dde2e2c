// Walls of the contact unit: infinite planes and cylinders, declared in the case.
// A wall is treated as a sphere of infinite radius and mass of the wall material (contact_law.hpp
// with R* = R_i, m* = m_i). For a particle inside a cylinder the concave curvature
// (1/R* = 1/R_i - 1/R_c) is neglected: exact for R_c >> R_i, the case of vessel walls.
#pragma once

#include <array>
#include <cmath>
#include <string>

namespace mps::contact {

struct Wall {
  enum class Kind { plane, cylinder } kind = Kind::plane;
  std::string name;
  std::array<double, 3> point{0, 0, 0};
  std::array<double, 3> direction{
      0, 0, 1};         // plane: unit normal into the particle side; cylinder: unit axis
  double radius = 0.0;  // cylinder
  bool inside = true;   // cylinder: particles inside (true) or outside

  // Signed distance s of the centre x from the wall surface (positive on the particle side) and
  // the unit normal from the wall to the particle. Returns false if the normal is undefined.
  bool distance(const double x[3], double& s, double n[3]) const {
    const double rx = x[0] - point[0], ry = x[1] - point[1], rz = x[2] - point[2];
    const double u = rx * direction[0] + ry * direction[1] + rz * direction[2];
    if (kind == Kind::plane) {
      s = u;
      n[0] = direction[0];
      n[1] = direction[1];
      n[2] = direction[2];
      return true;
    }
    const double px = rx - u * direction[0], py = ry - u * direction[1], pz = rz - u * direction[2];
    const double rho = std::sqrt(px * px + py * py + pz * pz);
    if (!(rho > 0.0)) return false;
    const double sign = inside ? -1.0 : 1.0;
    s = inside ? radius - rho : rho - radius;
    n[0] = sign * px / rho;
    n[1] = sign * py / rho;
    n[2] = sign * pz / rho;
    return true;
  }
};

}  // namespace mps::contact
