// The whole backward-Euler charge update of ChargingModel::advance (charging_model.hpp: the
// method and its safeguards are described there) as a template over the lane type (lanes.hpp).
// ChargingModel::advance is this template on one lane (V = double); the charging unit runs it
// on batches of the particles its fast path left over. Every lane follows its own iteration:
// a lane that has converged is frozen (its values selected out) while the others go on, so a
// particle's result does not depend on its neighbours in the batch.
//
// ImplicitLanes holds the iteration of kWidth particles and advances it one evaluation of the
// currents at a time, so that a driver can put a new particle into a lane as soon as its
// particle is done (advance_implicit, charging_lanes.cpp): run as one batch until its slowest
// lane had converged, lanes were busy 62 % of the time (bench_particle_physics, beam mix).
#pragma once

#include <limits>
#include <string>

#include "physics/charging/linear_step.hpp"
#include "solver/base/errors.hpp"

namespace mps::lanes {

template <class V>
struct ChargeStep {
  V charge;             // end charge
  CurrentLanes<V> end;  // currents of the step (at the end potential; linearised on the fast path)
  V iterations;         // current evaluations (1 on the fast path)
  MaskOf<V> field_evaporation, breakup, rayleigh;  // limits passed at the end (reported)
};

// The charging limits at the end of a step (ChargingModel::check_limits).
template <class V>
void check_limits(const ChargingModel& model, ChargeStep<V>& s, const V& phi, const V& T,
                  const V& d, const V& f) {
  const ChargingOptions& o = model.options();
  constexpr double kEps0 = constants::vacuum_permittivity;
  const V r = 0.5 * d;
  const V F = (phi - o.external_potential) / r;  // the particle's own surface field
  s.field_evaporation = F > o.field_evaporation_field;
  const auto molten = f > 0.0;
  s.breakup = !molten && (0.5 * kEps0 * F * F > o.tensile_strength);
  s.rayleigh = molten;  // no lane molten: all false
  if (any(molten)) {
    const V gamma = poly_eval(model.material().data().surface_tension_liquid,
                              max(T, V(model.material().melting_point())));
    const V limit = 8.0 * constants::pi * sqrt(kEps0 * gamma * r * r * r);
    s.rayleigh = molten && (abs(s.charge) > limit);
  }
}

template <class V>
class ImplicitLanes {
 public:
  using M = MaskOf<V>;
  explicit ImplicitLanes(const ChargingModel& model) : model_(model) {}

  // Starts the lanes of `fresh` on a particle's step of length dt from charge q.
  void start(const M& fresh, const V& q, const V& absorbed, const V& se_current, const V& T,
             const V& d, const V& f, const V& dt) {
    set_particle(fresh, q, absorbed, se_current, T, d, f, dt);
    first_ = first_ || fresh;
    active_ = active_ || fresh;
  }
  // The same, where the linearly implicit step is known (linear_step()) and not close to the
  // root: Newton starts from its end potential phi_lin.
  void start_newton(const M& fresh, const V& q, const V& absorbed, const V& se_current, const V& T,
                    const V& d, const V& f, const V& dt, const V& phi_lin) {
    set_particle(fresh, q, absorbed, se_current, T, d, f, dt);
    begin_newton(fresh, phi_lin);
    active_ = active_ || fresh;
  }
  const M& active() const { return active_; }

  // One evaluation of the currents on every active lane, and what follows from it.
  // Backward Euler: A(phi) = E(phi) with A = C (phi - phi0) + dt I_abs (increasing, linear) and
  // E = dt I_emit(phi) (emission, positive, decreasing): one root, above phi_a where A = 0.
  //
  // Fast path: the linearly implicit (Rosenbrock-Euler) step itself, when it lies close to the
  // backward-Euler root. Both are L-stable first-order methods (Hairer & Wanner, Solving ODEs
  // II, IV.7). Expanding I about phi0, the root differs from the linear step by
  //   delta ~ dt |I''| dphi^2 / (2 (C + dt |I'|)),
  // while backward Euler's own local truncation error is ~ (dt |I'| / C) |dphi| / 2. The step is
  // accepted when delta <= 0.05 |dphi| min(1, dt |I'| / C): the switch adds at most 10 % to the
  // error backward Euler makes anyway (at most 5 % of the change on stiff steps, where the
  // particle tracks its equilibrium). The step must also stay where that curvature bound holds
  // (fast_path_in_range, linear_step.hpp). The currents of an accepted step are the linearised
  // ones, so C dphi = dt I holds exactly for it.
  //
  // Otherwise Newton on G = ln E - ln A, nearly linear in phi (the emission laws are exponential
  // in phi or in a power of it), where Newton on F = A - E (flat, then steep) would bounce; but
  // G is singular at phi_a (ln A), next to which the root lies when little is emitted (a cold
  // sphere charging in the beam): there F, nearly linear, lands on the root in one step, where
  // G's steps left the ~1e-6 |phi_a| gap of the start to bisection (~20 evaluations). Each
  // iteration takes the better of the two steps (below). A bracket from the sign of F keeps
  // every iterate safe, and a Newton step that leaves the bracket or does not halve the last
  // step gives way to bisection.
  void iterate() {
    const ChargingOptions& o = model_.options();
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const V dt = dt_;
    const M first = first_ && active_, newton = newton_ && active_, last = last_ && active_;
    const V C = C_;
    CurrentLanes<V> c = currents(model_, select(first, phi0_, x_), absorbed_, se_current_, T_, d_);
    if (any(last)) {
      // the currents at the potential a lane stopped on
      end_ = select_currents(last, c, end_);
      active_ = active_ && !last;
      last_ = last_ && !last;
    }
    if (any(first)) {
      // the linearly implicit step, and the start of Newton where it is not close enough
      // (the expressions of linear_step(), so that both decide alike)
      const V phi = phi0_ + dt * c.total / (C - dt * c.dtotal);
      const V dphi = phi - phi0_, slope = -dt * c.dtotal;
      const V delta = dt * c.curvature * dphi * dphi / (2.0 * (C + slope));
      const M close =
          delta <= ChargingModel::kFastPathFraction * abs(dphi) * min(V(1.0), slope * (1.0 / C));
      const M fast = first && close && fast_path_in_range(model_, phi0_, dphi, T_);
      end_ = select_currents(fast, linearised(c, dphi), end_);
      phi_ = select(fast, phi, phi_);
      iterations_ = select(first, V(1.0), iterations_);
      begin_newton(first && !fast, phi);
      first_ = first_ && !first;
      active_ = active_ && !fast;
    }
    if (!any(newton)) return;
    // Newton on G = ln E - ln A (or F = A - E) with a bracket [lo, hi], bisection when it stalls
    const V x = x_;
    it_ = select(newton, it_ + 1.0, it_);
    const M at_a = x == phi_a_;
    probed_a_ = probed_a_ || (newton && at_a);
    const V A = select(at_a, V(0.0), C * (x - phi0_) + dt * absorbed_);  // A(phi_a) = 0
    const V E = dt * (c.se + c.thermionic + c.field);
    const M below = (A - E) < 0.0;
    lo_ = select(newton && below, x, lo_);
    hi_ = select(newton && !below, x, hi_);
    const V slope_E = -dt * c.dtotal;  // -dE/dphi >= 0
    // converged: F's Newton correction, the distance to the root to first order in either
    // form, is below the tolerance; keep x, where the currents were just evaluated. (G's own
    // correction would not do: it vanishes like x - phi_a at phi_a, whatever E is there.)
    const V correction = (A - E) / (C + slope_E);
    const M converged = newton && (abs(correction) <= o.tolerance * (1.0 + abs(x)));
    end_ = select_currents(converged, c, end_);
    phi_ = select(converged, x, phi_);
    // or F's Newton step d from x is short, at most 1e-6 (1 + |x|), and lands within the
    // tolerance of the root: its error is at most max|F''| d^2 / (2 min F') (Taylor with
    // remainder), with F'' = -dt I'' and F' = C + dt |I'|, bounded by the currents' curvature
    // bound at x (an upper bound of |I''| for every emission law, currents()), doubled for its
    // change over the step: over 1e-6 of x the exponents of the laws (|phi| / kT, the
    // Fowler-Nordheim B / F, <= ~100) change by 1e-4 at most. (A long step would leave the
    // bound behind: from a potential where nothing is emitted yet, the bound is 0 whatever the
    // step.) The step must stay on x's side of 0, where the laws have their kinks, and in the
    // bracket. The end currents are those at x linearised to the end, off by curvature d^2 / 2
    // at most. This saves the evaluation at the end of a converging Newton iteration.
    const V landing = x - correction;
    const M lands = newton && !converged && (abs(correction) <= 1e-6 * (1.0 + abs(x))) &&
                    (dt * c.curvature * correction * correction / (C + slope_E) <=
                     o.tolerance * (1.0 + abs(landing))) &&
                    ((landing > 0.0) == (x > 0.0)) && (landing > lo_) && (landing < hi_);
    if (any(lands)) {
      end_ = select_currents(lands, linearised(c, -correction), end_);
      phi_ = select(lands, landing, phi_);
    }
    iterations_ = select(newton, it_, iterations_);
    M going = newton && !converged && !lands;
    const M use_G = (E > 0.0) && (A > 0.0);
    const V Es = select(use_G, E, V(1.0)), As = select(use_G, A, V(1.0));
    const V dG = dt * c.dtotal / Es - C / As;
    V next = select(use_G, x - log(Es / As) / dG, V(std::numeric_limits<double>::quiet_NaN()));
    // F's step as well, and the higher of the two: where F is concave and G convex (E
    // exponential-like) both Newton steps land at or below the root, from either side, so
    // the higher one is the closer (G's from just above phi_a, where it is singular, falls
    // far below; F's from far above, across a steep rise of E, too). F's alone where G is
    // undefined (nothing emitted at x, or x at phi_a). Landing at lo (to the tolerance) or
    // below (F's root is never below phi_a), F's step probes phi_a itself, once: the root
    // when nothing is emitted there either, else a point below it (F's step from there is
    // Newton from the left on a concave F: it stays below the root and converges).
    const V next_F = x - correction;
    const M take_F = !use_G || (next_F > next);
    const M to_a = take_F && !(next_F > lo_ + o.tolerance * (1.0 + abs(lo_))) && !probed_a_;
    next = select(take_F, select(to_a, phi_a_, next_F), next);
    // Newton whose step does not at least halve the last one (the sqrt kink of Schottky
    // emission at phi = 0) gives way to bisection (the safeguard of rtsafe, Press et al.,
    // Numerical Recipes, 9.4); monotone Newton convergence from one side keeps Newton
    const M slow = abs(next - x) > 0.5 * last_step_;
    const M outside = !(((next > lo_) || to_a) && (next < hi_)) || slow;
    const V fallback =
        select(hi_ < kInf, 0.5 * (lo_ + hi_), lo_ + max(V(1.0), 2.0 * abs(lo_ - phi_a_)));
    next = select(outside, fallback, next);
    const V change = abs(next - x);
    last_step_ = select(going, change, last_step_);
    x_ = select(going, next, x_);
    // a bisection step below the tolerance, or a bracket at the resolution of doubles (a
    // small Newton step is not enough: G's vanishes near phi_a whatever E is there): the
    // currents at the new x are evaluated once more (the `last` lanes above)
    const M done = going && ((outside && change <= o.tolerance * (1.0 + abs(x_))) ||
                             (hi_ - lo_ <= 1e-15 * (1.0 + abs(x_))));
    phi_ = select(done, x_, phi_);
    last_ = last_ || done;
    going = going && !done;
    newton_ = newton_ && !(newton && !going);  // (lanes that started Newton above go on)
    active_ = active_ && !converged && !lands;
    const M stuck = going && (it_ >= 200.0);
    if (any(stuck)) {
      // the first lane still iterating, in the scalar model's words
      const auto a = to_array(stuck);
      std::size_t l = 0;
      while (!a[l]) ++l;
      auto at = [l](const V& v) { return std::to_string(to_array(v)[l]); };
      throw RuntimeError(
          "charging: the implicit charge update did not converge (phi0 = " + at(phi0_) +
          " V, phi = " + at(x_) + " V, bracket [" + at(lo_) + ", " + at(hi_) +
          "] V, T = " + at(T_) + " K, d = " + at(d_) + " m, I_abs = " + at(absorbed_) +
          " A, I_se = " + at(se_current_) + " A, dt = " + at(dt) + " s)");
    }
  }

  // The step's result on the lanes that are done (valid where !active()).
  ChargeStep<V> result() const {
    ChargeStep<V> s;
    s.end = end_;
    s.iterations = iterations_;
    s.charge = C_ * (phi_ - model_.options().external_potential);
    check_limits(model_, s, phi_, T_, d_, f_);
    return s;
  }

 private:
  void set_particle(const M& fresh, const V& q, const V& absorbed, const V& se_current, const V& T,
                    const V& d, const V& f, const V& dt) {
    auto set = [&](V& x, const V& v) { x = select(fresh, v, x); };
    set(dt_, dt);
    const V C = 2.0 * constants::pi * constants::vacuum_permittivity * d;
    const V phi0 = q * (1.0 / C) + model_.options().external_potential;  // as linear_step()
    set(C_, C);
    set(phi0_, phi0);
    set(phi_a_, phi0 - dt * absorbed / C);
    set(absorbed_, absorbed);
    set(se_current_, se_current);
    set(T_, T);
    set(d_, d);
    set(f_, f);
  }
  // Newton from the linear step's end phi where that lies above phi_a, else from just above it
  void begin_newton(const M& lanes, const V& phi) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    x_ = select(lanes, select(phi > phi_a_, phi, phi_a_ + 1e-6 * (1.0 + abs(phi_a_))), x_);
    lo_ = select(lanes, phi_a_, lo_);
    hi_ = select(lanes, V(kInf), hi_);
    last_step_ = select(lanes, V(kInf), last_step_);
    probed_a_ = probed_a_ && !lanes;
    it_ = select(lanes, V(0.0), it_);
    newton_ = newton_ || lanes;
  }
  static CurrentLanes<V> zero_currents() {
    CurrentLanes<V> c;
    c.se = c.thermionic = c.field = c.total = c.dse = c.dthermionic = c.dfield = c.dtotal =
        c.curvature = V(0.0);
    return c;
  }

  const ChargingModel& model_;
  V dt_ = V(0.0);  // each lane's step
  // the particle (a lane starts with finite values, so that an idle lane computes only finite
  // numbers)
  V C_ = V(1.0), phi0_ = V(0.0), phi_a_ = V(0.0), absorbed_ = V(0.0), se_current_ = V(0.0),
    T_ = V(300.0), d_ = V(1.0), f_ = V(0.0);
  // the iteration: phases first (the linear step), newton, last (the currents at the end)
  M first_ = V(0.0) != V(0.0), newton_ = first_, last_ = first_, active_ = first_,
    probed_a_ = first_;
  V x_ = V(0.0), lo_ = V(0.0), hi_ = V(0.0), last_step_ = V(0.0), it_ = V(0.0);
  // the result
  V phi_ = V(0.0), iterations_ = V(0.0);
  CurrentLanes<V> end_ = zero_currents();
};

// The whole step of one batch: every lane until its iteration is done.
template <class V>
ChargeStep<V> implicit_step(const ChargingModel& model, const V& q, const V& absorbed,
                            const V& se_current, const V& T, const V& d, const V& f, double dt) {
  ImplicitLanes<V> a(model);
  a.start(V(0.0) == V(0.0), q, absorbed, se_current, T, d, f, V(dt));
  while (any(a.active())) a.iterate();
  return a.result();
}

}  // namespace mps::lanes
