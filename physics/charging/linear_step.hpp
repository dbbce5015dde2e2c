// ChargingModel::currents and the fast path of ChargingModel::advance (the linearly implicit
// step), as templates over the lane type (lanes.hpp; V = double is one particle). See
// charging_lanes.hpp for their use; each line has its twin in charging_model.cpp.
#pragma once

#include <limits>

#include "physics/charging/charging_model.hpp"
#include "physics/materials/material_lanes.hpp"
#include "solver/base/constants.hpp"

namespace mps::lanes {

template <class V>
struct CurrentLanes {
  V se, thermionic, field, total;
  V dse, dthermionic, dfield, dtotal;
  V curvature;
};

// a where m, b elsewhere, field by field
template <class V, class M>
CurrentLanes<V> select_currents(const M& m, const CurrentLanes<V>& a, const CurrentLanes<V>& b) {
  CurrentLanes<V> c;
  c.se = select(m, a.se, b.se);
  c.thermionic = select(m, a.thermionic, b.thermionic);
  c.field = select(m, a.field, b.field);
  c.total = select(m, a.total, b.total);
  c.dse = select(m, a.dse, b.dse);
  c.dthermionic = select(m, a.dthermionic, b.dthermionic);
  c.dfield = select(m, a.dfield, b.dfield);
  c.dtotal = select(m, a.dtotal, b.dtotal);
  c.curvature = select(m, a.curvature, b.curvature);
  return c;
}

// ChargingModel::currents at potential phi
template <class V>
CurrentLanes<V> currents(const ChargingModel& model, const V& phi, const V& absorbed,
                         const V& se_current, const V& T, const V& d) {
  const ChargingOptions& o = model.options();
  const Material& mat = model.material();
  const V r = 0.5 * d, inv_r = 2.0 / d;
  const double inv_se_T = 1.0 / o.se_temperature_eV;
  CurrentLanes<V> c;
  // slow secondaries, (1 + x) e^-x with x = phi / kT_se on a positive sphere (x = 0 otherwise)
  c.se = c.dse = V(0.0);
  if (any(se_current != 0.0)) {  // (none outside the beam)
    const V x = max(phi, V(0.0)) * inv_se_T;
    const V ex = exp(-x);
    c.se = se_current * (1.0 + x) * ex;
    c.dse = -se_current * x * ex * inv_se_T;
  }
  c.thermionic = c.dthermionic = V(0.0);
  const auto hot = T > model.thermionic_cutoff();
  if (o.thermionic && any(hot)) {
    const auto th = lanes::thermionic(mat.richardson_constant(), mat.work_function_eV(), T, r, phi,
                                      o.schottky, true);
    c.thermionic = select(hot, th.current, V(0.0));
    c.dthermionic = select(hot, th.dcurrent_dphi, V(0.0));
  }
  c.field = c.dfield = V(0.0);
  const V F = -phi * inv_r;
  const auto emitting = (phi < 0.0) && (F > model.field_emission_cutoff());
  if (o.field_emission && any(emitting)) {
    // emission::fowler_nordheim and its exact slope (see ChargingModel::currents)
    constexpr double kFnA = 1.541434e-6, kFnC = 1.439964e-9;
    const double W = mat.work_function_eV(), B = model.fowler_nordheim_bw15();
    const V Fs = select(emitting, F, V(1.0));  // finite on every lane
    const V inv_F = 1.0 / Fs;
    const V f = min((kFnC / (W * W)) * Fs, V(1.0));
    const V lnf = log(f);
    const V v = 1.0 - f + (1.0 / 6.0) * f * lnf;
    const V J = (kFnA / W) * Fs * Fs * exp(-v * B * inv_F);
    const V dv = -1.0 + (1.0 / 6.0) * (lnf + 1.0);
    const V dlnj = 2.0 * inv_F + select(f < 1.0, B * inv_F * inv_F * (v - f * dv), V(0.0));
    const V field = 4.0 * constants::pi * r * r * J;
    c.field = select(emitting, field, V(0.0));
    c.dfield = select(emitting, -field * dlnj * inv_r, V(0.0));
  }
  c.total = -absorbed + c.se + c.thermionic + c.field;
  c.dtotal = c.dse + c.dthermionic + c.dfield;
  // curvature bound (ChargingModel::currents)
  const V kT = constants::boltzmann_eV * T;
  auto exp_like = [](const V& I, const V& dI) {
    return select(I > 0.0, dI * dI / select(I > 0.0, I, V(1.0)), V(0.0));
  };
  c.curvature = select(
      phi > 0.0,
      c.se * (inv_se_T * inv_se_T) + select(c.thermionic > 0.0, c.thermionic / (kT * kT), V(0.0)),
      exp_like(c.thermionic, c.dthermionic) + exp_like(c.field, c.dfield));
  return c;
}

// The currents c linearised from their potential to one d volts away (the currents of a step
// taken without evaluating them at its end).
template <class V>
CurrentLanes<V> linearised(const CurrentLanes<V>& c, const V& d) {
  CurrentLanes<V> l = c;
  l.se = c.se + c.dse * d;
  l.thermionic = c.thermionic + c.dthermionic * d;
  l.field = c.field + c.dfield * d;
  l.total = c.total + c.dtotal * d;
  return l;
}

// Where the curvature bound of currents() at phi0, and so the fast path's error estimate,
// holds over the whole step phi0 -> phi0 + dphi:
//  - a negative sphere: |dphi| <= 1 % of |phi0| (the Schottky and FN exponents curve like
//    1 / |phi|);
//  - a positive sphere whose potential rises: every emission falls, and so does its curvature;
//  - a positive sphere whose potential falls: by at most a tenth of the smaller emission energy
//    scale (kT of thermionic electrons, kT_se of slow secondaries), over which the retarded
//    emissions, exponential in phi, grow by at most e^0.1. A hot sphere swinging from +200 V to
//    -95 V in one step (entering the beam) would otherwise take the linear step as it stood at
//    +200 V, with no emission at all, while the root lies at +1 V.
template <class V>
auto fast_path_in_range(const ChargingModel& model, const V& phi0, const V& dphi, const V& T) {
  const V scale = min(V(model.options().se_temperature_eV), constants::boltzmann_eV * T);
  const auto positive = phi0 > 0.0;
  return (positive && ((dphi >= 0.0) || ((-dphi <= 0.1 * scale) && (phi0 + dphi > 0.0)))) ||
         (!positive && (abs(dphi) <= 1e-2 * abs(phi0)));
}

template <class V>
struct LinearStep {
  MaskOf<V> quiet;          // nothing changes the charge: left as it is
  MaskOf<V> accepted;       // advanced by the linearly implicit step (and within every limit)
  MaskOf<V> close;          // the step lies close to the backward-Euler root (limits aside)
  V phi;                    // end potential of the linearly implicit step
  V charge;                 // end charge of the accepted lanes
  V se, thermionic, field;  // emitted currents over the step (linearised, A)
};

// The fast path of ChargingModel::advance from charge q: accepted where the linearly implicit
// step lies close to the backward-Euler root and no charging limit is passed (the scalar path
// reports those).
// dt: the step, one for all lanes (a double) or each lane's (V)
template <class V, class D>
LinearStep<V> linear_step(const ChargingModel& model, const V& q, const V& absorbed,
                          const V& se_current, const V& T, const V& d, const V& f, const D& dt) {
  const ChargingOptions& o = model.options();
  constexpr double kEps0 = constants::vacuum_permittivity;
  const V C = 2.0 * constants::pi * kEps0 * d, inv_C = 1.0 / C;
  const V phi0 = q * inv_C + o.external_potential;
  const V r = 0.5 * d;
  LinearStep<V> s;
  // ChargingModel::quiet
  s.quiet = (absorbed == 0.0) && (se_current == 0.0);
  if (o.thermionic) s.quiet = s.quiet && (T <= model.thermionic_cutoff());
  if (o.field_emission)
    s.quiet = s.quiet && ((phi0 >= 0.0) || (-phi0 / r <= model.field_emission_cutoff()));
  if (all(s.quiet)) {  // (cold particles outside the beam)
    s.accepted = s.close = !s.quiet;
    s.phi = phi0;
    s.charge = q;
    s.se = s.thermionic = s.field = V(0.0);
    return s;
  }
  const auto c = currents(model, phi0, absorbed, se_current, T, d);
  const V phi = phi0 + dt * c.total / (C - dt * c.dtotal);
  const V dphi = phi - phi0, slope = -dt * c.dtotal;
  const V delta = dt * c.curvature * dphi * dphi / (2.0 * (C + slope));
  s.close = (delta <= ChargingModel::kFastPathFraction * abs(dphi) * min(V(1.0), slope * inv_C)) &&
            fast_path_in_range(model, phi0, dphi, T);
  s.phi = phi;
  s.charge = C * (phi - o.external_potential);
  s.se = c.se + c.dse * dphi;
  s.thermionic = c.thermionic + c.dthermionic * dphi;
  s.field = c.field + c.dfield * dphi;
  // charging limits at the end (ChargingModel::check_limits): left to the scalar path
  const V F = (phi - o.external_potential) * (2.0 / d);
  auto limit = (F > o.field_evaporation_field);
  const auto molten = f > 0.0;
  limit = limit || (!molten && (0.5 * kEps0 * F * F > o.tensile_strength));
  if (any(molten)) {
    const V gamma = poly_eval(model.material().data().surface_tension_liquid,
                              max(T, V(model.material().melting_point())));
    const V rayleigh = 8.0 * constants::pi * sqrt(kEps0 * gamma * r * r * r);
    limit = limit || (molten && (abs(s.charge) > rayleigh));
  }
  s.accepted = !s.quiet && s.close && !limit && !is_nan(phi);
  return s;
}

}  // namespace mps::lanes
