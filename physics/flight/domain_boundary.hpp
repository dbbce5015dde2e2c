// Domain boundary: particles that leave the simulation box are marked escaped and counted by
// face (x-, x+, y-, y+, z-, z+) with their mass, so the mass balance closes exactly.
#pragma once

#include <array>

#include "solver/base/process.hpp"

namespace mps {

class DomainBoundary : public ProcessUnit {
 public:
  DomainBoundary(const Vec3& lo, const Vec3& hi) : lo_(lo), hi_(hi) {}
  std::string name() const override { return "domain"; }
  unsigned stages() const override { return static_cast<unsigned>(Stage::boundary); }
  void apply(Stage stage, ParticleStore& particles, const StepContext& ctx) override;
  std::vector<TallyRef> tallies() override;

  const Vec3& lo() const { return lo_; }
  const Vec3& hi() const { return hi_; }
  static constexpr std::array<const char*, 6> kFaceNames{"x_min", "x_max", "y_min", "y_max", "z_min", "z_max"};

 private:
  Vec3 lo_, hi_;
  std::array<ExactSum, 6> count_, mass_;
};

void register_domain_unit(UnitRegistry& registry);

}  // namespace mps
