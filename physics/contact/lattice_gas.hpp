// Initial state of the granular-gas benchmark and tests: spheres on a simple-cubic lattice with
// Gaussian velocities, created in a ParticleStore (each caller creates the sites k with
// k % shares == share; the state of site k depends on k only, so it does not depend on the rank
// count). Used by bench/contacts.cpp and tests/mpi/contact.
#pragma once

#include <cstdint>

#include "solver/particles/particle_store.hpp"

namespace mps::contact {

struct LatticeGas {
  int sites_per_axis = 47;
  double spacing = 5.5e-6;       // m (lattice origin at 0)
  double diameter = 5e-6;        // m
  double diameter_spread = 0.0;  // diameters uniform in diameter (1 +- spread)
  double density = 19250.0;      // kg/m^3
  double velocity_sigma = 9.93;  // m/s per component (LAMMPS "velocity create 9e12" for 5 um W)
  std::uint64_t seed = 4928459;
  // Number the sites with x slowest (ids along x, the stream axis of the decomposition, as in an
  // injected stream: a rank's slab is one id range and the particles near its faces are
  // contiguous in memory) instead of x fastest (the order of LAMMPS create_atoms). The same sites
  // and the same velocity distribution; only which site gets which id changes.
  bool ids_along_x = false;
};

// Appends this caller's share of the lattice; returns the number of particles appended.
std::size_t fill_lattice_gas(ParticleStore& p, const LatticeGas& g, int share, int shares);

}  // namespace mps::contact
