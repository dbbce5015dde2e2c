// A sphere cloud from the particles of a running simulation: every particle (owned and, when
// `include_ghosts`, ghost copies) becomes a sphere at (px, py, pz) with its diameter; body k of
// the cloud is particle index indices[k] of the store. The beam region is small, so the solver
// gathers its particles (sorted by id for rank independence) before building the cloud.
#pragma once

#include <cstdint>
#include <vector>

#include "physics/transport/geometry.hpp"
#include "solver/particles/particle_store.hpp"

namespace mps::transport {

struct ParticleCloud {
  SphereCloud cloud;
  std::vector<std::size_t> indices;  // store index of each body
};

// Particles whose centres lie in the box [lo, hi] (a beam region); throws if none.
ParticleCloud cloud_from_particles(const ParticleStore& store, const Vec3& lo, const Vec3& hi,
                                   bool include_ghosts = false);

}  // namespace mps::transport
