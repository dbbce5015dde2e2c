// ThermalModel::advance's one-evaluation path over a whole step, as a template over the lane
// type (lanes.hpp; V = double is one particle). See thermal_lanes.hpp for its use and
// thermal_model.hpp for the model: this is the first sub-step of adaptive_step() when its
// one-evaluation Euler path is taken over the whole step.
#pragma once

#include "physics/thermal/thermal_laws.hpp"

namespace mps::lanes {

template <class V>
struct SingleEuler {
  MaskOf<V> accepted;  // the lanes this path advanced; the others are left to advance()
  V h, T, f, m, d;     // end state
  Rates<V> rates;      // at the start, over the step (beam heat is power dt)
};

// dt: the step, one for all lanes (a double) or each lane's (V)
template <class V, class D>
SingleEuler<V> single_euler(const ThermalModel& model, const V& h0, const V& T0, const V& f0,
                            const V& m0, const V& d0, const V& power, const V& phi, const D& dt) {
  const Rates<V> rates = thermal_rates(model, T0, h0, d0, phi);
  const V losses = rates.losses();
  const V g = power - losses;
  const V mdot = rates.evaporation_mass;
  const V m_euler = m0 - dt * mdot;
  // predicted Euler/Heun error from the loss slope (ThermalModel::advance)
  const V c = cp(model.material(), T0);
  // (divisions are the slowest lane operation: one reciprocal for the three below)
  const V inv_mc = 1.0 / (m0 * c);
  const V dT = dt * abs(g) * inv_mc;
  const V dg = loss_slope(model, T0, rates, phi, d0, c) * dT +
               (2.0 / 3.0) * losses * dt * mdot * (c * inv_mc);  // mdot / m0
  const V predicted = 0.5 * dt * dg * inv_mc;
  // the Euler end state, on the start's branch of h(T)
  SingleEuler<V> r;
  r.h = (m0 * h0 + dt * g) / m_euler;
  const auto end = state_of(model.material(), r.h);
  r.accepted = (m_euler > 0.5 * m0) && (predicted <= 0.1 * model.options().tolerance_K) &&
               euler_prediction_holds(dT, T0) && end.handled &&
               (branch(end.liquid_fraction) == branch(f0)) && !is_nan(r.h);
  r.T = end.temperature;
  r.f = end.liquid_fraction;
  r.m = m_euler;
  // evaporating: the diameter follows the mass, computed as the adaptive model's diameter():
  // every value of this path is then bit for bit what adaptive_step()'s first sub-step gives
  // (the same expressions in the same order; the thermal unit's routing relies on it)
  const auto lost = m_euler != m0;
  r.d = any(lost) ? select(lost, d0 * cbrt_near_one(m_euler / m0), d0) : d0;
  r.rates = rates;
  return r;
}

}  // namespace mps::lanes
