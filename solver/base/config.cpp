#include "solver/base/config.hpp"

#include "solver/base/errors.hpp"

namespace mps {

namespace {
[[noreturn]] void missing(const std::string& path, const std::string& key, const char* what) {
  throw InputError("internal: case value '" + (path.empty() ? key : path + "." + key) +
                   "' is not available as " + what + " (not declared in the schema?)");
}
template <class T>
const T& typed(const Config::Value& v, const std::string& path, const std::string& key, const char* what) {
  if (const T* p = std::get_if<T>(&v)) return *p;
  missing(path, key, what);
}
}  // namespace

bool Config::has(const std::string& key) const { return values_.count(key) != 0; }
bool Config::has_section(const std::string& name) const {
  return sections_.count(name) != 0 || lists_.count(name) != 0;
}

const Config::Value& Config::get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) missing(path_, key, "a value");
  return it->second;
}

double Config::number(const std::string& key) const {
  const auto& v = get(key);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return typed<double>(v, path_, key, "a number");
}
std::int64_t Config::integer(const std::string& key) const {
  return typed<std::int64_t>(get(key), path_, key, "an integer");
}
bool Config::boolean(const std::string& key) const { return typed<bool>(get(key), path_, key, "a boolean"); }
const std::string& Config::string(const std::string& key) const {
  return typed<std::string>(get(key), path_, key, "a string");
}
Vec3 Config::vec3(const std::string& key) const { return typed<Vec3>(get(key), path_, key, "a 3-vector"); }
const std::vector<double>& Config::numbers(const std::string& key) const {
  return typed<std::vector<double>>(get(key), path_, key, "a list of numbers");
}
const std::vector<std::string>& Config::strings(const std::string& key) const {
  return typed<std::vector<std::string>>(get(key), path_, key, "a list of strings");
}
const Config& Config::section(const std::string& name) const {
  auto it = sections_.find(name);
  if (it == sections_.end()) missing(path_, name, "a section");
  return it->second;
}
const std::vector<Config>& Config::section_list(const std::string& name) const {
  auto it = lists_.find(name);
  if (it == lists_.end()) missing(path_, name, "a list of sections");
  return it->second;
}
const std::vector<Config>& Config::list_or_empty(const std::string& name) const {
  static const std::vector<Config> none;
  auto it = lists_.find(name);
  return it == lists_.end() ? none : it->second;
}

Config& Config::add_section(const std::string& name) {
  auto [it, inserted] = sections_.try_emplace(name, path_.empty() ? name : path_ + "." + name);
  return it->second;
}
std::vector<Config>& Config::add_section_list(const std::string& name) { return lists_[name]; }

}  // namespace mps
