// Materials given as data files (cases/data/materials/NAME.yaml): found by name, loaded through
// the material_data schema, h(T) invertible, and a broken copy of a file is a clear input error
// (file:line:col, key path, what was expected).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "physics/materials/material.hpp"
#include "physics/thermal/thermal_unit.hpp"
#include "solver/base/errors.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/case_loader.hpp"

namespace mps {
namespace {

const char* const kDataMetals[] = {"molybdenum", "tantalum"};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string shipped(const std::string& name) {
  return Material::data_directory() + "/" + name + ".yaml";
}

// A copy of a shipped file with one line replaced, written to a temporary folder.
std::string broken_copy(const std::string& name, const std::string& old_line,
                        const std::string& new_line, int* line_number = nullptr) {
  std::string text = read_text(shipped(name));
  const auto at = text.find(old_line);
  EXPECT_NE(at, std::string::npos) << old_line;
  if (line_number)
    *line_number = 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
  text.replace(at, old_line.size(), new_line);
  // one file per test: ctest runs the tests of this file in parallel processes
  const std::string path = testing::TempDir() + "/broken_" + name + "_" +
                           testing::UnitTest::GetInstance()->current_test_info()->name() + ".yaml";
  std::ofstream(path) << text;
  return path;
}

std::string error_of(const std::string& path) {
  try {
    Material::from_file(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(MaterialFiles, FoundByName) {
  const auto names = Material::builtin_names();
  for (const char* n : {"tungsten", "molybdenum", "tantalum"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  EXPECT_EQ(Material::builtin("molybdenum").name(), "molybdenum");
  EXPECT_EQ(Material::builtin("tantalum").name(), "tantalum");
  // loaded once: the same object on the second look-up
  EXPECT_EQ(&Material::builtin("molybdenum"), &Material::builtin("molybdenum"));
  // the built-in tungsten is unchanged
  EXPECT_DOUBLE_EQ(Material::builtin("tungsten").melting_point(), 3695.0);
}

TEST(MaterialFiles, UnknownNameListsWhatExists) {
  try {
    Material::builtin("unobtainium");
    FAIL() << "unknown material accepted";
  } catch (const InputError& e) {
    const std::string m = e.what();
    for (const char* n : {"unobtainium", "tungsten", "molybdenum", "tantalum"})
      EXPECT_NE(m.find(n), std::string::npos) << m;
  }
}

TEST(MaterialFiles, PathToADataFile) {
  const Material& m = Material::builtin(shipped("tantalum"));
  EXPECT_EQ(m.name(), "tantalum");
  EXPECT_THROW(Material::builtin("/nonexistent/metal.yaml"), InputError);
}

TEST(MaterialFiles, ConstantsAsInTheFiles) {
  const Material& mo = Material::builtin("molybdenum");
  EXPECT_DOUBLE_EQ(mo.melting_point(), 2896.0);
  EXPECT_DOUBLE_EQ(mo.molar_mass(), 95.95e-3);
  EXPECT_DOUBLE_EQ(mo.work_function_eV(), 4.2);
  const Material& ta = Material::builtin("tantalum");
  EXPECT_DOUBLE_EQ(ta.melting_point(), 3290.0);
  EXPECT_DOUBLE_EQ(ta.molar_mass(), 180.94788e-3);
  EXPECT_DOUBLE_EQ(ta.richardson_constant(), 60e4);
  // liquid lighter than solid at Tm (volume jump on melting), both in the physical range
  for (const Material* m : {&mo, &ta}) {
    EXPECT_LT(m->density(m->melting_point() + 1.0), m->density(m->melting_point()));
    EXPECT_GT(m->emissivity(2000.0), 0.0);
    EXPECT_LE(m->emissivity(2000.0), 1.0);
  }
}

// h(T) and its table inverse: 1e-8 K, as for tungsten (test_material.cpp EnthalpyRoundTrip; the
// Hermite table is accurate to ~1e-10 K), including across the SGTE piece bounds of Ta.
TEST(MaterialFiles, EnthalpyRoundTrip) {
  for (const char* name : kDataMetals) {
    const Material& m = Material::builtin(name);
    for (double T = m.min_temperature(); T <= m.max_temperature(); T += 7.3) {
      if (std::abs(T - m.melting_point()) < 1e-6) continue;
      const MeltState s = m.state_of(m.enthalpy(T));
      EXPECT_NEAR(s.temperature, T, 1e-8) << name << " at " << T;
      EXPECT_DOUBLE_EQ(s.liquid_fraction, T > m.melting_point() ? 1.0 : 0.0);
    }
    for (double T : {1300.0, 2500.0}) {
      const MeltState s = m.state_of(m.enthalpy(T));
      EXPECT_NEAR(s.temperature, T, 1e-8) << name << " at a piece bound " << T;
    }
    // on the plateau: liquid fraction from the latent heat, temperature Tm
    const MeltState half = m.state_of(m.enthalpy_solidus() + 0.25 * m.latent_heat_fusion());
    EXPECT_DOUBLE_EQ(half.temperature, m.melting_point());
    EXPECT_NEAR(half.liquid_fraction, 0.25, 1e-12);
  }
}

// The enthalpy budget the issue asks for (373 K -> Tm), printed next to tungsten's 0.4618.
TEST(MaterialFiles, LatentToSensibleRatioPrinted) {
  for (const char* name : {"tungsten", "molybdenum", "tantalum"}) {
    const Material& m = Material::builtin(name);
    const double sensible = m.sensible_enthalpy(373.15, m.melting_point());
    const double ratio = m.latent_heat_fusion() / sensible;
    std::printf(
        "%-10s Tm %6.0f K  sensible 373.15 K -> Tm %.5g J/kg  latent %.5g J/kg  "
        "latent/sensible %.4f\n",
        name, m.melting_point(), sensible, m.latent_heat_fusion(), ratio);
    RecordProperty(std::string(name) + "_latent_to_sensible", std::to_string(ratio));
    // the sensible heat is h(Tm) - h(373.15 K) on the solid branch
    EXPECT_NEAR(sensible, m.enthalpy_solidus() - m.enthalpy(373.15), 1e-6 * sensible);
  }
}

TEST(MaterialFiles, CaseFindsMaterialByName) {
  const std::string text =
      "simulation: {end_time: 1 us, dt: 10 ns}\n"
      "domain: {lo: [0, 0, 0], hi: [1 mm, 1 mm, 1 mm]}\n"
      "thermal: {material: tantalum}\n"
      "charging: {material: molybdenum}\n";
  const Case c = load_case_text(text, "t.yaml", {}, builtin_units());
  EXPECT_EQ(material_from_section(c.root.section("thermal")).name(), "tantalum");
  EXPECT_EQ(material_from_section(c.root.section("charging")).name(), "molybdenum");
  for (const char* unit : {"thermal", "charging"}) {
    const UnitInfo* info = builtin_units().find(unit);
    EXPECT_NE(info->make(UnitContext{c.root.section(unit), c.root}), nullptr) << unit;
  }
}

// Broken copies: each error names the file, the line and column, and the key.
TEST(MaterialFiles, WrongUnitIsAnErrorAtItsLine) {
  int line = 0;
  const std::string path =
      broken_copy("molybdenum", "melting_point: 2896 K", "melting_point: 2896 kg", &line);
  const std::string m = error_of(path);
  EXPECT_EQ(m.rfind(path + ":" + std::to_string(line) + ":", 0), 0u) << m;
  EXPECT_NE(m.find("melting_point"), std::string::npos) << m;
  EXPECT_NE(m.find("temperature"), std::string::npos) << m;
}

TEST(MaterialFiles, MisspelledKeyIsAnErrorWithSuggestion) {
  int line = 0;
  const std::string path =
      broken_copy("tantalum", "antoine_a: 12.191532", "antoine_aa: 12.191532", &line);
  const std::string m = error_of(path);
  EXPECT_EQ(m.rfind(path + ":" + std::to_string(line) + ":", 0), 0u) << m;
  EXPECT_NE(m.find("did you mean 'antoine_a'"), std::string::npos) << m;
}

TEST(MaterialFiles, MissingKeyIsAnError) {
  const std::string path = broken_copy("tantalum", "work_function: 4.12 V", "");
  const std::string m = error_of(path);
  EXPECT_EQ(m.rfind(path, 0), 0u) << m;
  EXPECT_NE(m.find("work_function: missing required key"), std::string::npos) << m;
}

TEST(MaterialFiles, NegativeCpIsAnErrorNamingTheFile) {
  const std::string path =
      broken_copy("molybdenum", "cp_liquid: {a: [444.3803022]}", "cp_liquid: {a: [-444.38]}");
  const std::string m = error_of(path);
  EXPECT_EQ(m.rfind(path + ": material 'molybdenum'", 0), 0u) << m;
  EXPECT_NE(m.find("cp must be positive"), std::string::npos) << m;
}

TEST(MaterialFiles, MalformedYamlIsAnError) {
  const std::string path =
      broken_copy("molybdenum", "cp_liquid: {a: [444.3803022]}", "cp_liquid: {a: [444.3803022]");
  const std::string m = error_of(path);
  EXPECT_EQ(m.rfind(path + ":", 0), 0u) << m;
  EXPECT_NE(m.find("malformed YAML"), std::string::npos) << m;
}

}  // namespace
}  // namespace mps
