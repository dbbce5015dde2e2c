#include "physics/thermal/thermal_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "physics/materials/emission.hpp"
#include "physics/thermal/adaptive_step.hpp"
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

// The laws and the sub-cycling are written once, as templates over the lane type
// (thermal_laws.hpp, adaptive_step.hpp); the scalar model is their one-lane instance.
ThermalRates ThermalModel::rates(double T, double h, double diameter, double phi) const {
  const auto r = lanes::thermal_rates(*this, T, h, diameter, phi);
  ThermalRates out;
  out.radiated = r.radiated;
  out.thermionic = r.thermionic;
  out.thermionic_current = r.thermionic_current;
  out.evaporation_mass = r.evaporation_mass;
  out.evaporation = r.evaporation;
  return out;
}

ThermalStepResult ThermalModel::advance(ThermalState& s, double power, double phi, double dt,
                                        const MeltState* start) const {
  const MeltState st = start ? *start : m_->state_of(s.h);
  const auto a = lanes::adaptive_step(*this, s.h, st.temperature, st.liquid_fraction, s.mass,
                                      s.diameter, power, phi, dt);
  ThermalStepResult res;
  res.beam = a.beam;
  res.radiated = a.radiated;
  res.thermionic = a.thermionic;
  res.evaporated_energy = a.evaporated_energy;
  res.evaporated_mass = a.evaporated_mass;
  res.time_molten = a.time_molten;
  res.peak_temperature = a.peak_temperature;
  res.end = {a.T, a.f};
  res.substeps = static_cast<int>(a.substeps);
  s.h = a.h;
  s.mass = a.m;
  s.diameter = a.d;
  return res;
}

}  // namespace mps
