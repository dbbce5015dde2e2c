// Direct beam coupling: electron histories from the beam are tracked by the transport Monte Carlo
// (physics/transport) through the actual particles inside the beam, built as a sphere cloud, and
// every particle receives its own deposited power, absorbed current and slow secondary-electron
// current. Where the dense coupling assumes a continuum (depth-dose of compact tungsten scaled by
// the local stream density), this one sees the discrete spheres: shadowing, gaps through which
// electrons pass, backscatter from single spheres and between neighbours.
//
// Weights: N histories per coupling stand for the beam current I, so a per-primary mean x of a
// body becomes x I (number rates) or x U I (energy fractions: power). Histories are split over
// ranks by id (ids key the random streams), the per-body sums are reduced exactly by the solver
// (ProcessUnit::shared_sums), so the result does not depend on the number of ranks.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "physics/transport/engine.hpp"

namespace mps {

// Electrons entering the beam prism at its upstream face, parallel to the axis, with the
// focal-spot profile over the cross-section (uniform rectangle or Gaussian truncated at 3 sigma).
class FocalSpotSource : public transport::BeamSource {
 public:
  FocalSpotSource(double energy_eV, transport::Vec3 origin, transport::Vec3 u, transport::Vec3 w,
                  transport::Vec3 axis, double length, double width, bool gaussian,
                  double w_offset);
  transport::Primary sample(Rng& rng) const override;
  double energy_eV() const override { return e_; }

 private:
  double e_;
  transport::Vec3 o_, u_, w_, s_;
  double length_, width_;
  bool gaussian_;
  double w_offset_;
};

struct DirectCouplingOptions {
  std::uint64_t histories = 2000;  // per coupling, over all ranks
  std::uint64_t interval = 1;      // couple every this many steps (values held in between)
  transport::TransportOptions transport;
};

// Bremsstrahlung produced in each body of the cloud (eV, summed exactly so that the reduction
// over ranks does not depend on how the histories were split): the X-ray production map of the
// direct coupling comes from the transport's own emission events, not from a proxy.
class BodyXrays : public transport::XraySink {
 public:
  void reset(std::size_t bodies) { per_body_.assign(bodies, ExactSum{}); }
  void emit(const transport::Vec3&, double energy_eV, int body) override {
    if (body >= 0 && static_cast<std::size_t>(body) < per_body_.size())
      per_body_[static_cast<std::size_t>(body)].add(energy_eV);
  }
  std::vector<ExactSum>& sums() { return per_body_; }
  const std::vector<ExactSum>& sums() const { return per_body_; }

 private:
  std::vector<ExactSum> per_body_;
};

// Per-primary results of one coupling, per body of the cloud, after the solver's reduction.
struct DirectResult {
  std::vector<double> deposited_fraction, absorbed_number, secondary_number;
  std::vector<double> radiated_fraction_body;  // bremsstrahlung produced in the body
  double backscattered_fraction = 0, forward_fraction = 0, radiated_fraction = 0;
};

class DirectCoupling {
 public:
  DirectCoupling(const transport::Material& material, const DirectCouplingOptions& options);

  // Phase 1 (this rank's share of the histories of coupling number `coupling`).
  void track(const transport::SphereCloud& cloud, const transport::BeamSource& source,
             std::uint64_t coupling, std::uint64_t seed, int share, int shares);
  // The partial sums to reduce over ranks (empty if nothing was tracked).
  std::vector<ExactSum*> sums();
  // Phase 2: per-primary means after the reduction.
  DirectResult result() const;

  const DirectCouplingOptions& options() const { return opt_; }

 private:
  transport::TransportEngine engine_;
  DirectCouplingOptions opt_;
  transport::Tallies tallies_;
  BodyXrays xrays_;
  bool pending_ = false;
};

}  // namespace mps
