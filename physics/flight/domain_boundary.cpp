#include "physics/flight/domain_boundary.hpp"

#include "solver/base/errors.hpp"

namespace mps {

void DomainBoundary::apply(Stage, ParticleStore& p, const StepContext&) {
  const std::size_t n = p.size();
  const double* x[3] = {p.ptr(Field::px), p.ptr(Field::py), p.ptr(Field::pz)};
  const double* m = p.ptr(Field::mass);
  auto* st = p.states().data();
  const double lx = lo_[0], ly = lo_[1], lz = lo_[2], hx = hi_[0], hy = hi_[1], hz = hi_[2];
  for (std::size_t i = 0; i < n; ++i) {
    // fast path: inside the box (branch-free test of all six faces)
    const bool inside = (x[0][i] >= lx) & (x[0][i] <= hx) & (x[1][i] >= ly) & (x[1][i] <= hy) &
                        (x[2][i] >= lz) & (x[2][i] <= hz);
    if (inside || st[i] != ParticleState::flying) continue;
    // the face crossed furthest (relative to the box size) is the one it left through
    int face = 0;
    double worst = -1.0;
    for (int a = 0; a < 3; ++a) {
      const double size = hi_[a] - lo_[a];
      const double below = (lo_[a] - x[a][i]) / size, above = (x[a][i] - hi_[a]) / size;
      if (below > worst) worst = below, face = 2 * a;
      if (above > worst) worst = above, face = 2 * a + 1;
    }
    st[i] = ParticleState::escaped;
    count_[face].add(1.0);
    mass_[face].add(m[i]);
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
