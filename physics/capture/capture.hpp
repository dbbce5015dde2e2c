// Capture: catcher surfaces that stop the stream (Stage::boundary, before the domain unit).
//
// Each step, a flying particle's path is the segment from its position at the start of the step
// to its new position. The start is recovered from the end state of the flight unit's velocity
// Verlet step, x_old = x_new - dt v_new + dt^2/2 a_new with a_new = g + F/m (exact for that
// integrator without the rotating gantry frame; with it, an O(dt^2 Omega v) approximation), so the
// unit keeps no per-particle state. The first catcher crossed on the segment (catcher_geometry.hpp)
// decides by its sticking model:
//   stick    every particle sticks;
//   rebound  v_n -> -e v_n, v_t -> e_t v_t (restitution e, tangential e_t), the rest of the step
//            continues on the reflected straight path (up to 16 bounces, then it sticks);
//   impact   sticks if molten (liquid_fraction > 0), at or above sticking_temperature, or slower
//            than critical_speed along the normal; rebounds otherwise.
// A stuck particle goes to state captured at the hit point (the solver removes it and tallies its
// mass). Tallies per catcher and per patch (maps): count, mass, thermal energy m h (h: specific
// enthalpy of the thermal unit; 0 and counted apart when not initialised), kinetic energy
// m |v|^2 / 2 at impact, and the count of particles that were molten (time_molten > 0) but had
// re-solidified (liquid_fraction == 0) before capture. All ExactSum: rank-independent.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "physics/capture/catcher_geometry.hpp"
#include "solver/base/process.hpp"

namespace mps {

struct CatcherSpec {
  std::string name;
  CatcherGeometry geometry;
  enum class Model { stick, rebound, impact } model = Model::stick;
  double restitution = 0.5, tangential_restitution = 1.0;
  double critical_speed = 1.0;           // m/s (impact model)
  double sticking_temperature = 3695.0;  // K (impact model; W melting point, DESIGN.md section 5)
};

class Capture : public ProcessUnit {
 public:
  static constexpr int kMaxBounces = 16;
  Capture(std::vector<CatcherSpec> catchers, const Vec3& gravity);
  std::string name() const override { return "capture"; }
  unsigned stages() const override { return static_cast<unsigned>(Stage::boundary); }
  void apply(Stage stage, ParticleStore& particles, const StepContext& ctx) override;
  std::vector<TallyRef> tallies() override;
  std::vector<SurfaceMap> surface_maps() override;

  // Per catcher sums (also the maps): index by catcher.
  struct Sums {
    std::vector<ExactSum> count, mass, thermal, kinetic, resolidified;  // per patch
    ExactSum t_count, t_mass, t_thermal, t_kinetic, t_resolidified, rebounds, no_enthalpy;
  };
  const std::vector<Sums>& sums() const { return sums_; }
  const std::vector<CatcherSpec>& catchers() const { return catchers_; }

 private:
  std::vector<CatcherSpec> catchers_;
  std::vector<Sums> sums_;
  Vec3 gravity_{};
  ExactSum total_count_, total_mass_;
};

void register_capture_unit(UnitRegistry& registry);

}  // namespace mps
