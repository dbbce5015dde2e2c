#include "physics/contact/contact.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "physics/contact/restitution.hpp"
#include "solver/base/errors.hpp"

namespace mps {

double rayleigh_time(double radius, double density, double youngs_modulus, double poisson_ratio) {
  const double g = youngs_modulus / (2.0 * (1.0 + poisson_ratio));
  return std::numbers::pi * radius * std::sqrt(density / g) / (0.1631 * poisson_ratio + 0.8766);
}

Contact::Contact(const ContactParams& p) : p_(p) {
  const double E = p_.youngs_modulus, nu = p_.poisson_ratio;
  const double G = E / (2.0 * (1.0 + nu));
  // two bodies of the same material (walls too): 1/E* = 2 (1 - nu^2)/E, 1/G* = 2 (2 - nu)/G
  pair_.e_star = E / (2.0 * (1.0 - nu * nu));
  pair_.g_star = G / (2.0 * (2.0 - nu));
  pair_.damping = contact::damping_from_restitution(p_.restitution, p_.damping);
  pair_.tangential_damping_ratio = p_.tangential_damping_ratio;
  pair_.friction = p_.friction;
  pair_.rolling_friction = p_.rolling_friction;
}

double Contact::max_dt() const {
  return p_.time_step_safety *
         rayleigh_time(0.5 * p_.min_diameter, p_.density, p_.youngs_modulus, p_.poisson_ratio);
}

std::vector<TallyRef> Contact::tallies() {
  return {{"collisions_count", &collisions_}, {"wall_collisions_count", &wall_collisions_}};
}

void Contact::apply(Stage, ParticleStore& p, const StepContext& ctx) {
  const std::size_t n = p.size(), nown = n - p.ghost_count();
  const double* const x[3] = {p.ptr(Field::px), p.ptr(Field::py), p.ptr(Field::pz)};
  const double* const v[3] = {p.ptr(Field::vx), p.ptr(Field::vy), p.ptr(Field::vz)};
  double* const w[3] = {p.ptr(Field::wx), p.ptr(Field::wy), p.ptr(Field::wz)};
  double* const f[3] = {p.ptr(Field::fx), p.ptr(Field::fy), p.ptr(Field::fz)};
  const double* m = p.ptr(Field::mass);
  const double* dia = p.ptr(Field::diameter);
  const auto& id = p.ids();
  const auto* st = p.states().data();
  const double dt = ctx.dt;
  const auto& box = p_.box;

  radius_.resize(n);
  active_.resize(n);
  const double dmax = p_.max_diameter * (1.0 + 1e-12);
  for (std::size_t i = 0; i < n; ++i) {
    radius_[i] = 0.5 * dia[i];
    active_[i] = st[i] == ParticleState::flying || st[i] == ParticleState::in_rotor;
    if (active_[i] && dia[i] > dmax)
      throw std::runtime_error("contact: particle " + std::to_string(id[i]) + " at step " +
                               std::to_string(ctx.step) + " is larger than contact.max_diameter");
  }
  const bool same_set =
      list_ids_.size() == n && std::equal(id.begin(), id.end(), list_ids_.begin());
  if (!same_set || list_.needs_rebuild(x, n, box)) {
    list_.build(x, radius_.data(), active_.data(), n, p_.skin, box);
    list_ids_.assign(id.begin(), id.end());
  }

  records_.clear();
  next_history_.clear();
  const auto& L1 = list_.first();
  const auto& L2 = list_.second();
  const double* r = radius_.data();
  const double* const wc[3] = {w[0], w[1], w[2]};
  for (std::size_t k = 0; k < L1.size(); ++k) {
    std::uint32_t i = L1[k], j = L2[k];
    double dx = box.image(0, x[0][i] - x[0][j]), dy = box.image(1, x[1][i] - x[1][j]),
           dz = box.image(2, x[2][i] - x[2][j]);
    const double sum = r[i] + r[j];
    const double r2 = dx * dx + dy * dy + dz * dz;
    if (r2 >= sum * sum || !active_[i] || !active_[j] || r2 == 0.0) continue;
    // canonical orientation: i is the lower id, so every rank computes the same bits
    if (id[i] > id[j]) {
      std::swap(i, j);
      dx = -dx;
      dy = -dy;
      dz = -dz;
    }
    const double dist = std::sqrt(r2);
    const PairKey key{id[i], id[j]};
    std::array<double, 3> h{0.0, 0.0, 0.0};
    if (auto it = history_.find(key); it != history_.end())
      h = it->second;
    else if (i < nown)
      collisions_.add(1.0);
    const double d[3] = {dx, dy, dz};
    const double dv[3] = {v[0][i] - v[0][j], v[1][i] - v[1][j], v[2][i] - v[2][j]};
    const double wi[3] = {wc[0][i], wc[1][i], wc[2][i]}, wj[3] = {wc[0][j], wc[1][j], wc[2][j]};
    Record rec{i, j, {}};
    contact::hertz_mindlin(pair_, d, dist, sum - dist, r[i], r[j], r[i] * r[j] / sum,
                           m[i] * m[j] / (m[i] + m[j]), dv, wi, wj, dt, h.data(), rec.f);
    next_history_[key] = h;
    if (i < nown || j < nown) records_.push_back(rec);
  }
  // walls: ghosts too, for their history only (a particle sliding on a wall keeps its history
  // when it migrates); forces on owned particles
  const double zero[3] = {0.0, 0.0, 0.0};
  for (std::size_t wi_ = 0; wi_ < p_.walls.size(); ++wi_) {
    const auto& wall = p_.walls[wi_];
    const std::uint64_t tag = ~static_cast<std::uint64_t>(wi_);
    for (std::uint32_t i = 0; i < n; ++i) {
      if (!active_[i]) continue;
      const double xi[3] = {x[0][i], x[1][i], x[2][i]};
      double s = 0.0, nrm[3];
      if (!wall.distance(xi, s, nrm) || s >= r[i] || s <= 0.0) continue;
      const PairKey key{id[i], tag};
      std::array<double, 3> h{0.0, 0.0, 0.0};
      if (auto it = history_.find(key); it != history_.end())
        h = it->second;
      else if (i < nown)
        wall_collisions_.add(1.0);
      const double d[3] = {s * nrm[0], s * nrm[1], s * nrm[2]};
      const double dv[3] = {v[0][i], v[1][i], v[2][i]};
      const double wi[3] = {wc[0][i], wc[1][i], wc[2][i]};
      Record rec{i, kWall, {}};
      contact::hertz_mindlin(pair_, d, s, r[i] - s, r[i], 0.0, r[i], m[i], dv, wi, zero, dt,
                             h.data(), rec.f);
      next_history_[key] = h;
      if (i < nown) records_.push_back(rec);
    }
  }
  history_.swap(next_history_);

  // sum each owned particle's contacts in increasing partner id (walls last: ~wall index)
  entries_.clear();
  for (std::uint32_t k = 0; k < records_.size(); ++k) {
    const auto& rec = records_[k];
    if (rec.j == kWall) {
      entries_.push_back({rec.i, ~static_cast<std::uint64_t>(0), k, 0});
      continue;
    }
    if (rec.i < nown) entries_.push_back({rec.i, id[rec.j], k, 0});
    if (rec.j < nown) entries_.push_back({rec.j, id[rec.i], k, 1});
  }
  std::sort(entries_.begin(), entries_.end(), [&](const Entry& a, const Entry& b) {
    if (a.particle != b.particle) return a.particle < b.particle;
    if (a.partner != b.partner) return a.partner < b.partner;
    return a.record < b.record;  // walls: in declaration order
  });
  for (std::size_t e = 0; e < entries_.size();) {
    const std::uint32_t i = entries_[e].particle;
    double t[3] = {0.0, 0.0, 0.0};
    for (; e < entries_.size() && entries_[e].particle == i; ++e) {
      const auto& cf = records_[entries_[e].record].f;
      const double sgn = entries_[e].side == 0 ? 1.0 : -1.0;
      const double* ti = entries_[e].side == 0 ? cf.ti : cf.tj;
      for (int a = 0; a < 3; ++a) {
        f[a][i] += sgn * cf.f[a];
        t[a] += ti[a];
      }
    }
    const double inv_inertia = 1.0 / (0.4 * m[i] * r[i] * r[i]);
    for (int a = 0; a < 3; ++a) w[a][i] += dt * t[a] * inv_inertia;
  }
}

std::vector<std::pair<std::string, std::vector<double>>> Contact::save_state() const {
  // sorted by key so the checkpoint does not depend on the hash order
  std::vector<std::pair<PairKey, std::array<double, 3>>> h(history_.begin(), history_.end());
  std::sort(h.begin(), h.end(), [](const auto& a, const auto& b) {
    return a.first.a != b.first.a ? a.first.a < b.first.a : a.first.b < b.first.b;
  });
  std::vector<double> flat;
  flat.reserve(5 * h.size());
  for (const auto& [k, v] : h) {
    flat.push_back(std::bit_cast<double>(k.a));
    flat.push_back(std::bit_cast<double>(k.b));
    flat.insert(flat.end(), v.begin(), v.end());
  }
  return {{"tangential_history", flat}};
}

void Contact::load_state(const std::vector<std::pair<std::string, std::vector<double>>>& s) {
  for (const auto& [name, flat] : s) {
    if (name != "tangential_history") continue;
    history_.clear();
    for (std::size_t k = 0; k + 5 <= flat.size(); k += 5)
      history_[{std::bit_cast<std::uint64_t>(flat[k]), std::bit_cast<std::uint64_t>(flat[k + 1])}] =
          {flat[k + 2], flat[k + 3], flat[k + 4]};
  }
  list_ids_.clear();  // rebuild the neighbour list after a restart
}

void register_contact_unit(UnitRegistry& registry) {
  UnitInfo u;
  u.name = "contact";
  u.doc =
      "Soft-sphere Hertz-Mindlin contacts between particles and with walls (planes, cylinders): "
      "Hertz normal force with Tsuji-type damping set from a restitution coefficient, Mindlin "
      "tangential spring with history and Coulomb limit, optional rolling friction; linked-cell "
      "Verlet list with skin; time step from the Rayleigh time. Defaults: tungsten (E = 410 GPa, "
      "nu = 0.28: Lassner & Schubert, Tungsten, Springer 1999, table 1.1; restitution and friction "
      "are assumptions, see the keys).";
  u.declare = [](SectionSpec& s) {
    s.quantity("youngs_modulus", dim::pressure,
               "Young's modulus (W: 410 GPa, Lassner & Schubert 1999)")
        .def("410 GPa")
        .positive();
    s.quantity("poisson_ratio", dim::none, "Poisson ratio (W: 0.28, Lassner & Schubert 1999)")
        .def("0.28")
        .at_least(0.0)
        .at_most(0.5);
    s.quantity(
         "restitution", dim::none,
         "Normal coefficient of restitution, independent of speed in this model. No measured "
         "value for W microspheres is known to us; 0.5 is the benchmark's value (metal spheres "
         "above their yield speed, ~0.1-1 m/s at this size, rebound with 0.3-0.8)")
        .def("0.5")
        .positive()
        .at_most(1.0);
    s.quantity("friction", dim::none,
               "Coulomb sliding friction coefficient (0.3: the benchmark's value; clean metals in "
               "vacuum can exceed 0.5)")
        .def("0.3")
        .non_negative();
    s.quantity("rolling_friction", dim::none, "Rolling friction coefficient mu_r (0: off)")
        .def("0")
        .non_negative();
    s.quantity("tangential_damping_ratio", dim::none, "eta_t / eta_n (LAMMPS x_gamma_t)")
        .def("1")
        .non_negative();
    s.choice("damping", {"exact", "tsuji", "coeff_restitution"},
             "How the damping coefficient follows from the restitution: exact (solved: measured "
             "restitution = set value), tsuji or coeff_restitution (LAMMPS's formulas, for "
             "comparisons)")
        .def("exact");
    s.quantity("density", dim::density, "Particle density for the Rayleigh time")
        .def("19250 kg/m^3")
        .positive();
    s.quantity("min_diameter", dim::length, "Smallest particle expected (sets the time step)")
        .def("1 um")
        .positive();
    s.quantity("max_diameter", dim::length, "Largest particle expected (cells, ghost layer)")
        .def("10 um")
        .positive();
    s.quantity("skin", dim::length, "Neighbour list skin (rebuild after skin/2 displacement)")
        .def("0.5 um")
        .positive();
    s.quantity("time_step_safety", dim::none,
               "Largest time step as a fraction of the Rayleigh time")
        .def("0.2")
        .positive()
        .at_most(1.0);
    s.string_list("periodic", "Periodic axes of the domain box, e.g. [x, y, z] (default none)");
    auto& w = s.section_list("walls", "Walls (planes, cylinders) of the particle material");
    w.choice("type", {"plane", "cylinder"}, "Wall shape").require();
    w.string("name", "Name of the wall").def("wall");
    w.vector3("point", dim::length, "A point of the plane, or of the cylinder axis").require();
    w.vector3("normal", dim::none, "Plane: normal pointing to the particle side");
    w.vector3("axis", dim::none, "Cylinder: axis direction");
    w.quantity("radius", dim::length, "Cylinder radius").positive();
    w.choice("side", {"inside", "outside"}, "Cylinder: particles inside or outside").def("inside");
  };
  u.make = [](const UnitContext& c) -> std::unique_ptr<ProcessUnit> {
    const auto& s = c.section;
    ContactParams p;
    p.youngs_modulus = s.number("youngs_modulus");
    p.poisson_ratio = s.number("poisson_ratio");
    p.restitution = s.number("restitution");
    p.friction = s.number("friction");
    p.rolling_friction = s.number("rolling_friction");
    p.tangential_damping_ratio = s.number("tangential_damping_ratio");
    p.damping = s.string("damping");
    p.density = s.number("density");
    p.min_diameter = s.number("min_diameter");
    p.max_diameter = s.number("max_diameter");
    p.skin = s.number("skin");
    p.time_step_safety = s.number("time_step_safety");
    if (p.min_diameter > p.max_diameter)
      throw InputError("contact: expected min_diameter <= max_diameter");
    const auto& dom = c.root.section("domain");
    const Vec3 lo = dom.vec3("lo"), hi = dom.vec3("hi");
    if (s.has("periodic")) {
      for (const auto& a : s.strings("periodic")) {
        const int k = a == "x" ? 0 : a == "y" ? 1 : a == "z" ? 2 : -1;
        if (k < 0)
          throw InputError("contact.periodic: expected axis names x, y, z, got '" + a + "'");
        p.box.periodic[k] = true;
      }
      const double range = 2.0 * p.max_diameter + 2.0 * p.skin;
      for (int k = 0; k < 3; ++k) {
        p.box.lo[k] = lo[k];
        p.box.length[k] = hi[k] - lo[k];
        if (p.box.periodic[k] && p.box.length[k] < 3.0 * range)
          throw InputError(
              "contact.periodic: the domain must be at least 3 x (2 max_diameter + 2 skin) "
              "long along a periodic axis");
      }
    }
    for (std::size_t k = 0; k < s.list_or_empty("walls").size(); ++k) {
      const auto& ws = s.list_or_empty("walls")[k];
      const std::string where = "contact.walls[" + std::to_string(k) + "]";
      contact::Wall wall;
      wall.name = ws.string("name");
      wall.point = ws.vec3("point");
      const bool plane = ws.string("type") == "plane";
      wall.kind = plane ? contact::Wall::Kind::plane : contact::Wall::Kind::cylinder;
      const char* dir_key = plane ? "normal" : "axis";
      if (!ws.has(dir_key))
        throw InputError(where + ": a " + ws.string("type") + " needs '" + dir_key + "'");
      Vec3 d = ws.vec3(dir_key);
      const double len = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      if (!(len > 0.0)) throw InputError(where + "." + dir_key + ": expected a non-zero vector");
      for (auto& e : d) e /= len;
      wall.direction = d;
      if (!plane) {
        if (!ws.has("radius")) throw InputError(where + ": a cylinder needs 'radius'");
        wall.radius = ws.number("radius");
        wall.inside = ws.string("side") == "inside";
      }
      p.walls.push_back(wall);
    }
    return std::make_unique<Contact>(p);
  };
  registry.add(std::move(u));
}

}  // namespace mps
