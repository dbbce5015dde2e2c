// The adaptive sub-cycling of ThermalModel::advance (the method is described in
// thermal_model.hpp) as a template over the lane type (lanes.hpp). ThermalModel::advance is
// its one-lane instance (V = double). Every lane has its own sub-step size and clock: a lane
// whose step is done is frozen while the others go on, so a particle's result would not depend
// on its neighbours in a batch. The thermal unit nevertheless runs it one particle at a time:
// batched over the particles its fast path leaves (bench_particle_physics, beam mix), a batch
// iterated 8.6 times on average for lanes needing 3 attempts (34 % lane efficiency), and every
// iteration evaluates both branches of each law, so it was 1.5x slower than the scalar path;
// batched for at most 1 to 5 attempts (the rest scalar), it was no faster than scalar either.
#pragma once

#include <string>

#include "physics/thermal/thermal_laws.hpp"
#include "solver/base/errors.hpp"

namespace mps::lanes {

template <class V>
struct AdaptiveStep {
  V h, m, d;  // end state
  V T, f;     // end temperature and liquid fraction
  V beam, radiated, thermionic, evaporated_energy, evaporated_mass;  // J, kg over the step
  V time_molten, peak_temperature;
  V substeps;
};

template <class V>
AdaptiveStep<V> adaptive_step(const ThermalModel& model, const V& h0, const V& T0, const V& f0,
                              const V& m0, const V& d0, const V& power, const V& phi, double dt) {
  using M = MaskOf<V>;
  const Material& mat = model.material();
  const ThermalOptions& o = model.options();
  const double tol = o.tolerance_K;
  auto diameter = [&](const V& m) { return select(m == m0, d0, d0 * cbrt(m / m0)); };
  // the state at the start of the current sub-step (e1 in the scalar model's words)
  V E = m0 * h0, m = m0, h1 = h0, T1 = T0, f1 = f0;
  Rates<V> r1 = thermal_rates(model, T1, h1, d0, phi);
  AdaptiveStep<V> s;
  s.beam = s.radiated = s.thermionic = s.evaporated_energy = s.evaporated_mass = V(0.0);
  s.time_molten = s.substeps = V(0.0);
  s.peak_temperature = T0;
  V t(0.0), tau(dt), attempts(0.0);
  M active = t < dt;
  // the error of the first failing lane, in the scalar model's words
  auto fail = [&](const M& where, const std::string& what, const std::string& advice) {
    const auto a = to_array(where);
    std::size_t l = 0;
    while (!a[l]) ++l;
    throw RuntimeError("thermal: " + what + " (T = " + std::to_string(to_array(T1)[l]) + " K)" +
                       advice);
  };
  while (any(active)) {
    tau = min(tau, dt - t);
    tau = select(dt - t - tau < 1e-12 * dt, dt - t, tau);  // do not leave a sliver
    attempts += select(active, V(1.0), V(0.0));
    const M over = active && (attempts > static_cast<double>(o.max_substeps));
    if (any(over))
      fail(over, "more than " + std::to_string(o.max_substeps) + " sub-steps in one step",
           ": reduce dt or raise thermal.max_substeps");
    const V g1 = power - r1.losses(), mdot1 = r1.evaporation_mass;
    const V m_euler = m - tau * mdot1;
    // evaporating half the mass in a sub-step: far too long
    const M shrink = active && !(m_euler > 0.5 * m);
    tau = select(shrink, 0.25 * tau, tau);
    const M go = active && !shrink;
    // One-evaluation Euler step where the Euler/Heun error estimate 0.5 tau |g2 - g1| / (m cp),
    // predicted from the loss slope (|g2 - g1| ~ |dg/dT| |dT| + the area change of an
    // evaporating particle, (2/3) |dm| / m of the losses), is below a tenth of the tolerance and
    // the end state stays on the start's branch of h(T), where the slope is meaningful.
    const V d1 = diameter(m);
    const V cp1 = cp(mat, T1);
    const V dT = tau * abs(g1) / (m * cp1);
    const V losses1 = r1.losses();
    const V dg =
        loss_slope(model, T1, r1, phi, d1, cp1) * dT + (2.0 / 3.0) * losses1 * tau * mdot1 / m;
    const V predicted = 0.5 * tau * dg / (m * cp1);
    const V h_euler = (E + tau * g1) / m_euler;
    const auto st_euler = melt_state(mat, h_euler);
    const M euler = go && (predicted <= 0.1 * tol) && euler_prediction_holds(dT, T1) &&
                    (branch(fraction_of(st_euler)) == branch(f1));
    // otherwise the Heun pair: the rates at the Euler end
    const M pair = go && !euler;
    V err(0.0);
    Rates<V> r2 = r1;
    if (any(pair)) {
      r2 = thermal_rates(model, temperature_of(st_euler), h_euler, diameter(m_euler), phi);
      err = 0.5 * tau * abs((power - r2.losses()) - g1) / (m * cp1);
      const M bad = pair && is_nan(err);
      if (any(bad)) fail(bad, "non-finite energy balance", "");
    }
    const M reject = pair && !(err <= tol);
    tau = select(reject, tau * max(V(0.2), 0.9 * sqrt(tol / select(reject, err, V(1.0)))), tau);
    const M heun = pair && !reject;
    const M accept = euler || heun;
    if (!any(accept)) continue;
    // the accepted sub-step: Euler (weights tau, 0) or Heun (tau / 2, tau / 2); the Heun terms
    // are selected, not multiplied by 0, since the second rates are only meaningful on pairs
    const V zero(0.0), half = 0.5 * tau;
    auto sub_step = [&](const V& x1, const V& x2) {
      return select(euler, tau * x1, select(heun, half * (x1 + x2), zero));
    };
    E += sub_step(g1, power - r2.losses());
    m -= sub_step(mdot1, r2.evaporation_mass);
    s.beam += select(accept, tau * power, zero);
    s.radiated += sub_step(r1.radiated, r2.radiated);
    s.thermionic += sub_step(r1.thermionic, r2.thermionic);
    s.evaporated_energy += sub_step(r1.evaporation, r2.evaporation);
    s.evaporated_mass += sub_step(mdot1, r2.evaporation_mass);
    // the new state: the Euler end, or the Heun end E / m
    const V h_new = select(euler, h_euler, E / m);
    const auto st_new = melt_state(mat, h_new);
    const V T_new = select(euler, temperature_of(st_euler), temperature_of(st_new));
    const V f_new = select(euler, fraction_of(st_euler), fraction_of(st_new));
    const M molten0 = f1 > 0.0, molten1 = f_new > 0.0;
    s.time_molten += select(
        euler, select(molten0, tau, zero),
        select(heun, select(molten0 && molten1, tau, select(molten0 || molten1, 0.5 * tau, zero)),
               zero));
    s.peak_temperature = select(accept, max(s.peak_temperature, T_new), s.peak_temperature);
    s.substeps += select(accept, V(1.0), zero);
    t += select(accept, tau, zero);
    tau = select(
        euler, 4.0 * tau,
        select(heun,
               tau * select(err > 0.0,
                            min(V(4.0), 0.9 * sqrt(tol / select(err > 0.0, err, V(1.0)))), V(4.0)),
               tau));
    h1 = select(accept, h_new, h1);
    T1 = select(accept, T_new, T1);
    f1 = select(accept, f_new, f1);
    active = t < dt;
    // the rates at the new state, for the lanes that go on from it
    const M next = accept && active;
    if (any(next)) r1 = select_rates(next, thermal_rates(model, T1, h1, diameter(m), phi), r1);
  }
  s.m = m;
  s.h = E / m;
  s.d = diameter(m);
  s.T = T1;
  s.f = f1;
  return s;
}

}  // namespace mps::lanes
