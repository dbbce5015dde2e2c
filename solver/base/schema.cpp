#include "solver/base/schema.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mps {

std::string to_string(ValueKind k) {
  switch (k) {
    case ValueKind::quantity:
      return "quantity";
    case ValueKind::integer:
      return "integer";
    case ValueKind::boolean:
      return "boolean";
    case ValueKind::string:
      return "string";
    case ValueKind::choice:
      return "choice";
    case ValueKind::vector3:
      return "3-vector";
    case ValueKind::quantity_list:
      return "list of quantities";
    case ValueKind::string_list:
      return "list of strings";
  }
  return "?";
}

std::string KeySpec::range_text() const {
  std::ostringstream os;
  os.precision(6);
  const bool has_lo = std::isfinite(min), has_hi = std::isfinite(max);
  if (!has_lo && !has_hi) return "";
  if (has_lo && has_hi) {
    os << (min_exclusive ? "(" : "[") << min << ", " << max << "]";
  } else if (has_lo) {
    os << (min_exclusive ? "> " : ">= ") << min;
  } else {
    os << "<= " << max;
  }
  return os.str();
}

namespace {
KeySpec make_key(const std::string& name, ValueKind kind, Dimension d, const std::string& doc,
                 std::vector<std::string> choices = {}) {
  KeySpec k;
  k.name = name;
  k.kind = kind;
  k.dimension = d;
  k.doc = doc;
  k.choices = std::move(choices);
  return k;
}
}  // namespace

KeySpec& SectionSpec::add(KeySpec k) {
  keys_.push_back(std::move(k));
  return keys_.back();
}

KeySpec& SectionSpec::quantity(const std::string& n, Dimension d, const std::string& doc) {
  return add(make_key(n, ValueKind::quantity, d, doc));
}
KeySpec& SectionSpec::integer(const std::string& n, const std::string& doc) {
  return add(make_key(n, ValueKind::integer, dim::none, doc));
}
KeySpec& SectionSpec::boolean(const std::string& n, const std::string& doc) {
  return add(make_key(n, ValueKind::boolean, dim::none, doc));
}
KeySpec& SectionSpec::string(const std::string& n, const std::string& doc) {
  return add(make_key(n, ValueKind::string, dim::none, doc));
}
KeySpec& SectionSpec::choice(const std::string& n, std::vector<std::string> c,
                             const std::string& doc) {
  return add(make_key(n, ValueKind::choice, dim::none, doc, std::move(c)));
}
KeySpec& SectionSpec::vector3(const std::string& n, Dimension d, const std::string& doc) {
  return add(make_key(n, ValueKind::vector3, d, doc));
}
KeySpec& SectionSpec::quantity_list(const std::string& n, Dimension d, const std::string& doc) {
  return add(make_key(n, ValueKind::quantity_list, d, doc));
}
KeySpec& SectionSpec::string_list(const std::string& n, const std::string& doc) {
  return add(make_key(n, ValueKind::string_list, dim::none, doc));
}

SectionSpec& SectionSpec::section(const std::string& n, const std::string& doc) {
  if (auto* s = find_section(n)) return *s;
  sections_.push_back(std::make_unique<SectionSpec>(n, doc));
  return *sections_.back();
}
SectionSpec& SectionSpec::section_list(const std::string& n, const std::string& doc) {
  auto& s = section(n, doc);
  s.list_ = true;
  return s;
}

const KeySpec* SectionSpec::find_key(const std::string& n) const {
  for (const auto& k : keys_)
    if (k.name == n) return &k;
  return nullptr;
}
const SectionSpec* SectionSpec::find_section(const std::string& n) const {
  for (const auto& s : sections_)
    if (s->name() == n) return s.get();
  return nullptr;
}
SectionSpec* SectionSpec::find_section(const std::string& n) {
  for (auto& s : sections_)
    if (s->name() == n) return s.get();
  return nullptr;
}
std::vector<std::string> SectionSpec::all_names() const {
  std::vector<std::string> r;
  for (const auto& k : keys_) r.push_back(k.name);
  for (const auto& s : sections_) r.push_back(s->name());
  return r;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  // accept up to max(2, len/2) edits: catches typos, not unrelated words
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 2) + 1;
  for (const auto& c : candidates) {
    auto d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

namespace {

std::string escape_md(std::string s) {
  std::string r;
  for (char c : s) {
    if (c == '|')
      r += "\\|";
    else
      r += c;
  }
  return r;
}

void markdown_section(const SectionSpec& s, const std::string& path, std::ostringstream& os) {
  if (!path.empty()) {
    os << "\n### `" << path << "`" << (s.is_list() ? " (list of maps)" : "")
       << (s.required() ? " (required)" : "")
       << (s.is_defaulted() ? " (optional, its defaults apply when omitted)" : "") << "\n\n"
       << s.doc() << "\n\n";
  }
  if (!s.keys().empty()) {
    os << "| key | type | unit | default | range | description |\n";
    os << "|---|---|---|---|---|---|\n";
    for (const auto& k : s.keys()) {
      std::string type = to_string(k.kind);
      if (k.kind == ValueKind::choice) {
        type = "one of ";
        for (std::size_t i = 0; i < k.choices.size(); ++i) type += (i ? ", " : "") + k.choices[i];
      }
      const bool has_unit = k.kind == ValueKind::quantity || k.kind == ValueKind::vector3 ||
                            k.kind == ValueKind::quantity_list;
      std::string unit = has_unit ? k.dimension.name() + " (" + k.dimension.str() + ")" : "";
      std::string def =
          k.required ? "**required**" : (k.default_text ? "`" + *k.default_text + "`" : "-");
      os << "| `" << k.name << "` | " << escape_md(type) << " | " << escape_md(unit) << " | "
         << escape_md(def) << " | " << k.range_text() << " | " << escape_md(k.doc) << " |\n";
    }
  }
  for (const auto& sub : s.sections())
    markdown_section(*sub, path.empty() ? sub->name() : path + "." + sub->name(), os);
}

}  // namespace

std::string schema_markdown(const SectionSpec& root) {
  std::ostringstream os;
  os << "## Case reference\n\nGenerated by `mpstream schema`. Quantities accept a unit suffix "
        "(`5 um`, `400 m/s`, `150 kV`); plain numbers are SI. Sections marked optional are "
        "switched on by writing them.\n";
  markdown_section(root, "", os);
  return os.str();
}

}  // namespace mps
