// Reading YAML against a SectionSpec: the parser behind case files (solver/sim/case_loader) and
// data files validated by a schema of their own (cases/data/materials/NAME.yaml). One reader, so
// every input file gets the same units, defaults, ranges and "file:line:col: key.path: what"
// messages (InputError, exit code 2).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "solver/base/config.hpp"
#include "solver/base/schema.hpp"

namespace mps {

// "file:line:col" of a YAML mark (yaml-cpp marks are 0-based; printed 1-based). Just "file" for
// a null mark.
std::string yaml_location(const std::string& file, const YAML::Mark& mark);

// InputError "file:line:col: path: what" at node n (at the file when n is undefined).
[[noreturn]] void yaml_fail(const std::string& file, const YAML::Node& n, const std::string& path,
                            const std::string& what);

// Validates `node` (a map, or null for an all-default section) against `spec` and stores the
// values in SI units into `out`; `path` is the key path of the section for messages ("" at top).
void read_yaml_section(const std::string& file, const YAML::Node& node, const SectionSpec& spec,
                       const std::string& path, Config& out);

// A whole YAML file whose top level is one section of `spec` (e.g. a material data file).
Config load_yaml_file(const std::string& file, const SectionSpec& spec);

}  // namespace mps
