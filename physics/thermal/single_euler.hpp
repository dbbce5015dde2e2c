// ThermalModel::advance's one-evaluation path over a whole step, as a template over the lane
// type (lanes.hpp; V = double is one particle). See thermal_lanes.hpp for its use and
// thermal_model.hpp for the model; each line below has its twin in ThermalModel::rates,
// loss_slope and the first sub-step of advance.
#pragma once

#include <numbers>

#include "physics/materials/material_lanes.hpp"
#include "physics/thermal/thermal_model.hpp"
#include "solver/base/constants.hpp"

namespace mps::lanes {

template <class V>
struct SingleEuler {
  MaskOf<V> accepted;  // the lanes this path advanced; the others are left to advance()
  V h, T, f, m, d;     // end state
  V radiated, thermionic, evaporation;  // W over the step (beam heat is power dt)
};

template <class V>
SingleEuler<V> single_euler(const ThermalModel& model, const V& h0, const V& T0, const V& f0,
                            const V& m0, const V& d0, const V& power, const V& phi, double dt) {
  const Material& mat = model.material();
  const ThermalOptions& o = model.options();
  constexpr double kSigma = constants::stefan_boltzmann;
  const V area = constants::pi * d0 * d0;
  // rates at the start (ThermalModel::rates)
  const bool own_eps = std::isnan(o.emissivity);
  const V eps = own_eps ? emissivity(mat, T0) : V(o.emissivity);
  const double Tw = o.wall_temperature, Tw4 = Tw * Tw * Tw * Tw;
  const V T2 = T0 * T0, T4 = T2 * T2;
  const V radiated = o.radiation ? eps * kSigma * area * (T4 - Tw4) : V(0.0);
  V thermionic(0.0);
  const auto hot_th = T0 > model.thermionic_cutoff();
  if (o.thermionic && any(hot_th)) {
    const auto th = lanes::thermionic(mat.richardson_constant(), mat.work_function_eV(), T0,
                                      0.5 * d0, phi, o.schottky, false);
    thermionic = select(hot_th, th.heat, V(0.0));
  }
  V mdot(0.0), evaporation(0.0);
  const auto hot_ev = T0 > model.evaporation_cutoff();
  if (o.evaporation && any(hot_ev)) {
    mdot =
        select(hot_ev, area * vapour_pressure(mat, T0) * model.evaporation_coefficient() / sqrt(T0),
               V(0.0));
    evaporation = mdot * (h0 + heat_of_vaporisation(mat, T0));
  }
  const V losses = radiated + thermionic + evaporation;
  const V g = power - losses;
  const V m_euler = m0 - dt * mdot;
  // predicted Euler/Heun error from the loss slope (ThermalModel::loss_slope)
  const V c = cp(mat, T0);
  const V dT = dt * abs(g) / (m0 * c);
  V slope(0.0);
  if (o.radiation) {
    const V deps = own_eps ? emissivity_slope(mat, T0) : V(0.0);
    slope =
        select(radiated != 0.0, kSigma * area * (deps * (T4 - Tw4) + 4.0 * eps * T2 * T0), slope);
  }
  if (o.thermionic)
    slope += select(thermionic != 0.0,
                    thermionic * (3.0 / T0 + (mat.work_function_eV() + abs(phi)) /
                                                 (constants::boltzmann_eV * T2)),
                    V(0.0));
  if (o.evaporation) {
    const V Tc = T0 + mat.data().antoine_c;
    slope += select(evaporation != 0.0,
                    evaporation * std::numbers::ln10 * mat.data().antoine_b / (Tc * Tc) + mdot * c,
                    V(0.0));
  }
  const V dg = abs(slope) * dT + (2.0 / 3.0) * losses * dt * mdot / m0;
  const V predicted = 0.5 * dt * dg / (m0 * c);
  // the Euler end state, on the start's branch of h(T)
  SingleEuler<V> r;
  r.h = (m0 * h0 + dt * g) / m_euler;
  const auto end = state_of(mat, r.h);
  auto branch = [](const V& x) {
    return select(x <= 0.0, V(0.0), select(x >= 1.0, V(2.0), V(1.0)));
  };
  r.accepted = (m_euler > 0.5 * m0) && (predicted <= 0.1 * o.tolerance_K) && end.handled &&
               (branch(end.liquid_fraction) == branch(f0)) && !is_nan(r.h);
  r.T = end.temperature;
  r.f = end.liquid_fraction;
  r.m = m_euler;
  r.d = select(m_euler == m0, d0, d0 * cbrt(m_euler / m0));
  r.radiated = radiated;
  r.thermionic = thermionic;
  r.evaporation = evaporation;
  return r;
}

}  // namespace mps::lanes
