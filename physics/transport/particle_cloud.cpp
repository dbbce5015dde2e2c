#include "physics/transport/particle_cloud.hpp"

#include "solver/base/errors.hpp"

namespace mps::transport {

ParticleCloud cloud_from_particles(const ParticleStore& store, const Vec3& lo, const Vec3& hi,
                                   bool include_ghosts) {
  const std::size_t n = include_ghosts ? store.size_with_ghosts() : store.size();
  const double* x = store.ptr(Field::px);
  const double* y = store.ptr(Field::py);
  const double* z = store.ptr(Field::pz);
  const double* d = store.ptr(Field::diameter);
  std::vector<SphereSpec> spheres;
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i] < lo.x || x[i] > hi.x || y[i] < lo.y || y[i] > hi.y || z[i] < lo.z || z[i] > hi.z)
      continue;
    spheres.push_back({{x[i], y[i], z[i]}, 0.5 * d[i]});
    idx.push_back(i);
  }
  if (spheres.empty()) throw RuntimeError("transport: no particles in the beam region");
  return {SphereCloud(std::move(spheres)), std::move(idx)};
}

}  // namespace mps::transport
