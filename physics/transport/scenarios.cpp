#include "physics/transport/scenarios.hpp"

#include "physics/transport/stopping_power.hpp"

namespace mps::transport {

TransportOptions bulk_options(const Material& m, double E_eV, TransportOptions base, int bins) {
  base.tally_origin = {0, 0, 0};
  base.tally_axis = {0, 0, 1};
  base.depth_bins = bins;
  base.depth_max_m = 1.2 * csda_range(m, E_eV);
  return base;
}

BulkFigures bulk_figures(const Tallies& t, const Material& m) {
  BulkFigures f;
  const auto n = t.histories;
  f.backscatter_number = t.back_number.mean(n);
  f.backscatter_number_stderr = t.back_number.stderr_of_mean(n);
  f.backscatter_energy = t.back_energy.mean(n);
  f.backscatter_energy_stderr = t.back_energy.stderr_of_mean(n);
  f.absorbed_energy_fraction = t.deposited_energy.mean(n);
  f.absorbed_energy_fraction_stderr = t.deposited_energy.stderr_of_mean(n);
  f.radiated_fraction = t.radiated_energy.mean(n);
  f.secondary_yield = t.secondary_yield.mean(n);
  f.secondary_yield_stderr = t.secondary_yield.stderr_of_mean(n);
  f.csda_range_m = csda_range(m, t.energy_eV);
  if (!t.depth_dose.bins.empty()) f.depth = depth_dose_figures(t.depth_centers_m(), t.zeta_per_m());
  return f;
}

SphereSetup sphere_setup(double d, double E_eV, TransportOptions base) {
  base.tally_origin = {0, 0, -0.5 * d};
  base.tally_axis = {0, 0, 1};
  base.depth_bins = 100;
  base.depth_max_m = d;
  return {single_sphere(d), DiscBeam(E_eV, {0, 0, -d}, {0, 0, 1}, 0.5 * d), base};
}

SphereFigures sphere_figures(const Tallies& t) {
  SphereFigures f;
  const auto n = t.histories;
  f.absorbed_energy_fraction = t.deposited_energy.mean(n);
  f.absorbed_energy_fraction_stderr = t.deposited_energy.stderr_of_mean(n);
  f.electrons_out_per_primary = t.electrons_out.mean(n);
  f.electrons_out_per_primary_stderr = t.electrons_out.stderr_of_mean(n);
  f.secondary_yield = t.secondary_yield.mean(n);
  f.secondary_yield_stderr = t.secondary_yield.stderr_of_mean(n);
  // one body: net charge (electrons gained) per primary = entries - exits - slow SE
  if (!t.body_charge.empty()) {
    f.net_charge_per_primary = t.body_charge[0].mean(n);
    f.net_charge_per_primary_stderr = t.body_charge[0].stderr_of_mean(n);
  }
  f.backscatter_number = t.back_number.mean(n);
  f.backscatter_number_stderr = t.back_number.stderr_of_mean(n);
  f.transmitted_number = t.forward_number.mean(n);
  f.transmitted_number_stderr = t.forward_number.stderr_of_mean(n);
  return f;
}

}  // namespace mps::transport
