// Electron-transport Monte Carlo engine (mixed "class II" scheme in the spirit of PENELOPE:
// Salvat, Fernandez-Varea & Sempau, PENELOPE-2014, NEA/NSC/DOC(2015)3, ch. 4).
//
// Per step an electron of energy E in a body
//  - travels to the next hard event (exponential distance with the total hard rate), the step
//    being limited so that the continuous loss is at most c2 E;
//  - hard events: elastic deflections with mu = (1 - cos theta) / 2 above the cut-off mu_c chosen
//    so that the mean free path between hard elastic events is max(lambda_el, c1 lambda_1)
//    (lambda_1 = first transport mean free path), sampled exactly from the screened-Rutherford x
//    Mott DCS by rejection (elastic.hpp); and Moller collisions with energy transfer above the
//    delta-ray cut-off, whose knock-on electrons are tracked like primaries;
//  - soft events (elastic below mu_c, collisions below the cut-off, bremsstrahlung) are grouped:
//    the restricted collision loss S_soft and the radiative loss S_rad act continuously along the
//    track, and the soft angular deflection is applied at a random point of the step (random
//    hinge) with its exact first moment <1 - cos theta> = 1 - exp(-s / lambda_1,soft) and the
//    small-angle (Gaussian in theta) shape, good because c1 keeps each soft deflection small.
// Crossing a surface ends the step there (the hinge is skipped), so boundaries are handled
// exactly as in a detailed simulation. Radiative loss leaves as X-rays (tallied, optional sink).
// Below the absorption energy an electron deposits its energy where it is.
// Slow secondary electrons: constant-loss model (Sternglass, Phys. Rev. 108, 1 (1957); Dionne,
// J. Appl. Phys. 44, 5361 (1973)): an electron crossing the surface with energy E at angle theta
// to the normal frees on average k S_col(E) / |cos theta| slow electrons into vacuum (path within
// the escape depth; 1/|cos theta| capped at 10), k = Material::se_coefficient. They are tallied
// as an expected number (not tracked) and count as charge leaving the body.
//
// Randomness: one counter-based stream per history, Rng(seed, transport, history id), so any
// split of the histories over ranks gives the same tallies (merged exactly).
#pragma once

#include <cstdint>
#include <vector>

#include "physics/transport/elastic.hpp"
#include "physics/transport/geometry.hpp"
#include "physics/transport/material.hpp"
#include "physics/transport/tallies.hpp"
#include "solver/base/rng.hpp"

namespace mps::transport {

struct TransportOptions {
  double absorption_energy_eV = 1000.0;
  double delta_cut_eV = 0.0;  // <= 0: the absorption energy
  double c1 = 0.05;           // hard elastic mean free path >= c1 * transport mean free path
  double c2 = 0.04;           // maximum fractional continuous energy loss per step
  double max_energy_eV = 1.0e6;
  bool slow_secondaries = true;
  // depth tallies along tally_axis from tally_origin
  Vec3 tally_origin{0, 0, 0}, tally_axis{0, 0, 1};
  int depth_bins = 0;
  double depth_max_m = 0.0;
  int spectrum_bins = 100;
};

struct Primary {
  Vec3 position, direction;  // direction: unit vector
  double energy_eV = 0;
};

class BeamSource {
 public:
  virtual ~BeamSource() = default;
  virtual Primary sample(Rng& rng) const = 0;
  virtual double energy_eV() const = 0;
};

// All electrons from one point in one direction.
class PencilBeam : public BeamSource {
 public:
  PencilBeam(double energy_eV, Vec3 position = {0, 0, -1e-9}, Vec3 direction = {0, 0, 1})
      : e_(energy_eV), p_(position), d_(direction) {}
  Primary sample(Rng&) const override { return {p_, d_, e_}; }
  double energy_eV() const override { return e_; }

 private:
  double e_;
  Vec3 p_, d_;
};

// Parallel beam uniform over a disc of radius r centred at `center`, normal to the direction.
class DiscBeam : public BeamSource {
 public:
  DiscBeam(double energy_eV, Vec3 center, Vec3 direction, double radius);
  Primary sample(Rng& rng) const override;
  double energy_eV() const override { return e_; }

 private:
  double e_, r_;
  Vec3 c_, d_, u_, v_;
};

// Receives the radiative (bremsstrahlung) energy produced along each track segment.
class XraySink {
 public:
  virtual ~XraySink() = default;
  virtual void emit(const Vec3& position, double energy_eV, int body) = 0;
};

class TransportEngine {
 public:
  TransportEngine(const Material& material, const TransportOptions& options);

  // Tracks histories first_id .. first_id + count - 1 (history id keys the random stream).
  Tallies run_histories(const Geometry& geometry, const BeamSource& source, std::uint64_t first_id,
                        std::uint64_t count, std::uint64_t seed, XraySink* xrays = nullptr) const;
  Tallies empty_tallies(const Geometry& geometry) const;

  const Material& material() const { return mat_; }
  const TransportOptions& options() const { return opt_; }

  // Table values at an energy (for tests and reports)
  struct Coefficients {
    double s_col, s_soft, s_rad;                          // eV/m
    double sigma_moller;                                  // 1/m, hard inelastic
    double sigma_el, sigma_hard_el, sigma1, sigma1_soft;  // 1/m
    double mu_cut;
  };
  Coefficients coefficients(double E_eV) const;

 private:
  struct Row {
    double s_col, s_soft, s_rad, sig_m, sig_el, sig_h, sig1, sig1s, mu_c, r_max;
  };
  Row row(double E) const;
  struct Electron;
  struct History;
  void track(History& h, const Geometry& g) const;

  Material mat_;
  TransportOptions opt_;
  MottRatio mott_;
  double ln_e0_ = 0, inv_dln_ = 1;
  std::vector<Row> table_;
  double delta_cut_ = 0;
};

}  // namespace mps::transport
