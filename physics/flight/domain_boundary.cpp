#include "physics/flight/domain_boundary.hpp"

#include <algorithm>
#include <limits>

#include "solver/base/block_scan.hpp"
#include "solver/base/errors.hpp"

namespace mps {

void DomainBoundary::apply(Stage, ParticleStore& p, const StepContext& ctx) {
  // periodic axes (the solver wraps positions along them) have no faces to leave through
  if (ctx.periodic[0] && ctx.periodic[1] && ctx.periodic[2]) return;
  const std::size_t n = p.size();
  const double* x[3] = {p.ptr(Field::px), p.ptr(Field::py), p.ptr(Field::pz)};
  const double* m = p.ptr(Field::mass);
  auto* st = p.states().data();
  constexpr double inf = std::numeric_limits<double>::infinity();
  double lo[3], hi[3];
  for (int a = 0; a < 3; ++a) {
    lo[a] = ctx.periodic[a] ? -inf : lo_[a];
    hi[a] = ctx.periodic[a] ? inf : hi_[a];
  }
  auto leave = [&](std::size_t i) {
    // the face crossed furthest (relative to the box size) is the one it left through
    int face = 0;
    double worst = -1.0;
    for (int a = 0; a < 3; ++a) {
      if (ctx.periodic[a]) continue;
      const double size = hi_[a] - lo_[a];
      const double below = (lo_[a] - x[a][i]) / size, above = (x[a][i] - hi_[a]) / size;
      if (below > worst) worst = below, face = 2 * a;
      if (above > worst) worst = above, face = 2 * a + 1;
    }
    st[i] = ParticleState::escaped;
    count_[face].add(1.0);
    mass_[face].add(m[i]);
  };
  // blocks of a branch-free (vectorised) test of all six faces; the rare block with a particle
  // outside is looked at particle by particle
  constexpr std::size_t kBlock = 512;
  for (std::size_t b = 0; b < n; b += kBlock) {
    const std::size_t e = std::min(n, b + kBlock);
    bool outside = false;  // (a NaN position counts as outside)
    for (int a = 0; a < 3 && !outside; ++a) {
      const double l = lo[a], h = hi[a];
      outside = any_lane(x[a] + b, e - b, [=](double v) { return !(v >= l && v <= h); });
    }
    if (!outside) continue;
    for (std::size_t i = b; i < e; ++i) {
      const bool inside = (x[0][i] >= lo[0]) & (x[0][i] <= hi[0]) & (x[1][i] >= lo[1]) &
                          (x[1][i] <= hi[1]) & (x[2][i] >= lo[2]) & (x[2][i] <= hi[2]);
      if (!inside && st[i] == ParticleState::flying) leave(i);
    }
  }
}

std::vector<TallyRef> DomainBoundary::tallies() {
  std::vector<TallyRef> t;
  for (int f = 0; f < 6; ++f) {
    t.push_back({std::string("escaped_count_") + kFaceNames[f], &count_[f]});
    t.push_back({std::string("escaped_mass_kg_") + kFaceNames[f], &mass_[f]});
  }
  return t;
}

void register_domain_unit(UnitRegistry& registry) {
  UnitInfo u;
  u.name = "domain";
  u.doc = "The simulation box. Particles leaving it are counted as escaped, by face.";
  u.declare = [](SectionSpec& s) {
    s.vector3("lo", dim::length, "Lower corner of the box").require();
    s.vector3("hi", dim::length, "Upper corner of the box").require();
  };
  u.make = [](const UnitContext& c) -> std::unique_ptr<ProcessUnit> {
    Vec3 lo = c.section.vec3("lo"), hi = c.section.vec3("hi");
    for (int a = 0; a < 3; ++a)
      if (!(hi[a] > lo[a]))
        throw InputError("domain: expected hi > lo in every direction (axis " +
                         std::string(1, "xyz"[a]) + ")");
    return std::make_unique<DomainBoundary>(lo, hi);
  };
  registry.add(std::move(u));
}

}  // namespace mps
