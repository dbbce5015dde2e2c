// The whole backward-Euler charge update of ChargingModel::advance (charging_model.hpp: the
// method and its safeguards are described there) as a template over the lane type (lanes.hpp).
// ChargingModel::advance is this template on one lane (V = double); the charging unit runs it
// on batches of the particles its fast path left over. Every lane follows its own iteration:
// a lane that has converged is frozen (its values selected out) while the others go on, so a
// particle's result does not depend on its neighbours in the batch.
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
ChargeStep<V> implicit_step(const ChargingModel& model, const V& q, const V& absorbed,
                            const V& se_current, const V& T, const V& d, const V& f, double dt) {
  using M = MaskOf<V>;
  const ChargingOptions& o = model.options();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const V C = 2.0 * constants::pi * constants::vacuum_permittivity * d;
  const V phi0 = q / C + o.external_potential;
  const V phi_a = phi0 - dt * absorbed / C;
  auto I = [&](const V& phi) { return currents(model, phi, absorbed, se_current, T, d); };
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
  CurrentLanes<V> c = I(phi0);
  V phi = phi0 + dt * c.total / (C - dt * c.dtotal);
  ChargeStep<V> s;
  {
    const V dphi = phi - phi0, slope = -dt * c.dtotal;
    const V delta = dt * c.curvature * dphi * dphi / (2.0 * (C + slope));
    const M close = delta <= ChargingModel::kFastPathFraction * abs(dphi) * min(V(1.0), slope / C);
    const M fast = close && fast_path_in_range(model, phi0, dphi, T);
    s.end = c;
    s.end.se = c.se + c.dse * dphi;
    s.end.thermionic = c.thermionic + c.dthermionic * dphi;
    s.end.field = c.field + c.dfield * dphi;
    s.end.total = c.total + c.dtotal * dphi;
    s.iterations = V(1.0);
    M active = !fast;
    if (any(active)) {
      // Newton on G = ln E - ln A (or F = A - E) with a bracket [lo, hi], bisection when it stalls
      V x = select(phi > phi_a, phi, phi_a + 1e-6 * (1.0 + abs(phi_a)));
      V lo = phi_a, hi(kInf), last_step(kInf);
      M probed_a = !active;  // lanes that evaluated the currents at phi_a itself
      M at_x = !active;      // lanes whose currents c were evaluated at their final potential
      CurrentLanes<V> cx = c;
      for (int it = 1;; ++it) {
        c = I(x);
        const M at_a = x == phi_a;
        probed_a = probed_a || at_a;
        const V A = select(at_a, V(0.0), C * (x - phi0) + dt * absorbed);  // A(phi_a) = 0
        const V E = dt * (c.se + c.thermionic + c.field);
        const M below = (A - E) < 0.0;
        lo = select(active && below, x, lo);
        hi = select(active && !below, x, hi);
        const V slope_E = -dt * c.dtotal;  // -dE/dphi >= 0
        // converged: F's Newton correction, the distance to the root to first order in either
        // form, is below the tolerance; keep x, where the currents were just evaluated. (G's own
        // correction would not do: it vanishes like x - phi_a at phi_a, whatever E is there.)
        const V correction = (A - E) / (C + slope_E);
        const M converged = active && (abs(correction) <= o.tolerance * (1.0 + abs(x)));
        cx = select_currents(converged, c, cx);
        at_x = at_x || converged;
        s.iterations = select(active, V(static_cast<double>(it)), s.iterations);
        active = active && !converged;
        if (!any(active)) break;
        const M newton = (E > 0.0) && (A > 0.0);
        const V Es = select(newton, E, V(1.0)), As = select(newton, A, V(1.0));
        const V dG = dt * c.dtotal / Es - C / As;
        V next = select(newton, x - log(Es / As) / dG, V(std::numeric_limits<double>::quiet_NaN()));
        // F's step as well, and the higher of the two: where F is concave and G convex (E
        // exponential-like) both Newton steps land at or below the root, from either side, so
        // the higher one is the closer (G's from just above phi_a, where it is singular, falls
        // far below; F's from far above, across a steep rise of E, too). F's alone where G is
        // undefined (nothing emitted at x, or x at phi_a). Landing at lo (to the tolerance) or
        // below (F's root is never below phi_a), F's step probes phi_a itself, once: the root
        // when nothing is emitted there either, else a point below it (F's step from there is
        // Newton from the left on a concave F: it stays below the root and converges).
        const V next_F = x - correction;
        const M take_F = !newton || (next_F > next);
        const M to_a = take_F && !(next_F > lo + o.tolerance * (1.0 + abs(lo))) && !probed_a;
        next = select(take_F, select(to_a, phi_a, next_F), next);
        // Newton whose step does not at least halve the last one (the sqrt kink of Schottky
        // emission at phi = 0) gives way to bisection (the safeguard of rtsafe, Press et al.,
        // Numerical Recipes, 9.4); monotone Newton convergence from one side keeps Newton
        const M slow = abs(next - x) > 0.5 * last_step;
        const M outside = !(((next > lo) || to_a) && (next < hi)) || slow;
        const V fallback =
            select(hi < kInf, 0.5 * (lo + hi), lo + max(V(1.0), 2.0 * abs(lo - phi_a)));
        next = select(outside, fallback, next);
        const V change = abs(next - x);
        last_step = select(active, change, last_step);
        x = select(active, next, x);
        // a bisection step below the tolerance, or a bracket at the resolution of doubles (a
        // small Newton step is not enough: G's vanishes near phi_a whatever E is there)
        const M done = active && ((outside && change <= o.tolerance * (1.0 + abs(x))) ||
                                  (hi - lo <= 1e-15 * (1.0 + abs(x))));
        active = active && !done;
        if (!any(active)) break;
        if (it == 200) {
          // the first lane still iterating, in the scalar model's words
          const auto a = to_array(active);
          std::size_t l = 0;
          while (!a[l]) ++l;
          auto at = [l](const V& v) { return std::to_string(to_array(v)[l]); };
          throw RuntimeError(
              "charging: the implicit charge update did not converge (phi0 = " + at(phi0) +
              " V, phi = " + at(x) + " V, bracket [" + at(lo) + ", " + at(hi) +
              "] V, T = " + at(T) + " K, d = " + at(d) + " m, I_abs = " + at(absorbed) +
              " A, I_se = " + at(se_current) + " A, dt = " + std::to_string(dt) + " s)");
        }
      }
      // lanes that stopped on a small step: their currents at the final potential
      const M need = !fast && !at_x;
      if (any(need)) cx = select_currents(need, I(x), cx);
      phi = select(fast, phi, x);
      s.end = select_currents(fast, s.end, cx);
    }
  }
  s.charge = C * (phi - o.external_potential);
  check_limits(model, s, phi, T, d, f);
  return s;
}

}  // namespace mps::lanes
