#include "physics/flight/injector.hpp"

#include <cmath>

#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"
#include "solver/base/rng.hpp"

namespace mps {

namespace {
constexpr double kPi = constants::pi;
double sphere_mass(double d, double rho) {
  return rho * kPi * d * d * d / 6.0;
}
}  // namespace

double Injector::draw_diameter(Rng& rng) const {
  switch (p_.law) {
    case InjectorParams::Law::monodisperse:
      return p_.d_mean;
    case InjectorParams::Law::normal:
    case InjectorParams::Law::lognormal:
      // Truncated laws by rejection; bounded so a bad (but validated) input cannot hang.
      for (int tries = 0; tries < 1000; ++tries) {
        double d;
        if (p_.law == InjectorParams::Law::normal) {
          d = p_.d_mean + p_.d_sigma * rng.normal();
        } else {
          // log-normal with the given mean and standard deviation of the diameter itself
          double s2 = std::log1p((p_.d_sigma * p_.d_sigma) / (p_.d_mean * p_.d_mean));
          double mu = std::log(p_.d_mean) - 0.5 * s2;
          d = std::exp(mu + std::sqrt(s2) * rng.normal());
        }
        if (d > 0.0 && d >= p_.d_min && d <= p_.d_max) return d;
      }
      throw RuntimeError("injector: the diameter law almost never falls inside [min, max]");
  }
  return p_.d_mean;
}

double Injector::mean_particle_mass(const InjectorParams& p) {
  if (p.law == InjectorParams::Law::monodisperse) return sphere_mass(p.d_mean, p.density);
  // <d^3> by quadrature of the (truncated) law: deterministic, accurate to ~1e-6
  InjectorParams q = p;
  Injector probe(q);
  ExactSum m;
  const int n = 200000;
  for (int k = 0; k < n; ++k) {
    Rng rng(12345, RngPurpose::inject, static_cast<std::uint64_t>(k));
    m.add(sphere_mass(probe.draw_diameter(rng), p.density));
  }
  return m.value() / n;
}

std::uint64_t Injector::count_before(double t) const {
  if (t <= p_.start_time) return 0;
  double te = std::min(t, p_.end_time);
  // t_k = start + k / rate < te  <=>  k < (te - start) rate; a particle due within 1e-9 of a
  // particle interval of the step end is left to the next step, so round-off in the step times
  // cannot decide it
  double x = (te - p_.start_time) * p_.particle_rate;
  auto n = static_cast<std::uint64_t>(std::max(0.0, std::ceil(x - 1e-9)));
  if (p_.max_particles > 0)
    n = std::min<std::uint64_t>(n, static_cast<std::uint64_t>(p_.max_particles));
  return n;
}

void Injector::apply(Stage, ParticleStore& pa, const StepContext& ctx) {
  const std::uint64_t end = count_before(ctx.time + ctx.dt);
  const auto shares = static_cast<std::uint64_t>(ctx.shares);
  const auto share = static_cast<std::uint64_t>(ctx.share);
  for (std::uint64_t k = next_; k < end; ++k) {
    if (k % shares != share) continue;
    Rng rng(ctx.seed, RngPurpose::inject, k);
    const double tk = p_.start_time + static_cast<double>(k) / p_.particle_rate;
    const double back = tk - ctx.time;  // >= 0: how far into the step particle k appears
    const double d = draw_diameter(rng);
    Vec3 x, v;
    for (int a = 0; a < 3; ++a)
      x[a] = p_.center[a] + p_.half_width[a] * (2.0 * rng.uniform() - 1.0);
    for (int a = 0; a < 3; ++a) v[a] = p_.v_mean[a] + p_.v_sigma[a] * rng.normal();
    const std::size_t i = pa.push_back(p_.id_base | k, p_.state);
    pa[Field::px][i] = x[0] - v[0] * back;
    pa[Field::py][i] = x[1] - v[1] * back;
    pa[Field::pz][i] = x[2] - v[2] * back;
    pa[Field::vx][i] = v[0];
    pa[Field::vy][i] = v[1];
    pa[Field::vz][i] = v[2];
    pa[Field::diameter][i] = d;
    pa[Field::mass][i] = sphere_mass(d, p_.density);
    pa[Field::temperature][i] = p_.temperature;
    pa[Field::peak_temperature][i] = p_.temperature;
    // enthalpy is set from the temperature by the thermal unit (NaN = not yet initialised)
    pa[Field::enthalpy][i] = std::nan("");
    injected_count_.add(1.0);
    injected_mass_.add(pa[Field::mass][i]);
  }
  next_ = std::max(next_, end);
}

std::vector<TallyRef> Injector::tallies() {
  return {{"injected_count", &injected_count_}, {"injected_mass_kg", &injected_mass_}};
}

std::vector<std::pair<std::string, std::vector<double>>> Injector::save_state() const {
  return {{"next_index", {static_cast<double>(next_)}}};
}

void Injector::load_state(const std::vector<std::pair<std::string, std::vector<double>>>& s) {
  for (const auto& [k, v] : s)
    if (k == "next_index" && !v.empty()) next_ = static_cast<std::uint64_t>(v[0]);
}

void declare_diameter_law(SectionSpec& s) {
  auto& d = s.section("diameter", "Diameter law").require();
  d.choice("law", {"monodisperse", "normal", "lognormal"}, "Distribution of diameters")
      .def("monodisperse");
  d.quantity("mean", dim::length, "Mean diameter").positive().require();
  d.quantity("sigma", dim::length, "Standard deviation (normal, lognormal)")
      .def("0")
      .non_negative();
  d.quantity("min", dim::length, "Truncation: smallest diameter").def("0").non_negative();
  d.quantity("max", dim::length, "Truncation: largest diameter").def("1 m").positive();
}

void read_diameter_law(const Config& d, const std::string& where, InjectorParams& p) {
  const std::string law = d.string("law");
  p.law = law == "normal"      ? InjectorParams::Law::normal
          : law == "lognormal" ? InjectorParams::Law::lognormal
                               : InjectorParams::Law::monodisperse;
  p.d_mean = d.number("mean");
  p.d_sigma = d.number("sigma");
  p.d_min = d.number("min");
  p.d_max = d.number("max");
  if (p.law != InjectorParams::Law::monodisperse && p.d_sigma <= 0.0)
    throw InputError(where + ".sigma: a " + law + " law needs sigma > 0");
  if (p.d_min > p.d_mean || p.d_max < p.d_mean)
    throw InputError(where + ": expected min <= mean <= max");
}

void register_injector_unit(UnitRegistry& registry) {
  UnitInfo u;
  u.name = "injector";
  u.doc =
      "Feeds spheres into the domain at a particle rate or a mass flow, with a diameter law "
      "and uniform position / normal velocity distributions.";
  u.declare = [](SectionSpec& s) {
    s.quantity("particle_rate", dim::frequency, "Particles per second (give this or mass_flow)")
        .positive();
    s.quantity("mass_flow", dim::mass_flow, "Mass flow rate (give this or particle_rate)")
        .positive();
    s.quantity("start_time", dim::time, "Time of the first injection").def("0").non_negative();
    s.quantity("end_time", dim::time, "No injection after this time").def("1e300").positive();
    s.integer("max_particles", "Stop after this many particles (0: no limit)")
        .def("0")
        .non_negative();
    s.quantity("density", dim::density, "Particle material density (W: 19250 kg/m^3, DESIGN.md)")
        .def("19250 kg/m^3")
        .positive();
    s.quantity("temperature", dim::temperature, "Initial temperature").def("373.15 K").positive();
    s.choice("state", {"flying", "feeding"}, "State of new particles").def("flying");
    declare_diameter_law(s);
    auto& x = s.section("position", "Uniform distribution in a box").require();
    x.vector3("center", dim::length, "Centre of the injection box").require();
    x.vector3("half_width", dim::length, "Half widths of the injection box").def("[0, 0, 0]");
    auto& v = s.section("velocity", "Normal distribution per component").require();
    v.vector3("mean", dim::velocity, "Mean velocity").require();
    v.vector3("sigma", dim::velocity, "Standard deviation per component").def("[0, 0, 0]");
  };
  u.make = [](const UnitContext& c) -> std::unique_ptr<ProcessUnit> {
    const Config& s = c.section;
    InjectorParams p;
    read_diameter_law(s.section("diameter"), "injector.diameter", p);
    p.density = s.number("density");
    p.temperature = s.number("temperature");
    p.state = s.string("state") == "feeding" ? ParticleState::feeding : ParticleState::flying;
    p.start_time = s.number("start_time");
    p.end_time = s.number("end_time");
    p.max_particles = s.integer("max_particles");
    p.center = s.section("position").vec3("center");
    p.half_width = s.section("position").vec3("half_width");
    for (double h : p.half_width)
      if (h < 0) throw InputError("injector.position.half_width: expected non-negative widths");
    p.v_mean = s.section("velocity").vec3("mean");
    p.v_sigma = s.section("velocity").vec3("sigma");
    const bool rate = s.has("particle_rate"), flow = s.has("mass_flow");
    if (rate == flow) throw InputError("injector: give exactly one of particle_rate and mass_flow");
    p.particle_rate =
        rate ? s.number("particle_rate") : s.number("mass_flow") / Injector::mean_particle_mass(p);
    return std::make_unique<Injector>(p);
  };
  registry.add(std::move(u));
}

}  // namespace mps
