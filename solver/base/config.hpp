// A validated case section in SI units: what process units read. Built by the case loader from
// YAML against a SectionSpec; every declared key is present (given or defaulted) unless optional
// with no default, which has() tells. Accessors throw InputError only for programming errors
// (asking for an undeclared key), so units may read freely after validation.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace mps {

using Vec3 = std::array<double, 3>;

class Config {
 public:
  using Value = std::variant<double, std::int64_t, bool, std::string, Vec3, std::vector<double>,
                             std::vector<std::string>>;

  Config() = default;
  explicit Config(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }  // "injector.diameter"
  bool has(const std::string& key) const;
  bool has_section(const std::string& name) const;

  double number(const std::string& key) const;
  std::int64_t integer(const std::string& key) const;
  bool boolean(const std::string& key) const;
  const std::string& string(const std::string& key) const;
  Vec3 vec3(const std::string& key) const;
  const std::vector<double>& numbers(const std::string& key) const;
  const std::vector<std::string>& strings(const std::string& key) const;
  const Config& section(const std::string& name) const;
  const std::vector<Config>& section_list(const std::string& name) const;
  const std::vector<Config>& list_or_empty(const std::string& name) const;

  // building (case loader and tests)
  void set(const std::string& key, Value v) { values_[key] = std::move(v); }
  Config& add_section(const std::string& name);
  std::vector<Config>& add_section_list(const std::string& name);

  const std::map<std::string, Value>& values() const { return values_; }
  const std::map<std::string, Config>& sections() const { return sections_; }
  const std::map<std::string, std::vector<Config>>& section_lists() const { return lists_; }

 private:
  const Value& get(const std::string& key) const;
  std::string path_;
  std::map<std::string, Value> values_;
  std::map<std::string, Config> sections_;
  std::map<std::string, std::vector<Config>> lists_;
};

}  // namespace mps
