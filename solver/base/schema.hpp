// The case schema, declared once in code: it drives validation, defaults, `mpstream schema`
// (Markdown reference) and `mpstream check`. Each process unit declares its own section through a
// SectionSpec builder, so code, validation and docs cannot drift (DESIGN.md section 7).
//
//   SectionSpec s("injector", "Feeds particles into the domain");
//   s.quantity("rate", dim::frequency, "particles per second").min(0).def("1e6");
//   s.choice("distribution", {"monodisperse", "normal", "lognormal"}, "diameter
//   law").def("monodisperse"); s.section("diameter", "...").quantity("mean", dim::length,
//   "...").positive().required();
#pragma once

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "solver/base/units.hpp"

namespace mps {

enum class ValueKind {
  quantity,
  integer,
  boolean,
  string,
  choice,
  vector3,
  quantity_list,
  string_list
};
std::string to_string(ValueKind k);

struct KeySpec {
  std::string name;
  ValueKind kind = ValueKind::quantity;
  Dimension dimension;
  std::string doc;
  std::optional<std::string> default_text;  // parsed with the same parser as user input
  bool required = false;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  std::vector<std::string> choices;

  // builder
  KeySpec& def(std::string text) {
    default_text = std::move(text);
    return *this;
  }
  KeySpec& require() {
    required = true;
    return *this;
  }
  KeySpec& at_least(double v) {
    min = v;
    min_exclusive = false;
    return *this;
  }
  KeySpec& positive() {
    min = 0.0;
    min_exclusive = true;
    return *this;
  }
  KeySpec& non_negative() { return at_least(0.0); }
  KeySpec& at_most(double v) {
    max = v;
    return *this;
  }
  std::string range_text() const;
};

class SectionSpec {
 public:
  SectionSpec() = default;
  SectionSpec(std::string name, std::string doc) : name_(std::move(name)), doc_(std::move(doc)) {}

  KeySpec& quantity(const std::string& name, Dimension d, const std::string& doc);
  KeySpec& integer(const std::string& name, const std::string& doc);
  KeySpec& boolean(const std::string& name, const std::string& doc);
  KeySpec& string(const std::string& name, const std::string& doc);
  KeySpec& choice(const std::string& name, std::vector<std::string> choices,
                  const std::string& doc);
  KeySpec& vector3(const std::string& name, Dimension d, const std::string& doc);
  KeySpec& quantity_list(const std::string& name, Dimension d, const std::string& doc);
  KeySpec& string_list(const std::string& name, const std::string& doc);
  // A nested section (a YAML map). Optional sections are absent unless written or required.
  SectionSpec& section(const std::string& name, const std::string& doc);
  // A list of sections of the same shape (e.g. several electrodes), each a YAML map.
  SectionSpec& section_list(const std::string& name, const std::string& doc);
  SectionSpec& require() {
    required_ = true;
    return *this;
  }
  // Present with its defaults when the case does not write it (every key must have a default):
  // settings such as simulation.output, unlike a process unit's section, which switches it on.
  SectionSpec& defaulted() {
    defaulted_ = true;
    return *this;
  }
  // Allow keys not declared here (free-form maps such as PETSc options).
  SectionSpec& open() {
    open_ = true;
    return *this;
  }

  const std::string& name() const { return name_; }
  const std::string& doc() const { return doc_; }
  const std::vector<KeySpec>& keys() const { return keys_; }
  const std::vector<std::unique_ptr<SectionSpec>>& sections() const { return sections_; }
  bool required() const { return required_; }
  bool is_defaulted() const { return defaulted_; }
  bool is_list() const { return list_; }
  bool is_open() const { return open_; }
  const KeySpec* find_key(const std::string& n) const;
  const SectionSpec* find_section(const std::string& n) const;
  SectionSpec* find_section(const std::string& n);
  std::vector<std::string> all_names() const;

 private:
  KeySpec& add(KeySpec k);
  std::string name_, doc_;
  std::vector<KeySpec> keys_;
  std::vector<std::unique_ptr<SectionSpec>> sections_;
  bool required_ = false, list_ = false, open_ = false, defaulted_ = false;
};

// Markdown reference of a schema (used by `mpstream schema` and the README).
std::string schema_markdown(const SectionSpec& root);

// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace mps
