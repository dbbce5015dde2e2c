// HDF5 checkpoints with parallel collective I/O (one file, every rank writes its hyperslab).
//
// Layout: attributes time, step, seed, ranks, format; /particles/{id,state,<field>} for every
// field flagged kCheckpoint; /tallies/<name> (ExactSum limbs, globally reduced); /units/<unit>/<key>
// (unit state). A file is written as NAME.tmp and renamed when complete, so a crash while writing
// never destroys the previous checkpoint. An XDMF file beside it lets ParaView open the particles.
#pragma once

#include <mpi.h>

#include <map>
#include <string>
#include <vector>

#include "solver/base/exact_sum.hpp"
#include "solver/particles/particle_store.hpp"

namespace mps {

struct CheckpointData {
  double time = 0.0;
  std::uint64_t step = 0;
  std::uint64_t seed = 0;
  std::map<std::string, ExactSum> tallies;  // global values (same on every rank)
  std::map<std::string, std::map<std::string, std::vector<double>>> unit_state;  // unit -> key -> data
};

// Collective. Writes `path` atomically (tmp + rename).
void write_checkpoint(MPI_Comm comm, const std::string& path, const ParticleStore& p,
                      const CheckpointData& meta);

// Collective. Each rank reads a contiguous share of the particles (migrate them afterwards).
CheckpointData read_checkpoint(MPI_Comm comm, const std::string& path, ParticleStore& p);

}  // namespace mps
