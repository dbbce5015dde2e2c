// The material laws and the thermionic emission law as templates over a lane type (lanes.hpp),
// for the batched kernels of the thermal and charging units. Each function is the lane twin of
// the scalar one named in its comment (material.hpp, emission.hpp) and must stay equal to it to
// round-off: tests/unit/thermal/test_lanes.cpp and tests/unit/charging/test_lanes.cpp compare
// them on random states. Outside the enthalpy tables (beyond the fits' validity) state_of_lanes
// reports the lane as not handled; the callers then take the scalar path.
#pragma once

#include <numbers>

#include "physics/materials/lanes.hpp"
#include "physics/materials/material.hpp"
#include "solver/base/constants.hpp"

namespace mps::lanes {

// PolyFit::eval / PolyFit::slope
// (inv_T2 = 1 / T^2, when the caller has it: divisions are the slowest lane operation)
template <class V>
V poly_eval(const PolyFit& p, const V& T, const V* inv_T2 = nullptr) {
  const V x = T - p.t0;
  V s(0.0);
  for (std::size_t k = p.a.size(); k-- > 0;) s = s * x + p.a[k];
  if (p.inv_sq != 0.0) s = s + p.inv_sq * (inv_T2 ? *inv_T2 : 1.0 / (T * T));
  return s;
}
template <class V>
V poly_slope(const PolyFit& p, const V& T) {
  const V x = T - p.t0;
  V s(0.0);
  for (std::size_t k = p.a.size(); k-- > 1;) s = s * x + static_cast<double>(k) * p.a[k];
  if (p.inv_sq != 0.0) s = s - 2.0 * p.inv_sq / (T * T * T);
  return s;
}
// PiecewiseFit::eval: each piece evaluated only when a lane needs it
template <class V>
V piecewise_eval(const PiecewiseFit& f, const V& T, const V* inv_T2 = nullptr) {
  V s = poly_eval(f.pieces[0], T, inv_T2);
  for (std::size_t i = 1; i < f.pieces.size(); ++i) {
    const auto in = T >= f.upper[i - 1];
    if (any(in)) s = select(in, poly_eval(f.pieces[i], T, inv_T2), s);
  }
  return s;
}

// Material::cp
template <class V>
V cp(const Material& m, const V& T) {
  const MaterialData& d = m.data();
  const auto liquid = T >= d.melting_point;
  const V inv_T2 = 1.0 / (T * T);
  V c = piecewise_eval(d.cp_solid, T, &inv_T2);
  if (any(liquid)) c = select(liquid, piecewise_eval(d.cp_liquid, T, &inv_T2), c);
  return c;
}
// Material::emissivity and Material::emissivity_slope
template <class V>
V emissivity(const Material& m, const V& T) {
  const MaterialData& d = m.data();
  const auto liquid = T > d.melting_point;
  V e = poly_eval(d.emissivity_solid, max(T, V(d.min_temperature)));
  if (any(liquid)) e = select(liquid, poly_eval(d.emissivity_liquid, T), e);
  return e;
}
template <class V>
V emissivity_slope(const Material& m, const V& T) {
  const MaterialData& d = m.data();
  const auto liquid = T > d.melting_point;
  V e = select(T < d.min_temperature, V(0.0), poly_slope(d.emissivity_solid, T));
  if (any(liquid)) e = select(liquid, poly_slope(d.emissivity_liquid, T), e);
  return e;
}
// Material::vapour_pressure (10^(A - B / (T + C)), 0 where T + C <= 0)
template <class V>
V vapour_pressure(const Material& m, const V& T) {
  const MaterialData& d = m.data();
  const V denom = T + d.antoine_c;
  const auto ok = denom > 0.0;
  const V safe = select(ok, denom, V(1.0));
  return select(ok, exp(std::numbers::ln10 * (d.antoine_a - d.antoine_b / safe)), V(0.0));
}
// Material::heat_of_vaporisation
template <class V>
V heat_of_vaporisation(const Material& m, const V& T) {
  return poly_eval(m.data().heat_of_vaporisation, T);
}

// Material::InverseTable::eval (cubic Hermite on uniform-in-h segments)
template <class V>
V inverse_table(const Material::InverseTable& t, const V& h) {
  // segment: the last one whose lower bound h reaches (the first one below its start)
  V h0(t.seg_h[0]), dh(t.seg_dh[0]), inv_dh(1.0 / t.seg_dh[0]);
  V first(static_cast<double>(t.seg_first[0]));
  auto cells_of = [&](std::size_t k) {
    const std::size_t end = k + 1 < t.seg_first.size() ? t.seg_first[k + 1] : t.T.size();
    return static_cast<double>(end - t.seg_first[k] - 1);
  };
  V cells(cells_of(0));
  for (std::size_t k = 1; k + 1 < t.seg_h.size(); ++k) {
    const auto in = h >= t.seg_h[k];
    h0 = select(in, V(t.seg_h[k]), h0);
    dh = select(in, V(t.seg_dh[k]), dh);
    inv_dh = select(in, V(1.0 / t.seg_dh[k]), inv_dh);
    first = select(in, V(static_cast<double>(t.seg_first[k])), first);
    cells = select(in, V(cells_of(k)), cells);
  }
  const V x = min(max((h - h0) * inv_dh, V(0.0)), cells);
  const V i = min(floor(x), cells - 1.0);
  const V s = x - i;
  const V j = first + i;
  const V s2 = s * s, s3 = s2 * s;
  const V h00 = 2.0 * s3 - 3.0 * s2 + 1.0, h10 = s3 - 2.0 * s2 + s, h01 = -2.0 * s3 + 3.0 * s2,
          h11 = s3 - s2;
  return h00 * gather(t.T.data(), j) + h10 * dh * gather(t.dTdh.data(), j) +
         h01 * gather(t.T.data(), j + 1.0) + h11 * dh * gather(t.dTdh.data(), j + 1.0);
}

// Material::state_of: temperature and liquid fraction; `handled` is false on lanes outside the
// tables (Newton there is left to the scalar path).
template <class V>
struct MeltLanes {
  V temperature, liquid_fraction;
  MaskOf<V> handled;
};
template <class V>
MeltLanes<V> state_of(const Material& m, const V& h) {
  const double Tm = m.melting_point(), hs = m.enthalpy_solidus(), hl = m.enthalpy_liquidus();
  const double L = m.latent_heat_fusion();
  const auto solid = h<hs, liquid = h> hl;
  MeltLanes<V> r;
  r.handled = (h >= m.table_enthalpy_min()) && (h <= m.table_enthalpy_max());
  // the plateau
  r.temperature = V(Tm);
  r.liquid_fraction = L > 0 ? (h - hs) * (1.0 / L) : V(1.0);
  if (any(solid)) {
    // (lanes off the solid branch evaluate the table clamped to its ends: finite, discarded)
    r.temperature = select(solid, min(inverse_table(m.solid_inverse(), h), V(Tm)), r.temperature);
    r.liquid_fraction = select(solid, V(0.0), r.liquid_fraction);
  }
  if (any(liquid)) {
    r.temperature = select(liquid, max(inverse_table(m.liquid_inverse(), h), V(Tm)), r.temperature);
    r.liquid_fraction = select(liquid, V(1.0), r.liquid_fraction);
  }
  return r;
}

// emission::thermionic: net thermionic current (A), the heat it carries (W) and dI/dphi (A/V)
// of a sphere of radius r at potential phi. One exponential: the negative sphere's Schottky-
// lowered barrier and the positive sphere's retarding potential are selected before it.
template <class V>
struct ThermionicLanes {
  V current, heat, dcurrent_dphi;
};
template <class V>
ThermionicLanes<V> thermionic(double A, double W, const V& T, const V& radius, const V& phi,
                              bool schottky, bool with_slope) {
  constexpr double kKeV = constants::boltzmann_eV;
  constexpr double kSchottky =
      constants::elementary_charge / (4.0 * constants::pi * constants::vacuum_permittivity);
  const V kT = kKeV * T, inv_kT = 1.0 / kT, inv_r = 1.0 / radius;
  const V area = 4.0 * constants::pi * radius * radius;
  const auto negative = phi <= 0.0;
  const V dW = schottky ? sqrt(kSchottky * abs(min(phi, V(0.0))) * inv_r) : V(0.0);
  const V pos_phi = max(phi, V(0.0));
  const V barrier = select(negative, W - dW, W + pos_phi);  // eV
  const V I0 = area * A * T * T * exp(-barrier * inv_kT);
  const V x = pos_phi * inv_kT;
  ThermionicLanes<V> r;
  r.current = select(negative, I0, I0 * (1.0 + x));
  // heat per electron: barrier + mean kinetic energy (2 kT; kT (x^2 + 2x + 2) / (x + 1) when
  // retarded), emission::escaping_mean_energy_eV
  r.heat =
      r.current * select(negative, W - dW + 2.0 * kT, W + kT * (x * x + 2.0 * x + 2.0) / (x + 1.0));
  if (with_slope) {
    // negative: -I ddW/dphi / kT with ddW/dphi = -dW / (2 phi), phi bounded at -1e-6 V
    const V p = min(phi, V(-1e-6));
    const V ddw = schottky ? -sqrt(kSchottky * (-p) * inv_r) / (2.0 * p) : V(0.0);
    r.dcurrent_dphi = select(negative, -I0 * ddw * inv_kT, -I0 * x * inv_kT);
  } else {
    r.dcurrent_dphi = V(0.0);
  }
  return r;
}

}  // namespace mps::lanes
