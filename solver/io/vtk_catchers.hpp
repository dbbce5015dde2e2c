// Catcher deposition maps as VTK XML poly data: OUT/catchers_NNNNNN.vtp (issue 6), one polygon
// per patch of every catcher, with cell arrays named with units (deposited_mass_kg, ..., and the
// per-area densities), written by rank 0 from maps already summed over ranks.
#pragma once

#include <string>
#include <vector>

#include "solver/base/process.hpp"

namespace mps {

// A SurfaceMap with its cell sums reduced over ranks: name -> value per patch.
struct ReducedSurfaceMap {
  std::string unit, name;
  std::vector<Vec3> points;
  std::vector<std::vector<std::int64_t>> polygons;
  std::vector<double> area;
  std::vector<std::pair<std::string, std::vector<double>>> cells;
};

// Rank 0 only (no MPI). Writes every map into one .vtp file.
void write_catchers_vtp(const std::string& path, const std::vector<ReducedSurfaceMap>& maps);

}  // namespace mps
