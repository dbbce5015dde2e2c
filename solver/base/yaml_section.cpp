#include "solver/base/yaml_section.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "solver/base/errors.hpp"
#include "solver/base/units.hpp"

namespace mps {

namespace {

YAML::Mark mark_of(const YAML::Node& n) {
  return n.IsDefined() ? n.Mark() : YAML::Mark::null_mark();
}

std::string loc(const std::string& file, const YAML::Mark& m) {
  std::ostringstream os;
  os << file;
  if (m.line >= 0) os << ':' << m.line + 1 << ':' << m.column + 1;
  return os.str();
}

[[noreturn]] void fail(const std::string& file, const YAML::Node& n, const std::string& path,
                       const std::string& what) {
  throw InputError(loc(file, mark_of(n)) + ": " + path + ": " + what);
}

std::string scalar_text(const std::string& file, const YAML::Node& n, const std::string& path,
                        const char* expected) {
  if (!n.IsScalar())
    fail(file, n, path,
         std::string("expected ") + expected + ", got a " +
             (n.IsMap()        ? "map"
              : n.IsSequence() ? "list"
                               : "null"));
  return n.Scalar();
}

double read_quantity(const std::string& file, const YAML::Node& n, const std::string& path,
                     const KeySpec& k) {
  std::string text = scalar_text(file, n, path, ("a " + k.dimension.name() + " quantity").c_str());
  double v = 0;
  try {
    v = parse_quantity_as(text, k.dimension);
  } catch (const InputError& e) {
    fail(file, n, path, e.what());
  }
  return v;
}

void check_range(const std::string& file, const YAML::Node& n, const std::string& path,
                 const KeySpec& k, double v) {
  bool ok = k.min_exclusive ? v > k.min : v >= k.min;
  ok = ok && v <= k.max;
  if (!ok) {
    std::ostringstream os;
    os.precision(10);
    os << "value " << v << (k.dimension.dimensionless() ? "" : " " + k.dimension.str())
       << " is out of range: expected " << k.range_text();
    fail(file, n, path, os.str());
  }
}

Config::Value read_value(const std::string& file, const YAML::Node& n, const std::string& path,
                         const KeySpec& k) {
  switch (k.kind) {
    case ValueKind::quantity: {
      double v = read_quantity(file, n, path, k);
      check_range(file, n, path, k, v);
      return v;
    }
    case ValueKind::integer: {
      std::string t = scalar_text(file, n, path, "an integer");
      double d = 0;
      try {
        Quantity q = parse_quantity(t);
        if (q.has_unit) throw InputError("unexpected unit");
        d = q.value;
      } catch (const InputError&) {
        fail(file, n, path, "expected an integer, got '" + t + "'");
      }
      if (d != std::floor(d) || std::abs(d) > 9.0e15)
        fail(file, n, path, "expected an integer, got '" + t + "'");
      check_range(file, n, path, k, d);
      return static_cast<std::int64_t>(d);
    }
    case ValueKind::boolean: {
      std::string t = scalar_text(file, n, path, "true or false");
      if (t == "true" || t == "yes" || t == "on") return true;
      if (t == "false" || t == "no" || t == "off") return false;
      fail(file, n, path, "expected true or false, got '" + t + "'");
    }
    case ValueKind::string:
      return scalar_text(file, n, path, "a string");
    case ValueKind::choice: {
      std::string t = scalar_text(file, n, path, "a string");
      for (const auto& c : k.choices)
        if (c == t) return t;
      std::string msg = "'" + t + "' is not one of:";
      for (const auto& c : k.choices) msg += " " + c;
      auto s = did_you_mean(t, k.choices);
      if (!s.empty()) msg += " (did you mean '" + s + "'?)";
      fail(file, n, path, msg);
    }
    case ValueKind::vector3: {
      if (!n.IsSequence() || n.size() != 3)
        fail(file, n, path,
             "expected a list of 3 " + k.dimension.name() + " values, e.g. [0, 0, 1]");
      Vec3 v{};
      for (std::size_t i = 0; i < 3; ++i) v[i] = read_quantity(file, n[i], path, k);
      return v;
    }
    case ValueKind::quantity_list: {
      if (!n.IsSequence())
        fail(file, n, path, "expected a list of " + k.dimension.name() + " values");
      std::vector<double> v;
      for (std::size_t i = 0; i < n.size(); ++i) {
        double x = read_quantity(file, n[i], path, k);
        check_range(file, n[i], path, k, x);
        v.push_back(x);
      }
      return v;
    }
    case ValueKind::string_list: {
      if (!n.IsSequence()) fail(file, n, path, "expected a list of strings");
      std::vector<std::string> v;
      for (std::size_t i = 0; i < n.size(); ++i)
        v.push_back(scalar_text(file, n[i], path, "a string"));
      return v;
    }
  }
  fail(file, n, path, "internal: unknown kind");
}

Config::Value read_default(const KeySpec& k, const std::string& path) {
  try {
    YAML::Node n = YAML::Load(*k.default_text);
    static const std::string label = "<schema default>";
    return read_value(label, n, path, k);
  } catch (const YAML::Exception& e) {
    throw InputError("internal: bad schema default for " + path + ": " + e.what());
  }
}

void read_section(const std::string& file, const YAML::Node& node, const SectionSpec& spec,
                  const std::string& path, Config& out) {
  if (node && !node.IsNull() && !node.IsMap())
    fail(file, node, path, "expected a map of keys (section '" + spec.name() + "')");
  // unknown keys
  if (node && node.IsMap() && !spec.is_open()) {
    for (const auto& kv : node) {
      std::string key = kv.first.as<std::string>();
      if (spec.find_key(key) || spec.find_section(key)) continue;
      std::string msg = "unknown key '" + key + "'";
      auto s = did_you_mean(key, spec.all_names());
      if (!s.empty())
        msg += " (did you mean '" + s + "'?)";
      else {
        msg += "; known keys:";
        for (const auto& nm : spec.all_names()) msg += " " + nm;
      }
      fail(file, kv.first, path.empty() ? key : path + "." + key, msg);
    }
  }
  auto child_path = [&](const std::string& n) { return path.empty() ? n : path + "." + n; };
  for (const auto& k : spec.keys()) {
    YAML::Node v = (node && node.IsMap()) ? node[k.name] : YAML::Node();
    if (v && !v.IsNull()) {
      out.set(k.name, read_value(file, v, child_path(k.name), k));
    } else if (k.required) {
      throw InputError(loc(file, mark_of(node)) + ": " + child_path(k.name) +
                       ": missing required key (" + k.doc + ")");
    } else if (k.default_text) {
      out.set(k.name, read_default(k, child_path(k.name)));
    }
  }
  for (const auto& sub : spec.sections()) {
    YAML::Node v = (node && node.IsMap()) ? node[sub->name()] : YAML::Node();
    const bool present = v && !v.IsNull();
    if (sub->is_list()) {
      auto& list = out.add_section_list(sub->name());
      if (!present) {
        if (sub->required())
          throw InputError(loc(file, mark_of(node)) + ": " + child_path(sub->name()) +
                           ": missing required list");
        continue;
      }
      if (!v.IsSequence()) fail(file, v, child_path(sub->name()), "expected a list of maps");
      for (std::size_t i = 0; i < v.size(); ++i) {
        std::string p = child_path(sub->name()) + "[" + std::to_string(i) + "]";
        Config c(p);
        read_section(file, v[i], *sub, p, c);
        list.push_back(std::move(c));
      }
    } else if (present || sub->required() || sub->is_defaulted()) {
      read_section(file, v, *sub, child_path(sub->name()), out.add_section(sub->name()));
    }
  }
}

}  // namespace

std::string yaml_location(const std::string& file, const YAML::Mark& mark) {
  return loc(file, mark);
}

void yaml_fail(const std::string& file, const YAML::Node& n, const std::string& path,
               const std::string& what) {
  fail(file, n, path, what);
}

void read_yaml_section(const std::string& file, const YAML::Node& node, const SectionSpec& spec,
                       const std::string& path, Config& out) {
  read_section(file, node, spec, path, out);
}

Config load_yaml_file(const std::string& file, const SectionSpec& spec) {
  std::ifstream in(file);
  if (!in) throw InputError(file + ": cannot open the file");
  std::stringstream ss;
  ss << in.rdbuf();
  YAML::Node node;
  try {
    node = YAML::Load(ss.str());
  } catch (const YAML::ParserException& e) {
    throw InputError(loc(file, e.mark) + ": malformed YAML: " + e.msg);
  }
  if (!node || node.IsNull()) throw InputError(file + ": the file is empty");
  if (!node.IsMap()) throw InputError(loc(file, node.Mark()) + ": expected a map of keys");
  Config out("");
  read_section(file, node, spec, "", out);
  return out;
}

}  // namespace mps
