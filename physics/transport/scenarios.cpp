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

namespace mps::transport {

namespace {
double charge_of(const SphereFigures& f, bool se) {
  return se ? f.net_charge_per_primary : 1.0 - f.electrons_out_per_primary;
}
SphereFigures run_sphere(const Material& m, double d, double E, std::uint64_t n, std::uint64_t seed,
                         const TransportOptions& base) {
  SphereSetup su = sphere_setup(d, E, base);
  TransportEngine engine(m, su.options);
  return sphere_figures(engine.run_histories(su.geometry, su.beam, 0, n, seed));
}
}  // namespace

Threshold neutrality_threshold(const Material& m, double d, std::uint64_t n, std::uint64_t seed,
                               bool se, double e_lo, double e_hi, TransportOptions base) {
  base.max_energy_eV = std::max(base.max_energy_eV, e_hi);
  SphereFigures lo = run_sphere(m, d, e_lo, n, seed, base),
                hi = run_sphere(m, d, e_hi, n, seed, base);
  double qlo = charge_of(lo, se), qhi = charge_of(hi, se);
  Threshold t;
  if (qlo * qhi > 0) {
    t.energy_eV = std::nan("");
    return t;
  }
  double a = e_lo, b = e_hi;
  for (int it = 0; it < 9; ++it) {  // 9 halvings of a log interval: ~0.5 % in energy
    const double c = std::sqrt(a * b);
    SphereFigures mid = run_sphere(m, d, c, n, seed, base);
    const double q = charge_of(mid, se);
    if (q * qlo > 0) {
      a = c;
      lo = mid;
      qlo = q;
    } else {
      b = c;
      hi = mid;
      qhi = q;
    }
  }
  // linear interpolation between the bracketing energies
  const double f = qlo / (qlo - qhi);
  t.energy_eV = a + f * (b - a);
  t.at_threshold = f < 0.5 ? lo : hi;
  t.absorbed_energy_fraction =
      lo.absorbed_energy_fraction + f * (hi.absorbed_energy_fraction - lo.absorbed_energy_fraction);
  return t;
}

}  // namespace mps::transport
