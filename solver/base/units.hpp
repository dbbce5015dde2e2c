// Quantities with units: "5 um", "400 m/s", "150 kV", "2.5 mA", "1 us", "8 deg", "100 degC".
//
// Inside the code everything is SI. A Dimension is the vector of exponents of the SI base units
// (m, kg, s, A, K, mol); angles are dimensionless (deg converts to rad). A plain number is taken
// as already SI. A unit expression is a product of prefixed symbols with optional integer powers,
// separated by spaces, '*' or '.', and '/' divides by the single symbol that follows it:
// "W/m/K" = W m^-1 K^-1, "g/cm^3", "A/m^2", "m s^-2".
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace mps {

struct Dimension {
  // exponents of m, kg, s, A, K, mol
  std::array<int, 6> e{0, 0, 0, 0, 0, 0};

  friend bool operator==(const Dimension&, const Dimension&) = default;
  Dimension operator*(const Dimension& o) const;
  Dimension operator/(const Dimension& o) const;
  Dimension pow(int n) const;
  bool dimensionless() const { return *this == Dimension{}; }
  // "m/s", "kg m^2 s^-3 A^-1" or a well-known name where one exists ("V", "W", "J", ...)
  std::string str() const;
  // Human name used in messages and the schema: "length", "velocity", ...
  std::string name() const;
};

namespace dim {
inline constexpr Dimension none{};
inline constexpr Dimension length{{1, 0, 0, 0, 0, 0}};
inline constexpr Dimension mass{{0, 1, 0, 0, 0, 0}};
inline constexpr Dimension time{{0, 0, 1, 0, 0, 0}};
inline constexpr Dimension current{{0, 0, 0, 1, 0, 0}};
inline constexpr Dimension temperature{{0, 0, 0, 0, 1, 0}};
inline constexpr Dimension amount{{0, 0, 0, 0, 0, 1}};
inline constexpr Dimension velocity{{1, 0, -1, 0, 0, 0}};
inline constexpr Dimension acceleration{{1, 0, -2, 0, 0, 0}};
inline constexpr Dimension frequency{{0, 0, -1, 0, 0, 0}};  // also angular velocity (rad/s)
inline constexpr Dimension energy{{2, 1, -2, 0, 0, 0}};
inline constexpr Dimension power{{2, 1, -3, 0, 0, 0}};
inline constexpr Dimension voltage{{2, 1, -3, -1, 0, 0}};
inline constexpr Dimension charge{{0, 0, 1, 1, 0, 0}};
inline constexpr Dimension capacitance{{-2, -1, 4, 2, 0, 0}};  // F = C/V
inline constexpr Dimension pressure{{-1, 1, -2, 0, 0, 0}};
inline constexpr Dimension density{{-3, 1, 0, 0, 0, 0}};
inline constexpr Dimension mass_flow{{0, 1, -1, 0, 0, 0}};
inline constexpr Dimension area{{2, 0, 0, 0, 0, 0}};
inline constexpr Dimension volume{{3, 0, 0, 0, 0, 0}};
inline constexpr Dimension current_density{{-2, 0, 0, 1, 0, 0}};
inline constexpr Dimension electric_field{{1, 1, -3, -1, 0, 0}};
inline constexpr Dimension specific_energy{{2, 0, -2, 0, 0, 0}};       // J/kg
inline constexpr Dimension specific_heat{{2, 0, -2, 0, -1, 0}};        // J/(kg K)
inline constexpr Dimension thermal_conductivity{{1, 1, -3, 0, -1, 0}};  // W/(m K)
inline constexpr Dimension molar_mass{{0, 1, 0, 0, 0, -1}};            // kg/mol
}  // namespace dim

struct Quantity {
  double value = 0.0;  // SI
  Dimension dimension;
  bool has_unit = false;  // false for a plain number (taken as SI of whatever is wanted)
};

// Parse "5 um" etc. Throws InputError with a message (no location: the caller adds it).
Quantity parse_quantity(std::string_view text);

// Parse and require a dimension; "expected" in the error names the wanted dimension. A plain
// number (no unit) is accepted as already SI.
double parse_quantity_as(std::string_view text, const Dimension& wanted);

// Parse just a unit expression ("m/s") into its SI scale factor and dimension.
Quantity parse_unit(std::string_view unit);

// Format an SI value with its dimension for printing ("4e+02 m/s").
std::string format_quantity(double value_si, const Dimension& d);

}  // namespace mps
