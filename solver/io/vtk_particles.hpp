// Particles as VTK XML parallel poly data: OUT/particles_NNNNNN.pvtp + one .vtp piece per rank,
// written by VTK's own parallel writer. Point arrays carry their unit in the name
// (temperature_K, velocity_m_per_s, ...), from the field table of the particle store.
#pragma once

#include <mpi.h>

#include <string>

#include "solver/particles/particle_store.hpp"

namespace mps {

// Collective. `path` is the .pvtp file; pieces go beside it.
void write_particles_vtk(MPI_Comm comm, const std::string& path, const ParticleStore& p);

// The .pvd time-series index (rank 0 only): entries are (time, file, part).
class PvdIndex {
 public:
  explicit PvdIndex(std::string path) : path_(std::move(path)) {}
  // Keep entries of an existing index with time <= t (restart appends instead of overwriting).
  void load_existing(double up_to_time);
  void add(double time, const std::string& file, int part);
  void write() const;

 private:
  struct Entry {
    double time;
    std::string file;
    int part;
  };
  std::string path_;
  std::vector<Entry> entries_;
};

}  // namespace mps
