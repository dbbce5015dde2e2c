#include "physics/beam/direct_coupling.hpp"

#include <cmath>

namespace mps {

namespace {
constexpr double kFwhmToSigma = 0.42466090014400953;  // 1 / (2 sqrt(2 ln 2))
}

FocalSpotSource::FocalSpotSource(double energy_eV, transport::Vec3 origin, transport::Vec3 u,
                                 transport::Vec3 w, transport::Vec3 axis, double length,
                                 double width, bool gaussian, double w_offset)
    : e_(energy_eV),
      o_(origin),
      u_(u),
      w_(w),
      s_(axis),
      length_(length),
      width_(width),
      gaussian_(gaussian),
      w_offset_(w_offset) {}

transport::Primary FocalSpotSource::sample(Rng& rng) const {
  double a, b;
  if (!gaussian_) {
    a = (rng.uniform() - 0.5) * length_;
    b = (rng.uniform() - 0.5) * width_;
  } else {  // truncated at 3 sigma, as the dense coupling's current density
    const double su = kFwhmToSigma * length_, sw = kFwhmToSigma * width_;
    do a = su * rng.normal();
    while (std::abs(a) > 3 * su);
    do b = sw * rng.normal();
    while (std::abs(b) > 3 * sw);
  }
  return {o_ + u_ * a + w_ * (b + w_offset_), s_, e_};
}

DirectCoupling::DirectCoupling(const transport::Material& material,
                               const DirectCouplingOptions& options)
    : engine_(material, options.transport), opt_(options) {}

void DirectCoupling::track(const transport::SphereCloud& cloud, const transport::BeamSource& source,
                           std::uint64_t coupling, std::uint64_t seed, int share, int shares) {
  // this rank's contiguous block of the coupling's history ids
  const std::uint64_t n = opt_.histories, s = static_cast<std::uint64_t>(shares);
  const std::uint64_t r = static_cast<std::uint64_t>(share);
  const std::uint64_t first = n * r / s, last = n * (r + 1) / s;
  const std::uint64_t base = coupling * n;
  xrays_.reset(static_cast<std::size_t>(cloud.body_count()));
  tallies_ = engine_.run_histories(cloud, source, base + first, last - first, seed, &xrays_);
  tallies_.histories = n;  // after the reduction the sums are over all n histories
  pending_ = true;
}

std::vector<ExactSum*> DirectCoupling::sums() {
  if (!pending_) return {};
  std::vector<ExactSum*> s = tallies_.sums();
  for (auto& x : xrays_.sums()) s.push_back(&x);
  return s;
}

DirectResult DirectCoupling::result() const {
  DirectResult r;
  const std::uint64_t n = tallies_.histories;
  const std::size_t nb = tallies_.body_deposited.size();
  r.deposited_fraction.resize(nb);
  r.absorbed_number.resize(nb);
  r.secondary_number.resize(nb);
  r.radiated_fraction_body.assign(nb, 0.0);
  const double per_primary_eV = static_cast<double>(n) * tallies_.energy_eV;
  for (std::size_t b = 0; b < nb; ++b) {
    r.deposited_fraction[b] = tallies_.body_deposited[b].mean(n);
    // body_charge counts electrons in minus electrons out, slow secondaries included; the fast
    // (absorbed) part is that plus the secondaries, which the charging unit treats itself
    r.secondary_number[b] = tallies_.body_secondary[b].mean(n);
    r.absorbed_number[b] = tallies_.body_charge[b].mean(n) + r.secondary_number[b];
    if (b < xrays_.sums().size() && per_primary_eV > 0)
      r.radiated_fraction_body[b] = xrays_.sums()[b].value() / per_primary_eV;
  }
  r.backscattered_fraction = tallies_.back_energy.mean(n);
  r.forward_fraction = tallies_.forward_energy.mean(n);
  r.radiated_fraction = tallies_.radiated_energy.mean(n);
  return r;
}

}  // namespace mps
