// Injector: feeds particles into the domain at a particle rate or a mass flow.
//
// Particle k (k = 0, 1, 2, ...) is injected at t_k = start + k / rate. Everything about it (id,
// diameter, position, velocity) is drawn from the counter-based RNG keyed by (seed, inject, k), so
// it is the same particle whichever rank creates it. Ranks share the work (k % shares == share);
// the solver then migrates each particle to its owner. A particle injected inside a step is placed
// where its straight path from the injection point puts it at the start of the step, so that after
// the step's flight it is where it would be had the step started at t_k.
#pragma once

#include <cstdint>
#include <memory>

#include "solver/base/process.hpp"
#include "solver/base/rng.hpp"

namespace mps {

struct InjectorParams {
  double particle_rate = 0.0;  // 1/s (derived from mass flow if that is given)
  double start_time = 0.0, end_time = 0.0;
  std::int64_t max_particles = 0;  // 0: unlimited
  enum class Law { monodisperse, normal, lognormal } law = Law::monodisperse;
  double d_mean = 5e-6, d_sigma = 0.0, d_min = 0.0, d_max = 1.0;
  double density = 19250.0;
  Vec3 center{}, half_width{};
  Vec3 v_mean{}, v_sigma{};
  double temperature = 373.15;
  ParticleState state = ParticleState::flying;
  std::uint64_t id_base = 0;  // high bits that keep ids of several sources apart
};

class Injector : public ProcessUnit {
 public:
  explicit Injector(const InjectorParams& p) : p_(p) {}
  std::string name() const override { return "injector"; }
  unsigned stages() const override { return static_cast<unsigned>(Stage::source); }
  void apply(Stage stage, ParticleStore& particles, const StepContext& ctx) override;
  std::vector<TallyRef> tallies() override;
  std::vector<std::pair<std::string, std::vector<double>>> save_state() const override;
  void load_state(const std::vector<std::pair<std::string, std::vector<double>>>& s) override;

  // Number of particles injected up to time t (exclusive): the k with t_k < t.
  std::uint64_t count_before(double t) const;
  // Diameter of particle k and its mean over the law (for mass flow -> particle rate).
  static double mean_particle_mass(const InjectorParams& p);

 private:
  double draw_diameter(Rng& rng) const;
  InjectorParams p_;
  std::uint64_t next_ = 0;  // next global particle index to inject
  ExactSum injected_count_, injected_mass_;
};

// Declares the `diameter` section (law, mean, sigma, min, max) in s; read it with
// read_diameter_law. Shared by the injector and the rotor feed.
void declare_diameter_law(SectionSpec& s);
// Reads a validated `diameter` section (law, mean, sigma, min, max) into p; `where` names the
// section in error messages ("injector.diameter"). Shared by the injector and the rotor feed.
void read_diameter_law(const Config& d, const std::string& where, InjectorParams& p);

void register_injector_unit(UnitRegistry& registry);

}  // namespace mps
