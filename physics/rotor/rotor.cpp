#include "physics/rotor/rotor.hpp"

#include <cmath>

#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"
#include "solver/base/rng.hpp"

namespace mps {

namespace {
constexpr double kPi = constants::pi;
double dot(const Vec3& a, const Vec3& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double norm(const Vec3& a) {
  return std::sqrt(dot(a, a));
}
// Mixes the case seed for the rotor's own feed, so its diameters are not those of the injector's
// particle with the same index (both draw from RngPurpose::inject by index).
constexpr std::uint64_t kFeedSeedMix = 0x726f746f72666565ull;  // "rotorfee"
}  // namespace

RotorParams rotor_preset(const std::string& name) {
  RotorParams p;
  // Friction 0.3: dry sliding of tungsten on a metal wall is of order 0.3-0.5 (no figure in the
  // paper; the same value as the DEM benchmark of issue 6): an assumption, override it in the case.
  if (name == "magnetic_levitated") {
    // Paper: "Magnetic rotors, as in turbo-molecular vacuum pumps, would allow for approximately
    // 400 m/s or more", rotors "remain cool". Tip speed omega R = 400 m/s with R = 0.1 m (a large
    // turbo-pump rotor, 38 200 rpm); 8 channels of 1 mm x 1 mm fed at 10 mm.
    p.radius = 0.1;
    p.omega = 4000.0;
    p.feed_radius = 0.01;
    p.channels = 8;
    p.channel_width = 1e-3;
    p.channel_height = 1e-3;
    p.friction = 0.3;
  } else if (name == "hybrid_anode") {
    // Paper: "a hybrid target configuration where microparticles may be filled into a concentric
    // groove near the axis, spill out of radial channels near the focal spot ... tangential
    // particle velocities of 100 m/s" (the focal-track speed limit of rotating anodes). R = 0.1 m
    // at 1000 rad/s (9550 rpm, a usual anode speed); groove at 20 mm; 12 channels of 0.5 mm.
    p.radius = 0.1;
    p.omega = 1000.0;
    p.feed_radius = 0.02;
    p.channels = 12;
    p.channel_width = 0.5e-3;
    p.channel_height = 0.5e-3;
    p.friction = 0.3;
  } else if (name != "none") {
    throw InputError("rotor.preset: unknown preset '" + name + "'");
  }
  return p;
}

Rotor::Rotor(const RotorParams& p) : p_(p) {
  e2_ = cross(p_.axis, p_.e1);
  if (p_.has_feed) feed_ = std::make_unique<Injector>(p_.feed);
}

void Rotor::channel_frame(int k, double t, Vec3& er, Vec3& et) const {
  const double phi = p_.phase + p_.omega * t + 2.0 * kPi * k / p_.channels;
  const double c = std::cos(phi), s = std::sin(phi);
  for (int a = 0; a < 3; ++a) {
    er[a] = c * p_.e1[a] + s * e2_[a];
    et[a] = c * e2_[a] - s * p_.e1[a];
  }
}

void Rotor::enter(ParticleStore& pa, std::size_t i, double t_enter, const StepContext& ctx) {
  const std::uint64_t id = pa.ids()[i];
  const int k = static_cast<int>((id & (kFeedTag - 1)) % static_cast<std::uint64_t>(p_.channels));
  const double d = pa[Field::diameter][i];
  const double sign = p_.omega >= 0.0 ? 1.0 : -1.0;
  // on the trailing wall (Coriolis side), axial offset uniform over the free height
  const double b = -sign * std::max(0.0, 0.5 * (p_.channel_width - d));
  double z = 0.0;
  if (p_.axial_uniform) {
    Rng rng(ctx.seed, RngPurpose::rotor, id, 0);
    z = std::max(0.0, 0.5 * (p_.channel_height - d)) * (2.0 * rng.uniform() - 1.0);
  }
  Vec3 er, et;
  channel_frame(k, t_enter, er, et);
  const double s = p_.feed_radius, u = p_.feed_speed;
  double* x[3] = {&pa[Field::px][i], &pa[Field::py][i], &pa[Field::pz][i]};
  double* v[3] = {&pa[Field::vx][i], &pa[Field::vy][i], &pa[Field::vz][i]};
  for (int a = 0; a < 3; ++a) {
    *x[a] = p_.center[a] + s * er[a] + b * et[a] + z * p_.axis[a];
    *v[a] = (u - p_.omega * b) * er[a] + p_.omega * s * et[a];
  }
  pa.states()[i] = ParticleState::in_rotor;
}

void Rotor::move(ParticleStore& pa, std::size_t i, double t0, double t1, const StepContext& ctx) {
  double* x[3] = {&pa[Field::px][i], &pa[Field::py][i], &pa[Field::pz][i]};
  double* v[3] = {&pa[Field::vx][i], &pa[Field::vy][i], &pa[Field::vz][i]};
  // recover the channel and the channel coordinates from the lab-frame state at t0
  Vec3 rel{*x[0] - p_.center[0], *x[1] - p_.center[1], *x[2] - p_.center[2]};
  const double z = dot(rel, p_.axis);
  Vec3 rp{rel[0] - z * p_.axis[0], rel[1] - z * p_.axis[1], rel[2] - z * p_.axis[2]};
  const double psi = std::atan2(dot(rp, e2_), dot(rp, p_.e1));
  const double pitch = 2.0 * kPi / p_.channels;
  long k = std::lround((psi - p_.phase - p_.omega * t0) / pitch) % p_.channels;
  if (k < 0) k += p_.channels;
  Vec3 er, et;
  channel_frame(static_cast<int>(k), t0, er, et);
  const Vec3 vel{*v[0], *v[1], *v[2]};
  ChannelMotion m;
  m.omega = p_.omega;
  m.mu = p_.friction;
  m.b = dot(rp, et);
  m.phase0 = p_.phase + pitch * static_cast<double>(k);
  m.g1 = dot(p_.gravity, p_.e1);
  m.g2 = dot(p_.gravity, e2_);
  m.ga = dot(p_.gravity, p_.axis);
  ChannelState st{t0, dot(rp, er), dot(vel, er) + p_.omega * m.b};
  const bool exited = advance_in_channel(m, st, t1, p_.radius, p_.max_angle);
  channel_frame(static_cast<int>(k), st.t, er, et);
  Vec3 pos, vl;
  for (int a = 0; a < 3; ++a) {
    pos[a] = p_.center[a] + st.s * er[a] + m.b * et[a] + z * p_.axis[a];
    vl[a] = (st.u - p_.omega * m.b) * er[a] + p_.omega * st.s * et[a];
  }
  if (exited) {
    if (p_.exit_divergence > 0.0) {
      // Gaussian spread of the direction: in-plane angle about the axis, out-of-plane tilt
      Rng rng(ctx.seed, RngPurpose::rotor, pa.ids()[i], 1);
      const double din = p_.exit_divergence * rng.normal(),
                   dout = p_.exit_divergence * rng.normal();
      const double speed = norm(vl);
      const Vec3 dir{vl[0] / speed, vl[1] / speed, vl[2] / speed};
      const Vec3 side = cross(p_.axis, dir);
      for (int a = 0; a < 3; ++a)
        vl[a] = speed * (std::cos(dout) * (std::cos(din) * dir[a] + std::sin(din) * side[a]) +
                         std::sin(dout) * p_.axis[a]);
    }
    const double speed = norm(vl), vr = dot(vl, er), vt = dot(vl, et), va = dot(vl, p_.axis);
    const double mass = pa[Field::mass][i];
    const double angle = std::atan2(vr, vt), oop = std::asin(va / speed);
    const double z_at = z + va * p_.measure_distance / std::hypot(vr, vt);
    exit_count_.add(1.0);
    exit_mass_.add(mass);
    speed_.add(speed), speed2_.add(speed * speed);
    angle_.add(angle), angle2_.add(angle * angle);
    oop_.add(oop), oop2_.add(oop * oop);
    zl_.add(z_at), zl2_.add(z_at * z_at);
    vr_.add(vr), vr2_.add(vr * vr);
    vt_.add(vt), vt2_.add(vt * vt);
    // placed where its straight path puts it at the start of the step (flight moves it over dt)
    const double back = st.t - ctx.time;
    for (int a = 0; a < 3; ++a) {
      *x[a] = pos[a] - vl[a] * back;
      *v[a] = vl[a];
    }
    pa[Field::fx][i] = pa[Field::fy][i] = pa[Field::fz][i] = 0.0;
    pa.states()[i] = ParticleState::flying;
  } else {
    for (int a = 0; a < 3; ++a) {
      *x[a] = pos[a];
      *v[a] = vl[a];
    }
  }
}

void Rotor::apply(Stage, ParticleStore& pa, const StepContext& ctx) {
  const double t1 = ctx.time + ctx.dt;
  const std::size_t first_new = pa.size();
  if (feed_) {
    StepContext fc = ctx;
    fc.seed = ctx.seed ^ kFeedSeedMix;
    feed_->apply(Stage::source, pa, fc);
  }
  const std::size_t n = pa.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto s = pa.states()[i];
    if (s == ParticleState::in_rotor) {
      move(pa, i, ctx.time, t1, ctx);
    } else if (s == ParticleState::feeding) {
      double t_enter = ctx.time;
      const std::uint64_t id = pa.ids()[i];
      if (feed_ && (id & kFeedTag) && i >= first_new) {
        // rotor-fed particle k enters at its own time t_k = start + k / rate (inside this step)
        const double k = static_cast<double>(id & (kFeedTag - 1));
        t_enter = std::clamp(p_.feed.start_time + k / p_.feed.particle_rate, ctx.time, t1);
      }
      enter(pa, i, t_enter, ctx);
      move(pa, i, t_enter, t1, ctx);
    }
  }
}

std::vector<TallyRef> Rotor::tallies() {
  std::vector<TallyRef> t;
  // the own feed's injected count and mass enter the solver's mass balance (*.injected_mass_kg)
  if (feed_)
    for (const auto& f : feed_->tallies()) t.push_back(f);
  t.push_back({"exit_count", &exit_count_});
  t.push_back({"exit_mass_kg", &exit_mass_});
  t.push_back({"exit_speed_sum_m_per_s", &speed_});
  t.push_back({"exit_speed_sq_sum_m2_per_s2", &speed2_});
  t.push_back({"exit_radial_velocity_sum_m_per_s", &vr_});
  t.push_back({"exit_radial_velocity_sq_sum_m2_per_s2", &vr2_});
  t.push_back({"exit_tangential_velocity_sum_m_per_s", &vt_});
  t.push_back({"exit_tangential_velocity_sq_sum_m2_per_s2", &vt2_});
  t.push_back({"exit_angle_to_tangent_sum_rad", &angle_});
  t.push_back({"exit_angle_to_tangent_sq_sum_rad2", &angle2_});
  t.push_back({"exit_out_of_plane_angle_sum_rad", &oop_});
  t.push_back({"exit_out_of_plane_angle_sq_sum_rad2", &oop2_});
  t.push_back({"axial_position_at_distance_sum_m", &zl_});
  t.push_back({"axial_position_at_distance_sq_sum_m2", &zl2_});
  return t;
}

void Rotor::summarize(const std::map<std::string, double>& g,
                      std::map<std::string, double>& out) const {
  auto get = [&](const std::string& k) {
    auto it = g.find("rotor." + k);
    return it == g.end() ? 0.0 : it->second;
  };
  const double n = get("exit_count");
  if (n <= 0) return;
  // mean and (population) standard deviation from the exact sums and sums of squares
  auto stats = [&](const std::string& sum, const std::string& sq, const std::string& name,
                   const std::string& unit) {
    const double mean = get(sum) / n;
    const double var = std::max(0.0, get(sq) / n - mean * mean);
    out["rotor_" + name + "_mean_" + unit] = mean;
    out["rotor_" + name + "_std_" + unit] = std::sqrt(var);
  };
  out["rotor_exit_count"] = n;
  stats("exit_speed_sum_m_per_s", "exit_speed_sq_sum_m2_per_s2", "exit_speed", "m_per_s");
  stats("exit_radial_velocity_sum_m_per_s", "exit_radial_velocity_sq_sum_m2_per_s2",
        "exit_radial_velocity", "m_per_s");
  stats("exit_tangential_velocity_sum_m_per_s", "exit_tangential_velocity_sq_sum_m2_per_s2",
        "exit_tangential_velocity", "m_per_s");
  stats("exit_angle_to_tangent_sum_rad", "exit_angle_to_tangent_sq_sum_rad2",
        "exit_angle_to_tangent", "rad");
  stats("exit_out_of_plane_angle_sum_rad", "exit_out_of_plane_angle_sq_sum_rad2",
        "exit_out_of_plane_angle", "rad");
  stats("axial_position_at_distance_sum_m", "axial_position_at_distance_sq_sum_m2",
        "axial_position_at_distance", "m");
  out["rotor_divergence_rms_rad"] = std::sqrt(get("exit_out_of_plane_angle_sq_sum_rad2") / n);
  out["rotor_stream_thickness_rms_m"] = out["rotor_axial_position_at_distance_std_m"];
  out["rotor_measure_distance_m"] = p_.measure_distance;
  out["rotor_tip_speed_m_per_s"] = std::abs(p_.omega) * p_.radius;
}

std::vector<std::pair<std::string, std::vector<double>>> Rotor::save_state() const {
  if (!feed_) return {};
  return feed_->save_state();
}

void Rotor::load_state(const std::vector<std::pair<std::string, std::vector<double>>>& s) {
  if (feed_) feed_->load_state(s);
}

}  // namespace mps
