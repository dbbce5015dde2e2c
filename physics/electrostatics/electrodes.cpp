#include "physics/electrostatics/electrodes.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "solver/base/errors.hpp"

namespace mps {

void declare_electrode_schema(SectionSpec& s) {
  s.string("name", "Name used in messages and output").require();
  s.choice(
       "shape", {"plane", "box", "sphere", "cylinder", "annulus"},
       "Solid primitive: plane (half-space behind `point` with `normal` pointing into the gap), "
       "box (`lo`, `hi`), sphere (`center`, `radius`), cylinder (axis `from` -> `to`, "
       "`radius`), annulus (axis `from` -> `to`, `inner_radius`, `outer_radius`)")
      .require();
  s.quantity("potential", dim::voltage, "Electrode potential").require();
  s.boolean("inverted", "Conductor outside the shape (a spherical or cylindrical cavity)")
      .def("false");
  s.vector3("point", dim::length, "plane: a point on the plane");
  s.vector3("normal", dim::none, "plane: normal pointing out of the conductor");
  s.vector3("lo", dim::length, "box: low corner");
  s.vector3("hi", dim::length, "box: high corner");
  s.vector3("center", dim::length, "sphere: centre");
  s.quantity("radius", dim::length, "sphere, cylinder: radius").positive();
  s.vector3("from", dim::length, "cylinder, annulus: start of the axis");
  s.vector3("to", dim::length, "cylinder, annulus: end of the axis");
  s.quantity("inner_radius", dim::length, "annulus: inner radius").positive();
  s.quantity("outer_radius", dim::length, "annulus: outer radius").positive();
}

Electrode electrode_from_config(const Config& c) {
  Electrode e;
  e.name = c.string("name");
  e.potential = c.number("potential");
  const std::string shape = c.string("shape");
  auto need = [&](const char* key) {
    if (!c.has(key))
      throw InputError(fmt::format("{}: a {} electrode needs '{}'", c.path(), shape, key));
  };
  auto nonzero = [&](const char* key) {
    const Vec3 v = c.vec3(key);
    if (!(v[0] * v[0] + v[1] * v[1] + v[2] * v[2] > 0))
      throw InputError(fmt::format("{}.{}: expected a non-zero vector", c.path(), key));
    return v;
  };
  std::unique_ptr<Solid> s;
  if (shape == "plane") {
    need("point");
    need("normal");
    s = make_half_space(c.vec3("point"), nonzero("normal"));
  } else if (shape == "box") {
    need("lo");
    need("hi");
    const Vec3 lo = c.vec3("lo"), hi = c.vec3("hi");
    for (int a = 0; a < 3; ++a)
      if (!(hi[a] > lo[a]))
        throw InputError(fmt::format("{}: box needs hi > lo on every axis", c.path()));
    s = make_box(lo, hi);
  } else if (shape == "sphere") {
    need("center");
    need("radius");
    s = make_sphere(c.vec3("center"), c.number("radius"));
  } else {
    need("from");
    need("to");
    const Vec3 a = c.vec3("from"), b = c.vec3("to");
    if (a == b)
      throw InputError(fmt::format("{}: 'from' and 'to' must differ (the axis)", c.path()));
    if (shape == "cylinder") {
      need("radius");
      s = make_cylinder(a, b, c.number("radius"));
    } else {
      need("inner_radius");
      need("outer_radius");
      if (!(c.number("outer_radius") > c.number("inner_radius")))
        throw InputError(fmt::format("{}: outer_radius must exceed inner_radius", c.path()));
      s = make_annulus(a, b, c.number("inner_radius"), c.number("outer_radius"));
    }
  }
  if (c.boolean("inverted")) s = make_inverted(std::move(s));
  e.solid = std::move(s);
  return e;
}

void check_electrodes(const std::vector<Electrode>& electrodes, const UniformGrid& g) {
  const double h = g.max_h();
  for (const auto& e : electrodes) {
    const auto b = e.solid->bounds();
    bool misses = false;
    for (int a = 0; a < 3; ++a) misses = misses || b[1][a] < g.lo[a] || b[0][a] > g.hi[a];
    if (misses)
      throw InputError(fmt::format(
          "electrostatics.electrodes: electrode '{}' ({}) lies outside the field box [{}, {}] x "
          "[{}, {}] x [{}, {}] m",
          e.name, e.solid->kind(), g.lo[0], g.hi[0], g.lo[1], g.hi[1], g.lo[2], g.hi[2]));
    if (e.solid->feature_size() < 2.0 * h)
      throw InputError(fmt::format(
          "electrostatics.electrodes: electrode '{}' ({}) is {:.3g} m thick but the grid spacing "
          "is "
          "{:.3g} m: the grid is too coarse to resolve it (needs at least 2 cells across; refine "
          "electrostatics.cells)",
          e.name, e.solid->kind(), e.solid->feature_size(), h));
  }
  // Node labels: which electrode holds each node; overlap of different potentials is an error.
  const long nx = g.nodes(0), ny = g.nodes(1), nz = g.nodes(2);
  std::vector<int> label(static_cast<std::size_t>(nx * ny * nz), -1);
  std::vector<long> count(electrodes.size(), 0);
  for (std::size_t k = 0; k < electrodes.size(); ++k) {
    const auto& e = electrodes[k];
    const auto b = e.solid->bounds();
    int lo[3], hi[3];
    for (int a = 0; a < 3; ++a) {
      lo[a] = std::max(
          0, static_cast<int>(std::floor((std::max(b[0][a], g.lo[a]) - g.lo[a]) / g.h(a))));
      hi[a] = std::min(
          g.cells[a], static_cast<int>(std::ceil((std::min(b[1][a], g.hi[a]) - g.lo[a]) / g.h(a))));
    }
    for (int kk = lo[2]; kk <= hi[2]; ++kk)
      for (int j = lo[1]; j <= hi[1]; ++j)
        for (int i = lo[0]; i <= hi[0]; ++i) {
          const Vec3 p = g.node(i, j, kk);
          if (!e.solid->contains(p)) continue;
          ++count[k];
          int& l = label[static_cast<std::size_t>(i + nx * (j + ny * kk))];
          if (l >= 0 && electrodes[l].potential != e.potential)
            throw InputError(fmt::format(
                "electrostatics.electrodes: electrodes '{}' ({} V) and '{}' ({} V) overlap at "
                "({:.4g}, {:.4g}, {:.4g}) m: conductors at different potentials cannot touch",
                electrodes[l].name, electrodes[l].potential, e.name, e.potential, p[0], p[1],
                p[2]));
          l = static_cast<int>(k);
        }
  }
  for (std::size_t k = 0; k < electrodes.size(); ++k) {
    if (count[k] == 0)
      throw InputError(fmt::format(
          "electrostatics.electrodes: electrode '{}' ({}) contains no grid node: it lies outside "
          "the field box or the grid is too coarse to resolve it",
          electrodes[k].name, electrodes[k].solid->kind()));
    if (count[k] == nx * ny * nz)
      throw InputError(
          fmt::format("electrostatics.electrodes: electrode '{}' fills the whole field box",
                      electrodes[k].name));
  }
}

}  // namespace mps
