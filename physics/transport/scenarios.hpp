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
