#include "physics/thermal/thermal_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "physics/materials/emission.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps {

namespace {
constexpr double kPi = constants::pi;
constexpr double kSigma = constants::stefan_boltzmann;
constexpr double kGasConstant = constants::boltzmann * constants::avogadro;  // J/(mol K)
}  // namespace

ThermalModel::ThermalModel(const Material& material, const ThermalOptions& options)
    : m_(&material), o_(options) {
  if (!(o_.wall_temperature >= 0)) throw InputError("thermal: wall temperature must be >= 0 K");
  if (!(o_.tolerance_K > 0)) throw InputError("thermal: tolerance must be positive");
  evap_coeff_ = std::sqrt(m_->molar_mass() / (2.0 * kPi * kGasConstant));
  // Cut-offs: the highest temperature (10 K grid) up to which the zero-field thermionic heat
  // flux and the evaporation heat flux stay below 1e-12 of sigma T^4, i.e. far below anything
  // the radiation term or the tolerance can resolve. Skipping them there saves an exp and a pow
  // per evaluation for the many cold particles.
  const double W = m_->work_function_eV();
  auto below = [&](double T, bool thermionic) {
    const double bb = kSigma * T * T * T * T;
    double flux;
    if (thermionic) {
      const double J = emission::richardson_dushman(m_->richardson_constant(), W, T);
      flux = J * (W + 2.0 * constants::boltzmann_eV * T);
    } else {
      flux = m_->vapour_pressure(T) * evap_coeff_ / std::sqrt(T) *
             (m_->heat_of_vaporisation(T) + m_->enthalpy(T));
    }
    return flux < 1e-12 * bb;
  };
  t_th_cut_ = t_ev_cut_ = 0.0;
  for (double T = m_->min_temperature(); T < m_->max_temperature(); T += 10.0) {
    if (below(T, true))
      t_th_cut_ = T;
    else
      break;
  }
  for (double T = m_->min_temperature(); T < m_->max_temperature(); T += 10.0) {
    if (below(T, false))
      t_ev_cut_ = T;
    else
      break;
  }
}

ThermalRates ThermalModel::rates(double T, double h, double diameter, double phi) const {
  ThermalRates r;
  const double radius = 0.5 * diameter;
  const double area = 4.0 * kPi * radius * radius;
  if (o_.radiation) {
    const double eps = std::isnan(o_.emissivity) ? m_->emissivity(T) : o_.emissivity;
    const double Tw = o_.wall_temperature;
    r.radiated = eps * kSigma * area * (T * T * T * T - Tw * Tw * Tw * Tw);
  }
  if (o_.thermionic && T > t_th_cut_) {
    const auto th = emission::thermionic(m_->richardson_constant(), m_->work_function_eV(), T,
                                         radius, phi, o_.schottky, /*with_slope=*/false);
    r.thermionic = th.heat;
    r.thermionic_current = th.current;
  }
  if (o_.evaporation && T > t_ev_cut_) {
    r.evaporation_mass = area * m_->vapour_pressure(T) * evap_coeff_ / std::sqrt(T);
    r.evaporation = r.evaporation_mass * (h + m_->heat_of_vaporisation(T));
  }
  return r;
}

double ThermalModel::loss_slope(double T, const ThermalRates& r, double phi,
                                double diameter) const {
  // d(losses)/dT at fixed mass, from the laws in rates():
  //   radiation    eps sigma A (T^4 - Tw^4):  sigma A (eps' (T^4 - Tw^4) + 4 eps T^3)
  //   thermionic   ~ T^2 exp(-(W + |phi|) / kT) (W + 2kT):  Q (3 / T + (W + |phi|) / (k T^2))
  //                (an upper bound of the logarithmic slope for either sign of phi)
  //   evaporation  mdot (h + dH) with mdot ~ p(T) / sqrt(T):  Q ln10 B / (T + C)^2 + mdot cp
  double slope = 0.0;
  if (r.radiated != 0.0) {
    const double area = kPi * diameter * diameter, Tw = o_.wall_temperature;
    const double eps = std::isnan(o_.emissivity) ? m_->emissivity(T) : o_.emissivity;
    const double deps = std::isnan(o_.emissivity) ? m_->emissivity_slope(T) : 0.0;
    slope += kSigma * area * (deps * (T * T * T * T - Tw * Tw * Tw * Tw) + 4.0 * eps * T * T * T);
  }
  if (r.thermionic != 0.0)
    slope += r.thermionic * (3.0 / T + (m_->work_function_eV() + std::fabs(phi)) /
                                           (constants::boltzmann_eV * T * T));
  if (r.evaporation != 0.0) {
    const double Tc = T + m_->data().antoine_c;
    slope += r.evaporation * std::numbers::ln10 * m_->data().antoine_b / (Tc * Tc) +
             r.evaporation_mass * m_->cp(T);
  }
  return std::fabs(slope);
}

ThermalStepResult ThermalModel::advance(ThermalState& s, double power, double phi, double dt,
                                        const MeltState* start) const {
  ThermalStepResult res;
  const double m0 = s.mass, d0 = s.diameter;
  double E = s.mass * s.h, m = s.mass;
  const MeltState st = start ? *start : m_->state_of(s.h);
  res.peak_temperature = st.temperature;

  struct Eval {
    double g = 0.0, mdot = 0.0;
    ThermalRates r;
    MeltState st{0.0, 0.0};
    double h = 0.0;
  };
  auto eval_rates = [&](Eval& e, double mn) {
    const double d = mn == m0 ? d0 : d0 * std::cbrt(mn / m0);
    e.r = rates(e.st.temperature, e.h, d, phi);
    e.g = power - e.r.radiated - e.r.thermionic - e.r.evaporation;
    e.mdot = e.r.evaporation_mass;
  };
  auto eval = [&](double En, double mn) {
    Eval e;
    e.h = En / mn;
    e.st = m_->state_of(e.h);
    eval_rates(e, mn);
    return e;
  };

  double t = 0.0, tau = dt;
  Eval e1;
  e1.h = s.h;
  e1.st = st;
  eval_rates(e1, m);
  int attempts = 0;
  while (t < dt) {
    tau = std::min(tau, dt - t);
    if (dt - t - tau < 1e-12 * dt) tau = dt - t;  // do not leave a sliver
    if (++attempts > o_.max_substeps)
      throw RuntimeError("thermal: more than " + std::to_string(o_.max_substeps) +
                         " sub-steps in one step (T = " + std::to_string(e1.st.temperature) +
                         " K): reduce dt or raise thermal.max_substeps");
    const double m_euler = m - tau * e1.mdot;
    if (!(m_euler > 0.5 * m)) {  // evaporating half the mass in a sub-step: far too long
      tau *= 0.25;
      continue;
    }
    // One-evaluation step for a particle whose losses change little over the sub-step (most
    // particles outside the beam): the Euler/Heun error estimate 0.5 tau |g2 - g1| / (m cp) is
    // predicted from the loss slope, |g2 - g1| ~ |dg/dT| |dT| (+ the area change of an
    // evaporating particle, (2/3) |dm| / m of the losses), and when it is below a tenth of the
    // tolerance the Euler step is taken as it is, inside the same local error contract. The
    // end state must stay on the start's branch of h(T) (solid, plateau or liquid), where the
    // slope is meaningful; a step across the melting point takes the full pair below.
    {
      const double cp = m_->cp(e1.st.temperature);
      const double dT = tau * std::fabs(e1.g) / (m * cp);
      const double losses = e1.r.radiated + e1.r.thermionic + e1.r.evaporation;
      const double d = m == m0 ? d0 : d0 * std::cbrt(m / m0);
      const double dg = loss_slope(e1.st.temperature, e1.r, phi, d) * dT +
                        (2.0 / 3.0) * losses * tau * e1.mdot / m;
      const double predicted = 0.5 * tau * dg / (m * cp);
      if (predicted <= 0.1 * o_.tolerance_K) {
        Eval en;
        en.h = (E + tau * e1.g) / m_euler;
        en.st = m_->state_of(en.h);
        auto branch = [](const MeltState& x) {
          return x.liquid_fraction <= 0.0 ? 0 : x.liquid_fraction >= 1.0 ? 2 : 1;
        };
        if (branch(en.st) == branch(e1.st)) {
          E += tau * e1.g;
          m = m_euler;
          res.beam += tau * power;
          res.radiated += tau * e1.r.radiated;
          res.thermionic += tau * e1.r.thermionic;
          res.evaporated_energy += tau * e1.r.evaporation;
          res.evaporated_mass += tau * e1.mdot;
          if (e1.st.liquid_fraction > 0.0) res.time_molten += tau;
          res.peak_temperature = std::max(res.peak_temperature, en.st.temperature);
          ++res.substeps;
          t += tau;
          tau *= 4.0;
          if (t < dt) eval_rates(en, m);
          e1 = en;
          continue;
        }
      }
    }
    const Eval e2 = eval(E + tau * e1.g, m_euler);
    // temperature-equivalent local error of the Euler/Heun pair
    const double cp = m_->cp(e1.st.temperature);
    const double err = 0.5 * tau * std::fabs(e2.g - e1.g) / (m * cp);
    if (!(err <= o_.tolerance_K)) {
      if (std::isnan(err))
        throw RuntimeError(
            "thermal: non-finite energy balance (T = " + std::to_string(e1.st.temperature) + " K)");
      tau *= std::max(0.2, 0.9 * std::sqrt(o_.tolerance_K / err));
      continue;
    }
    // accept the Heun step
    const double w = 0.5 * tau;
    E += w * (e1.g + e2.g);
    m -= w * (e1.mdot + e2.mdot);
    res.beam += tau * power;
    res.radiated += w * (e1.r.radiated + e2.r.radiated);
    res.thermionic += w * (e1.r.thermionic + e2.r.thermionic);
    res.evaporated_energy += w * (e1.r.evaporation + e2.r.evaporation);
    res.evaporated_mass += w * (e1.mdot + e2.mdot);
    // the new state; its rates only if another sub-step follows
    Eval en;
    en.h = E / m;
    en.st = m_->state_of(en.h);
    const bool molten0 = e1.st.liquid_fraction > 0.0, molten1 = en.st.liquid_fraction > 0.0;
    res.time_molten += (molten0 && molten1) ? tau : (molten0 || molten1) ? 0.5 * tau : 0.0;
    res.peak_temperature = std::max(res.peak_temperature, en.st.temperature);
    ++res.substeps;
    t += tau;
    tau *= err > 0.0 ? std::min(4.0, 0.9 * std::sqrt(o_.tolerance_K / err)) : 4.0;
    if (t < dt) eval_rates(en, m);
    e1 = en;
  }
  res.end = e1.st;
  s.mass = m;
  s.h = E / m;
  s.diameter = m == m0 ? d0 : d0 * std::cbrt(m / m0);
  return res;
}

}  // namespace mps
