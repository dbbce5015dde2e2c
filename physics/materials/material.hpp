// Material model of the particle metal: thermophysical properties from the room temperature
// through the liquid, the specific enthalpy h(T) with the melting plateau and its inverse, and the
// surface constants of electron emission.
//
// A material is data, not code: every property is a fit of the generic form
//     f(T) = sum_k a_k (T - t0)^k + b / T^2        (PolyFit; a "Shomate-type" fit when t0 = 0)
// on temperature pieces (PiecewiseFit), plus an Antoine vapour-pressure law. Tungsten is built in
// with the analytic expressions recommended by P. Tolias, Nucl. Mater. Energy 13 (2017) 42-57
// (arXiv:1703.06302), completed by the sources named next to each coefficient in material.cpp.
// Other metals are the same data in YAML, validated by the same schema (declare_material_section):
// shipped files cases/data/materials/NAME.yaml (molybdenum, tantalum), found by name like the
// built-in tungsten, or a material_data section in the case (from_config).
//
// Enthalpy reference: h = 0 at 298.15 K in the solid. The solid branch is integrated analytically
// piece by piece up to the melting point Tm; at Tm a liquid fraction f adds f L (L the latent
// heat of fusion per kg); above Tm the liquid cp is integrated from Tm. state_of(h) inverts this
// with a piecewise cubic Hermite table of T(h) (nodes carry T and dT/dh = 1/cp, cells never
// straddle a cp piece bound), accurate to ~1e-10 K: the thermal unit calls it several times
// per particle and step, so it must cost a few ns, not a Newton iteration on the analytic h(T).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "solver/base/config.hpp"
#include "solver/base/schema.hpp"

namespace mps {

struct MeltState {
  double temperature;      // K
  double liquid_fraction;  // 0 solid, 1 liquid, in between on the plateau at Tm
};

// f(T) = sum_k a[k] (T - t0)^k + inv_sq / T^2
struct PolyFit {
  double t0 = 0.0;
  std::vector<double> a;
  double inv_sq = 0.0;
  double eval(double T) const;
  double slope(double T) const;                 // df/dT
  double integral(double T1, double T2) const;  // analytic integral of f dT from T1 to T2
};

// Pieces of PolyFit: pieces[i] applies below upper[i] (the last one has no upper bound).
struct PiecewiseFit {
  std::vector<double> upper;  // K, size pieces.size() - 1, increasing
  std::vector<PolyFit> pieces;
  double eval(double T) const;
  double integral(double T1, double T2) const;  // piece by piece
  std::size_t piece_of(double T) const;
};

// Everything a material needs, in SI units (per kg, not per mole).
struct MaterialData {
  std::string name;
  std::string source;                               // citation shown by `mpstream material`
  double molar_mass = 0.0;                          // kg/mol
  double melting_point = 0.0;                       // K
  double latent_heat_fusion = 0.0;                  // J/kg
  double min_temperature = 0.0;                     // K, lowest temperature of the fits (validity)
  double max_temperature = 0.0;                     // K, highest temperature of the fits (validity)
  PiecewiseFit cp_solid, cp_liquid;                 // J/(kg K)
  PolyFit density_solid, density_liquid;            // kg/m^3
  PolyFit conductivity_solid, conductivity_liquid;  // W/(m K)
  PolyFit emissivity_solid, emissivity_liquid;      // total hemispherical
  PolyFit surface_tension_liquid;                   // N/m (Rayleigh limit of a drop)
  // Antoine law log10(p / Pa) = antoine_a - antoine_b / (T + antoine_c)
  double antoine_a = 0.0, antoine_b = 0.0, antoine_c = 0.0;
  PolyFit heat_of_vaporisation;  // J/kg
  double work_function_eV = 0.0;
  double richardson_constant = 0.0;  // A/(m^2 K^2), effective (includes the reflection factor)
};

class Material {
 public:
  // Checks the data (positive cp, density, conductivity, monotone h; emissivity in (0, 1]) and
  // builds the h(T) tables. Bad data is an InputError naming the material and the property.
  explicit Material(MaterialData data);

  // A material by name: built in code ("tungsten") or shipped as data
  // (data_directory()/NAME.yaml, loaded once and kept). A name ending in ".yaml" is a path to a
  // data file. InputError if unknown (the message lists the known names) or if the file is bad.
  static const Material& builtin(std::string_view name);
  // Every name builtin() knows, sorted: the built-in ones and the shipped data files.
  static std::vector<std::string> builtin_names();
  // The folder of the shipped material data files (MPS_DATA_DIR/materials).
  static std::string data_directory();
  // A material data file (the keys of declare_material_section at the top level). Errors are
  // InputErrors naming the file (file:line:col for schema errors).
  static Material from_file(const std::string& path);
  // From a case section declared by declare_material_section.
  static Material from_config(const Config& section);

  const std::string& name() const { return d_.name; }
  const std::string& source() const { return d_.source; }
  const MaterialData& data() const { return d_; }
  double molar_mass() const { return d_.molar_mass; }
  double atom_mass() const;  // kg
  double melting_point() const { return d_.melting_point; }
  double latent_heat_fusion() const { return d_.latent_heat_fusion; }
  double min_temperature() const { return d_.min_temperature; }
  double max_temperature() const { return d_.max_temperature; }

  double density(double T) const;  // kg/m^3, solid at T <= Tm, liquid above
  double cp(double T) const;       // J/(kg K), solid below Tm, liquid at and above
  // Specific enthalpy (J/kg), 0 at 298.15 K; at exactly Tm adds liquid_fraction * L, above Tm
  // the particle is liquid whatever liquid_fraction says.
  double enthalpy(double T, double liquid_fraction = 0.0) const;
  MeltState state_of(double h) const;                       // inverse of enthalpy()
  double sensible_enthalpy(double T1, double T2) const;     // integral of cp dT (solid up to Tm)
  double enthalpy_solidus() const { return h_solidus_; }    // h(Tm, f = 0)
  double enthalpy_liquidus() const { return h_liquidus_; }  // h(Tm, f = 1)
  double emissivity(double T) const;
  double emissivity_slope(double T) const;      // d eps / dT (1/K)
  double conductivity(double T) const;          // W/(m K)
  double vapour_pressure(double T) const;       // Pa
  double heat_of_vaporisation(double T) const;  // J/kg
  double surface_tension(double T) const;       // N/m (liquid fit, used for the Rayleigh limit)
  double work_function_eV() const { return d_.work_function_eV; }
  double work_function() const;                                          // J
  double richardson_constant() const { return d_.richardson_constant; }  // A/(m^2 K^2)

  static constexpr double kReferenceTemperature = 298.15;  // K, h = 0

  // T(h) on one branch: segments between the cp piece bounds, uniform in h inside each one.
  struct InverseTable {
    std::vector<double> seg_h;           // enthalpy at the segment bounds (segments + 1 values)
    std::vector<double> seg_dh;          // node spacing of each segment
    std::vector<std::size_t> seg_first;  // index of each segment's first node
    std::vector<double> T, dTdh;         // node values: temperature and 1 / cp
    double eval(double h) const;         // cubic Hermite; h within [seg_h.front(), seg_h.back()]
  };
  // The tables behind state_of() (read by the batched kernels, material_lanes.hpp). Within
  // [table_enthalpy_min(), table_enthalpy_max()] state_of() is the table; outside it, Newton.
  const InverseTable& solid_inverse() const { return solid_inverse_; }
  const InverseTable& liquid_inverse() const { return liquid_inverse_; }
  double table_enthalpy_min() const { return h_min_; }
  double table_enthalpy_max() const { return h_max_; }

 private:
  double solid_enthalpy(double T) const;  // analytic, any T (extrapolated below min)
  double temperature_on_branch(double h, bool liquid) const;
  double newton_on_branch(double h, bool liquid, double T) const;
  void validate() const;
  InverseTable build_inverse(double T_lo, double T_hi, bool liquid) const;
  MaterialData d_;
  double h_solidus_ = 0.0, h_liquidus_ = 0.0;
  InverseTable solid_inverse_, liquid_inverse_;
  double h_min_ = 0.0, h_max_ = 0.0;
};

// Schema of a material given as data in a case section (all SI: J/(kg K), kg/m^3, ...).
void declare_material_section(SectionSpec& s);

}  // namespace mps
