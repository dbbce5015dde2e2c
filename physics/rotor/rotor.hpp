// Rotor: a spinning disc with N radial channels that takes tungsten particles from a reservoir at
// its feed radius, accelerates them by centrifugal force against Coulomb friction on the channel
// walls, and releases them at the exit radius with the lab-frame velocity (state flying, handed
// to the flight unit). Paper (Behling 2024): a magnetically levitated rotor (as in turbo-molecular
// pumps) at ~400 m/s, or a hybrid rotating anode with channels at ~100 m/s tangential speed.
//
// Frame and geometry. The rotor turns at omega (signed, right-handed about `axis`) about the axis
// through `center`. Channel k's radial line makes the angle phase + omega t + 2 pi k / N with the
// reference direction e1 in the plane (e1, e2 = axis x e1). A channel has a rectangular section
// (width along e_t, height along the axis) from feed_radius to radius (the exit). A particle rests
// on the trailing side wall (where the Coriolis force presses it), at an axial offset drawn
// uniformly over the free height (or at the mid-plane), and moves along the channel as described
// in channel_motion.hpp (rotating frame, RK4 sub-steps, exact exit time).
//
// State. In-rotor particles keep their lab-frame position and velocity in the particle fields; the
// channel, the channel coordinate s and the radial speed s' are recovered from them and the rotor
// angle at the time of the step, so the unit holds no per-particle state (nothing extra to
// checkpoint or migrate) and each particle's path depends on itself only: rank-independent.
//
// Feed. Particles in state `feeding` (from an injector with `state: feeding`, or from the rotor's
// own `feed`: an injector with its own ids, tagged by a high id bit) enter channel (id mod N) at
// the feed radius with the radial speed feed_speed. Rotor-fed particle k enters at its own time
// t_k inside the step; others at the start of the step of their creation.
//
// Release. At s = R the particle leaves with v = (s' - omega b) e_r + omega R e_t (+ an optional
// random angular spread `exit_divergence` that stands for the tip edge), placed where its straight
// path puts it at the start of the step (the flight unit then moves it over the whole step), as
// the injector does. Exit statistics are ExactSum tallies (sums and sums of squares): speed,
// exit angle to the local tangent, out-of-plane angle, and the axial position at measure_distance
// from the tip (thickness of the stream there).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "physics/flight/injector.hpp"
#include "physics/rotor/channel_motion.hpp"
#include "solver/base/process.hpp"

namespace mps {

struct RotorParams {
  Vec3 center{0, 0, 0};
  Vec3 axis{0, 0, 1};   // unit
  Vec3 e1{1, 0, 0};     // unit, perpendicular to axis
  double phase = 0.0;   // rad
  double omega = 0.0;   // rad/s, signed
  double radius = 0.0;  // exit radius R (m)
  double feed_radius = 0.0;
  int channels = 1;
  double channel_width = 0.0, channel_height = 0.0;  // m
  double friction = 0.0;
  double feed_speed = 0.0;         // radial speed at entry (m/s)
  bool axial_uniform = true;       // axial offset uniform over the free height, else mid-plane
  double exit_divergence = 0.0;    // rms angle (rad) of a Gaussian spread of the exit direction
  double max_angle = 0.01;         // RK4 sub-step: rotor turn (rad)
  double measure_distance = 0.01;  // m: where the stream thickness is tallied
  Vec3 gravity{0, 0, 0};
  bool has_feed = false;
  InjectorParams feed;  // the rotor's own reservoir (state feeding, id tag kFeedTag)
};

// Presets from the paper (values not given there are stated as assumptions in rotor.cpp).
RotorParams rotor_preset(const std::string& name);

class Rotor : public ProcessUnit {
 public:
  static constexpr std::uint64_t kFeedTag = std::uint64_t{1} << 60;  // ids of rotor-fed particles
  explicit Rotor(const RotorParams& p);
  std::string name() const override { return "rotor"; }
  unsigned stages() const override { return static_cast<unsigned>(Stage::source); }
  void apply(Stage stage, ParticleStore& particles, const StepContext& ctx) override;
  std::vector<TallyRef> tallies() override;
  // summary.json: mean and standard deviation of the exit speed and angles, the stream's
  // divergence (rms out-of-plane angle) and thickness (rms axial position) at measure_distance
  void summarize(const std::map<std::string, double>& global,
                 std::map<std::string, double>& out) const override;
  std::vector<std::pair<std::string, std::vector<double>>> save_state() const override;
  void load_state(const std::vector<std::pair<std::string, std::vector<double>>>& s) override;

  const RotorParams& params() const { return p_; }
  // Channel frame of channel k at time t: radial and tangential unit vectors.
  void channel_frame(int k, double t, Vec3& er, Vec3& et) const;

 private:
  void enter(ParticleStore& pa, std::size_t i, double t_enter, const StepContext& ctx);
  void move(ParticleStore& pa, std::size_t i, double t0, double t1, const StepContext& ctx);
  RotorParams p_;
  Vec3 e2_{};
  std::unique_ptr<Injector> feed_;
  ExactSum exit_count_, exit_mass_;
  ExactSum speed_, speed2_, angle_, angle2_, oop_, oop2_, zl_, zl2_, vr_, vr2_, vt_, vt2_;
};

void register_rotor_unit(UnitRegistry& registry);

}  // namespace mps
