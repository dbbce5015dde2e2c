// The runs behind `mpstream transport bulk|threshold`, callable from other commands (`mpstream
// study` runs them from a case file). Histories are shared over the ranks of MPI_COMM_WORLD;
// rank 0 writes summary.json and the CSV files into `out`.
#pragma once

#include <cstdint>
#include <string>

#include "physics/transport/engine.hpp"

namespace mps::cli {

struct TransportRunOptions {
  std::string energy = "100keV";
  std::uint64_t histories = 100000;
  std::uint64_t seed = 1;
  std::string out = "transport_out";
  double absorption_keV = 1.0;
  double c1 = 0.05, c2 = 0.04;
  bool quiet = false;  // no JSON echo on stdout
  transport::TransportOptions options() const {
    transport::TransportOptions o;
    o.absorption_energy_eV = absorption_keV * 1e3;
    o.c1 = c1;
    o.c2 = c2;
    return o;
  }
};

// Semi-infinite tungsten, normal pencil beam: summary.json, depth_dose.csv, spectra.csv.
int run_transport_bulk(const TransportRunOptions& o);
// Charging per primary of a free sphere (or a monolayer) over [e_lo, e_hi] keV and the neutrality
// thresholds: summary.json, charging.csv.
int run_transport_threshold(const TransportRunOptions& o, const std::string& diameter,
                            double e_lo_keV, double e_hi_keV, bool monolayer);

}  // namespace mps::cli
