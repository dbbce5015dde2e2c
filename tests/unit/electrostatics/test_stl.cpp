// STL electrodes (mesh/stl.hpp): reading, the closed-surface check, the inside test on rays that
// run exactly through facet edges and vertices, cut fractions and distances against the exact
// sphere, and the case-file errors (a clear InputError naming the file for an open mesh).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "mesh/stl.hpp"
#include "physics/electrostatics/electrodes.hpp"
#include "solver/base/errors.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/case_loader.hpp"

namespace mps {
namespace {

std::filesystem::path temp_dir() {
  auto d = std::filesystem::temp_directory_path() / ("mps_stl_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}

double dist(const Vec3& a, const Vec3& b) {
  return std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

// The 12 facets of the axis-aligned box [lo, hi] (two per face, split along a diagonal).
std::vector<Facet> box_facets(const Vec3& lo, const Vec3& hi) {
  std::vector<Facet> f;
  auto corner = [&](int k) {
    return Vec3{k & 1 ? hi[0] : lo[0], k & 2 ? hi[1] : lo[1], k & 4 ? hi[2] : lo[2]};
  };
  const int quads[6][4] = {{0, 2, 6, 4}, {1, 5, 7, 3}, {0, 4, 5, 1},
                           {2, 3, 7, 6}, {0, 1, 3, 2}, {4, 6, 7, 5}};
  for (const auto& q : quads) {
    f.push_back({corner(q[0]), corner(q[1]), corner(q[2])});
    f.push_back({corner(q[0]), corner(q[2]), corner(q[3])});
  }
  return f;
}

TEST(Stl, WriteReadRoundTripAndClosedSurfaceCheck) {
  const auto facets = icosphere({0.1, 0.2, 0.3}, 0.05, 2);
  ASSERT_EQ(facets.size(), 320u);
  const auto path = (temp_dir() / "ball.stl").string();
  write_stl(path, facets);
  const auto back = read_stl(path, 1.0);
  ASSERT_EQ(back.size(), facets.size());
  for (std::size_t i = 0; i < back.size(); ++i)
    for (int c = 0; c < 3; ++c)
      for (int k = 0; k < 3; ++k) EXPECT_NEAR(back[i][c][k], facets[i][c][k], 1e-7);
  EXPECT_EQ(check_closed_surface(back, path).size(), 320u);
  // a hole: one facet removed leaves its three edges with a single facet
  auto open = back;
  open.erase(open.begin() + 17);
  try {
    check_closed_surface(open, path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(path + ": the surface is not closed: 3 edges belong to a single facet"),
              std::string::npos)
        << m;
  }
  // a facet twice: its edges are shared by three facets
  auto doubled = back;
  doubled.push_back(back[5]);
  EXPECT_THROW(check_closed_surface(doubled, path), InputError);
  // degenerate facets (two equal corners) are dropped, not counted as holes
  auto degenerate = back;
  degenerate.push_back({back[0][0], back[0][0], back[0][1]});
  EXPECT_EQ(check_closed_surface(degenerate, path).size(), 320u);
  std::filesystem::remove_all(temp_dir());
}

// Grid nodes on the planes, edges and corners of a box mesh, and nodes outside whose +x ray runs
// exactly along its faces, through its edges and through the diagonals that split its faces:
// the parity test must agree with the exact box everywhere off the surface.
TEST(Stl, InsideTestRobustOnGridAlignedFacets) {
  const Vec3 lo{0.25, 0.25, 0.375}, hi{0.75, 0.625, 0.75};
  const auto mesh = make_triangle_solid(box_facets(lo, hi));
  const auto box = make_box(lo, hi);
  int checked = 0;
  for (int k = 0; k <= 16; ++k)
    for (int j = 0; j <= 16; ++j)
      for (int i = 0; i <= 16; ++i) {
        const Vec3 p{i / 16.0, j / 16.0, k / 16.0};
        const double d = box->signed_distance(p);
        if (d == 0.0) continue;  // on the surface: either answer is right
        EXPECT_EQ(mesh->contains(p), d < 0) << p[0] << " " << p[1] << " " << p[2];
        ++checked;
      }
  EXPECT_GT(checked, 4000);
}

TEST(Stl, IcosphereAgreesWithTheSphereBeyondTheFacetError) {
  const Vec3 c{0.51, 0.47, 0.53};
  const double r = 0.3;
  const auto facets = icosphere(c, r, 3);
  const auto mesh = make_triangle_solid(facets);
  // every corner is on the sphere; the facets' closest approach to the centre bounds the
  // surface from inside
  const double r_in = -mesh->signed_distance(c);
  EXPECT_GT(r_in, 0.99 * r);
  EXPECT_LT(r_in, r);
  const auto sphere = make_sphere(c, r);
  unsigned s = 12345;
  auto next = [&] {
    s = s * 1664525u + 1013904223u;
    return (s >> 8) / 16777216.0;
  };
  for (int n = 0; n < 3000; ++n) {
    const Vec3 p{next(), next(), next()};
    const double rr = dist(p, c);
    if (rr > r_in && rr < r) continue;  // between the facets and the sphere
    EXPECT_EQ(mesh->contains(p), rr < r);
    // the distance to the mesh is the distance to the sphere up to the facet error r - r_in
    EXPECT_NEAR(mesh->signed_distance(p), sphere->signed_distance(p), r - r_in + 1e-12);
  }
  // cut fractions along grid edges: the crossing of the mesh is within the facet error
  const double h = 1.0 / 32;
  int cuts = 0;
  for (int k = 0; k < 32; ++k)
    for (int j = 0; j < 32; ++j)
      for (int i = 0; i < 32; ++i) {
        const Vec3 p{i * h, j * h, k * h}, q{(i + 1) * h, j * h, k * h};
        if (mesh->contains(p) || !mesh->contains(q)) continue;
        const double t = crossing_fraction(*mesh, p, q);
        const double x = p[0] + t * h;
        EXPECT_NEAR(mesh->signed_distance({x, p[1], p[2]}), 0.0, 1e-12);
        ++cuts;
      }
  EXPECT_GT(cuts, 100);
}

const char* kCase = R"(simulation: {end_time: 1 us, dt: 10 ns}
domain: {lo: [0, 0, 0], hi: [1 mm, 1 mm, 1 mm]}
processes: [electrostatics, domain]
electrostatics:
  cells: [16, 16, 16]
  electrodes:
    - {name: ball, shape: stl, file: FILE, scale: 1e-3, potential: 1 kV}
)";

std::string make_error(const std::string& file, const std::string& case_file) {
  std::string text = kCase;
  text.replace(text.find("FILE"), 4, file);
  try {
    const Case c = load_case_text(text, case_file, {}, builtin_units());
    builtin_units()
        .find("electrostatics")
        ->make(UnitContext{c.root.section("electrostatics"), c.root, case_file});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Stl, ElectrodeFromCaseFileRelativePathAndErrors) {
  const auto dir = temp_dir();
  write_stl((dir / "ball.stl").string(), icosphere({0.5, 0.5, 0.5}, 0.3, 2));  // in mm
  auto open = icosphere({0.5, 0.5, 0.5}, 0.3, 2);
  open.pop_back();
  write_stl((dir / "open.stl").string(), open);
  const std::string case_file = (dir / "case.yaml").string();
  EXPECT_EQ(make_error("ball.stl", case_file), "");
  const std::string m = make_error("open.stl", case_file);
  EXPECT_NE(m.find("electrostatics.electrodes[0].file (" + (dir / "open.stl").string() +
                   "): the surface is not closed"),
            std::string::npos)
      << m;
  EXPECT_NE(make_error("missing.stl", case_file).find("cannot open the STL file"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mps
