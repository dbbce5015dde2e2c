// Case validation: every bad input is an InputError naming file:line:column, the key path and
// what was expected.
#include <gtest/gtest.h>

#include <string>

#include "solver/base/errors.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/case_loader.hpp"

using namespace mps;

namespace {

const char* kGood = R"(simulation:
  end_time: 10 us
  dt: 10 ns
domain:
  lo: [0, -1 mm, -1 mm]
  hi: [10 mm, 1 mm, 1 mm]
injector:
  particle_rate: 1e8
  diameter:
    mean: 5 um
  position:
    center: [0, 0, 0]
  velocity:
    mean: [400 m/s, 0, 0]
)";

std::string error_of(const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    load_case_text(text, "case.yaml", sets, builtin_units());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string replace(std::string s, const std::string& a, const std::string& b) {
  auto p = s.find(a);
  EXPECT_NE(p, std::string::npos) << a;
  return s.replace(p, a.size(), b);
}

}  // namespace

TEST(CaseLoader, GoodCaseResolvesToSI) {
  Case c = load_case_text(kGood, "case.yaml", {}, builtin_units());
  EXPECT_DOUBLE_EQ(c.root.section("simulation").number("end_time"), 1e-5);
  EXPECT_DOUBLE_EQ(c.root.section("injector").section("diameter").number("mean"), 5e-6);
  EXPECT_EQ(c.root.section("injector").section("diameter").string("law"), "monodisperse");
  EXPECT_DOUBLE_EQ(c.root.section("domain").vec3("hi")[0], 0.01);
  // flight is not written, so not active; injector and domain are
  EXPECT_EQ(c.active_units, (std::vector<std::string>{"injector", "domain"}));
}

TEST(CaseLoader, OmittedSettingsSectionsTakeTheirDefaults) {
  // kGood writes neither simulation.output nor simulation.decomposition: the run reads both, so
  // they must exist with their defaults (a run once failed with an internal error here).
  Case c = load_case_text(kGood, "case.yaml", {}, builtin_units());
  const Config& sim = c.root.section("simulation");
  ASSERT_TRUE(sim.has_section("output"));
  ASSERT_TRUE(sim.has_section("decomposition"));
  EXPECT_EQ(sim.section("output").string("directory"), "out");
  EXPECT_DOUBLE_EQ(sim.section("decomposition").number("rebalance_threshold"), 1.2);
  // a process unit's section is still switched on only by writing it
  EXPECT_FALSE(c.root.has_section("flight"));
}

TEST(CaseLoader, UnknownKeySuggests) {
  auto e = error_of(replace(kGood, "    mean: 5 um", "    meen: 5 um"));
  EXPECT_NE(
      e.find("case.yaml:10:5: injector.diameter.meen: unknown key 'meen' (did you mean 'mean'?)"),
      std::string::npos)
      << e;
}

TEST(CaseLoader, WrongUnit) {
  auto e = error_of(replace(kGood, "mean: 5 um", "mean: 5 kg"));
  EXPECT_NE(e.find("case.yaml:10:11: injector.diameter.mean:"), std::string::npos) << e;
  EXPECT_NE(e.find("expected length"), std::string::npos) << e;
}

TEST(CaseLoader, NegativeDiameter) {
  auto e = error_of(replace(kGood, "mean: 5 um", "mean: -5 um"));
  EXPECT_NE(
      e.find(
          "case.yaml:10:11: injector.diameter.mean: value -5e-06 m is out of range: expected > 0"),
      std::string::npos)
      << e;
}

TEST(CaseLoader, MissingRequiredKey) {
  auto e = error_of(replace(kGood, "  dt: 10 ns\n", ""));
  EXPECT_NE(e.find("case.yaml:2:3: simulation.dt: missing required key"), std::string::npos) << e;
}

TEST(CaseLoader, MalformedYaml) {
  auto e = error_of(replace(kGood, "  lo: [0, -1 mm, -1 mm]", "  lo: [0, -1 mm, -1 mm"));
  EXPECT_NE(e.find("case.yaml:"), std::string::npos) << e;
  EXPECT_NE(e.find("malformed YAML"), std::string::npos) << e;
}

TEST(CaseLoader, OutOfRange) {
  auto e = error_of(replace(kGood, "  dt: 10 ns", "  dt: 0 ns"));
  EXPECT_NE(e.find("case.yaml:3:7: simulation.dt: value 0 s is out of range"), std::string::npos)
      << e;
}

TEST(CaseLoader, WrongShape) {
  auto e = error_of(replace(kGood, "center: [0, 0, 0]", "center: [0, 0]"));
  EXPECT_NE(e.find("injector.position.center: expected a list of 3 length values"),
            std::string::npos)
      << e;
}

TEST(CaseLoader, UnknownSectionAndProcess) {
  auto e = error_of(std::string(kGood) + "injektor: {}\n");
  EXPECT_NE(e.find("unknown key 'injektor' (did you mean 'injector'?)"), std::string::npos) << e;
  e = error_of(std::string(kGood) + "processes: [injector, fligth, domain]\n");
  EXPECT_NE(e.find("unknown process 'fligth' (did you mean 'flight'?)"), std::string::npos) << e;
}

TEST(CaseLoader, BadChoice) {
  auto e = error_of(replace(kGood, "    mean: 5 um", "    mean: 5 um\n    law: lognormel"));
  EXPECT_NE(
      e.find(
          "'lognormel' is not one of: monodisperse normal lognormal (did you mean 'lognormal'?)"),
      std::string::npos)
      << e;
}

TEST(CaseLoader, SetOverridesUseTheSameParser) {
  Case c =
      load_case_text(kGood, "case.yaml", {"injector.diameter.mean=7 um", "flight.gravity=[0,0,0]"},
                     builtin_units());
  EXPECT_DOUBLE_EQ(c.root.section("injector").section("diameter").number("mean"), 7e-6);
  EXPECT_EQ(c.active_units, (std::vector<std::string>{"injector", "flight", "domain"}));
  auto e = error_of(kGood, {"injector.diameter.mean=7 kg"});
  EXPECT_NE(e.find("injector.diameter.mean"), std::string::npos) << e;
  EXPECT_NE(e.find("expected length"), std::string::npos) << e;
  e = error_of(kGood, {"nonsense"});
  EXPECT_NE(e.find("expected key.path=value"), std::string::npos) << e;
}

TEST(CaseLoader, SchemaMarkdownListsEveryKey) {
  auto md = schema_markdown(build_root_schema(builtin_units()));
  for (const char* k :
       {"`end_time`", "`particle_rate`", "`gravity`", "### `injector.diameter`", "`lo`"})
    EXPECT_NE(md.find(k), std::string::npos) << k;
}
