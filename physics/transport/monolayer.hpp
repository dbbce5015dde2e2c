// A monolayer of touching spheres (hexagonal close packing in the plane normal to the beam)
// under a broad parallel beam: the charging of a dense stream's first layer (the paper: a
// monolayer of 5 um spheres needs about 25 kV more than a free sphere to stay neutral).
//
// By translation symmetry, the charge one sphere of an infinite, uniformly irradiated layer
// collects per primary equals the charge the whole layer collects from primaries falling on one
// unit cell. So the beam covers the central sphere's hexagonal (Wigner-Seitz) cell only and the
// tallies are summed over every sphere of a finite patch of `rings` rings around it; electrons
// reaching beyond the patch are lost, which the ring count keeps small (checked in the tests).
#pragma once

#include "physics/transport/scenarios.hpp"

namespace mps::transport {

// Electrons along +z uniform over the hexagonal cell of pitch `pitch` centred on the z axis
// (flat-to-flat width = pitch), starting at z0.
class HexCellBeam : public BeamSource {
 public:
  HexCellBeam(double energy_eV, double pitch, double z0) : e_(energy_eV), a_(pitch), z0_(z0) {}
  Primary sample(Rng& rng) const override;
  double energy_eV() const override { return e_; }

 private:
  double e_, a_, z0_;
};

struct MonolayerSetup {
  SphereCloud geometry;
  HexCellBeam beam;
  TransportOptions options;
};
MonolayerSetup monolayer_setup(double diameter_m, double E_eV, TransportOptions base = {},
                               int rings = 5);

// Figures per sphere of the infinite layer: net_charge_per_primary sums body_charge over the
// patch; electrons_out_per_primary is what leaves the layer (1 - retained fast electrons);
// absorbed_energy_fraction sums the deposit.
SphereFigures monolayer_figures(const Tallies& t);

}  // namespace mps::transport
