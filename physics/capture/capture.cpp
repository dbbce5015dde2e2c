#include "physics/capture/capture.hpp"

#include <cmath>

#include "solver/base/errors.hpp"

namespace mps {

namespace {
double dot(const Vec3& a, const Vec3& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
}  // namespace

Capture::Capture(std::vector<CatcherSpec> catchers, const Vec3& gravity)
    : catchers_(std::move(catchers)), gravity_(gravity) {
  sums_.resize(catchers_.size());
  for (std::size_t c = 0; c < catchers_.size(); ++c) {
    const auto n = static_cast<std::size_t>(catchers_[c].geometry.patch_count());
    auto& s = sums_[c];
    s.count.resize(n), s.mass.resize(n), s.thermal.resize(n), s.kinetic.resize(n),
        s.resolidified.resize(n);
  }
}

void Capture::apply(Stage, ParticleStore& pa, const StepContext& ctx) {
  const std::size_t n = pa.size();
  auto* st = pa.states().data();
  const double dt = ctx.dt;
  for (std::size_t i = 0; i < n; ++i) {
    if (st[i] != ParticleState::flying) continue;
    const double m = pa[Field::mass][i];
    Vec3 b{pa[Field::px][i], pa[Field::py][i], pa[Field::pz][i]};
    Vec3 v{pa[Field::vx][i], pa[Field::vy][i], pa[Field::vz][i]};
    const Vec3 f{pa[Field::fx][i], pa[Field::fy][i], pa[Field::fz][i]};
    Vec3 a;
    for (int k = 0; k < 3; ++k) a[k] = b[k] - dt * v[k] + 0.5 * dt * dt * (gravity_[k] + f[k] / m);
    double remaining = 1.0;  // fraction of the step left on the current segment
    double s_min = 0.0;
    bool moved = false;
    for (int bounce = 0;; ++bounce) {
      int which = -1;
      CatcherHit hit;
      for (std::size_t c = 0; c < catchers_.size(); ++c) {
        auto h = catchers_[c].geometry.intersect(a, b, s_min);
        if (h && (which < 0 || h->s < hit.s)) hit = *h, which = static_cast<int>(c);
      }
      if (which < 0) break;
      const CatcherSpec& cs = catchers_[static_cast<std::size_t>(which)];
      const double vn = dot(v, hit.normal);  // < 0: towards the surface
      bool stick = cs.model == CatcherSpec::Model::stick || bounce >= kMaxBounces;
      if (cs.model == CatcherSpec::Model::impact)
        stick = stick || pa[Field::liquid_fraction][i] > 0.0 ||
                pa[Field::temperature][i] >= cs.sticking_temperature ||
                std::abs(vn) <= cs.critical_speed;
      auto& s = sums_[static_cast<std::size_t>(which)];
      if (stick) {
        const double h = pa[Field::enthalpy][i];
        const double thermal = std::isnan(h) ? 0.0 : m * h;
        if (std::isnan(h)) s.no_enthalpy.add(1.0);
        const double kin = 0.5 * m * dot(v, v);
        const bool resolid =
            pa[Field::time_molten][i] > 0.0 && pa[Field::liquid_fraction][i] == 0.0;
        const auto p = static_cast<std::size_t>(hit.patch);
        s.count[p].add(1.0), s.mass[p].add(m), s.thermal[p].add(thermal), s.kinetic[p].add(kin);
        s.t_count.add(1.0), s.t_mass.add(m), s.t_thermal.add(thermal), s.t_kinetic.add(kin);
        if (resolid) s.resolidified[p].add(1.0), s.t_resolidified.add(1.0);
        total_count_.add(1.0), total_mass_.add(m);
        for (int k = 0; k < 3; ++k) b[k] = hit.point[k];
        st[i] = ParticleState::captured;
        moved = true;
        break;
      }
      // rebound: restitution on the normal and tangential parts, straight on for the rest of the
      // step
      s.rebounds.add(1.0);
      Vec3 vt;
      for (int k = 0; k < 3; ++k) vt[k] = v[k] - vn * hit.normal[k];
      for (int k = 0; k < 3; ++k)
        v[k] = -cs.restitution * vn * hit.normal[k] + cs.tangential_restitution * vt[k];
      remaining *= 1.0 - hit.s;
      a = hit.point;
      for (int k = 0; k < 3; ++k) b[k] = a[k] + remaining * dt * v[k];
      s_min = 1e-9;  // do not find the surface just left again
      moved = true;
    }
    if (moved) {
      pa[Field::px][i] = b[0], pa[Field::py][i] = b[1], pa[Field::pz][i] = b[2];
      pa[Field::vx][i] = v[0], pa[Field::vy][i] = v[1], pa[Field::vz][i] = v[2];
    }
  }
}

std::vector<TallyRef> Capture::tallies() {
  std::vector<TallyRef> t{{"captured_count", &total_count_}, {"captured_mass_kg", &total_mass_}};
  for (std::size_t c = 0; c < catchers_.size(); ++c) {
    const std::string p = catchers_[c].name + ".";
    auto& s = sums_[c];
    t.push_back({p + "captured_count", &s.t_count});
    t.push_back({p + "captured_mass_kg", &s.t_mass});
    t.push_back({p + "thermal_energy_J", &s.t_thermal});
    t.push_back({p + "kinetic_energy_J", &s.t_kinetic});
    t.push_back({p + "resolidified_count", &s.t_resolidified});
    t.push_back({p + "rebound_count", &s.rebounds});
    t.push_back({p + "no_enthalpy_count", &s.no_enthalpy});
  }
  return t;
}

std::vector<SurfaceMap> Capture::surface_maps() {
  std::vector<SurfaceMap> out;
  for (std::size_t c = 0; c < catchers_.size(); ++c) {
    SurfaceMap m;
    m.name = catchers_[c].name;
    for (const auto& part : catchers_[c].geometry.parts())
      for (int p = 0; p < part.patches(); ++p) {
        const auto corners = part.patch_corners(p);  // 4 corners, 3 for an STL facet
        std::vector<std::int64_t> poly;
        for (const auto& x : corners) {
          poly.push_back(static_cast<std::int64_t>(m.points.size()));
          m.points.push_back(x);
        }
        m.polygons.push_back(std::move(poly));
        m.area.push_back(part.patch_area(p));
      }
    auto& s = sums_[c];
    m.cell_sums = {{"deposited_mass_kg", &s.mass},
                   {"thermal_energy_J", &s.thermal},
                   {"kinetic_energy_J", &s.kinetic},
                   {"count", &s.count},
                   {"resolidified_count", &s.resolidified}};
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace mps
