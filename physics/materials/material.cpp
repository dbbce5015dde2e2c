#include "physics/materials/material.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <numbers>
#include <sstream>

#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"
#include "solver/base/yaml_section.hpp"

namespace mps {

// ---------------------------------------------------------------------------------------------
// Fits

double PolyFit::eval(double T) const {
  const double x = T - t0;
  double s = 0.0;
  for (std::size_t k = a.size(); k-- > 0;) s = s * x + a[k];
  return s + (inv_sq != 0.0 ? inv_sq / (T * T) : 0.0);
}

double PolyFit::slope(double T) const {
  const double x = T - t0;
  double s = 0.0;
  for (std::size_t k = a.size(); k-- > 1;) s = s * x + static_cast<double>(k) * a[k];
  return s - (inv_sq != 0.0 ? 2.0 * inv_sq / (T * T * T) : 0.0);
}

double PolyFit::integral(double T1, double T2) const {
  // antiderivative: sum a_k (T - t0)^(k+1) / (k+1) - inv_sq / T
  auto F = [this](double T) {
    const double x = T - t0;
    double s = 0.0;
    for (std::size_t k = a.size(); k-- > 0;) s = s * x + a[k] / static_cast<double>(k + 1);
    return s * x - (inv_sq != 0.0 ? inv_sq / T : 0.0);
  };
  return F(T2) - F(T1);
}

std::size_t PiecewiseFit::piece_of(double T) const {
  std::size_t i = 0;
  while (i < upper.size() && T >= upper[i]) ++i;
  return i;
}

double PiecewiseFit::eval(double T) const {
  return pieces[piece_of(T)].eval(T);
}

double PiecewiseFit::integral(double T1, double T2) const {
  if (T2 < T1) return -integral(T2, T1);
  double s = 0.0, lo = T1;
  for (std::size_t i = piece_of(T1); i < pieces.size(); ++i) {
    const double hi = i < upper.size() ? std::min(upper[i], T2) : T2;
    if (hi > lo) s += pieces[i].integral(lo, hi);
    lo = hi;
    if (lo >= T2) break;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Built-in tungsten

namespace {

PolyFit poly(double t0, std::vector<double> a, double inv_sq = 0.0) {
  PolyFit f;
  f.t0 = t0;
  f.a = std::move(a);
  f.inv_sq = inv_sq;
  return f;
}

PolyFit scaled(PolyFit f, double factor) {
  for (double& c : f.a) c *= factor;
  f.inv_sq *= factor;
  return f;
}

MaterialData tungsten_data() {
  MaterialData d;
  d.name = "tungsten";
  d.source =
      "P. Tolias, Nucl. Mater. Energy 13 (2017) 42 (cp, rho, k, L_f, sigma); emissivity fit to "
      "Matsumoto et al. Int. J. Thermophys. 20 (1999) 943 + ITER MPH; vapour pressure Yaws (2015) "
      "Antoine; dH_vap Arblaster J. Phase Equilib. Diffus. 39 (2018) 891 and Zhang et al. J. Chem. "
      "Eng. Data 56 (2011) 328; work function and Richardson constant Nichols Phys. Rev. 78 (1950) "
      "158, Fomenko (1966)";
  const double M = 183.84e-3;  // kg/mol, IUPAC standard atomic weight of W
  d.molar_mass = M;
  // Tolias 2017, Sec. 2 (melting point, ITS-90) and the recommended enthalpy of fusion 52.3 kJ/mol.
  d.melting_point = 3695.0;
  d.latent_heat_fusion = 52.3e3 / M;
  // The fits start at 300 K (Tolias 2017); the h reference 298.15 K is a 2 K extrapolation. The
  // liquid fits reach the normal boiling point (~6200 K, Zhang et al. 2011).
  d.min_temperature = 300.0;
  d.max_temperature = 6000.0;

  // Specific isobaric heat capacity, J/(mol K) converted to J/(kg K) (Tolias 2017, Sec. 5):
  //  300 <= T < 3080 K: Shomate fit to White & Minges, Int. J. Thermophys. 18 (1997) 1269
  //     cp = 21.868372 + 8.068661e-3 T - 3.756196e-6 T^2 + 1.075862e-9 T^3 + 1.406637e4 / T^2
  //  3080 <= T < Tm: derivative of the enthalpy fit of Wilthan, Cagran & Pottlacher, Int. J.
  //     Thermophys. 26 (2005) 1017:  cp = 2.022 + 1.315e-2 T  (continuous with the above at 3080 K)
  //  liquid: constant 51.3 J/(mol K) (Wilthan et al. 2005).
  d.cp_solid.upper = {3080.0};
  d.cp_solid.pieces = {
      scaled(poly(0.0, {21.868372, 8.068661e-3, -3.756196e-6, 1.075862e-9}, 1.406637e4), 1.0 / M),
      scaled(poly(0.0, {2.022, 1.315e-2}), 1.0 / M)};
  d.cp_liquid.pieces = {scaled(poly(0.0, {51.3}), 1.0 / M)};

  // Mass density, g/cm^3 converted to kg/m^3 (Tolias 2017, Sec. 7):
  //  solid: 19.25 - 2.66207e-4 (T - 293.15) - 3.0595e-9 (T - 293.15)^2 - 9.5185e-12 (T - 293.15)^3
  //         (White & Minges 1997 expansion integrated);
  //  liquid: 16.267 - 7.679e-4 (T - Tm) - 8.091e-8 (T - Tm)^2 (Kaschnitz et al., High Press.
  //         Res. 4 (1990) 558).
  d.density_solid = scaled(poly(293.15, {19.25, -2.66207e-4, -3.0595e-9, -9.5185e-12}), 1e3);
  d.density_liquid = scaled(poly(3695.0, {16.267, -7.679e-4, -8.091e-8}), 1e3);

  // Thermal conductivity, W/(m K) (Tolias 2017, Sec. 6):
  //  solid: 149.441 - 45.466e-3 T + 13.193e-6 T^2 - 1.484e-9 T^3 + 3.866e6 / T^2 (fit to Hust &
  //         Lankford, NBS IR 84-3007 (1984));
  //  liquid: 66.6212 + 0.02086 (T - Tm) - 3.7585e-6 (T - Tm)^2 (Seydel & Fucke resistivity, J.
  //         Phys. F 10 (1980) L203, through the Wiedemann-Franz law).
  d.conductivity_solid = poly(0.0, {149.441, -45.466e-3, 13.193e-6, -1.484e-9}, 3.866e6);
  d.conductivity_liquid = poly(3695.0, {66.6212, 0.02086, -3.7585e-6});

  // Total hemispherical emissivity. Not in Tolias 2017: the quadratic fit used by the MEMENTO
  // melt-dynamics code of the same group (Tolias, Ratynskaia, Thoren et al.) to the data of
  // Matsumoto, Cezairliyan & Basak, Int. J. Thermophys. 20 (1999) 943 (2000-3400 K) and the ITER
  // Materials Properties Handbook (300-1300 K):
  //    eps = 1.85076e-2 + 1.6048e-4 (T - 300) - 1.762608e-8 (T - 300)^2,
  // and a constant 0.38 for the liquid (a small jump at Tm, as measured for Nb).
  d.emissivity_solid = poly(300.0, {1.85076e-2, 1.6048e-4, -1.762608e-8});
  d.emissivity_liquid = poly(0.0, {0.38});

  // Surface tension of the liquid, N/m: 2.48 - 0.31e-3 (T - Tm) (Tolias 2017, Sec. 8, from
  // Paradis et al., Appl. Phys. Lett. 86 (2005) 041901). Below Tm its value at Tm is used.
  d.surface_tension_liquid = poly(3695.0, {2.48, -0.31e-3});

  // Vapour pressure: Antoine law of the Yaws Handbook of Vapor Pressure (2nd ed., 2015) as used
  // in MEMENTO, log10(p / Pa) = 12.108 - 40387.965 / (T - 141.51) (5.5 Pa at Tm).
  d.antoine_a = 12.108;
  d.antoine_b = 40387.965;
  d.antoine_c = -141.51;

  // Enthalpy of vaporisation, linear between 855 kJ/mol at 298.15 K (Arblaster 2018) and
  // 774 kJ/mol at the normal boiling point 6200 K (Zhang, Evans & Yang 2011):
  //    dH_vap = 859.092 - 0.0137245 T  kJ/mol.
  d.heat_of_vaporisation = scaled(poly(0.0, {859.092e3, -13.7245}), 1.0 / M);

  // Thermionic constants of polycrystalline tungsten: work function 4.55 eV and effective
  // Richardson constant 60 A cm^-2 K^-2 (half the free-electron value 120.17), Nichols, Phys.
  // Rev. 78 (1950) 158; V.S. Fomenko, Handbook of Thermionic Properties (Plenum, 1966).
  d.work_function_eV = 4.55;
  d.richardson_constant = 60.0e4;
  return d;
}

constexpr int kTableSize = 4096;

}  // namespace

// ---------------------------------------------------------------------------------------------
// Material

Material::Material(MaterialData data) : d_(std::move(data)) {
  validate();
  const double Tm = d_.melting_point;
  h_solidus_ = solid_enthalpy(Tm);
  h_liquidus_ = h_solidus_ + d_.latent_heat_fusion;
  h_min_ = solid_enthalpy(d_.min_temperature);
  h_max_ = h_liquidus_ + d_.cp_liquid.integral(Tm, d_.max_temperature);
  solid_inverse_ = build_inverse(d_.min_temperature, Tm, false);
  liquid_inverse_ = build_inverse(Tm, d_.max_temperature, true);
}

Material::InverseTable Material::build_inverse(double T_lo, double T_hi, bool liquid) const {
  const PiecewiseFit& cp_fit = liquid ? d_.cp_liquid : d_.cp_solid;
  auto h_of = [&](double T) {
    return liquid ? h_liquidus_ + d_.cp_liquid.integral(d_.melting_point, T) : solid_enthalpy(T);
  };
  // Exact inverse by bisection on the monotone branch (built once).
  auto invert = [&](double h, double lo, double hi) {
    for (int it = 0; it < 200 && hi - lo > 1e-13 * hi; ++it) {
      const double mid = 0.5 * (lo + hi);
      (h_of(mid) < h ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  };
  // Segment bounds: the branch ends and the cp piece bounds between them (cp has a kink there,
  // which a Hermite cell across it would smear to ~1e-5 K).
  std::vector<double> bounds{T_lo};
  for (double u : cp_fit.upper)
    if (u > T_lo && u < T_hi) bounds.push_back(u);
  bounds.push_back(T_hi);
  InverseTable t;
  const double h_span = h_of(T_hi) - h_of(T_lo);
  for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
    const double h0 = h_of(bounds[k]), h1 = h_of(bounds[k + 1]);
    // ~4096 cells over the branch (cells of ~1 K), at least 16 per segment: the Hermite error
    // dh^4 max|d4T/dh4| / 384 is then ~1e-10 K (unit test EnthalpyRoundTrip checks 1e-8 K).
    const auto cells =
        static_cast<std::size_t>(std::max(16.0, std::ceil(kTableSize * (h1 - h0) / h_span)));
    t.seg_h.push_back(h0);
    t.seg_dh.push_back((h1 - h0) / static_cast<double>(cells));
    t.seg_first.push_back(t.T.size());
    for (std::size_t i = 0; i <= cells; ++i) {
      const double h = i == cells ? h1 : h0 + static_cast<double>(i) * t.seg_dh.back();
      const double T = i == 0       ? bounds[k]
                       : i == cells ? bounds[k + 1]
                                    : invert(h, bounds[k], bounds[k + 1]);
      t.T.push_back(T);
      // at the segment ends, the slope of the piece this segment lies on (one-sided)
      const double inside = std::clamp(T, bounds[k] + 1e-9, bounds[k + 1] - 1e-9);
      t.dTdh.push_back(1.0 / cp_fit.pieces[cp_fit.piece_of(inside)].eval(T));
    }
  }
  t.seg_h.push_back(h_of(T_hi));
  return t;
}

double Material::InverseTable::eval(double h) const {
  std::size_t k = 0;
  while (k + 2 < seg_h.size() && h >= seg_h[k + 1]) ++k;
  const double dh = seg_dh[k];
  const std::size_t first = seg_first[k];
  const std::size_t cells = (k + 1 < seg_first.size() ? seg_first[k + 1] : T.size()) - first - 1;
  const double x = std::clamp((h - seg_h[k]) / dh, 0.0, static_cast<double>(cells));
  const std::size_t i = std::min(static_cast<std::size_t>(x), cells - 1);
  const double s = x - static_cast<double>(i);
  const std::size_t j = first + i;
  // cubic Hermite basis on [0, 1]
  const double s2 = s * s, s3 = s2 * s;
  const double h00 = 2 * s3 - 3 * s2 + 1, h10 = s3 - 2 * s2 + s, h01 = -2 * s3 + 3 * s2,
               h11 = s3 - s2;
  return h00 * T[j] + h10 * dh * dTdh[j] + h01 * T[j + 1] + h11 * dh * dTdh[j + 1];
}

void Material::validate() const {
  auto fail = [this](const std::string& what) {
    throw InputError("material '" + d_.name + "': " + what);
  };
  if (!(d_.molar_mass > 0)) fail("molar_mass must be positive");
  if (!(d_.min_temperature > 0) || !(d_.max_temperature > d_.melting_point) ||
      !(d_.melting_point > d_.min_temperature))
    fail("need 0 < min_temperature < melting_point < max_temperature");
  if (!(d_.latent_heat_fusion >= 0)) fail("latent_heat_fusion must not be negative");
  if (d_.cp_solid.pieces.empty() || d_.cp_liquid.pieces.empty())
    fail("cp needs at least one solid and one liquid piece");
  if (d_.cp_solid.upper.size() + 1 != d_.cp_solid.pieces.size() ||
      d_.cp_liquid.upper.size() + 1 != d_.cp_liquid.pieces.size())
    fail("a piecewise fit needs one upper bound fewer than pieces");
  for (std::size_t i = 1; i < d_.cp_solid.upper.size(); ++i)
    if (!(d_.cp_solid.upper[i] > d_.cp_solid.upper[i - 1])) fail("cp piece bounds must increase");
  if (!(d_.work_function_eV > 0) || !(d_.richardson_constant >= 0))
    fail("work function must be positive and the Richardson constant not negative");
  // Sample every property across the validity range: a negative cp would make h(T)
  // non-monotone (no inverse), a non-positive density or conductivity is unphysical.
  std::ostringstream where;
  for (double T = d_.min_temperature; T <= d_.max_temperature; T += 1.0) {
    const bool liquid = T > d_.melting_point;
    const double c = liquid ? d_.cp_liquid.eval(T) : d_.cp_solid.eval(T);
    auto at = [T] { return " at " + std::to_string(T) + " K"; };
    if (!(c > 0)) fail("cp must be positive (h(T) must increase)" + at());
    if (!((liquid ? d_.density_liquid : d_.density_solid).eval(T) > 0))
      fail("density must be positive" + at());
    if (!((liquid ? d_.conductivity_liquid : d_.conductivity_solid).eval(T) > 0))
      fail("conductivity must be positive" + at());
    const double e = (liquid ? d_.emissivity_liquid : d_.emissivity_solid).eval(T);
    if (!(e > 0 && e <= 1)) fail("emissivity must lie in (0, 1]" + at());
    if (!(d_.heat_of_vaporisation.eval(T) > 0))
      fail("heat of vaporisation must be positive" + at());
  }
}

namespace {

// Materials known by name, built once: the ones in code and, on first use, the shipped data files.
// References stay valid (std::map nodes never move), so callers may keep `const Material&`.
struct NamedMaterials {
  std::mutex mutex;
  std::map<std::string, Material, std::less<>> table;
};

NamedMaterials& named_materials() {
  static NamedMaterials m;  // filled under its lock on first use
  return m;
}

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

std::string Material::data_directory() {
  return (std::filesystem::path(MPS_DATA_DIR) / "materials").string();
}

Material Material::from_file(const std::string& path) {
  SectionSpec spec("material", "Material data file");
  declare_material_section(spec);
  const Config c = load_yaml_file(path, spec);
  try {
    return from_config(c);
  } catch (const InputError& e) {  // data that pass the schema but not the checks (negative cp)
    throw InputError(path + ": " + e.what());
  }
}

const Material& Material::builtin(std::string_view name) {
  NamedMaterials& n = named_materials();
  std::lock_guard<std::mutex> lock(n.mutex);
  if (n.table.empty()) n.table.emplace("tungsten", Material(tungsten_data()));
  if (auto it = n.table.find(name); it != n.table.end()) return it->second;
  const bool is_path = name.size() > 5 && name.substr(name.size() - 5) == ".yaml";
  const std::filesystem::path file =
      is_path ? std::filesystem::path(name)
              : std::filesystem::path(data_directory()) / (std::string(name) + ".yaml");
  if (!std::filesystem::is_regular_file(file)) {
    if (is_path) throw InputError(std::string(name) + ": cannot open the material data file");
    throw InputError("unknown material '" + std::string(name) +
                     "' (known: " + joined(builtin_names()) +
                     "; or give a material_data section, or the path of a NAME.yaml data file)");
  }
  return n.table.emplace(std::string(name), from_file(file.string())).first->second;
}

std::vector<std::string> Material::builtin_names() {
  std::vector<std::string> names{"tungsten"};
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(data_directory(), ec))
    if (e.is_regular_file() && e.path().extension() == ".yaml")
      names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

double Material::atom_mass() const {
  return d_.molar_mass / constants::avogadro;
}

double Material::density(double T) const {
  return T <= d_.melting_point ? d_.density_solid.eval(T) : d_.density_liquid.eval(T);
}

double Material::cp(double T) const {
  return T < d_.melting_point ? d_.cp_solid.eval(T) : d_.cp_liquid.eval(T);
}

double Material::solid_enthalpy(double T) const {
  return d_.cp_solid.integral(kReferenceTemperature, T);
}

double Material::enthalpy(double T, double liquid_fraction) const {
  const double Tm = d_.melting_point;
  if (T < Tm) return solid_enthalpy(T);
  if (T == Tm) return h_solidus_ + std::clamp(liquid_fraction, 0.0, 1.0) * d_.latent_heat_fusion;
  return h_liquidus_ + d_.cp_liquid.integral(Tm, T);
}

double Material::newton_on_branch(double h, bool liquid, double T) const {
  // Newton on the analytic enthalpy from a start T: outside the tables (extrapolation beyond the
  // fits' validity, which the thermal unit only reaches in error cases).
  for (int it = 0; it < 8; ++it) {
    const double hT =
        liquid ? h_liquidus_ + d_.cp_liquid.integral(d_.melting_point, T) : solid_enthalpy(T);
    const double c = liquid ? d_.cp_liquid.eval(T) : d_.cp_solid.eval(T);
    T -= (hT - h) / c;
  }
  return T;
}

double Material::temperature_on_branch(double h, bool liquid) const {
  if (liquid)
    return h > h_max_ ? newton_on_branch(h, true, d_.max_temperature) : liquid_inverse_.eval(h);
  return h < h_min_ ? newton_on_branch(h, false, d_.min_temperature) : solid_inverse_.eval(h);
}

MeltState Material::state_of(double h) const {
  if (h < h_solidus_) return {std::min(temperature_on_branch(h, false), d_.melting_point), 0.0};
  if (h <= h_liquidus_) {
    const double f = d_.latent_heat_fusion > 0 ? (h - h_solidus_) / d_.latent_heat_fusion : 1.0;
    return {d_.melting_point, f};
  }
  return {std::max(temperature_on_branch(h, true), d_.melting_point), 1.0};
}

double Material::sensible_enthalpy(double T1, double T2) const {
  // Solid cp up to Tm, liquid above: the sensible heat without the latent heat.
  const double Tm = d_.melting_point;
  auto part = [&](double a, double b) {
    double s = 0.0;
    if (a < Tm) s += d_.cp_solid.integral(a, std::min(b, Tm));
    if (b > Tm) s += d_.cp_liquid.integral(std::max(a, Tm), b);
    return s;
  };
  return T2 >= T1 ? part(T1, T2) : -part(T2, T1);
}

double Material::emissivity(double T) const {
  return T <= d_.melting_point ? d_.emissivity_solid.eval(std::max(T, d_.min_temperature))
                               : d_.emissivity_liquid.eval(T);
}

double Material::emissivity_slope(double T) const {
  if (T <= d_.melting_point) return T < d_.min_temperature ? 0.0 : d_.emissivity_solid.slope(T);
  return d_.emissivity_liquid.slope(T);
}

double Material::conductivity(double T) const {
  return T <= d_.melting_point ? d_.conductivity_solid.eval(T) : d_.conductivity_liquid.eval(T);
}

double Material::vapour_pressure(double T) const {
  const double denom = T + d_.antoine_c;
  if (!(denom > 0)) return 0.0;
  return std::exp(std::numbers::ln10 * (d_.antoine_a - d_.antoine_b / denom));  // 10^x
}

double Material::heat_of_vaporisation(double T) const {
  return d_.heat_of_vaporisation.eval(T);
}

double Material::surface_tension(double T) const {
  return d_.surface_tension_liquid.eval(std::max(T, d_.melting_point));
}

double Material::work_function() const {
  return d_.work_function_eV * constants::elementary_charge;
}

// ---------------------------------------------------------------------------------------------
// Material as case data

namespace {

void declare_fit(SectionSpec& s, const std::string& name, Dimension d, const std::string& doc) {
  SectionSpec& f = s.section(name, doc + ": f(T) = sum_k a_k (T - t0)^k + b / T^2, SI").require();
  f.quantity("t0", dim::temperature, "Expansion point t0").def("0 K");
  f.quantity_list("a", d, "Coefficients a_0, a_1, ... (SI, a_k in units of f / K^k)").require();
  f.quantity("b", dim::none, "Coefficient b of 1/T^2 (SI, units of f K^2)").def("0");
}

PolyFit fit_from(const Config& s) {
  PolyFit f;
  f.t0 = s.number("t0");
  f.a = s.numbers("a");
  f.inv_sq = s.number("b");
  return f;
}

}  // namespace

void declare_material_section(SectionSpec& s) {
  s.string("name", "Material name (for messages and output)").require();
  s.string("source", "Citation of the data").def("user data");
  s.quantity("molar_mass", dim::molar_mass, "Molar mass").positive().require();
  s.quantity("melting_point", dim::temperature, "Melting point Tm").positive().require();
  s.quantity("latent_heat_fusion", dim::specific_energy, "Latent heat of fusion per kg")
      .non_negative()
      .require();
  s.quantity("min_temperature", dim::temperature, "Lowest temperature of the fits").def("300 K");
  s.quantity("max_temperature", dim::temperature, "Highest temperature of the fits").require();
  s.quantity_list("cp_solid_upper", dim::temperature,
                  "Upper bounds of the solid cp pieces (one fewer than pieces)")
      .def("[]");
  SectionSpec& pieces = s.section_list("cp_solid", "Solid cp pieces, J/(kg K), in order").require();
  pieces.quantity("t0", dim::temperature, "Expansion point t0").def("0 K");
  pieces.quantity_list("a", dim::none, "Coefficients (SI)").require();
  pieces.quantity("b", dim::none, "Coefficient of 1/T^2 (SI)").def("0");
  declare_fit(s, "cp_liquid", dim::none, "Liquid cp, J/(kg K)");
  declare_fit(s, "density_solid", dim::none, "Solid density, kg/m^3");
  declare_fit(s, "density_liquid", dim::none, "Liquid density, kg/m^3");
  declare_fit(s, "conductivity_solid", dim::none, "Solid thermal conductivity, W/(m K)");
  declare_fit(s, "conductivity_liquid", dim::none, "Liquid thermal conductivity, W/(m K)");
  declare_fit(s, "emissivity_solid", dim::none, "Solid total hemispherical emissivity");
  declare_fit(s, "emissivity_liquid", dim::none, "Liquid total hemispherical emissivity");
  declare_fit(s, "surface_tension_liquid", dim::none, "Liquid surface tension, N/m");
  declare_fit(s, "heat_of_vaporisation", dim::none, "Enthalpy of vaporisation, J/kg");
  s.quantity("antoine_a", dim::none, "Vapour pressure log10(p/Pa) = A - B / (T + C): A").require();
  s.quantity("antoine_b", dim::temperature, "Antoine B").require();
  s.quantity("antoine_c", dim::temperature, "Antoine C").def("0 K");
  s.quantity("work_function", dim::voltage, "Work function (as a voltage, e.g. 4.55 V)")
      .positive()
      .require();
  s.quantity("richardson_constant", dim::none, "Effective Richardson constant, A/(m^2 K^2)")
      .non_negative()
      .require();
}

Material Material::from_config(const Config& s) {
  MaterialData d;
  d.name = s.string("name");
  d.source = s.string("source");
  d.molar_mass = s.number("molar_mass");
  d.melting_point = s.number("melting_point");
  d.latent_heat_fusion = s.number("latent_heat_fusion");
  d.min_temperature = s.number("min_temperature");
  d.max_temperature = s.number("max_temperature");
  d.cp_solid.upper = s.numbers("cp_solid_upper");
  for (const Config& p : s.list_or_empty("cp_solid")) d.cp_solid.pieces.push_back(fit_from(p));
  d.cp_liquid.pieces = {fit_from(s.section("cp_liquid"))};
  d.density_solid = fit_from(s.section("density_solid"));
  d.density_liquid = fit_from(s.section("density_liquid"));
  d.conductivity_solid = fit_from(s.section("conductivity_solid"));
  d.conductivity_liquid = fit_from(s.section("conductivity_liquid"));
  d.emissivity_solid = fit_from(s.section("emissivity_solid"));
  d.emissivity_liquid = fit_from(s.section("emissivity_liquid"));
  d.surface_tension_liquid = fit_from(s.section("surface_tension_liquid"));
  d.heat_of_vaporisation = fit_from(s.section("heat_of_vaporisation"));
  d.antoine_a = s.number("antoine_a");
  d.antoine_b = s.number("antoine_b");
  d.antoine_c = s.number("antoine_c");
  d.work_function_eV = s.number("work_function");  // volts = eV per electron
  d.richardson_constant = s.number("richardson_constant");
  return Material(std::move(d));
}

}  // namespace mps
