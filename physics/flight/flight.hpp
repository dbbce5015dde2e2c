// Free flight in vacuum: gravity, forces from other units (fx, fy, fz: contacts, q E), and an
// optional rotating frame (the CT gantry) with centrifugal and Coriolis terms.
//
// Integrator: velocity Verlet split around the force stage,
//   pre_force:  K(dt/2) C(dt/2) D(dt)     post_force: C(dt/2) K(dt/2)
// where K kicks with position-dependent accelerations (gravity, F/m, centrifugal), C rotates the
// velocity exactly under the Coriolis acceleration -2 Omega x v (a rotation by 2|Omega| t about
// -Omega, as in the Boris scheme for magnetic forces), and D drifts. The composition is symmetric,
// hence time-reversible and second order; for constant forces (gravity alone) it is exact.
#pragma once

#include "solver/base/process.hpp"

namespace mps {

struct FlightParams {
  Vec3 gravity{0.0, 0.0, 0.0};
  bool rotating_frame = false;
  Vec3 omega{0.0, 0.0, 0.0};   // frame angular velocity (rad/s)
  Vec3 origin{0.0, 0.0, 0.0};  // a point on the rotation axis
};

class Flight : public ProcessUnit {
 public:
  explicit Flight(const FlightParams& p) : p_(p) {}
  std::string name() const override { return "flight"; }
  unsigned stages() const override { return Stage::pre_force | Stage::post_force; }
  void apply(Stage stage, ParticleStore& particles, const StepContext& ctx) override;

  const FlightParams& params() const { return p_; }

 private:
  void kick(ParticleStore& p, double h) const;
  void coriolis(ParticleStore& p, double h) const;
  void drift(ParticleStore& p, double dt) const;
  FlightParams p_;
};

void register_flight_unit(UnitRegistry& registry);

}  // namespace mps
