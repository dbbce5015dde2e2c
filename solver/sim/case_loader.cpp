#include "solver/sim/case_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "solver/base/errors.hpp"
#include "solver/base/units.hpp"
#include "solver/base/yaml_section.hpp"

namespace mps {

namespace {

// The schema-driven YAML reader is shared with data files: solver/base/yaml_section.hpp.
std::string loc(const std::string& file, const YAML::Mark& m) {
  return yaml_location(file, m);
}

[[noreturn]] void fail(const std::string& file, const YAML::Node& n, const std::string& path,
                       const std::string& what) {
  yaml_fail(file, n, path, what);
}

void read_section(const std::string& file, const YAML::Node& node, const SectionSpec& spec,
                  const std::string& path, Config& out) {
  read_yaml_section(file, node, spec, path, out);
}

YAML::Node parse_yaml(const std::string& text, const std::string& file) {
  try {
    YAML::Node n = YAML::Load(text);
    if (!n || n.IsNull()) throw InputError(file + ": the case file is empty");
    if (!n.IsMap())
      throw InputError(loc(file, n.Mark()) + ": expected a map of sections at the top level");
    return n;
  } catch (const YAML::ParserException& e) {
    throw InputError(loc(file, e.mark) + ": malformed YAML: " + e.msg);
  }
}

void apply_override(YAML::Node root, const std::string& spec) {
  auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set " + spec + ": expected key.path=value");
  std::string path = spec.substr(0, eq), value = spec.substr(eq + 1);
  YAML::Node v;
  try {
    v = YAML::Load(value);
  } catch (const YAML::ParserException& e) {
    throw InputError("--set " + spec + ": malformed value: " + e.msg);
  }
  std::vector<std::string> parts;
  std::stringstream ss(path);
  for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
  // descend with a stack of nodes, creating maps as needed
  std::vector<YAML::Node> stack{root};
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node cur = stack.back();
    if (!cur[parts[i]] || cur[parts[i]].IsNull()) cur[parts[i]] = YAML::Node(YAML::NodeType::Map);
    stack.push_back(cur[parts[i]]);
  }
  stack.back()[parts.back()] = v;
}

void emit_config(YAML::Emitter& out, const Config& c, const SectionSpec& spec) {
  out << YAML::BeginMap;
  for (const auto& k : spec.keys()) {
    if (!c.has(k.name)) continue;
    out << YAML::Key << k.name << YAML::Value;
    const auto& v = c.values().at(k.name);
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, Vec3>) {
            out << YAML::Flow << YAML::BeginSeq << x[0] << x[1] << x[2] << YAML::EndSeq;
          } else if constexpr (std::is_same_v<T, std::vector<double>> ||
                               std::is_same_v<T, std::vector<std::string>>) {
            out << YAML::Flow << YAML::BeginSeq;
            for (const auto& e : x) out << e;
            out << YAML::EndSeq;
          } else {
            out << x;
          }
        },
        v);
    if ((k.kind == ValueKind::quantity || k.kind == ValueKind::vector3 ||
         k.kind == ValueKind::quantity_list) &&
        !k.dimension.dimensionless())
      out << YAML::Comment(k.dimension.str());
  }
  for (const auto& sub : spec.sections()) {
    if (sub->is_list()) {
      const auto& list = c.list_or_empty(sub->name());
      if (list.empty()) continue;
      out << YAML::Key << sub->name() << YAML::Value << YAML::BeginSeq;
      for (const auto& e : list) emit_config(out, e, *sub);
      out << YAML::EndSeq;
    } else if (c.sections().count(sub->name())) {
      out << YAML::Key << sub->name() << YAML::Value;
      emit_config(out, c.section(sub->name()), *sub);
    }
  }
  out << YAML::EndMap;
}

}  // namespace

SectionSpec build_root_schema(const UnitRegistry& registry) {
  SectionSpec root("", "mpstream case");
  auto& sim = root.section("simulation", "Time stepping, random seed and output.").require();
  sim.quantity("end_time", dim::time, "Simulated time at which the run ends").positive().require();
  sim.quantity("dt", dim::time, "Time step of the main loop (units may sub-cycle)")
      .positive()
      .require();
  sim.integer("seed", "Seed of the counter-based random numbers").def("1").non_negative();
  sim.integer("state_stride",
              "Multi-rate state update: particles outside the beam advance their temperature and "
              "charge every this many steps, over all of them at once (1: every step)")
      .def(std::to_string(kDefaultStateStride))
      .at_least(1)
      .at_most(kMaxStateStride);
  sim.string("title", "Free text shown in the log and summary").def("\"\"");
  auto& out = sim.section("output", "Where and how often results are written.").defaulted();
  out.string("directory", "Output folder (created; --output overrides)").def("out");
  out.quantity("interval", dim::time, "Simulated time between VTK snapshots (0: none)")
      .def("0")
      .non_negative();
  out.quantity("diagnostics_interval", dim::time,
               "Simulated time between diagnostics.csv rows (0: every step)")
      .def("0")
      .non_negative();
  out.quantity("checkpoint_interval", dim::time,
               "Simulated time between HDF5 checkpoints (0: only at the end and on signals)")
      .def("0")
      .non_negative();
  out.integer("keep_checkpoints", "Number of most recent checkpoints kept").def("2").at_least(1);
  out.boolean("final_checkpoint", "Write a checkpoint at the end of the run").def("true");
  auto& dec = sim.section("decomposition", "MPI domain decomposition.").defaulted();
  dec.choice("stream_axis", {"x", "y", "z"}, "Axis along which ranks are cut by particle count")
      .def("x");
  dec.integer("cells", "Cells of the balancing histogram along the stream axis")
      .def("256")
      .at_least(8);
  dec.quantity("rebalance_threshold", dim::none,
               "Rebalance when max/mean particles per rank exceeds this")
      .def("1.2")
      .at_least(1.0);
  root.string_list("processes",
                   "Process units to run (default: every unit whose section is present)");
  for (const auto& u : registry.all()) u.declare(root.section(u.name, u.doc));
  return root;
}

Case load_case_text(const std::string& text, const std::string& file,
                    const std::vector<std::string>& overrides, const UnitRegistry& registry) {
  YAML::Node node = parse_yaml(text, file);
  for (const auto& o : overrides) apply_override(node, o);
  SectionSpec schema = build_root_schema(registry);
  Case c;
  c.file = file;
  // which units run
  std::vector<std::string> listed;
  if (node["processes"]) {
    YAML::Node p = node["processes"];
    if (!p.IsSequence()) fail(file, p, "processes", "expected a list of process names");
    std::vector<std::string> names;
    for (const auto& u : registry.all()) names.push_back(u.name);
    for (const auto& e : p) {
      std::string nm = e.as<std::string>();
      if (!registry.find(nm)) {
        std::string msg = "unknown process '" + nm + "'";
        auto s = did_you_mean(nm, names);
        if (!s.empty()) msg += " (did you mean '" + s + "'?)";
        fail(file, e, "processes", msg);
      }
      listed.push_back(nm);
    }
  }
  for (const auto& u : registry.all()) {
    const bool present = node[u.name] && !node[u.name].IsNull();
    const bool in_list = std::find(listed.begin(), listed.end(), u.name) != listed.end();
    if (node["processes"] && present && !in_list)
      fail(file, node[u.name], u.name,
           "section present but '" + u.name + "' is not in the processes list");
    if (in_list || (!node["processes"] && present) || u.name == "domain")
      c.active_units.push_back(u.name);
  }
  // a unit listed without a section gets its defaults: make the section required so it is read
  for (const auto& n : c.active_units)
    if (auto* s = schema.find_section(n)) s->require();
  c.root = Config("");
  read_section(file, node, schema, "", c.root);
  return c;
}

Case load_case(const std::string& file, const std::vector<std::string>& overrides,
               const UnitRegistry& registry) {
  std::ifstream in(file);
  if (!in) throw InputError(file + ": cannot open the case file");
  std::stringstream ss;
  ss << in.rdbuf();
  return load_case_text(ss.str(), file, overrides, registry);
}

Config load_config_file(const std::string& file, const SectionSpec& schema,
                        const std::vector<std::string>& overrides) {
  std::ifstream in(file);
  if (!in) throw InputError(file + ": cannot open the file");
  std::stringstream ss;
  ss << in.rdbuf();
  YAML::Node node = parse_yaml(ss.str(), file);
  for (const auto& o : overrides) apply_override(node, o);
  Config root("");
  read_section(file, node, schema, "", root);
  return root;
}

std::string resolved_yaml(const Case& c, const SectionSpec& schema) {
  YAML::Emitter out;
  out.SetDoublePrecision(12);
  emit_config(out, c.root, schema);
  return std::string("# resolved case in SI units (generated by mpstream from ") + c.file + ")\n" +
         out.c_str() + "\n";
}

}  // namespace mps
