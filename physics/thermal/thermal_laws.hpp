// The loss rates of the thermal model and their temperature slope (thermal_model.hpp) as
// templates over the lane type (lanes.hpp; V = double is one particle). The scalar model's
// sub-cycling (adaptive_step.hpp) and the batched fast path (single_euler.hpp) both evaluate
// them here.
#pragma once

#include <cmath>
#include <numbers>

#include "physics/materials/material_lanes.hpp"
#include "physics/thermal/thermal_model.hpp"
#include "solver/base/constants.hpp"

namespace mps::lanes {

template <class V>
struct Rates {
  V radiated, thermionic, thermionic_current, evaporation_mass, evaporation;  // W, A, kg/s, W
  V eps;                                                                      // emissivity used
  V losses() const { return radiated + thermionic + evaporation; }
};

// a where m, b elsewhere, field by field
template <class V, class M>
Rates<V> select_rates(const M& m, const Rates<V>& a, const Rates<V>& b) {
  Rates<V> r;
  r.radiated = select(m, a.radiated, b.radiated);
  r.thermionic = select(m, a.thermionic, b.thermionic);
  r.thermionic_current = select(m, a.thermionic_current, b.thermionic_current);
  r.evaporation_mass = select(m, a.evaporation_mass, b.evaporation_mass);
  r.evaporation = select(m, a.evaporation, b.evaporation);
  r.eps = select(m, a.eps, b.eps);
  return r;
}

// ThermalModel::rates: a sphere of diameter d at temperature T, specific enthalpy h, potential
// phi. The thermionic and evaporation terms are skipped below their cut-offs (the constructor).
template <class V>
Rates<V> thermal_rates(const ThermalModel& model, const V& T, const V& h, const V& d,
                       const V& phi) {
  const Material& mat = model.material();
  const ThermalOptions& o = model.options();
  const V area = constants::pi * d * d;
  Rates<V> r;
  r.eps = std::isnan(o.emissivity) ? emissivity(mat, T) : V(o.emissivity);
  const double Tw = o.wall_temperature, Tw4 = Tw * Tw * Tw * Tw;
  const V T2 = T * T;
  r.radiated = o.radiation ? r.eps * constants::stefan_boltzmann * area * (T2 * T2 - Tw4) : V(0.0);
  r.thermionic = r.thermionic_current = V(0.0);
  const auto hot_th = T > model.thermionic_cutoff();
  if (o.thermionic && any(hot_th)) {
    const auto th = thermionic(mat.richardson_constant(), mat.work_function_eV(), T, 0.5 * d, phi,
                               o.schottky, false);
    r.thermionic = select(hot_th, th.heat, V(0.0));
    r.thermionic_current = select(hot_th, th.current, V(0.0));
  }
  r.evaporation_mass = r.evaporation = V(0.0);
  const auto hot_ev = T > model.evaporation_cutoff();
  if (o.evaporation && any(hot_ev)) {
    r.evaporation_mass = select(
        hot_ev, area * vapour_pressure(mat, T) * model.evaporation_coefficient() / sqrt(T), V(0.0));
    r.evaporation = r.evaporation_mass * (h + heat_of_vaporisation(mat, T));
  }
  return r;
}

// ThermalModel::loss_slope: |d(losses)/dT| (W/K) at fixed mass, from the laws of thermal_rates:
//   radiation    eps sigma A (T^4 - Tw^4):  sigma A (eps' (T^4 - Tw^4) + 4 eps T^3)
//   thermionic   ~ T^2 exp(-(W + |phi|) / kT) (W + 2kT):  Q (3 / T + (W + |phi|) / (k T^2))
//                (an upper bound of the logarithmic slope for either sign of phi)
//   evaporation  mdot (h + dH) with mdot ~ p(T) / sqrt(T):  Q ln10 B / (T + C)^2 + mdot cp
template <class V>
V loss_slope(const ThermalModel& model, const V& T, const Rates<V>& r, const V& phi, const V& d,
             const V& cp_T) {
  const Material& mat = model.material();
  const ThermalOptions& o = model.options();
  V slope(0.0);
  if (o.radiation) {
    const V area = constants::pi * d * d, T2 = T * T;
    const double Tw = o.wall_temperature, Tw4 = Tw * Tw * Tw * Tw;
    const V deps = std::isnan(o.emissivity) ? emissivity_slope(mat, T) : V(0.0);
    slope =
        select(r.radiated != 0.0,
               constants::stefan_boltzmann * area * (deps * (T2 * T2 - Tw4) + 4.0 * r.eps * T2 * T),
               slope);
  }
  if (o.thermionic) {
    const V inv_T = 1.0 / T;
    slope += select(
        r.thermionic != 0.0,
        r.thermionic * inv_T *
            (3.0 + (mat.work_function_eV() + abs(phi)) * inv_T * (1.0 / constants::boltzmann_eV)),
        V(0.0));
  }
  if (o.evaporation) {
    const V Tc = T + mat.data().antoine_c;
    slope += select(r.evaporation != 0.0,
                    r.evaporation * std::numbers::ln10 * mat.data().antoine_b / (Tc * Tc) +
                        r.evaporation_mass * cp_T,
                    V(0.0));
  }
  return abs(slope);
}

// Where the Euler error predicted from the loss slope at the start (single_euler.hpp,
// adaptive_step.hpp) can be trusted: a temperature change dT of at most 2 % of T. The slope
// itself changes along the step: radiation's (~T^3) by at most 6 %, thermionic emission's and
// evaporation's (~exp(-B / T), B / T <= 40 where they matter) by at most e^0.8 = 2.2x, within the
// tenfold margin of the prediction test. A 2 um sphere heated from 410 K to 2750 K in one step
// was predicted 1e-3 K off, from the negligible losses at 410 K, and was 0.05 K off.
inline constexpr double kEulerPredictionSpan = 0.02;
template <class V>
auto euler_prediction_holds(const V& dT, const V& T) {
  return dT <= kEulerPredictionSpan * T;
}

// Material::state_of on every lane: the tables where they apply, the scalar Newton beyond them.
inline MeltState melt_state(const Material& m, double h) {
  return m.state_of(h);
}
inline MeltLanes<Vec> melt_state(const Material& m, const Vec& h) {
  MeltLanes<Vec> s = state_of(m, h);
  if (!xsimd::all(s.handled)) {
    auto T = to_array(s.temperature), f = to_array(s.liquid_fraction);
    const auto ok = to_array(s.handled);
    const auto hs = to_array(h);
    for (std::size_t l = 0; l < kWidth; ++l)
      if (!ok[l]) {
        const MeltState x = m.state_of(hs[l]);
        T[l] = x.temperature;
        f[l] = x.liquid_fraction;
      }
    s.temperature = Vec::load_unaligned(T.data());
    s.liquid_fraction = Vec::load_unaligned(f.data());
    s.handled = s.handled || !s.handled;
  }
  return s;
}
inline double temperature_of(const MeltState& s) {
  return s.temperature;
}
inline double fraction_of(const MeltState& s) {
  return s.liquid_fraction;
}
inline Vec temperature_of(const MeltLanes<Vec>& s) {
  return s.temperature;
}
inline Vec fraction_of(const MeltLanes<Vec>& s) {
  return s.liquid_fraction;
}

// the branch of h(T): 0 solid, 1 on the melting plateau, 2 liquid
template <class V>
V branch(const V& liquid_fraction) {
  return select(liquid_fraction <= 0.0, V(0.0), select(liquid_fraction >= 1.0, V(2.0), V(1.0)));
}

}  // namespace mps::lanes
