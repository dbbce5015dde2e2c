#include "physics/electrostatics/electrodes.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "mesh/stl.hpp"

#include "solver/base/errors.hpp"

namespace mps {

void declare_electrode_schema(SectionSpec& s) {
  s.string("name", "Name used in messages and output").require();
  s.choice(
       "shape", {"plane", "box", "sphere", "cylinder", "annulus", "stl"},
       "Solid: plane (half-space behind `point` with `normal` pointing into the gap), box (`lo`, "
       "`hi`), sphere (`center`, `radius`, optional `inner_radius`: a hollow shell), cylinder "
       "(axis `from` -> `to`, `radius`), annulus (axis `from` -> `to`, `inner_radius`, "
       "`outer_radius`), stl (a closed triangulated surface: `file`, `scale`, `offset`)")
      .require();
  s.quantity("potential", dim::voltage, "Electrode potential (required unless floating)");
  s.boolean("floating",
            "Isolated conductor: its potential is solved for from its net `charge` at every "
            "solve (reported as electrostatics.NAME.potential_V in summary.json)")
      .def("false");
  s.quantity("charge", dim::charge, "floating: net charge of the conductor").def("0 C");
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
  s.quantity("inner_radius", dim::length,
             "annulus: inner radius; sphere: makes it a hollow shell inner_radius..radius")
      .positive();
  s.quantity("outer_radius", dim::length, "annulus: outer radius").positive();
  s.string("file",
           "stl: path of a binary or ASCII STL file (relative to the case file), a watertight "
           "surface");
  s.quantity("scale", dim::none, "stl: factor from file coordinates to metres (1e-3: mm)")
      .def("1")
      .positive();
  s.vector3("offset", dim::length, "stl: translation of the scaled surface").def("[0, 0, 0]");
}

Electrode electrode_from_config(const Config& c, const std::string& case_file) {
  Electrode e;
  e.name = c.string("name");
  e.floating = c.boolean("floating");
  e.charge = c.number("charge");
  if (!e.floating && !c.has("potential"))
    throw InputError(fmt::format(
        "{}: electrode '{}' needs 'potential' (or 'floating: true' with a net 'charge')", c.path(),
        e.name));
  if (e.floating && c.has("potential"))
    throw InputError(fmt::format(
        "{}: electrode '{}' is floating: its potential is solved for, remove 'potential'", c.path(),
        e.name));
  e.potential = e.floating ? 0.0 : c.number("potential");
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
  } else if (shape == "stl") {
    need("file");
    std::filesystem::path file = c.string("file");
    if (file.is_relative() && !case_file.empty())
      file = std::filesystem::path(case_file).parent_path() / file;
    const std::string what = fmt::format("{}.file ({})", c.path(), file.string());
    auto facets = read_stl(file.string(), c.number("scale"));
    const Vec3 offset = c.vec3("offset");
    for (auto& f : facets)
      for (auto& v : f)
        for (int a = 0; a < 3; ++a) v[a] += offset[a];
    s = make_triangle_solid(check_closed_surface(std::move(facets), what));
  } else if (shape == "sphere") {
    need("center");
    need("radius");
    if (c.has("inner_radius")) {
      if (!(c.number("inner_radius") < c.number("radius")))
        throw InputError(fmt::format("{}: a hollow sphere needs inner_radius < radius", c.path()));
      s = make_spherical_shell(c.vec3("center"), c.number("inner_radius"), c.number("radius"));
    } else {
      s = make_sphere(c.vec3("center"), c.number("radius"));
    }
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

namespace {

// A floating conductor's charge is the Gauss flux through the grid faces that leave the set of
// nodes within one cell (Chebyshev distance 1 in node indices) of its nodes (poisson.hpp). That
// surface must run through gap nodes only, so no node of another conductor (or of the wall, for
// a floating electrode) may lie within two cells of a floating conductor's nodes.
// `label`: electrode index per node, -1 elsewhere; wall nodes are the box faces not in electrodes.
void check_floating_separation(const std::vector<Electrode>& electrodes, const UniformGrid& g,
                               const WallSpec& wall, const std::vector<int>& label) {
  const int n[3] = {g.nodes(0), g.nodes(1), g.nodes(2)};
  auto at = [&](int i, int j, int k) {
    return label[static_cast<std::size_t>(i + static_cast<long>(n[0]) * (j + n[1] * k))];
  };
  auto on_wall = [&](int i, int j, int k) {
    return i == 0 || j == 0 || k == 0 || i == n[0] - 1 || j == n[1] - 1 || k == n[2] - 1;
  };
  auto where = [&](int i, int j, int k) {
    const Vec3 p = g.node(i, j, k);
    return fmt::format("({:.4g}, {:.4g}, {:.4g}) m", p[0], p[1], p[2]);
  };
  for (int k = 0; k < n[2]; ++k)
    for (int j = 0; j < n[1]; ++j)
      for (int i = 0; i < n[0]; ++i) {
        const int l = at(i, j, k);
        const bool wall_node = l < 0 && on_wall(i, j, k);
        const bool floating = (l >= 0 && electrodes[l].floating) || (wall_node && wall.floating);
        if (!floating) continue;
        bool surface = false;  // a node with a face neighbour outside the conductor
        for (int a = 0; a < 3 && !surface; ++a)
          for (int s : {-1, 1}) {
            int q[3] = {i, j, k};
            q[a] += s;
            if (q[a] < 0 || q[a] >= n[a]) continue;
            const int m = at(q[0], q[1], q[2]);
            surface = surface || m != l || (wall_node && !on_wall(q[0], q[1], q[2]));
          }
        if (!surface) continue;
        for (int dk = -2; dk <= 2; ++dk)
          for (int dj = -2; dj <= 2; ++dj)
            for (int di = -2; di <= 2; ++di) {
              const int a = i + di, b = j + dj, c = k + dk;
              if (a < 0 || b < 0 || c < 0 || a >= n[0] || b >= n[1] || c >= n[2]) continue;
              const int m = at(a, b, c);
              const bool other_wall = m < 0 && on_wall(a, b, c) && !wall_node;
              const bool other_electrode = m >= 0 && m != l;
              if (!other_wall && !other_electrode) continue;
              const std::string self =
                  wall_node ? "the floating wall"
                            : fmt::format("floating electrode '{}'", electrodes[l].name);
              const std::string other =
                  other_wall ? "the wall" : fmt::format("electrode '{}'", electrodes[m].name);
              throw InputError(fmt::format(
                  "electrostatics.electrodes: {} comes within two grid cells of {} near {}: the "
                  "charge of a floating conductor is measured on a band of gap nodes around it; "
                  "move them apart or refine electrostatics.cells",
                  self, other, where(i, j, k)));
            }
      }
}

}  // namespace

void check_electrodes(const std::vector<Electrode>& electrodes, const UniformGrid& g,
                      const WallSpec& wall) {
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
          if (l >= 0 && (electrodes[l].floating || e.floating))
            throw InputError(fmt::format(
                "electrostatics.electrodes: electrodes '{}' and '{}' overlap at ({:.4g}, {:.4g}, "
                "{:.4g}) m: a floating conductor cannot touch another one",
                electrodes[l].name, e.name, p[0], p[1], p[2]));
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
  check_floating_separation(electrodes, g, wall, label);
  const bool any_fixed = std::any_of(electrodes.begin(), electrodes.end(),
                                     [](const Electrode& e) { return !e.floating; });
  if (wall.floating && !any_fixed && !(wall.capacitance > 0))
    throw InputError(
        "electrostatics.wall: a floating wall around only floating electrodes has no defined "
        "potential (every potential may shift by a constant): give the wall a "
        "wall_capacitance to ground, a fixed electrode, or make the wall fixed");
}

}  // namespace mps
