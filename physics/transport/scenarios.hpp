// Standard set-ups of the transport Monte Carlo shared by the command line, tests and benchmarks:
// bulk (semi-infinite slab, normal pencil beam) and a free sphere in a broad parallel beam
// uniform over its projected disc. Figures are derived from merged Tallies.
#pragma once

#include <cstdint>

#include "physics/transport/engine.hpp"

namespace mps::transport {

// Options of a bulk run at energy E: depth tallies over 1.2 CSDA ranges in `bins` bins.
TransportOptions bulk_options(const Material& m, double E_eV, TransportOptions base = {},
                              int bins = 240);

struct BulkFigures {
  double backscatter_number = 0, backscatter_number_stderr = 0;
  double backscatter_energy = 0, backscatter_energy_stderr = 0;
  double absorbed_energy_fraction = 0, absorbed_energy_fraction_stderr = 0;
  double radiated_fraction = 0;
  double secondary_yield = 0, secondary_yield_stderr = 0;
  double csda_range_m = 0;
  DepthDoseFigures depth;
};
BulkFigures bulk_figures(const Tallies& t, const Material& m);

// Sphere of diameter d at the origin; beam along +z starting one diameter before it.
struct SphereSetup {
  SphereCloud geometry;
  DiscBeam beam;
  TransportOptions options;
};
SphereSetup sphere_setup(double diameter_m, double E_eV, TransportOptions base = {});

struct SphereFigures {
  double absorbed_energy_fraction = 0, absorbed_energy_fraction_stderr = 0;
  double electrons_out_per_primary = 0, electrons_out_per_primary_stderr = 0;
  double secondary_yield = 0, secondary_yield_stderr = 0;
  double net_charge_per_primary = 0, net_charge_per_primary_stderr = 0;
  double backscatter_number = 0, backscatter_number_stderr = 0;
  double transmitted_number = 0, transmitted_number_stderr = 0;
};
SphereFigures sphere_figures(const Tallies& t);

}  // namespace mps::transport

namespace mps::transport {

// Energy (eV) in [e_lo, e_hi] where a free sphere's net charge per primary crosses zero, by
// bisection on the mean of `histories` histories per energy (common random numbers: the same
// history ids at every energy, so the estimated curve is smooth). `include_slow_se` = false
// gives the fast-electron balance (1 - electrons out), the paper's definition (Methods).
// Returns NaN if there is no sign change in the interval.
struct Threshold {
  double energy_eV = 0;
  double absorbed_energy_fraction = 0;
  SphereFigures at_threshold;
};
Threshold neutrality_threshold(const Material& m, double diameter_m, std::uint64_t histories,
                               std::uint64_t seed, bool include_slow_se = true, double e_lo = 20e3,
                               double e_hi = 300e3, TransportOptions base = {});

}  // namespace mps::transport
