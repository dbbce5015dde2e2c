// Shared targets of the beam validations: the shipped tungsten response table, a 150 kV beam
// with a rectangular cross-section, and a packed bed of 5 um W spheres below it.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "physics/beam/electron_beam.hpp"
#include "solver/base/rng.hpp"
#include "solver/io/response_table_io.hpp"

namespace mps::beam_test {

inline const ResponseTable& table() {
  static const ResponseTable t =
      read_response_table(std::string(MPS_SOURCE_DIR) + "/cases/data/tungsten_response.h5");
  return t;
}

// 150 kV, 1 mA along -z, centred on the origin; L_CS = 60 um along x, W_CS along y.
inline BeamParams beam150(double width_cs = 60e-6) {
  BeamParams b;
  b.voltage = 150e3;
  b.current = 1e-3;
  b.center = {0, 0, 0};
  b.axis = {0, 0, -1};
  b.length_dir = {1, 0, 0};
  b.length_cs = 60e-6;
  b.width_cs = width_cs;
  b.column_size = 10e-6;
  b.depth_extent = 60e-6;
  b.compact_density = table().density;
  return b;
}

constexpr double kPitch = 5.05e-6;  // lattice pitch of the bed (5 um spheres, none overlap)

// `layers` staggered layers (body-centred-like, so that no straight channel runs along the beam)
// of 5 um spheres on a jittered lattice of pitch kPitch, [-50, 50] um laterally, layers 0.72
// pitch apart (nested) below z = 5 um; packing ~0.5. `seed` keys the jitter.
inline ParticleStore sphere_bed(int layers, std::uint64_t seed) {
  ParticleStore p;
  Rng rng(seed, RngPurpose::inject, 1);
  const double a = kPitch, d = 5e-6;
  std::uint64_t id = 0;
  for (int k = 0; k < layers; ++k)
    for (int j = -10; j < 10; ++j)
      for (int i = -10; i < 10; ++i) {
        const std::size_t n = p.size();
        p.resize(n + 1);
        p.ids()[n] = id++;
        p.states()[n] = ParticleState::flying;
        const double sx = (k % 2) * 0.5 * a, sy = (k % 2) * 0.5 * a;
        p[Field::px][n] = (i + 0.5) * a + sx + 0.02 * a * (rng.uniform() - 0.5);
        p[Field::py][n] = (j + 0.5) * a + sy + 0.02 * a * (rng.uniform() - 0.5);
        p[Field::pz][n] = 2.5e-6 - (k + 0.5) * 0.72 * a;
        p[Field::diameter][n] = d;
        p[Field::mass][n] = table().density * M_PI / 6 * d * d * d;
        p[Field::temperature][n] = 300;
      }
  return p;
}

}  // namespace mps::beam_test
