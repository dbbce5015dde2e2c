// Unit tests of the capture unit: swept hits on every shape, patches and areas, sticking models,
// rebounds, tallies and rank-independent sums.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "physics/capture/capture.hpp"
#include "solver/base/errors.hpp"
#include "solver/base/rng.hpp"
#include "solver/sim/builtin_units.hpp"
#include "solver/sim/case_loader.hpp"

using namespace mps;

namespace {

CatcherPart rect(Vec3 c, Vec3 n, double hu, double hv, int nu = 2, int nv = 2) {
  CatcherPart p;
  p.kind = CatcherPart::Kind::rectangle;
  p.c = c;
  p.n = n;
  complete_frame(n, nullptr, p.u, p.v);
  p.hu = hu, p.hv = hv, p.nu = nu, p.nv = nv;
  return p;
}

CatcherPart frustum(Vec3 base, Vec3 axis, double r0, double r1, double L) {
  CatcherPart p;
  p.kind = CatcherPart::Kind::frustum;
  p.c = base;
  p.n = axis;
  complete_frame(axis, nullptr, p.u, p.v);
  p.r0 = r0, p.r1 = r1, p.length = L, p.nu = 8, p.nv = 4;
  return p;
}

// A flying particle that moved from a to b in one step of dt (no force): v = (b - a) / dt.
void put(ParticleStore& pa, std::uint64_t id, Vec3 a, Vec3 b, double dt) {
  const auto i = pa.push_back(id, ParticleState::flying);
  pa[Field::px][i] = b[0], pa[Field::py][i] = b[1], pa[Field::pz][i] = b[2];
  pa[Field::vx][i] = (b[0] - a[0]) / dt, pa[Field::vy][i] = (b[1] - a[1]) / dt,
  pa[Field::vz][i] = (b[2] - a[2]) / dt;
  pa[Field::mass][i] = 2e-12;
  pa[Field::diameter][i] = 5e-6;
  pa[Field::temperature][i] = 400;
  pa[Field::enthalpy][i] = 1e5;
}

}  // namespace

TEST(CatcherGeometry, ThinPlaneIsHitByAFastParticleInOneStep) {
  CatcherGeometry g;
  g.add(rect({0.01, 0, 0}, {1, 0, 0}, 0.005, 0.005));
  // 400 m/s with a 1 us step: 0.4 mm per step across a plane of zero thickness
  auto h = g.intersect({0.0098, 0.001, 0.001}, {0.0102, 0.001, 0.001});
  ASSERT_TRUE(h);
  EXPECT_NEAR(h->s, 0.5, 1e-12);
  EXPECT_NEAR(h->point[0], 0.01, 1e-15);
  EXPECT_DOUBLE_EQ(h->normal[0], -1.0);                               // faces the incoming particle
  EXPECT_FALSE(g.intersect({0.0098, 0.006, 0}, {0.0102, 0.006, 0}));  // outside the rectangle
  EXPECT_FALSE(g.intersect({0.0098, 0, 0}, {0.0099, 0, 0}));          // does not reach it
  // from the other side
  auto back = g.intersect({0.0102, 0, 0}, {0.0098, 0, 0});
  ASSERT_TRUE(back);
  EXPECT_DOUBLE_EQ(back->normal[0], 1.0);
}

TEST(CatcherGeometry, RectanglePatchesAndAreas) {
  CatcherPart p = rect({0, 0, 0}, {0, 0, 1}, 1.0, 2.0, 4, 2);
  double total = 0;
  for (int k = 0; k < p.patches(); ++k) total += p.patch_area(k);
  EXPECT_NEAR(total, 8.0, 1e-12);
  CatcherGeometry g;
  g.add(p);
  // u = x, v = y for n = z (frame from the least-aligned coordinate axis)
  auto h = g.intersect({0.9, 1.9, 1}, {0.9, 1.9, -1});
  ASSERT_TRUE(h);
  EXPECT_EQ(h->patch, 1 * 4 + 3);
}

TEST(CatcherGeometry, DiscAnnulusAreaAndHole) {
  CatcherPart p;
  p.kind = CatcherPart::Kind::annulus;
  p.n = {0, 0, 1};
  complete_frame(p.n, nullptr, p.u, p.v);
  p.r_in = 0.5, p.r_out = 1.0, p.nu = 3, p.nv = 7;
  double total = 0;
  for (int k = 0; k < p.patches(); ++k) total += p.patch_area(k);
  EXPECT_NEAR(total, M_PI * (1.0 - 0.25), 1e-12);
  EXPECT_FALSE(p.intersect({0.1, 0, 1}, {0.1, 0, -1}, 0.0));  // through the hole
  EXPECT_TRUE(p.intersect({0.7, 0, 1}, {0.7, 0, -1}, 0.0));
}

TEST(CatcherGeometry, CylinderFromInsideAndOutside) {
  CatcherGeometry g;
  g.add(frustum({0, 0, -0.5}, {0, 0, 1}, 0.1, 0.1, 1.0));
  auto in = g.intersect({0, 0, 0}, {0.2, 0, 0});
  ASSERT_TRUE(in);
  EXPECT_NEAR(in->s, 0.5, 1e-12);
  EXPECT_NEAR(in->normal[0], -1.0, 1e-12);
  auto out = g.intersect({0.3, 0, 0.2}, {0.0, 0, 0.2});
  ASSERT_TRUE(out);
  EXPECT_NEAR(out->point[0], 0.1, 1e-12);
  EXPECT_NEAR(out->normal[0], 1.0, 1e-12);
  EXPECT_FALSE(g.intersect({0, 0, 0.6}, {0.2, 0, 0.6}));  // beyond the end
  // a chord crossing twice: the first crossing counts
  auto chord = g.intersect({-0.3, 0.05, 0}, {0.3, 0.05, 0});
  ASSERT_TRUE(chord);
  EXPECT_NEAR(chord->point[0], -std::sqrt(0.01 - 0.0025), 1e-12);
  double total = 0;
  for (int k = 0; k < g.parts()[0].patches(); ++k) total += g.parts()[0].patch_area(k);
  EXPECT_NEAR(total, 2 * M_PI * 0.1 * 1.0, 1e-12);
}

TEST(CatcherGeometry, ConeSurfaceAndArea) {
  // cone from radius 0 (apex at origin) to radius 1 at z = 1: the surface is x^2 + y^2 = z^2
  CatcherPart p = frustum({0, 0, 0}, {0, 0, 1}, 0.0, 1.0, 1.0);
  auto h = p.intersect({0, 0, 0.5}, {1, 0, 0.5}, 0.0);
  ASSERT_TRUE(h);
  EXPECT_NEAR(h->point[0], 0.5, 1e-12);
  EXPECT_NEAR(h->normal[0], -1 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(h->normal[2], 1 / std::sqrt(2.0), 1e-12);
  double total = 0;
  for (int k = 0; k < p.patches(); ++k) total += p.patch_area(k);
  EXPECT_NEAR(total, M_PI * 1.0 * std::sqrt(2.0), 1e-12);  // pi r l
  // a segment along a generator line is never "crossed" (A = 0 and no sign change)
  EXPECT_FALSE(p.intersect({0.2, 0, 0.1}, {0.2, 0, 0.15}, 0.0));
}

TEST(CaptureUnit, StickTalliesMassEnergiesAndMaps) {
  CatcherSpec c;
  c.name = "wall";
  c.geometry.add(rect({0.01, 0, 0}, {1, 0, 0}, 0.005, 0.005, 2, 2));
  Capture cap({c}, {0, 0, 0});
  ParticleStore pa;
  const double dt = 1e-6;
  put(pa, 1, {0.0098, 0.001, 0.001}, {0.0102, 0.001, 0.001}, dt);  // hits
  put(pa, 2, {0.0090, 0.001, 0.001}, {0.0094, 0.001, 0.001}, dt);  // not yet
  pa[Field::time_molten][0] = 1e-6;  // was molten, now solid: re-solidified
  cap.apply(Stage::boundary, pa, StepContext{0, dt, 0, 1, 0, 1});
  EXPECT_EQ(pa.states()[0], ParticleState::captured);
  EXPECT_EQ(pa.states()[1], ParticleState::flying);
  EXPECT_NEAR(pa[Field::px][0], 0.01, 1e-15);
  const auto& s = cap.sums()[0];
  EXPECT_EQ(s.t_count.value(), 1.0);
  EXPECT_EQ(s.t_mass.value(), 2e-12);
  EXPECT_DOUBLE_EQ(s.t_thermal.value(), 2e-12 * 1e5);
  EXPECT_NEAR(s.t_kinetic.value(), 0.5 * 2e-12 * 400.0 * 400.0,
              1e-12 * s.t_kinetic.value());  // v from (b - a) / dt
  EXPECT_EQ(s.t_resolidified.value(), 1.0);
  // patch: u, v of the normal x -> (y, z): y = 0.001 > 0, z = 0.001 > 0 -> patch (1, 1) = 3
  EXPECT_EQ(s.mass[3].value(), 2e-12);
  auto maps = cap.surface_maps();
  ASSERT_EQ(maps.size(), 1u);
  EXPECT_EQ(maps[0].polygons.size(), 4u);
  EXPECT_EQ(maps[0].cell_sums.size(), 5u);
}

TEST(CaptureUnit, ReboundReflectsWithRestitution) {
  CatcherSpec c;
  c.name = "mirror";
  c.model = CatcherSpec::Model::rebound;
  c.restitution = 0.5;
  c.tangential_restitution = 1.0;
  c.geometry.add(rect({0.01, 0, 0}, {1, 0, 0}, 0.005, 0.005));
  Capture cap({c}, {0, 0, 0});
  ParticleStore pa;
  const double dt = 1e-6;
  put(pa, 1, {0.0098, 0.0, 0.0}, {0.0102, 0.0002, 0.0}, dt);  // v = (400, 200, 0)
  cap.apply(Stage::boundary, pa, StepContext{0, dt, 0, 1, 0, 1});
  EXPECT_EQ(pa.states()[0], ParticleState::flying);
  EXPECT_NEAR(pa[Field::vx][0], -200.0, 1e-9);
  EXPECT_NEAR(pa[Field::vy][0], 200.0, 1e-9);
  // half of the step left after the hit at s = 0.5: x = 0.01 - 0.5 dt 200
  EXPECT_NEAR(pa[Field::px][0], 0.01 - 0.5 * dt * 200.0, 1e-15);
  EXPECT_NEAR(pa[Field::py][0], 0.0001 + 0.5 * dt * 200.0, 1e-15);
  EXPECT_EQ(cap.sums()[0].rebounds.value(), 1.0);
}

TEST(CaptureUnit, ImpactModelMoltenSticksSolidFastRebounds) {
  CatcherSpec c;
  c.name = "catcher";
  c.model = CatcherSpec::Model::impact;
  c.critical_speed = 1.0;
  c.geometry.add(rect({0.01, 0, 0}, {1, 0, 0}, 0.005, 0.005));
  Capture cap({c}, {0, 0, 0});
  ParticleStore pa;
  const double dt = 1e-6;
  put(pa, 1, {0.0098, 0, 0}, {0.0102, 0, 0}, dt);  // solid, 400 m/s: rebounds
  put(pa, 2, {0.0098, 0, 0}, {0.0102, 0, 0}, dt);  // molten: sticks
  pa[Field::liquid_fraction][1] = 0.3;
  put(pa, 3, {0.0098, 0, 0}, {0.0102, 0, 0}, dt);  // hot (at the sticking temperature): sticks
  pa[Field::temperature][2] = 3695.0;
  put(pa, 4, {0.01 - 2.5e-7, 0, 0}, {0.01 + 2.5e-7, 0, 0}, dt);  // 0.5 m/s: sticks (slow)
  put(pa, 5, {0.01 - 1e-6, 0, 0}, {0.01 + 1e-6, 0, 0}, dt);      // 2 m/s, solid: rebounds
  cap.apply(Stage::boundary, pa, StepContext{0, dt, 0, 1, 0, 1});
  EXPECT_EQ(pa.states()[0], ParticleState::flying);
  EXPECT_EQ(pa.states()[1], ParticleState::captured);
  EXPECT_EQ(pa.states()[2], ParticleState::captured);
  EXPECT_EQ(pa.states()[3], ParticleState::captured);
  EXPECT_EQ(pa.states()[4], ParticleState::flying);
}

TEST(CaptureUnit, GravityIsAccountedInTheSweptSegment) {
  // A particle at rest above a floor falls; the end state of a velocity Verlet step recovers the
  // start exactly: x_old = x - dt v + dt^2 / 2 g. It was above the floor and is now below it.
  CatcherSpec c;
  c.name = "floor";
  c.geometry.add(rect({0, 0, 0}, {0, 0, 1}, 1, 1));
  const Vec3 g{0, 0, -9.81};
  Capture cap({c}, g);
  ParticleStore pa;
  const double dt = 1e-2, z0 = 1e-4;
  const auto i = pa.push_back(1, ParticleState::flying);
  pa[Field::mass][i] = 1e-12;
  pa[Field::enthalpy][i] = std::nan("");
  pa[Field::pz][i] = z0 + 0.5 * g[2] * dt * dt;  // -3.9e-4: below the floor
  pa[Field::vz][i] = g[2] * dt;
  cap.apply(Stage::boundary, pa, StepContext{0, dt, 0, 1, 0, 1});
  EXPECT_EQ(pa.states()[0], ParticleState::captured);
  EXPECT_EQ(cap.sums()[0].no_enthalpy.value(), 1.0);
  EXPECT_EQ(cap.sums()[0].t_thermal.value(), 0.0);
}

TEST(CaptureSchema, BoxCatcherFromYamlAndBadInput) {
  const std::string base = R"(simulation: {end_time: 1 us, dt: 1 ns}
domain: {lo: [0, 0, 0], hi: [1, 1, 1]}
capture:
  catchers:
)";
  auto load = [&](const std::string& c) {
    return load_case_text(base + c, "t.yaml", {}, builtin_units());
  };
  Case ok = load(
      "    - {name: box, shape: box, center: [0.5, 0.5, 0.5], half_widths: [1 mm, 2 mm, 3 mm], "
      "patches: [2, 3]}\n");
  auto unit =
      builtin_units().find("capture")->make(UnitContext{ok.root.section("capture"), ok.root});
  auto* cap = dynamic_cast<Capture*>(unit.get());
  ASSERT_NE(cap, nullptr);
  EXPECT_EQ(cap->catchers()[0].geometry.patch_count(), 6 * 6);
  double total = 0;
  for (const auto& part : cap->catchers()[0].geometry.parts())
    for (int k = 0; k < part.patches(); ++k) total += part.patch_area(k);
  EXPECT_NEAR(total, 8 * (1e-3 * 2e-3 + 2e-3 * 3e-3 + 1e-3 * 3e-3), 1e-15);
  auto make = [&](const std::string& c) {
    Case k = load(c);
    return builtin_units().find("capture")->make(UnitContext{k.root.section("capture"), k.root});
  };
  EXPECT_THROW(make("    - {name: d, shape: disc, center: [0, 0, 0]}\n"), InputError);  // no normal
  EXPECT_THROW(
      make("    - {name: d, shape: disc, center: [0, 0, 0], normal: [0, 0, 0], radius: 1 mm}\n"),
      InputError);
  EXPECT_THROW(make("    - {name: a, shape: box, center: [0, 0, 0], half_widths: [1, 1, 1]}\n"
                    "    - {name: a, shape: box, center: [0, 0, 0], half_widths: [1, 1, 1]}\n"),
               InputError);  // duplicate name
  EXPECT_THROW(load("    - {name: p, shape: sphere, center: [0, 0, 0]}\n"), InputError);
  EXPECT_THROW(load("    - {name: p, shape: plane, center: [0, 0, 0], restitution: 1.5}\n"),
               InputError);
}

TEST(CatcherGeometry, StlAsciiAndBinaryFacets) {
  // a 10 mm x 10 mm square at x = 10 mm as two facets, in mm (scale 1e-3)
  const auto dir = std::filesystem::temp_directory_path();
  const std::string ascii = (dir / "mps_capture_square.stl").string();
  {
    std::ofstream o(ascii);
    o << "solid sq\n"
         "facet normal 1 0 0\n outer loop\n  vertex 10 -5 -5\n  vertex 10 5 -5\n  vertex 10 5 5\n "
         "endloop\nendfacet\n"
         "facet normal 1 0 0\n outer loop\n  vertex 10 -5 -5\n  vertex 10 5 5\n  vertex 10 -5 5\n "
         "endloop\nendfacet\n"
         "endsolid sq\n";
  }
  const std::string binary = (dir / "mps_capture_square_bin.stl").string();
  {
    const auto tris = read_stl(ascii, 1.0);
    std::ofstream o(binary, std::ios::binary);
    char header[80] = {};
    o.write(header, 80);
    const std::uint32_t n = static_cast<std::uint32_t>(tris.size());
    o.write(reinterpret_cast<const char*>(&n), 4);
    for (const auto& t : tris) {
      float f[12] = {1, 0, 0};
      for (int v = 0; v < 3; ++v)
        for (int k = 0; k < 3; ++k) f[3 + 3 * v + k] = static_cast<float>(t[v][k]);
      o.write(reinterpret_cast<const char*>(f), 48);
      const std::uint16_t attr = 0;
      o.write(reinterpret_cast<const char*>(&attr), 2);
    }
  }
  for (const auto& file : {ascii, binary}) {
    Config c("capture.catchers[0]");
    c.set("shape", std::string("stl"));
    c.set("file", file);
    c.set("scale", 1e-3);
    c.set("patches", std::vector<double>{16, 16});
    CatcherGeometry g = CatcherGeometry::from_config(c);
    ASSERT_EQ(g.patch_count(), 2) << file;
    EXPECT_NEAR(g.parts()[0].patch_area(0) + g.parts()[1].patch_area(0), 1e-4, 1e-16);
    auto h = g.intersect({0.0098, 0.003, -0.001}, {0.0102, 0.003, -0.001});
    ASSERT_TRUE(h);
    EXPECT_NEAR(h->point[0], 0.01, 1e-12);
    EXPECT_EQ(h->patch, 0);  // below the diagonal y = z: first facet
    EXPECT_NEAR(h->normal[0], -1.0, 1e-12);
    EXPECT_FALSE(g.intersect({0.0098, 0.006, 0}, {0.0102, 0.006, 0}));  // beside the square
    EXPECT_FALSE(g.intersect({0.0, 0.0, 0}, {0.005, 0.0, 0}));          // outside the box early-out
  }
  std::filesystem::remove(ascii);
  std::filesystem::remove(binary);
  Config bad("capture.catchers[0]");
  bad.set("shape", std::string("stl"));
  bad.set("file", std::string("/nonexistent/x.stl"));
  bad.set("scale", 1.0);
  bad.set("patches", std::vector<double>{16, 16});
  EXPECT_THROW(CatcherGeometry::from_config(bad), InputError);
}

TEST(CatcherGeometry, RandomSegmentsCrossFrustumsWhereTheSurfaceFunctionChangesSign) {
  // Cones, cylinders and frustums of random pose, crossed by random segments (mm scale, short
  // and long, many passing close to the surface). The reference is independent of the quadratic:
  // the surface function g(s) = |perp| - rho(axial) along the segment, sampled at 20001 points
  // and bisected at the first sign change inside the axial extent. Segments that only graze the
  // surface, or cut it twice between two samples (|g| below the sample spacing, no sign change)
  // are ambiguous for sampling and skipped; the crossing fractions must agree to 1e-9.
  int hits = 0, misses = 0, grazing = 0;
  for (std::uint64_t k = 0; k < 3000; ++k) {
    Rng rng(53, RngPurpose::test, k);
    auto uni = [&](double a, double b) { return a + (b - a) * rng.uniform(); };
    Vec3 axis{uni(-1, 1), uni(-1, 1), uni(-1, 1)};
    const double an = std::sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    for (auto& c : axis) c /= an;
    const double r0 = rng.uniform() < 0.2 ? 0.0 : uni(0.5e-3, 5e-3);
    const double r1 = rng.uniform() < 0.3 ? r0 : uni(0.5e-3, 5e-3);
    const double L = uni(1e-3, 10e-3);
    const Vec3 base{uni(-1e-3, 1e-3), uni(-1e-3, 1e-3), uni(-1e-3, 1e-3)};
    const CatcherPart p = frustum(base, axis, r0, r1, L);
    const double span = rng.uniform() < 0.5 ? 2e-3 : 10e-3;
    // start anywhere within a few radii of the axis, along and beyond the extent
    const double along = uni(-2e-3, L + 2e-3);
    Vec3 a{};
    for (int i = 0; i < 3; ++i) a[i] = base[i] + along * axis[i] + uni(-5e-3, 5e-3);
    const Vec3 b{a[0] + uni(-span, span), a[1] + uni(-span, span), a[2] + uni(-span, span)};
    auto at = [&](double s, double& g) {  // surface function and whether s is in the extent
      Vec3 w{};
      for (int i = 0; i < 3; ++i) w[i] = a[i] + s * (b[i] - a[i]) - base[i];
      const double ax = w[0] * axis[0] + w[1] * axis[1] + w[2] * axis[2];
      double perp2 = 0;
      for (int i = 0; i < 3; ++i) perp2 += (w[i] - ax * axis[i]) * (w[i] - ax * axis[i]);
      g = std::sqrt(perp2) - (r0 + (r1 - r0) * ax / L);
      return ax >= 0.0 && ax <= L;
    };
    constexpr int kSamples = 20000;
    double ref = -1.0, g0 = 0.0, gmin = 1e300;
    bool in0 = at(0.0, g0);
    for (int i = 1; i <= kSamples && ref < 0.0; ++i) {
      const double s1 = static_cast<double>(i) / kSamples;
      double g1 = 0.0;
      const bool in1 = at(s1, g1);
      if (in0 || in1) gmin = std::min(gmin, std::fabs(g1));
      if (in0 && in1 && (g0 > 0.0) != (g1 > 0.0)) {
        double lo = s1 - 1.0 / kSamples, hi = s1, glo = g0;
        for (int it = 0; it < 200 && hi - lo > 1e-15; ++it) {
          double gm = 0.0;
          at(0.5 * (lo + hi), gm);
          ((gm > 0.0) == (glo > 0.0) ? lo : hi) = 0.5 * (lo + hi);
        }
        ref = 0.5 * (lo + hi);
      }
      g0 = g1;
      in0 = in1;
    }
    const auto h = p.intersect(a, b, 0.0);
    // closer to the surface than the sampling resolves: a graze, or two crossings between two
    // samples (a segment cutting a cone next to its apex), which the sampling cannot see
    double seg = 0;
    for (int i = 0; i < 3; ++i) seg += (b[i] - a[i]) * (b[i] - a[i]);
    if (ref < 0.0 && gmin < std::sqrt(seg) / kSamples) {
      ++grazing;
      continue;
    }
    ASSERT_EQ(h.has_value(), ref >= 0.0)
        << "segment " << k << (h ? ": hit at s = " + std::to_string(h->s) : ": no hit")
        << ", reference " << ref;
    if (!h) {
      ++misses;
      continue;
    }
    ++hits;
    EXPECT_NEAR(h->s, ref, 1e-9) << "segment " << k;
  }
  EXPECT_GT(hits, 200);
  EXPECT_GT(misses, 300);
  EXPECT_LT(grazing, 30);
}
