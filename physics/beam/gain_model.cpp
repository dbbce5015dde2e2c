#include "physics/beam/gain_model.hpp"

#include <cmath>

#include "physics/beam/figures_of_merit.hpp"
#include "solver/base/errors.hpp"

namespace mps {

GainResult stream_gain(const ResponseTable& t, const Material& m, const GainQuery& q) {
  const double e = q.voltage;  // eV for a tube voltage in V
  if (e < t.energies_eV.front() * (1 - 1e-9) || e > t.energies_eV.back() * (1 + 1e-9))
    throw InputError("gain: voltage outside the response table's energy range");
  if (!(q.density_fraction > 0 && q.density_fraction <= 1))
    throw InputError("gain: density fraction must be in (0, 1]");
  GainResult r;
  r.zeta_peak_per_m = t.of_energy(t.zeta_peak_per_m, e);
  r.depth15_m = t.of_energy(t.depth15_m, e);
  r.eta_energy = t.of_energy(t.eta_energy, e);
  const fom::NominalSpot spot = fom::iec_nominal_focal_spot(q.nominal);
  const double sa = std::sin(q.target_angle), ca = std::cos(q.target_angle);
  r.width_cs_m = spot.width_m;
  r.length_cs_m = spot.length_m / sa;
  r.dwell_s = r.width_cs_m / q.velocity;
  const double h_in = m.enthalpy(q.entry_temperature);
  const double h_lim = q.melting ? m.enthalpy_liquidus() : m.enthalpy_solidus();
  r.enthalpy_rise_J_per_kg = h_lim - h_in;
  // the density of the compact material the table was computed for (zeta is per compact depth)
  const double rho = t.density;
  r.permitted_power_W = fom::permitted_power_stream(rho, r.enthalpy_rise_J_per_kg, q.velocity,
                                                    r.length_cs_m, r.zeta_peak_per_m);
  r.rotating_anode_power_W =
      fom::rotating_anode_reference_power(r.length_cs_m, r.width_cs_m, q.reference_power);
  r.gain = r.permitted_power_W / r.rotating_anode_power_W;
  r.paper_fit_gain = fom::paper_gain_fit(q.velocity, q.voltage * 1e-3);

  // coronae of a stream of density fraction f (l15 taken equal to d15, see the header)
  const double d15 = r.depth15_m / q.density_fraction, l15 = d15;
  r.derated_length_cs_m = (spot.length_m - d15 * ca) / sa - 2 * l15;
  r.derated_width_cs_m = spot.width_m - 2 * l15;
  if (r.derated_length_cs_m > 0 && r.derated_width_cs_m > 0) {
    // the dwell shortens with W_CS but the power density limit stays: P scales with L_CS only
    r.derated_permitted_power_W = fom::permitted_power_stream(
        rho, r.enthalpy_rise_J_per_kg, q.velocity, r.derated_length_cs_m, r.zeta_peak_per_m);
    r.derated_gain = r.derated_permitted_power_W / r.rotating_anode_power_W;
  }

  // depth of compact material absorbing the target fraction of what a thick target absorbs
  const std::size_t nd = t.depths_m.size();
  std::vector<double> cum(nd, 0.0);
  for (std::size_t k = 1; k < nd; ++k) {
    const double h0 = t.depths_m[k - 1], h1 = t.depths_m[k];
    cum[k] = cum[k - 1] + 0.5 * (t.zeta(e, h0) + t.zeta(e, h1)) * (h1 - h0);
  }
  const double goal = q.absorbed_fraction_target * cum.back();
  for (std::size_t k = 1; k < nd; ++k) {
    if (cum[k] >= goal) {
      const double f = (goal - cum[k - 1]) / (cum[k] - cum[k - 1]);
      r.absorption_depth_m = t.depths_m[k - 1] + f * (t.depths_m[k] - t.depths_m[k - 1]);
      break;
    }
  }
  // mass crossing the focal spot per second: areal density (rho h) times L_CS times v
  r.mass_flow_kg_per_s = rho * r.absorption_depth_m * r.length_cs_m * q.velocity;
  return r;
}

GainPair stream_gain_pair(const ResponseTable& table, const Material& material, GainQuery q) {
  q.melting = false;
  GainPair g;
  g.solid = stream_gain(table, material, q);
  q.melting = true;
  g.melting = stream_gain(table, material, q);
  return g;
}

}  // namespace mps
