// Grid fields as VTK XML parallel image data: OUT/fields_NNNNNN.pvti + one .vti piece per rank
// (pieces share their boundary layer of nodes, as VTK expects), and embedded surfaces
// (electrodes) as one OUT/surfaces.vtp. Arrays carry their unit in the name (potential_V, ...).
// Units fill a GridOutput (solver/base/process.hpp: ProcessUnit::grid_output); the solver writes.
#pragma once

#include <mpi.h>

#include <array>
#include <string>
#include <vector>

#include "solver/base/config.hpp"

namespace mps {

struct GridArray {
  std::string name;  // with unit: "potential_V"
  int components = 1;
  std::vector<double> values;  // node values of this rank's piece, x fastest, components interlaced
};

struct GridOutput {
  Vec3 origin{};                  // position of node (0, 0, 0)
  Vec3 spacing{};                 // node spacing per axis
  std::array<int, 3> nodes{};     // global node counts
  std::array<int, 3> lo{}, hi{};  // this rank's piece: inclusive node index ranges
  std::vector<GridArray> arrays;
  // Surfaces (rank 0's copy is written): triangles with a per-triangle part index and value.
  std::vector<Vec3> surface_points;
  std::vector<std::array<int, 3>> surface_triangles;
  std::vector<double> surface_value;  // per triangle
  std::string surface_value_name = "potential_V";
};

// Collective. `path` is the .pvti file; pieces go beside it as NAME_rR.vti.
void write_grid_vtk(MPI_Comm comm, const std::string& path, const GridOutput& g);
// Rank 0 writes; others return. Nothing is written if there are no triangles.
void write_surfaces_vtp(MPI_Comm comm, const std::string& path, const GridOutput& g);

}  // namespace mps
