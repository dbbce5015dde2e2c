// A material given as data in the case (thermal.material_data) goes through the schema, the
// loader's unit parsing and Material::from_config; bad data is an input error.
#include <gtest/gtest.h>

#include <string>

#include "physics/thermal/thermal_unit.hpp"
#include "solver/base/errors.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/case_loader.hpp"

namespace mps {
namespace {

std::string case_text(const std::string& cp_liquid) {
  return R"(simulation: {end_time: 1 us, dt: 10 ns}
domain: {lo: [0, 0, 0], hi: [1 mm, 1 mm, 1 mm]}
thermal:
  material_data:
    name: testium
    molar_mass: 0.1 kg/mol
    melting_point: 1000 K
    latent_heat_fusion: 1e5 J/kg
    max_temperature: 2000 K
    cp_solid_upper: [600 K]
    cp_solid:
      - {a: [200]}
      - {t0: 600 K, a: [200, 0.1]}
    cp_liquid: {a: [)" +
         cp_liquid + R"(]}
    density_solid: {a: [8000]}
    density_liquid: {a: [7500]}
    conductivity_solid: {a: [100]}
    conductivity_liquid: {a: [60]}
    emissivity_solid: {a: [0.3]}
    emissivity_liquid: {a: [0.35]}
    surface_tension_liquid: {a: [1.5]}
    heat_of_vaporisation: {a: [5e6]}
    antoine_a: 10
    antoine_b: 20000 K
    work_function: 4.2 V
    richardson_constant: 6e5
)";
}

std::unique_ptr<ProcessUnit> make_thermal(const Case& c) {
  const UnitInfo* info = builtin_units().find("thermal");
  return info->make(UnitContext{c.root.section("thermal"), c.root});
}

TEST(MaterialYaml, CaseDefinesAMaterial) {
  const Case c = load_case_text(case_text("250"), "test.yaml", {}, builtin_units());
  const Material m = material_from_section(c.root.section("thermal"));
  EXPECT_EQ(m.name(), "testium");
  EXPECT_NEAR(m.enthalpy(800.0), 200.0 * (800.0 - 298.15) + 0.05 * 200.0 * 200.0, 1e-8);
  EXPECT_NEAR(m.cp(1500.0), 250.0, 1e-12);
  EXPECT_NEAR(m.density(1200.0), 7500.0, 1e-12);
  EXPECT_NEAR(m.work_function_eV(), 4.2, 1e-12);
  EXPECT_NE(make_thermal(c), nullptr);
}

TEST(MaterialYaml, NegativeCpIsAnInputError) {
  const Case c = load_case_text(case_text("-5"), "test.yaml", {}, builtin_units());
  try {
    make_thermal(c);
    FAIL() << "negative liquid cp accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cp must be positive"), std::string::npos) << e.what();
  }
}

TEST(MaterialYaml, BuiltinByName) {
  const std::string text =
      "simulation: {end_time: 1 us, dt: 10 ns}\n"
      "domain: {lo: [0, 0, 0], hi: [1 mm, 1 mm, 1 mm]}\n"
      "thermal: {material: tungsten}\n";
  const Case c = load_case_text(text, "t.yaml", {}, builtin_units());
  EXPECT_EQ(material_from_section(c.root.section("thermal")).name(), "tungsten");
  const std::string bad =
      "simulation: {end_time: 1 us, dt: 10 ns}\n"
      "domain: {lo: [0, 0, 0], hi: [1 mm, 1 mm, 1 mm]}\n"
      "thermal: {material: unobtainium}\n";
  const Case cb = load_case_text(bad, "t.yaml", {}, builtin_units());
  EXPECT_THROW(make_thermal(cb), InputError);
}

}  // namespace
}  // namespace mps
