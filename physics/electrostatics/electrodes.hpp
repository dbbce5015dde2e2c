// Electrodes: conducting solids held at fixed potentials, embedded in the field grid.
//
// Each electrode is a solid primitive (mesh/geometry.hpp: plane, box, cylinder, sphere, annulus,
// optionally inverted into a cavity) with a potential. The checks here run on every rank over the
// whole fine grid (cheap next to a solve) so every rank throws the same InputError:
//   - an electrode that misses the field box,
//   - an electrode thinner than two grid cells (the grid cannot resolve it),
//   - two electrodes at different potentials sharing a grid node (overlap).
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
  double potential = 0.0;  // V
};

// Schema of one entry of `electrostatics.electrodes`.
void declare_electrode_schema(SectionSpec& s);
// Build from a validated entry (throws InputError naming the entry for a missing shape key).
Electrode electrode_from_config(const Config& c);
// The checks above; throws InputError.
void check_electrodes(const std::vector<Electrode>& electrodes, const UniformGrid& grid);

}  // namespace mps
