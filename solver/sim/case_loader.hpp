// Reads a YAML case against the schema and returns the validated case in SI units.
//
// Every error is an InputError whose message starts with "file:line:column: key.path: " and says
// what was expected (yaml-cpp marks are 0-based; we print 1-based). Unknown keys get a
// "did you mean" suggestion. `--set key.path=value` overrides go through the same parser.
#pragma once

#include <string>
#include <vector>

#include "solver/base/config.hpp"
#include "solver/base/process.hpp"
#include "solver/base/schema.hpp"

namespace mps {

struct Case {
  std::string file;                       // path as given
  Config root;                            // validated, SI
  std::vector<std::string> active_units;  // in time-loop order (registry order)
};

// The root schema: `simulation`, `domain`, `processes` and one section per registered unit.
SectionSpec build_root_schema(const UnitRegistry& registry);

Case load_case(const std::string& file, const std::vector<std::string>& overrides,
               const UnitRegistry& registry);
Case load_case_text(const std::string& text, const std::string& file_label,
                    const std::vector<std::string>& overrides, const UnitRegistry& registry);

// Any YAML file validated against a schema of its own (e.g. a transport study of `mpstream
// study`): same parser, messages, defaults and `--set` overrides as a case.
Config load_config_file(const std::string& file, const SectionSpec& schema,
                        const std::vector<std::string>& overrides);

// The resolved case as YAML in SI units (what `mpstream check` prints).
std::string resolved_yaml(const Case& c, const SectionSpec& schema);

}  // namespace mps
