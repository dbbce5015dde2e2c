// Electrodes: conducting solids held at fixed potentials, embedded in the field grid.
//
// Each electrode is a solid (mesh/geometry.hpp: plane, box, cylinder, sphere or hollow sphere,
// annulus; mesh/stl.hpp: a closed STL surface; each optionally inverted into a cavity) with a
// fixed potential, or floating with a net charge. The checks here run on every rank over the
// whole fine grid (cheap next to a solve) so every rank throws the same InputError:
//   - an electrode that misses the field box,
//   - an electrode thinner than two grid cells (the grid cannot resolve it),
//   - two electrodes at different potentials sharing a grid node (overlap),
//   - a floating conductor (electrode or wall) with a node of another conductor within two grid
//     cells: its charge is measured as the Gauss flux through the faces one cell out from its
//     nodes, which needs a band of gap nodes around it (poisson.hpp),
//   - a floating wall whose potential nothing fixes (no fixed electrode, no capacitance to ground).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mesh/geometry.hpp"
#include "mesh/grid.hpp"
#include "solver/base/schema.hpp"

namespace mps {

struct Electrode {
  std::string name;
  std::shared_ptr<const Solid> solid;
  double potential = 0.0;  // V (fixed electrodes; floating ones: solved, see poisson.hpp)
  // Floating: an isolated conductor with net charge `charge` (C) whose potential is an unknown.
  bool floating = false;
  double charge = 0.0;
};

// The vessel wall (the faces of the field box) as far as the checks need it.
struct WallSpec {
  bool floating = false;
  double capacitance = 0.0;  // F, of the floating wall to the ground reference
};

// Schema of one entry of `electrostatics.electrodes`.
void declare_electrode_schema(SectionSpec& s);
// Build from a validated entry (throws InputError naming the entry for a missing shape key, or
// for an STL file that cannot be read or is not a closed surface). STL paths are relative to
// the folder of `case_file` unless absolute.
Electrode electrode_from_config(const Config& c, const std::string& case_file = {});
// The checks above; throws InputError.
void check_electrodes(const std::vector<Electrode>& electrodes, const UniformGrid& grid,
                      const WallSpec& wall = {});

}  // namespace mps
