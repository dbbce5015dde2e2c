// Case section `capture`: a list of catchers with their geometry, patches and sticking model.
#include <set>

#include "physics/capture/capture.hpp"
#include "solver/base/errors.hpp"

namespace mps {

void register_capture_unit(UnitRegistry& registry) {
  UnitInfo u;
  u.name = "capture";
  u.doc =
      "Catcher surfaces (plane, disc, cylinder, cone, box, STL) with swept hit detection and a "
      "sticking model (stick, rebound, impact: molten or slow particles stick). Stuck particles "
      "are removed and tallied; per-patch maps go to OUT/catchers_NNNNNN.vtp.";
  u.declare = [](SectionSpec& s) {
    auto& c = s.section_list("catchers", "The catcher surfaces").require();
    c.string("name", "Name of the catcher (tallies capture.NAME.*, map block)").require();
    c.choice("shape", {"plane", "disc", "cylinder", "cone", "box", "stl"}, "Surface type")
        .require();
    c.vector3("center", dim::length,
              "Centre, not for stl (plane, disc, box; middle of a cylinder; centre of the start "
              "end of a cone)");
    c.vector3("normal", dim::none, "Normal (plane, disc)");
    c.vector3("u_direction", dim::none,
              "Plane: direction of the first half size (projected on the plane)");
    c.quantity_list("half_size", dim::length, "Plane: half sizes [along u, along v]").positive();
    c.vector3("half_widths", dim::length, "Box: half widths along x, y, z (axis-aligned box)");
    c.vector3("axis", dim::none, "Cylinder, cone: axis direction (cone: from start to end)");
    c.quantity("radius", dim::length, "Disc outer radius; cylinder radius").positive();
    c.quantity("inner_radius", dim::length, "Disc: radius of the central hole")
        .def("0")
        .non_negative();
    c.quantity("length", dim::length, "Cylinder, cone: length along the axis").positive();
    c.quantity("radius_start", dim::length, "Cone: radius at the centre end").non_negative();
    c.quantity("radius_end", dim::length, "Cone: radius at the far end").non_negative();
    c.string("file", "STL: triangulated surface (binary or ASCII; relative to the case file)");
    c.quantity("scale", dim::none, "STL: factor from file units to metres (1e-3 for mm)")
        .def("1")
        .positive();
    c.quantity_list("patches", dim::none,
                    "Map resolution [n1, n2]: plane u x v; disc radial x angular; cylinder/cone "
                    "angular x axial; box: on each face")
        .def("[16, 16]");
    c.choice("sticking", {"stick", "rebound", "impact"},
             "stick: all stick; rebound: restitution; impact: molten, hot or slow particles stick, "
             "others rebound")
        .def("stick");
    c.quantity("restitution", dim::none, "Normal restitution coefficient of rebounds")
        .def("0.5")
        .non_negative()
        .at_most(1.0);
    c.quantity("tangential_restitution", dim::none, "Tangential velocity factor of rebounds")
        .def("1")
        .non_negative()
        .at_most(1.0);
    c.quantity("critical_speed", dim::velocity,
               "Impact model: particles slower than this along the normal stick")
        .def("1 m/s")
        .non_negative();
    c.quantity(
         "sticking_temperature", dim::temperature,
         "Impact model: particles at or above this temperature stick (default W melting point)")
        .def("3695 K")
        .positive();
  };
  u.make = [](const UnitContext& c) -> std::unique_ptr<ProcessUnit> {
    std::vector<CatcherSpec> list;
    std::set<std::string> names;
    for (const auto& cc : c.section.section_list("catchers")) {
      CatcherSpec s;
      s.name = cc.string("name");
      if (s.name.empty() || s.name.find_first_of(" ./\t") != std::string::npos)
        throw InputError(cc.path() + ".name: expected a name without spaces, dots or slashes");
      if (!names.insert(s.name).second)
        throw InputError(cc.path() + ".name: duplicate catcher name '" + s.name + "'");
      s.geometry = CatcherGeometry::from_config(cc, c.case_file);
      const std::string m = cc.string("sticking");
      s.model = m == "rebound"  ? CatcherSpec::Model::rebound
                : m == "impact" ? CatcherSpec::Model::impact
                                : CatcherSpec::Model::stick;
      s.restitution = cc.number("restitution");
      s.tangential_restitution = cc.number("tangential_restitution");
      s.critical_speed = cc.number("critical_speed");
      s.sticking_temperature = cc.number("sticking_temperature");
      list.push_back(std::move(s));
    }
    if (list.empty()) throw InputError("capture.catchers: expected at least one catcher");
    Vec3 g{0, 0, 0};
    if (c.root.has_section("flight") && c.root.section("flight").has("gravity"))
      g = c.root.section("flight").vec3("gravity");
    return std::make_unique<Capture>(std::move(list), g);
  };
  registry.add(std::move(u));
}

}  // namespace mps
