// Case section `rotor`: schema, presets and validation.
#include <cmath>

#include "physics/rotor/rotor.hpp"
#include "solver/base/errors.hpp"

namespace mps {

void register_rotor_unit(UnitRegistry& registry) {
  UnitInfo u;
  u.name = "rotor";
  u.doc =
      "Spinning rotor with radial channels: takes `feeding` particles (its own `feed` or an "
      "injector with state: feeding) at the feed radius, accelerates them with Coulomb wall "
      "friction (rotating frame, RK4 sub-steps) and releases them at the tip with the lab-frame "
      "velocity. Presets: magnetic_levitated (~400 m/s tip), hybrid_anode (~100 m/s); explicit "
      "keys override the preset. Particle-particle collisions in the channels are not modelled "
      "here (contact unit).";
  u.declare = [](SectionSpec& s) {
    s.choice(
         "preset", {"none", "magnetic_levitated", "hybrid_anode"},
         "Paper rotor: magnetic_levitated (R 0.1 m, 4000 rad/s, 8 channels 1x1 mm from 10 mm, "
         "friction 0.3) or hybrid_anode (R 0.1 m, 1000 rad/s, 12 channels 0.5x0.5 mm from 20 mm, "
         "friction 0.3)")
        .def("none");
    s.vector3("center", dim::length, "A point on the rotation axis (the rotor centre)")
        .def("[0, 0, 0]");
    s.vector3("axis", dim::none,
              "Rotation axis (normalised by the code; omega is right-handed about it)")
        .def("[0, 0, 1]");
    s.vector3("reference_direction", dim::none,
              "Direction of channel 0 at t = 0 and phase 0 (projected on the rotor plane; default: "
              "a direction perpendicular to the axis)");
    s.quantity("phase", dim::none, "Angle of channel 0 at t = 0 from the reference direction")
        .def("0 deg");
    s.quantity("angular_velocity", dim::frequency,
               "Rotor angular velocity, signed (rad/s; rpm accepted); preset value if absent");
    s.quantity("radius", dim::length, "Exit radius R of the channels (tip); preset value if absent")
        .positive();
    s.quantity("feed_radius", dim::length,
               "Radius where particles enter the channels; preset value if absent")
        .positive();
    s.integer("channels", "Number of radial channels, evenly spaced; preset value if absent")
        .at_least(1)
        .at_most(100000);
    s.quantity("channel_width", dim::length, "Channel width (tangential); preset value if absent")
        .positive();
    s.quantity("channel_height", dim::length, "Channel height (axial); preset value if absent")
        .positive();
    s.quantity("friction", dim::none,
               "Coulomb friction coefficient on the channel walls; preset value if absent")
        .non_negative();
    s.quantity("feed_speed", dim::velocity, "Radial speed of particles entering the channel")
        .def("0 m/s")
        .non_negative();
    s.choice("axial_placement", {"uniform", "midplane"},
             "Axial offset of particles in the channel: uniform over the free height, or mid-plane")
        .def("uniform");
    s.quantity("exit_divergence", dim::none,
               "RMS angle of a Gaussian spread of the exit direction (tip edge)")
        .def("0 deg")
        .non_negative()
        .at_most(0.5);
    s.quantity("substep_angle", dim::none,
               "Largest rotor turn per RK4 sub-step of the channel motion")
        .def("0.01 rad")
        .positive()
        .at_most(0.5);
    s.quantity("measure_distance", dim::length,
               "Distance from the tip where the stream thickness (axial position) is tallied")
        .def("10 mm")
        .non_negative();
    auto& f = s.section(
        "feed", "The rotor's own reservoir (optional): particles fed at a mass flow or rate");
    f.quantity("mass_flow", dim::mass_flow, "Mass flow rate (give this or particle_rate)")
        .positive();
    f.quantity("particle_rate", dim::frequency, "Particles per second (give this or mass_flow)")
        .positive();
    f.quantity("start_time", dim::time, "Time of the first particle").def("0").non_negative();
    f.quantity("end_time", dim::time, "No feed after this time").def("1e300").positive();
    f.integer("max_particles", "Stop after this many particles (0: no limit)")
        .def("0")
        .non_negative();
    f.quantity("density", dim::density, "Particle density (W: 19250 kg/m^3)")
        .def("19250 kg/m^3")
        .positive();
    f.quantity("temperature", dim::temperature, "Temperature of fed particles (cool rotor)")
        .def("373.15 K")
        .positive();
    declare_diameter_law(f);
  };
  u.make = [](const UnitContext& c) -> std::unique_ptr<ProcessUnit> {
    const Config& s = c.section;
    RotorParams p = rotor_preset(s.string("preset"));
    const bool preset = s.string("preset") != "none";
    auto need = [&](const char* key) {
      if (!s.has(key) && !preset)
        throw InputError(std::string("rotor.") + key + ": missing (give it, or choose a preset)");
      return s.has(key);
    };
    if (need("angular_velocity")) p.omega = s.number("angular_velocity");
    if (need("radius")) p.radius = s.number("radius");
    if (need("feed_radius")) p.feed_radius = s.number("feed_radius");
    if (need("channels")) p.channels = static_cast<int>(s.integer("channels"));
    if (need("channel_width")) p.channel_width = s.number("channel_width");
    if (need("channel_height")) p.channel_height = s.number("channel_height");
    if (need("friction")) p.friction = s.number("friction");
    if (!(p.omega != 0.0)) throw InputError("rotor.angular_velocity: expected a non-zero value");
    if (!(p.feed_radius < p.radius))
      throw InputError("rotor.feed_radius: expected feed_radius < radius (the exit radius)");
    p.center = s.vec3("center");
    Vec3 a = s.vec3("axis");
    const double na = std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    if (!(na > 0.0)) throw InputError("rotor.axis: expected a non-zero vector");
    for (auto& x : a) x /= na;
    p.axis = a;
    // reference direction: given (projected on the plane) or the coordinate axis least aligned
    Vec3 r{0, 0, 0};
    if (s.has("reference_direction")) {
      r = s.vec3("reference_direction");
    } else {
      int k = 0;
      for (int j = 1; j < 3; ++j)
        if (std::abs(a[j]) < std::abs(a[k])) k = j;
      r[k] = 1.0;
    }
    const double ra = r[0] * a[0] + r[1] * a[1] + r[2] * a[2];
    for (int j = 0; j < 3; ++j) r[j] -= ra * a[j];
    const double nr = std::sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
    if (!(nr > 1e-9))
      throw InputError("rotor.reference_direction: expected a direction not parallel to the axis");
    for (auto& x : r) x /= nr;
    p.e1 = r;
    p.phase = s.number("phase");
    p.feed_speed = s.number("feed_speed");
    p.axial_uniform = s.string("axial_placement") == "uniform";
    p.exit_divergence = s.number("exit_divergence");
    p.max_angle = s.number("substep_angle");
    p.measure_distance = s.number("measure_distance");
    if (c.root.has_section("flight") && c.root.section("flight").has("gravity"))
      p.gravity = c.root.section("flight").vec3("gravity");
    if (s.has_section("feed")) {
      const Config& f = s.section("feed");
      InjectorParams q;
      read_diameter_law(f.section("diameter"), "rotor.feed.diameter", q);
      if (q.d_mean > std::min(p.channel_width, p.channel_height))
        throw InputError("rotor.feed.diameter.mean: particles do not fit the channel section");
      q.density = f.number("density");
      q.temperature = f.number("temperature");
      q.state = ParticleState::feeding;
      q.start_time = f.number("start_time");
      q.end_time = f.number("end_time");
      q.max_particles = f.integer("max_particles");
      q.center = p.center;
      q.id_base = Rotor::kFeedTag;
      const bool rate = f.has("particle_rate"), flow = f.has("mass_flow");
      if (rate == flow)
        throw InputError("rotor.feed: give exactly one of particle_rate and mass_flow");
      q.particle_rate = rate ? f.number("particle_rate")
                             : f.number("mass_flow") / Injector::mean_particle_mass(q);
      p.has_feed = true;
      p.feed = q;
    }
    return std::make_unique<Rotor>(p);
  };
  registry.add(std::move(u));
}

}  // namespace mps
