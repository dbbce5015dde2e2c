// Tallies of the transport Monte Carlo with statistical uncertainties.
//
// Every tally is a per-history score x_i summed as sum x_i and sum x_i^2 in ExactSum
// superaccumulators, so merging tallies of different ranks (or history batches) in any order gives
// bit-identical results. Mean = S1 / N, standard error = sqrt((S2 / N - mean^2) / (N - 1)).
// Energies are scored as fractions of the incident energy of the primary.
#pragma once

#include <cstdint>
#include <vector>

#include "solver/base/exact_sum.hpp"

namespace mps::transport {

struct Estimator {
  ExactSum s1, s2;
  void add(double x) {
    if (x != 0.0) {
      s1.add(x);
      s2.add(x * x);
    }
  }
  void merge(const Estimator& o) {
    s1.add(o.s1);
    s2.add(o.s2);
  }
  double mean(std::uint64_t n) const { return n ? s1.value() / static_cast<double>(n) : 0.0; }
  double stderr_of_mean(std::uint64_t n) const;
};

// A per-history histogram (each bin an Estimator); scores of one history are collected in
// `pending` and flushed once per history, so the variance is that of per-history sums.
struct Histogram {
  double lo = 0, hi = 1;
  std::vector<Estimator> bins;
  std::vector<double> pending;
  std::vector<int> touched;
  void init(int n, double lo_, double hi_);
  int size() const { return static_cast<int>(bins.size()); }
  double width() const { return (hi - lo) / static_cast<double>(bins.size()); }
  void score(int bin, double x) {
    if (pending[bin] == 0.0) touched.push_back(bin);
    pending[bin] += x;
  }
  // spread x uniformly over [a, b] (a segment of a track in depth)
  void score_segment(double a, double b, double x);
  void score_at(double v, double x) {
    const double u = (v - lo) / width();
    if (u >= 0 && u < static_cast<double>(bins.size())) score(static_cast<int>(u), x);
  }
  void flush();
  void merge(const Histogram& o);
};

struct Tallies {
  std::uint64_t histories = 0;
  double energy_eV = 0;  // incident energy of the primaries
  // electrons leaving the geometry against / along the beam direction (all electrons and
  // primaries only): number and energy (fraction of the incident energy) per primary
  Estimator back_number, back_energy, back_primary_number, back_primary_energy;
  Estimator forward_number, forward_energy;
  Estimator deposited_energy;  // fraction, all bodies
  Estimator radiated_energy;   // bremsstrahlung, fraction
  Estimator secondary_yield;   // slow SE (expected number) per primary, all bodies
  Estimator electrons_out;     // electrons (> absorption energy) leaving any body, per primary
  Estimator energy_balance;    // incident - deposited - escaped - radiated (should be ~0)
  // per body
  std::vector<Estimator> body_deposited, body_charge, body_secondary;
  // depth along the beam axis from the tally origin: deposited energy (fraction) and
  // bremsstrahlung production (fraction)
  Histogram depth_dose, depth_xray;
  // deepest point reached by the primary (for the transmitted fraction vs depth)
  Histogram penetration;
  // escaping electron spectra (fraction of incident energy)
  Histogram spectrum_back, spectrum_forward;

  void init(int bodies, int depth_bins, double depth_max, int spectrum_bins = 100);
  void merge(const Tallies& o);

  // zeta(h) = dE/dh / E_in per incident electron (1/m), per bin, and its standard error
  std::vector<double> zeta_per_m() const;
  std::vector<double> zeta_stderr_per_m() const;
  std::vector<double> depth_centers_m() const;
  // fraction of primaries reaching beyond each bin centre
  std::vector<double> transmitted_fraction() const;
  // every ExactSum in a fixed order (to reduce tallies across MPI ranks limb by limb)
  std::vector<ExactSum*> sums();
};

// Depth-dose figures: peak depth, peak value and d15 (depth beyond the peak where zeta falls to
// 15 % of the peak, linear interpolation), from a zeta curve smoothed over 3 bins for the peak.
struct DepthDoseFigures {
  double depth_peak_m = 0, zeta_peak_per_m = 0, depth15_m = 0;
};
DepthDoseFigures depth_dose_figures(const std::vector<double>& depth_m,
                                    const std::vector<double>& zeta);

}  // namespace mps::transport
