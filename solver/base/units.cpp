#include "solver/base/units.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>
#include <vector>

#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps {

Dimension Dimension::operator*(const Dimension& o) const {
  Dimension r;
  for (size_t i = 0; i < e.size(); ++i) r.e[i] = e[i] + o.e[i];
  return r;
}
Dimension Dimension::operator/(const Dimension& o) const {
  Dimension r;
  for (size_t i = 0; i < e.size(); ++i) r.e[i] = e[i] - o.e[i];
  return r;
}
Dimension Dimension::pow(int n) const {
  Dimension r;
  for (size_t i = 0; i < e.size(); ++i) r.e[i] = e[i] * n;
  return r;
}

namespace {

struct NamedDimension {
  Dimension d;
  const char* name;
  const char* symbol;
};

const std::vector<NamedDimension>& named_dimensions() {
  static const std::vector<NamedDimension> t = {
      {dim::none, "dimensionless", "1"},
      {dim::length, "length", "m"},
      {dim::mass, "mass", "kg"},
      {dim::time, "time", "s"},
      {dim::current, "current", "A"},
      {dim::temperature, "temperature", "K"},
      {dim::velocity, "velocity", "m/s"},
      {dim::acceleration, "acceleration", "m/s^2"},
      {dim::frequency, "frequency", "1/s"},
      {dim::energy, "energy", "J"},
      {dim::power, "power", "W"},
      {dim::voltage, "voltage", "V"},
      {dim::charge, "charge", "C"},
      {dim::capacitance, "capacitance", "F"},
      {dim::pressure, "pressure", "Pa"},
      {dim::density, "density", "kg/m^3"},
      {dim::mass_flow, "mass flow", "kg/s"},
      {dim::area, "area", "m^2"},
      {dim::volume, "volume", "m^3"},
      {dim::current_density, "current density", "A/m^2"},
      {dim::electric_field, "electric field", "V/m"},
      {dim::specific_energy, "specific energy", "J/kg"},
      {dim::specific_heat, "specific heat", "J/(kg K)"},
      {dim::thermal_conductivity, "thermal conductivity", "W/(m K)"},
      {dim::molar_mass, "molar mass", "kg/mol"},
  };
  return t;
}

struct UnitDef {
  double scale;
  Dimension d;
  bool prefixable;
};

// Unit symbols known to the parser. Sources: SI brochure (BIPM, 9th ed.) for SI units and
// the accepted non-SI units eV, min, h, deg, bar, rpm.
const std::map<std::string, UnitDef, std::less<>>& unit_table() {
  using namespace constants;
  static const std::map<std::string, UnitDef, std::less<>> t = {
      {"m", {1.0, dim::length, true}},
      {"g", {1e-3, dim::mass, true}},
      {"s", {1.0, dim::time, true}},
      {"A", {1.0, dim::current, true}},
      {"K", {1.0, dim::temperature, true}},
      {"mol", {1.0, dim::amount, true}},
      {"Hz", {1.0, dim::frequency, true}},
      {"N", {1.0, dim::mass * dim::acceleration, true}},
      {"Pa", {1.0, dim::pressure, true}},
      {"J", {1.0, dim::energy, true}},
      {"W", {1.0, dim::power, true}},
      {"V", {1.0, dim::voltage, true}},
      {"C", {1.0, dim::charge, true}},
      {"F", {1.0, dim::charge / dim::voltage, true}},
      {"Ohm", {1.0, dim::voltage / dim::current, true}},
      {"eV", {elementary_charge, dim::energy, true}},
      {"min", {60.0, dim::time, false}},
      {"h", {3600.0, dim::time, false}},
      {"rad", {1.0, dim::none, false}},
      {"deg", {pi / 180.0, dim::none, false}},
      {"rpm", {2.0 * pi / 60.0, dim::frequency, false}},
      {"bar", {1e5, dim::pressure, false}},
      {"percent", {0.01, dim::none, false}},
      {"%", {0.01, dim::none, false}},
  };
  return t;
}

const std::map<std::string, double, std::less<>>& prefixes() {
  static const std::map<std::string, double, std::less<>> t = {
      {"T", 1e12}, {"G", 1e9},  {"M", 1e6},   {"k", 1e3},   {"c", 1e-2}, {"m", 1e-3},
      {"u", 1e-6}, {"µ", 1e-6}, {"n", 1e-9},  {"p", 1e-12}, {"f", 1e-15}};
  return t;
}

[[noreturn]] void bad(std::string_view text, const std::string& why) {
  throw InputError("cannot read '" + std::string(text) + "' as a quantity: " + why);
}

// One symbol with optional prefix and optional ^power.
Quantity parse_factor(std::string_view tok, std::string_view whole) {
  int power = 1;
  if (auto caret = tok.find('^'); caret != std::string_view::npos) {
    auto p = tok.substr(caret + 1);
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), power);
    if (ec != std::errc() || ptr != p.data() + p.size()) bad(whole, "bad power in '" + std::string(tok) + "'");
    tok = tok.substr(0, caret);
  } else if (!tok.empty() && (tok.back() == '2' || tok.back() == '3') && tok.size() > 1 &&
             std::isalpha(static_cast<unsigned char>(tok[tok.size() - 2]))) {
    // "m2", "cm3" shorthand
    power = tok.back() - '0';
    tok = tok.substr(0, tok.size() - 1);
  }
  const auto& units = unit_table();
  double scale = 0.0;
  Dimension d;
  if (auto it = units.find(tok); it != units.end()) {
    scale = it->second.scale;
    d = it->second.d;
  } else {
    bool found = false;
    for (const auto& [pre, f] : prefixes()) {
      if (tok.size() > pre.size() && tok.substr(0, pre.size()) == pre) {
        auto u = units.find(tok.substr(pre.size()));
        if (u != units.end() && u->second.prefixable) {
          scale = f * u->second.scale;
          d = u->second.d;
          found = true;
          break;
        }
      }
    }
    if (!found) bad(whole, "unknown unit '" + std::string(tok) + "'");
  }
  return {std::pow(scale, power), d.pow(power), true};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string Dimension::name() const {
  for (const auto& n : named_dimensions())
    if (n.d == *this) return n.name;
  return str();
}

std::string Dimension::str() const {
  for (const auto& n : named_dimensions())
    if (n.d == *this) return n.symbol;
  static const char* base[] = {"m", "kg", "s", "A", "K", "mol"};
  std::ostringstream os;
  bool first = true;
  for (size_t i = 0; i < e.size(); ++i) {
    if (e[i] == 0) continue;
    if (!first) os << ' ';
    os << base[i];
    if (e[i] != 1) os << '^' << e[i];
    first = false;
  }
  return first ? "1" : os.str();
}

Quantity parse_unit(std::string_view unit) {
  unit = trim(unit);
  Quantity q{1.0, dim::none, true};
  if (unit.empty() || unit == "1") return q;
  if (unit.find('(') != std::string_view::npos) bad(unit, "parentheses are not supported; write W/m/K");
  size_t i = 0;
  bool divide_next = false;
  while (i < unit.size()) {
    char c = unit[i];
    if (c == ' ' || c == '*' || c == '.') {
      ++i;
      continue;
    }
    if (c == '/') {
      if (divide_next) bad(unit, "'//' in unit");
      divide_next = true;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < unit.size() && unit[j] != ' ' && unit[j] != '*' && unit[j] != '/' &&
           !(unit[j] == '.' && j > i && unit[j - 1] != '^'))
      ++j;
    auto tok = unit.substr(i, j - i);
    if (tok == "1" && divide_next) {
      i = j;
      continue;
    }
    Quantity f = parse_factor(tok, unit);
    if (divide_next) {
      q.value /= f.value;
      q.dimension = q.dimension / f.dimension;
    } else {
      q.value *= f.value;
      q.dimension = q.dimension * f.dimension;
    }
    divide_next = false;
    i = j;
  }
  if (divide_next) bad(unit, "unit ends with '/'");
  return q;
}

Quantity parse_quantity(std::string_view text) {
  auto s = trim(text);
  if (s.empty()) bad(text, "empty value");
  double v = 0.0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc()) bad(text, "expected a number, optionally followed by a unit");
  auto rest = trim(std::string_view(ptr, static_cast<size_t>(s.data() + s.size() - ptr)));
  if (!std::isfinite(v)) bad(text, "not a finite number");
  if (rest == "degC") return {v + 273.15, dim::temperature, true};
  if (rest == "degF") bad(text, "use K or degC for temperatures");
  if (rest.empty()) return {v, dim::none, false};
  Quantity u = parse_unit(rest);
  return {v * u.value, u.dimension, true};
}

double parse_quantity_as(std::string_view text, const Dimension& wanted) {
  Quantity q = parse_quantity(text);
  if (q.has_unit && !(q.dimension == wanted))
    throw InputError("'" + std::string(text) + "' has dimension " + q.dimension.name() + " (" +
                     q.dimension.str() + "), expected " + wanted.name() + " (" + wanted.str() + ")");
  return q.value;
}

std::string format_quantity(double value_si, const Dimension& d) {
  std::ostringstream os;
  os.precision(10);
  os << value_si;
  if (!d.dimensionless()) os << ' ' << d.str();
  return os.str();
}

}  // namespace mps
