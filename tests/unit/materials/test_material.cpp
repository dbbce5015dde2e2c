// Unit tests of the material model: tungsten data, h(T) and its inverse, bad data.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/materials/material.hpp"
#include "solver/base/errors.hpp"

namespace mps {
namespace {

const Material& W() {
  return Material::builtin("tungsten");
}

TEST(Material, TungstenConstants) {
  EXPECT_DOUBLE_EQ(W().melting_point(), 3695.0);
  EXPECT_DOUBLE_EQ(W().molar_mass(), 183.84e-3);
  // 52.3 kJ/mol / 183.84 g/mol = 284.49 kJ/kg (DESIGN.md: ~285 kJ/kg)
  EXPECT_NEAR(W().latent_heat_fusion(), 284490.0, 10.0);
  EXPECT_DOUBLE_EQ(W().work_function_eV(), 4.55);
  EXPECT_DOUBLE_EQ(W().richardson_constant(), 60e4);
  EXPECT_THROW(Material::builtin("unobtainium"), InputError);
}

TEST(Material, TungstenPropertiesAtKnownPoints) {
  // Room temperature: cp of W is 24.2-24.3 J/(mol K) (132 J/(kg K)); 1 % covers the 2 K
  // extrapolation below the 300 K fit bound and the spread of handbook values.
  EXPECT_NEAR(W().cp(300.0), 132.0, 1.32);
  // Density 19.25 g/cm^3 at the fit's reference temperature (exact by construction of the fit)
  EXPECT_NEAR(W().density(293.15), 19250.0, 1e-9);
  EXPECT_NEAR(W().density(3696.0), 16267.0 - 0.7679 - 8.091e-5, 1e-6);
  // Liquid is lighter than solid at Tm (volume jump on melting)
  EXPECT_LT(W().density(3695.1), W().density(3695.0));
  // Solid cp pieces join at 3080 K within 0.01 % (both fits describe the same data there)
  EXPECT_NEAR(W().cp(3079.999) / W().cp(3080.0), 1.0, 1e-4);
  // Conductivity: handbooks give 173-174 W/(m K) at room temperature; the Tolias fit (to Hust &
  // Lankford 1984) gives 179.9 at its 300 K edge, so 4 % is the fit's own edge deviation. Liquid
  // 66.6 W/(m K) at Tm (Wiedemann-Franz from Seydel & Fucke).
  EXPECT_NEAR(W().conductivity(300.0), 174.0, 0.04 * 174.0);
  EXPECT_NEAR(W().conductivity(3695.5), 66.63, 0.05);
  // Emissivity rises with T in the solid and is 0.38 in the liquid
  EXPECT_LT(W().emissivity(1000.0), W().emissivity(3000.0));
  EXPECT_DOUBLE_EQ(W().emissivity(3800.0), 0.38);
  // Vapour pressure: a few Pa at Tm, negligible at 2000 K
  EXPECT_GT(W().vapour_pressure(3695.0), 1.0);
  EXPECT_LT(W().vapour_pressure(3695.0), 20.0);
  EXPECT_LT(W().vapour_pressure(2000.0), 1e-6);
  EXPECT_NEAR(W().heat_of_vaporisation(298.15) * W().molar_mass(), 855e3, 50.0);
}

TEST(Material, EnthalpyReferenceAndPlateau) {
  EXPECT_NEAR(W().enthalpy(298.15), 0.0, 1e-9);
  const double hs = W().enthalpy_solidus(), L = W().latent_heat_fusion();
  EXPECT_DOUBLE_EQ(W().enthalpy(3695.0, 0.25), hs + 0.25 * L);
  const MeltState m = W().state_of(hs + 0.4 * L);
  EXPECT_DOUBLE_EQ(m.temperature, 3695.0);
  EXPECT_NEAR(m.liquid_fraction, 0.4, 1e-12);
  EXPECT_EQ(W().state_of(hs - 1.0).liquid_fraction, 0.0);
  EXPECT_EQ(W().state_of(hs + L + 1.0).liquid_fraction, 1.0);
  EXPECT_GT(W().state_of(hs + L + 1000.0).temperature, 3695.0);
}

TEST(Material, EnthalpyRoundTrip) {
  // T(h(T)) = T to 1e-8 K over the solid and the liquid: the table + Newton inverse must reach
  // round-off (h ~ 1e6 J/kg, cp ~ 150: 1e-8 K is ~1e-12 relative in h).
  double worst = 0.0;
  for (double T = 300.0; T < 6000.0; T += 7.3) {
    if (std::fabs(T - 3695.0) < 1e-9) continue;
    const MeltState s = W().state_of(W().enthalpy(T));
    worst = std::max(worst, std::fabs(s.temperature - T));
    EXPECT_EQ(s.liquid_fraction, T > 3695.0 ? 1.0 : 0.0) << T;
  }
  EXPECT_LT(worst, 1e-8);
}

TEST(Material, EnthalpyDerivativeIsCp) {
  // Central difference of the analytic integral against cp: error O(dT^2 cp'') ~ 1e-6 relative.
  for (double T : {350.0, 1000.0, 2500.0, 3079.0, 3081.0, 3600.0, 4500.0}) {
    const double dT = 0.01;
    const double d = (W().enthalpy(T + dT) - W().enthalpy(T - dT)) / (2 * dT);
    EXPECT_NEAR(d / W().cp(T), 1.0, 1e-6) << T;
  }
  // monotone across the whole range
  double prev = -1e30;
  for (double T = 300.0; T < 6000.0; T += 1.0) {
    const double h = W().enthalpy(T, 1.0);
    EXPECT_GT(h, prev) << T;
    prev = h;
  }
}

MaterialData simple_metal() {
  MaterialData d;
  d.name = "testium";
  d.molar_mass = 0.1;
  d.melting_point = 1000.0;
  d.latent_heat_fusion = 1e5;
  d.min_temperature = 300.0;
  d.max_temperature = 2000.0;
  d.cp_solid.pieces = {PolyFit{0.0, {200.0}, 0.0}};
  d.cp_liquid.pieces = {PolyFit{0.0, {250.0}, 0.0}};
  d.density_solid = d.density_liquid = PolyFit{0.0, {8000.0}, 0.0};
  d.conductivity_solid = d.conductivity_liquid = PolyFit{0.0, {100.0}, 0.0};
  d.emissivity_solid = d.emissivity_liquid = PolyFit{0.0, {0.3}, 0.0};
  d.surface_tension_liquid = PolyFit{0.0, {1.0}, 0.0};
  d.heat_of_vaporisation = PolyFit{0.0, {5e6}, 0.0};
  d.antoine_a = 10.0;
  d.antoine_b = 20000.0;
  d.work_function_eV = 4.0;
  d.richardson_constant = 1.2e6;
  return d;
}

TEST(Material, ConstantCpAnalytic) {
  Material m(simple_metal());
  EXPECT_NEAR(m.enthalpy(500.0), 200.0 * (500.0 - 298.15), 1e-9);
  EXPECT_NEAR(m.enthalpy(1500.0), 200.0 * (1000.0 - 298.15) + 1e5 + 250.0 * 500.0, 1e-6);
  EXPECT_NEAR(m.state_of(m.enthalpy(1234.5)).temperature, 1234.5, 1e-9);
  EXPECT_NEAR(m.sensible_enthalpy(500.0, 1500.0), 200.0 * 500.0 + 250.0 * 500.0, 1e-9);
}

TEST(Material, BadDataIsAnInputError) {
  MaterialData d = simple_metal();
  d.cp_solid.pieces = {PolyFit{0.0, {200.0, -0.5}, 0.0}};  // cp < 0 above 400 K: h not monotone
  try {
    Material m(d);
    FAIL() << "negative cp accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cp must be positive"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("testium"), std::string::npos);
  }
  d = simple_metal();
  d.density_liquid = PolyFit{1000.0, {8000.0, -10.0}, 0.0};
  EXPECT_THROW(Material{d}, InputError);
  d = simple_metal();
  d.emissivity_solid = PolyFit{0.0, {1.5}, 0.0};
  EXPECT_THROW(Material{d}, InputError);
  d = simple_metal();
  d.melting_point = 2500.0;  // above max_temperature
  EXPECT_THROW(Material{d}, InputError);
  d = simple_metal();
  d.cp_solid.upper = {600.0};  // bounds without the matching pieces
  EXPECT_THROW(Material{d}, InputError);
}

TEST(Material, FromConfigMatchesData) {
  Config c("material_data");
  c.set("name", std::string("testium"));
  c.set("source", std::string("test"));
  c.set("molar_mass", 0.1);
  c.set("melting_point", 1000.0);
  c.set("latent_heat_fusion", 1e5);
  c.set("min_temperature", 300.0);
  c.set("max_temperature", 2000.0);
  c.set("cp_solid_upper", std::vector<double>{600.0});
  auto fit = [](Config& s, std::vector<double> a, double t0 = 0.0) {
    s.set("t0", t0);
    s.set("a", std::move(a));
    s.set("b", 0.0);
  };
  auto& pieces = c.add_section_list("cp_solid");
  pieces.emplace_back("cp_solid");
  fit(pieces.back(), {200.0});
  pieces.emplace_back("cp_solid");
  fit(pieces.back(), {200.0, 0.1}, 600.0);
  fit(c.add_section("cp_liquid"), {250.0});
  for (const char* n : {"density_solid", "density_liquid"}) fit(c.add_section(n), {8000.0});
  for (const char* n : {"conductivity_solid", "conductivity_liquid"})
    fit(c.add_section(n), {100.0});
  for (const char* n : {"emissivity_solid", "emissivity_liquid"}) fit(c.add_section(n), {0.3});
  fit(c.add_section("surface_tension_liquid"), {1.0});
  fit(c.add_section("heat_of_vaporisation"), {5e6});
  c.set("antoine_a", 10.0);
  c.set("antoine_b", 20000.0);
  c.set("antoine_c", 0.0);
  c.set("work_function", 4.0);
  c.set("richardson_constant", 1.2e6);
  Material m = Material::from_config(c);
  EXPECT_EQ(m.name(), "testium");
  // two pieces: 200 up to 600 K, then 200 + 0.1 (T - 600)
  EXPECT_NEAR(m.enthalpy(800.0), 200.0 * (800.0 - 298.15) + 0.05 * 200.0 * 200.0, 1e-8);
  EXPECT_NEAR(m.cp(700.0), 210.0, 1e-12);
}

}  // namespace
}  // namespace mps
