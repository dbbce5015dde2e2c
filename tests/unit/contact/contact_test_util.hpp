// Helpers of the contact tests: W spheres in a ParticleStore, and a velocity-Verlet step of the
// flight unit (no gravity) around the contact unit, as the solver orders them.
#pragma once

#include <cmath>
#include <numbers>

#include "physics/contact/contact.hpp"
#include "physics/flight/flight.hpp"

namespace mps::test {

inline constexpr double kRhoW = 19250.0;

inline std::size_t add_sphere(ParticleStore& p, std::uint64_t id, double d, Vec3 x, Vec3 v,
                              Vec3 w = {0, 0, 0}) {
  const std::size_t i = p.push_back(id, ParticleState::flying);
  p[Field::diameter][i] = d;
  p[Field::mass][i] = kRhoW * std::numbers::pi / 6.0 * d * d * d;
  p[Field::px][i] = x[0], p[Field::py][i] = x[1], p[Field::pz][i] = x[2];
  p[Field::vx][i] = v[0], p[Field::vy][i] = v[1], p[Field::vz][i] = v[2];
  p[Field::wx][i] = w[0], p[Field::wy][i] = w[1], p[Field::wz][i] = w[2];
  return i;
}

inline void verlet_step(Flight& flight, Contact& contact, ParticleStore& p, double dt,
                        std::uint64_t step) {
  StepContext ctx;
  ctx.dt = dt;
  ctx.step = step;
  ctx.time = static_cast<double>(step) * dt;
  flight.apply(Stage::pre_force, p, ctx);
  contact.apply(Stage::force, p, ctx);
  flight.apply(Stage::post_force, p, ctx);
}

}  // namespace mps::test
