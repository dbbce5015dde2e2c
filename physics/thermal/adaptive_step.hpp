// The adaptive sub-cycling of ThermalModel::advance (the method is described in
// thermal_model.hpp) as a template over the lane type (lanes.hpp). Every lane has its own
// sub-step size and clock: a lane whose step is done is frozen while the others go on, so a
// particle's result does not depend on its neighbours in a batch.
//
// AdaptiveLanes is the integrator state of kWidth particles, advanced one attempt at a time, so
// that a driver can put a new particle into a lane as soon as its particle is done (the thermal
// unit's adaptive_refill, thermal_lanes.cpp): lanes then stay busy whatever the spread of the
// particles' attempt counts. Run as one batch until its slowest lane is done, lanes were busy
// 34 % of the time (bench_particle_physics, beam mix), slower than one particle at a time.
// adaptive_step() is the one-batch loop; ThermalModel::advance is its one-lane instance.
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
class AdaptiveLanes {
 public:
  using M = MaskOf<V>;
  explicit AdaptiveLanes(const ThermalModel& model) : model_(model) {}

  // Starts the lanes of `fresh` on a particle's step of length dt (inputs as adaptive_step);
  // their loss rates at the start are left to the next rates_where().
  void start(const M& fresh, const V& h0, const V& T0, const V& f0, const V& m0, const V& d0,
             const V& power, const V& phi, const V& dt) {
    auto set = [&](V& x, const V& v) { x = select(fresh, v, x); };
    set(dt_, dt);
    set(m0_, m0);
    set(d0_, d0);
    set(power_, power);
    set(phi_, phi);
    set(E_, m0 * h0);
    set(m_, m0);
    set(h1_, h0);
    set(T1_, T0);
    set(f1_, f0);
    const V zero(0.0);
    for (V* x : {&s_.beam, &s_.radiated, &s_.thermionic, &s_.evaporated_energy, &s_.evaporated_mass,
                 &s_.time_molten, &s_.substeps, &t_, &attempts_})
      set(*x, zero);
    set(s_.peak_temperature, T0);
    set(tau_, dt);
    active_ = active_ || fresh;
  }
  // The loss rates at the start of the lanes of `known`, evaluated by the caller (the same
  // thermal_rates() at the same state: the single Euler step's, thermal_lanes.cpp).
  void set_rates(const M& known, const Rates<V>& r) { r1_ = select_rates(known, r, r1_); }
  // The loss rates at the lanes' current state, where `need`.
  void rates_where(const M& need) {
    r1_ = select_rates(need, thermal_rates(model_, T1_, h1_, diameter(m_), phi_), r1_);
  }
  const M& active() const { return active_; }

  // One attempt on every active lane: an accepted sub-step or a shorter retry. Returns the lanes
  // that accepted a sub-step and go on (they need rates_where() before the next attempt).
  M attempt() {
    const Material& mat = model_.material();
    const ThermalOptions& o = model_.options();
    const double tol = o.tolerance_K;
    const V dt = dt_;
    const M active = active_;
    tau_ = min(tau_, dt - t_);
    tau_ = select(dt - t_ - tau_ < 1e-12 * dt, dt - t_, tau_);  // do not leave a sliver
    attempts_ += select(active, V(1.0), V(0.0));
    const M over = active && (attempts_ > static_cast<double>(o.max_substeps));
    if (any(over))
      fail(over, "more than " + std::to_string(o.max_substeps) + " sub-steps in one step",
           ": reduce dt or raise thermal.max_substeps");
    const V g1 = power_ - r1_.losses(), mdot1 = r1_.evaporation_mass;
    const V m_euler = m_ - tau_ * mdot1;
    // evaporating half the mass in a sub-step: far too long
    const M shrink = active && !(m_euler > 0.5 * m_);
    tau_ = select(shrink, 0.25 * tau_, tau_);
    const M go = active && !shrink;
    // One-evaluation Euler step where the Euler/Heun error estimate 0.5 tau |g2 - g1| / (m cp),
    // predicted from the loss slope (|g2 - g1| ~ |dg/dT| |dT| + the area change of an
    // evaporating particle, (2/3) |dm| / m of the losses), is below a tenth of the tolerance and
    // the end state stays on the start's branch of h(T), where the slope is meaningful.
    const V d1 = diameter(m_);
    const V cp1 = cp(mat, T1_);
    const V inv_mc = 1.0 / (m_ * cp1);  // (one reciprocal for the divisions below)
    const V dT = tau_ * abs(g1) * inv_mc;
    const V losses1 = r1_.losses();
    const V dg = loss_slope(model_, T1_, r1_, phi_, d1, cp1) * dT +
                 (2.0 / 3.0) * losses1 * tau_ * mdot1 * (cp1 * inv_mc);  // mdot / m
    const V predicted = 0.5 * tau_ * dg * inv_mc;
    const V h_euler = (E_ + tau_ * g1) / m_euler;
    const auto st_euler = melt_state(mat, h_euler);
    const M euler = go && (predicted <= 0.1 * tol) && euler_prediction_holds(dT, T1_) &&
                    (branch(fraction_of(st_euler)) == branch(f1_));
    // otherwise the Heun pair: the rates at the Euler end
    const M pair = go && !euler;
    V err(0.0);
    Rates<V> r2 = r1_;
    if (any(pair)) {
      r2 = thermal_rates(model_, temperature_of(st_euler), h_euler, diameter(m_euler), phi_);
      err = 0.5 * tau_ * abs((power_ - r2.losses()) - g1) * inv_mc;
      const M bad = pair && is_nan(err);
      if (any(bad)) fail(bad, "non-finite energy balance", "");
    }
    const M reject = pair && !(err <= tol);
    tau_ = select(reject, tau_ * max(V(0.2), 0.9 * sqrt(tol / select(reject, err, V(1.0)))), tau_);
    const M heun = pair && !reject;
    const M accept = euler || heun;
    if (!any(accept)) return accept;
    // the accepted sub-step: Euler (weights tau, 0) or Heun (tau / 2, tau / 2); the Heun terms
    // are selected, not multiplied by 0, since the second rates are only meaningful on pairs
    const V zero(0.0), half = 0.5 * tau_;
    auto sub_step = [&](const V& x1, const V& x2) {
      return select(euler, tau_ * x1, select(heun, half * (x1 + x2), zero));
    };
    E_ += sub_step(g1, power_ - r2.losses());
    m_ -= sub_step(mdot1, r2.evaporation_mass);
    s_.beam += select(accept, tau_ * power_, zero);
    s_.radiated += sub_step(r1_.radiated, r2.radiated);
    s_.thermionic += sub_step(r1_.thermionic, r2.thermionic);
    s_.evaporated_energy += sub_step(r1_.evaporation, r2.evaporation);
    s_.evaporated_mass += sub_step(mdot1, r2.evaporation_mass);
    // the new state: the Euler end, or the Heun end E / m
    const V h_new = select(euler, h_euler, E_ / m_);
    V T_new = temperature_of(st_euler), f_new = fraction_of(st_euler);
    if (any(heun)) {  // (the Euler lanes' end state is known)
      const auto st_new = melt_state(mat, h_new);
      T_new = select(euler, T_new, temperature_of(st_new));
      f_new = select(euler, f_new, fraction_of(st_new));
    }
    const M molten0 = f1_ > 0.0, molten1 = f_new > 0.0;
    s_.time_molten += select(
        euler, select(molten0, tau_, zero),
        select(heun, select(molten0 && molten1, tau_, select(molten0 || molten1, half, zero)),
               zero));
    s_.peak_temperature = select(accept, max(s_.peak_temperature, T_new), s_.peak_temperature);
    s_.substeps += select(accept, V(1.0), zero);
    t_ += select(accept, tau_, zero);
    tau_ = select(
        euler, 4.0 * tau_,
        select(heun,
               tau_ * select(err > 0.0,
                             min(V(4.0), 0.9 * sqrt(tol / select(err > 0.0, err, V(1.0)))), V(4.0)),
               tau_));
    h1_ = select(accept, h_new, h1_);
    T1_ = select(accept, T_new, T1_);
    f1_ = select(accept, f_new, f1_);
    active_ = active_ && (t_ < dt);
    return accept && active_;
  }

  // The step's result on the lanes that are done (valid where !active()).
  AdaptiveStep<V> result() const {
    AdaptiveStep<V> s = s_;
    s.m = m_;
    s.h = E_ / m_;
    s.d = diameter(m_);
    s.T = T1_;
    s.f = f1_;
    return s;
  }

 private:
  V diameter(const V& m) const { return select(m == m0_, d0_, d0_ * cbrt_near_one(m / m0_)); }
  // the error of the first failing lane, in the scalar model's words
  [[noreturn]] void fail(const M& where, const std::string& what, const std::string& advice) const {
    const auto a = to_array(where);
    std::size_t l = 0;
    while (!a[l]) ++l;
    throw RuntimeError("thermal: " + what + " (T = " + std::to_string(to_array(T1_)[l]) + " K)" +
                       advice);
  }

  static Rates<V> zero_rates() {
    Rates<V> r;
    r.radiated = r.thermionic = r.thermionic_current = r.evaporation_mass = r.evaporation = r.eps =
        V(0.0);
    return r;
  }
  static AdaptiveStep<V> zero_step() {
    AdaptiveStep<V> s;
    s.h = s.m = s.d = s.T = s.f = s.beam = s.radiated = s.thermionic = s.evaporated_energy =
        s.evaporated_mass = s.time_molten = s.peak_temperature = s.substeps = V(0.0);
    return s;
  }

  const ThermalModel& model_;
  V dt_ = V(0.0);  // each lane's step
  // (a lane starts with finite values, so that an idle lane computes only finite numbers)
  V m0_ = V(1.0), d0_ = V(1.0), power_ = V(0.0), phi_ = V(0.0);  // the particle's inputs
  // the state at the start of the current sub-step (e1 in the scalar model's words)
  V E_ = V(0.0), m_ = V(1.0), h1_ = V(0.0), T1_ = V(300.0), f1_ = V(0.0);
  Rates<V> r1_ = zero_rates();
  V t_ = V(0.0), tau_ = V(0.0), attempts_ = V(0.0);
  AdaptiveStep<V> s_ = zero_step();
  M active_ = V(0.0) != V(0.0);  // no lane
};

// The whole step of one batch: every lane until its step is done.
template <class V>
AdaptiveStep<V> adaptive_step(const ThermalModel& model, const V& h0, const V& T0, const V& f0,
                              const V& m0, const V& d0, const V& power, const V& phi, const V& dt) {
  AdaptiveLanes<V> a(model);
  const auto all = V(0.0) == V(0.0);
  a.start(all, h0, T0, f0, m0, d0, power, phi, dt);
  a.rates_where(all);
  while (any(a.active())) {
    const auto next = a.attempt();
    if (any(next)) a.rates_where(next);
  }
  return a.result();
}

}  // namespace mps::lanes
