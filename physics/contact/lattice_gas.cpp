#include "physics/contact/lattice_gas.hpp"

#include <numbers>

#include "solver/base/rng.hpp"

namespace mps::contact {

std::size_t fill_lattice_gas(ParticleStore& p, const LatticeGas& g, int share, int shares) {
  const std::uint64_t n = static_cast<std::uint64_t>(g.sites_per_axis);
  std::size_t added = 0;
  for (std::uint64_t k = static_cast<std::uint64_t>(share); k < n * n * n;
       k += static_cast<std::uint64_t>(shares)) {
    Rng rng(g.seed, RngPurpose::contact, k);
    const std::size_t i = p.push_back(k, ParticleState::flying);
    const double d = g.diameter * (1.0 + g.diameter_spread * (2.0 * rng.uniform() - 1.0));
    p[Field::diameter][i] = d;
    p[Field::mass][i] = g.density * std::numbers::pi / 6.0 * d * d * d;
    const std::uint64_t slow = k / (n * n), fast = k % n;
    p[Field::px][i] = g.spacing * static_cast<double>(g.ids_along_x ? slow : fast);
    p[Field::py][i] = g.spacing * static_cast<double>((k / n) % n);
    p[Field::pz][i] = g.spacing * static_cast<double>(g.ids_along_x ? fast : slow);
    p[Field::vx][i] = g.velocity_sigma * rng.normal();
    p[Field::vy][i] = g.velocity_sigma * rng.normal();
    p[Field::vz][i] = g.velocity_sigma * rng.normal();
    p[Field::temperature][i] = 300.0;
    ++added;
  }
  return added;
}

}  // namespace mps::contact
