// Triangulated surfaces from STL files, and solids bounded by them (electrodes of any shape).
//
// read_stl: binary or ASCII STL (binary when the size is 84 + 50 n bytes), scaled to metres.
// check_closed_surface: an STL solid must be watertight: every edge (by exact vertex
// coordinates, as CAD exporters and our generators write them) shared by exactly two facets.
// make_triangle_solid: the solid a closed triangle mesh bounds (mesh/geometry.hpp interface):
//  - inside test by ray parity along +x: the number of facets the ray crosses is odd inside.
//    Robust where the ray meets an edge or a vertex (grid nodes often lie exactly in the planes
//    of CAD facets): facets are tested in the y-z projection with edge functions computed the
//    same way, bit for bit, for the two facets of a shared edge, and points on an edge belong to
//    one side only by the top-left rule of rasterisers (as in watertight ray-triangle
//    intersection, Woop, Benthin & Wald, JCGT 2(1), 2013), so such a ray counts a shared
//    edge exactly once, or not at all where it only grazes a silhouette;
//  - crossing(): the Shortley-Weller cut fraction of a grid edge is the segment-triangle
//    intersection nearest to the gap node (Moller & Trumbore, J. Graphics Tools 2(1), 1997);
//  - signed_distance(): exact distance to the nearest facet (closest point on a triangle,
//    Ericson, Real-Time Collision Detection, 2005, 5.1.5), negative inside.
// Facets are binned in a uniform grid of buckets, so these queries cost a few facets each.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "mesh/geometry.hpp"

namespace mps {

using Facet = std::array<Vec3, 3>;

// Triangles of an STL file (binary or ASCII), scaled by `scale` (e.g. 1e-3 for a file in mm).
// Throws InputError naming the file if it cannot be read.
std::vector<Facet> read_stl(const std::string& path, double scale);

// Drops facets with two equal corners, then throws InputError (naming `what`, e.g. the file)
// unless the facets form a closed surface: every edge shared by exactly two facets.
std::vector<Facet> check_closed_surface(std::vector<Facet> facets, const std::string& what);

// The solid bounded by a closed triangle surface (check it first).
std::unique_ptr<Solid> make_triangle_solid(std::vector<Facet> facets);

// Binary STL writer (float32 corners, as CAD exporters write them); throws RuntimeError.
void write_stl(const std::string& path, const std::vector<Facet>& facets);

// Geodesic icosphere: the regular icosahedron, each facet split into four `level` times with
// the new corners projected onto the sphere; 20 * 4^level facets, all corners on the sphere,
// outward orientation. Test and example geometry for STL electrodes.
std::vector<Facet> icosphere(const Vec3& center, double radius, int level);

}  // namespace mps
