#include "physics/beam/electron_beam.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "physics/beam/figures_of_merit.hpp"
#include "physics/beam/response_table.hpp"
#include "physics/materials/material.hpp"
#include "physics/thermal/thermal_unit.hpp"
#include "physics/transport/scenarios.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps {

namespace {

Vec3 normalized(Vec3 a, const char* what) {
  const double n = std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
  if (!(n > 0)) throw InputError(std::string("beam.") + what + ": expected a non-zero vector");
  return {a[0] / n, a[1] / n, a[2] / n};
}
double dot(const Vec3& a, const Vec3& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
// FWHM -> sigma of a Gaussian
constexpr double kFwhmToSigma = 0.42466090014400953;  // 1 / (2 sqrt(2 ln 2))

}  // namespace

ElectronBeam::ElectronBeam(const BeamParams& p, DepthDose dd, FigureOptions figures,
                           std::unique_ptr<DirectCoupling> direct)
    : p_(p), dd_(std::move(dd)), figures_(std::move(figures)), direct_(std::move(direct)) {
  s_ = normalized(p_.axis, "axis");
  Vec3 l = normalized(p_.length_dir, "length_dir");
  // length direction made orthogonal to the axis
  const double c = dot(l, s_);
  u_ = normalized({l[0] - c * s_[0], l[1] - c * s_[1], l[2] - c * s_[2]},
                  "length_dir (parallel to axis)");
  w_ = cross(s_, u_);
}

Vec3 ElectronBeam::local(double x, double y, double z, double time) const {
  const Vec3 d{x - p_.center[0], y - p_.center[1], z - p_.center[2]};
  double wob = 0.0;
  if (p_.wobble_amplitude > 0)
    wob = p_.wobble_amplitude * std::sin(2 * constants::pi * p_.wobble_frequency * time);
  return {dot(d, u_), dot(d, w_) - wob, dot(d, s_)};
}

double ElectronBeam::current_density(double u, double w) const {
  if (!p_.gaussian) {
    if (std::abs(u) > 0.5 * p_.length_cs || std::abs(w) > 0.5 * p_.width_cs) return 0.0;
    return p_.current / (p_.length_cs * p_.width_cs);
  }
  const double su = kFwhmToSigma * p_.length_cs, sw = kFwhmToSigma * p_.width_cs;
  if (std::abs(u) > 3 * su || std::abs(w) > 3 * sw) return 0.0;  // truncated at 3 sigma
  return p_.current / (2 * constants::pi * su * sw) *
         std::exp(-0.5 * (u * u / (su * su) + w * w / (sw * sw)));
}

std::optional<std::array<Vec3, 2>> ElectronBeam::gather_box() const {
  // bounding box of the prism (the wobble widens it along w)
  const double hu = p_.gaussian ? 3 * kFwhmToSigma * p_.length_cs : 0.5 * p_.length_cs;
  const double hw =
      (p_.gaussian ? 3 * kFwhmToSigma * p_.width_cs : 0.5 * p_.width_cs) + p_.wobble_amplitude;
  // a margin of 10 % around the prism, so that particles just leaving the beam are still seen
  // (their state at the exit is what the figures of merit record)
  std::array<Vec3, 2> b{p_.center, p_.center};
  for (int a = 0; a < 3; ++a) {
    const double ext =
        1.1 * (std::abs(u_[a]) * hu + std::abs(w_[a]) * hw + std::abs(s_[a]) * p_.depth_extent);
    b[0][a] -= ext;
    b[1][a] += ext;
  }
  return b;
}

std::vector<char> ElectronBeam::in_beam(const ParticleStore& g, std::vector<Vec3>& loc,
                                        double t) const {
  std::vector<char> inside(g.size(), 0);
  loc.assign(g.size(), Vec3{});
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g.states()[i] != ParticleState::flying) continue;
    loc[i] = local(g[Field::px][i], g[Field::py][i], g[Field::pz][i], t);
    inside[i] =
        std::abs(loc[i][2]) <= p_.depth_extent && current_density(loc[i][0], loc[i][1]) > 0.0;
  }
  return inside;
}

void ElectronBeam::apply(Stage, ParticleStore& p, const StepContext& ctx) {
  const std::size_t n = p.size();
  std::fill_n(p.ptr(Field::beam_power), n, 0.0);
  std::fill_n(p.ptr(Field::absorbed_current), n, 0.0);
  std::fill_n(p.ptr(Field::se_current), n, 0.0);
  if (!on(ctx.time) || !ctx.gathered) return;
  const ParticleStore& g = *ctx.gathered;
  std::vector<Vec3> loc;
  const std::vector<char> inside = in_beam(g, loc, ctx.time);
  if (direct_) {
    direct_phase1(p, g, inside, loc, ctx);
    return;
  }
  const double U = p_.voltage, rho = p_.compact_density, cs = p_.column_size;

  // columns of the cross-section, particles in each ordered along the beam: by (column, depth,
  // id). The beam region holds ~1e5 particles in ~1e4 columns of a few each: a counting sort by
  // column, then each short column by insertion (a comparison sort of all items took 5 % of the
  // reference case; it remains the fallback for a sparse grid of columns).
  struct Item {
    std::int64_t column;
    double s;
    std::uint64_t id;
    std::size_t i;
  };
  std::vector<Item> found;
  std::vector<std::int64_t> cus, cws;
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (!inside[i]) continue;
    const std::int64_t cu = std::llround(std::floor(loc[i][0] / cs));
    const std::int64_t cw = std::llround(std::floor(loc[i][1] / cs));
    found.push_back({cu * 4194304 + cw, loc[i][2], g.ids()[i], i});  // |cw| < 2^21 columns
    cus.push_back(cu);
    cws.push_back(cw);
  }
  auto before = [](const Item& a, const Item& b) {
    return a.s < b.s || (a.s == b.s && a.id < b.id);
  };
  std::vector<Item> items(found.size());
  if (!found.empty()) {
    const auto [cu_lo, cu_hi] = std::minmax_element(cus.begin(), cus.end());
    const auto [cw_lo, cw_hi] = std::minmax_element(cws.begin(), cws.end());
    const std::int64_t width = *cw_hi - *cw_lo + 1;
    const double cells = static_cast<double>(*cu_hi - *cu_lo + 1) * static_cast<double>(width);
    if (cells <= 8.0 * static_cast<double>(found.size()) + 4096.0) {
      // dense column index, in the order of (cu, cw) and so of the column key
      std::vector<std::size_t> dense(found.size());
      for (std::size_t k = 0; k < found.size(); ++k)
        dense[k] = static_cast<std::size_t>((cus[k] - *cu_lo) * width + (cws[k] - *cw_lo));
      std::vector<std::size_t> start(static_cast<std::size_t>(cells) + 1, 0);
      for (const std::size_t c : dense) ++start[c + 1];
      for (std::size_t c = 1; c < start.size(); ++c) start[c] += start[c - 1];
      std::vector<std::size_t> fill(start.begin(), start.end() - 1);
      for (std::size_t k = 0; k < found.size(); ++k) items[fill[dense[k]]++] = found[k];
      for (std::size_t c = 0; c + 1 < start.size(); ++c)
        for (std::size_t k = start[c] + 1; k < start[c + 1]; ++k)
          for (std::size_t m = k; m > start[c] && before(items[m], items[m - 1]); --m)
            std::swap(items[m], items[m - 1]);
    } else {
      items = found;
      std::sort(items.begin(), items.end(), [&](const Item& a, const Item& b) {
        return a.column != b.column ? a.column < b.column : before(a, b);
      });
    }
  }
  Deposit d;
  d.power.assign(g.size(), 0.0);
  d.absorbed.assign(g.size(), 0.0);
  d.secondary.assign(g.size(), 0.0);
  if (dd_.xray) d.xray.assign(g.size(), 0.0);
  const double area = cs * cs;
  for (std::size_t c0 = 0; c0 < items.size();) {
    std::size_t c1 = c0;
    while (c1 < items.size() && items[c1].column == items[c0].column) ++c1;
    double mass_before = 0.0;
    // primaries passing the compact depth above the particle: the last one's below
    double passing = dd_.transmitted(0.0);
    for (std::size_t k = c0; k < c1; ++k) {
      const Item& it = items[k];
      const double m = g[Field::mass][it.i];
      const double h = (mass_before + 0.5 * m) / (rho * area);
      const double j = current_density(loc[it.i][0], loc[it.i][1]);
      d.power[it.i] = j * U * dd_.zeta(h) * m / rho;
      if (dd_.xray) d.xray[it.i] = j * U * dd_.xray(h) * m / rho;
      const double r = 0.5 * g[Field::diameter][it.i];
      // primaries entering minus primaries passing on (or turned back) below this particle
      const double passing_below = dd_.transmitted((mass_before + m) / (rho * area));
      d.absorbed[it.i] = j * constants::pi * r * r * (passing - passing_below);
      passing = passing_below;
      mass_before += m;
    }
    c0 = c1;
  }
  d.backscattered_fraction = dd_.eta_energy;
  d.radiated_fraction = dd_.radiated_fraction;
  deliver(p, g, d, inside, loc, ctx);
}

void ElectronBeam::deliver(ParticleStore& p, const ParticleStore& g, const Deposit& d,
                           const std::vector<char>& inside, const std::vector<Vec3>& loc,
                           const StepContext& ctx) {
  const std::size_t n = p.size();
  // own particles take their values from the gathered copy (same numbers on every rank)
  const auto& gid = g.ids();
  double* P = p.ptr(Field::beam_power);
  double* I = p.ptr(Field::absorbed_current);
  double* S = p.ptr(Field::se_current);
  const auto box = *gather_box();
  const double *x = p.ptr(Field::px), *y = p.ptr(Field::py), *z = p.ptr(Field::pz);
  // The own particles mostly come in increasing id (the store keeps their order): each is looked
  // for from the last one found, galloping, and by bisection of all ids otherwise.
  auto from = gid.begin();
  for (std::size_t i = 0; i < n; ++i) {
    // cheap box test first: most of the rank's particles are far from the beam
    if (x[i] < box[0][0] || x[i] > box[1][0] || y[i] < box[0][1] || y[i] > box[1][1] ||
        z[i] < box[0][2] || z[i] > box[1][2])
      continue;
    const std::uint64_t id = p.ids()[i];
    auto lo = gid.begin(), hi = gid.end();
    if (from != gid.end() && *from <= id) {  // (ids are unique: all before `from` are below id)
      lo = from;
      for (std::ptrdiff_t step = 1;; step *= 2) {
        hi = gid.end() - lo > step ? lo + step : gid.end();
        if (hi == gid.end() || *hi >= id) break;
        lo = hi;
      }
    }
    const auto it = std::lower_bound(lo, hi, id);  // = over all ids: *hi >= id or hi = end
    from = it;
    if (it == gid.end() || *it != id) continue;
    const auto k = static_cast<std::size_t>(it - gid.begin());
    P[i] = d.power[k];
    I[i] = d.absorbed[k];
    S[i] = d.secondary[k];
    energy_absorbed_.add(P[i] * ctx.dt);
  }
  figures_.observe(g, d.power, inside, loc, ctx.dt, d.xray);
  // Beam-wide energy bookkeeping, once (share 0): in = absorbed + backscattered + radiated +
  // transmitted, where transmitted is what the stream's columns did not take.
  if (ctx.share == 0) {
    const double e_in = p_.voltage * p_.current * ctx.dt;
    const double e_bs = e_in * d.backscattered_fraction, e_rad = e_in * d.radiated_fraction;
    energy_in_.add(e_in);
    energy_backscattered_.add(e_bs);
    energy_radiated_.add(e_rad);
    energy_transmitted_.add(e_in);
    energy_transmitted_.add(-e_bs);
    energy_transmitted_.add(-e_rad);
    for (double x : d.power) energy_transmitted_.add(-x * ctx.dt);
  }
}

// Direct coupling, phase 1: this rank tracks its share of the histories through the spheres in
// the beam (every `interval` steps; in between the last per-particle results are held).
void ElectronBeam::direct_phase1(ParticleStore& p, const ParticleStore& g,
                                 const std::vector<char>& inside, const std::vector<Vec3>& loc,
                                 const StepContext& ctx) {
  // every flying particle of the gathered region is a body, also those beside the footprint:
  // electrons scattered sideways reach them (the lateral corona the dense model cannot see)
  cloud_ids_.clear();
  std::vector<transport::SphereSpec> spheres;
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g.states()[i] != ParticleState::flying) continue;
    cloud_ids_.push_back(g.ids()[i]);
    spheres.push_back(
        {{g[Field::px][i], g[Field::py][i], g[Field::pz][i]}, 0.5 * g[Field::diameter][i]});
  }
  const std::uint64_t every = direct_->options().interval;
  if (spheres.empty() || ctx.step % every != 0) {
    direct_pending_ = false;
    finish_direct(p, g, inside, loc, ctx);
    return;
  }
  const transport::SphereCloud cloud(std::move(spheres));
  double wob = 0.0;
  if (p_.wobble_amplitude > 0)
    wob = p_.wobble_amplitude * std::sin(2 * constants::pi * p_.wobble_frequency * ctx.time);
  auto tv = [](const Vec3& a) { return transport::Vec3{a[0], a[1], a[2]}; };
  const Vec3 o{p_.center[0] - p_.depth_extent * s_[0], p_.center[1] - p_.depth_extent * s_[1],
               p_.center[2] - p_.depth_extent * s_[2]};
  const FocalSpotSource src(p_.voltage, tv(o), tv(u_), tv(w_), tv(s_), p_.length_cs, p_.width_cs,
                            p_.gaussian, wob);
  direct_->track(cloud, src, ctx.step / every, ctx.seed, ctx.share, ctx.shares);
  direct_pending_ = true;
}

std::vector<ExactSum*> ElectronBeam::shared_sums() {
  if (!direct_ || !direct_pending_) return {};
  return direct_->sums();
}

void ElectronBeam::finish(Stage, ParticleStore& p, const StepContext& ctx) {
  if (!direct_ || !direct_pending_ || !ctx.gathered) return;
  direct_pending_ = false;
  const DirectResult r = direct_->result();
  held_.clear();
  held_xray_.clear();
  const double I = p_.current, U = p_.voltage;
  for (std::size_t b = 0; b < cloud_ids_.size(); ++b) {
    held_[cloud_ids_[b]] = {U * I * r.deposited_fraction[b], I * r.absorbed_number[b],
                            I * r.secondary_number[b]};
    if (r.radiated_fraction_body[b] > 0)
      held_xray_[cloud_ids_[b]] = U * I * r.radiated_fraction_body[b];
  }
  held_backscattered_ = r.backscattered_fraction;
  held_radiated_ = r.radiated_fraction;
  std::vector<Vec3> loc;
  const std::vector<char> inside = in_beam(*ctx.gathered, loc, ctx.time);
  finish_direct(p, *ctx.gathered, inside, loc, ctx);
}

void ElectronBeam::finish_direct(ParticleStore& p, const ParticleStore& g,
                                 const std::vector<char>& inside, const std::vector<Vec3>& loc,
                                 const StepContext& ctx) {
  Deposit d;
  d.power.assign(g.size(), 0.0);
  d.absorbed.assign(g.size(), 0.0);
  d.secondary.assign(g.size(), 0.0);
  d.xray.assign(g.size(), 0.0);
  std::vector<char> receives(inside);
  for (std::size_t i = 0; i < g.size(); ++i) {
    auto it = held_.find(g.ids()[i]);
    if (it == held_.end()) continue;  // entered the beam since the last coupling
    d.power[i] = it->second[0];
    d.absorbed[i] = it->second[1];
    d.secondary[i] = it->second[2];
    receives[i] = receives[i] || d.power[i] > 0;
  }
  for (std::size_t i = 0; i < g.size(); ++i) {
    auto it = held_xray_.find(g.ids()[i]);
    if (it == held_xray_.end()) continue;
    d.xray[i] = it->second;
    receives[i] = 1;
  }
  d.backscattered_fraction = held_backscattered_;
  d.radiated_fraction = held_radiated_;
  deliver(p, g, d, receives, loc, ctx);
}

void ElectronBeam::summarize(const std::map<std::string, double>& global,
                             std::map<std::string, double>& out) const {
  figures_.summarize(out);
  auto value = [&](const char* k) {
    auto it = global.find(std::string("beam.") + k);
    return it == global.end() ? 0.0 : it->second;
  };
  const double in = value("energy_in_J");
  if (in > 0) {
    out["absorbed_power_fraction"] = value("energy_absorbed_J") / in;
    out["backscattered_power_fraction"] = value("energy_backscattered_J") / in;
    out["xray_conversion_efficiency"] = value("energy_radiated_J") / in;
    out["transmitted_power_fraction"] = value("energy_transmitted_J") / in;
  }
  out["beam_power_W"] = p_.voltage * p_.current;
  // gain over a rotating anode with the same focal spot (Mueller-Oosterkamp, paper's reference)
  if (auto it = out.find("permitted_power_W"); it != out.end() && p_.reference_power > 0)
    out["gain_vs_rotating_anode"] = it->second / p_.reference_power;
  out["rotating_anode_power_W"] = p_.reference_power;
}

std::vector<std::pair<std::string, std::vector<double>>> ElectronBeam::save_state() const {
  auto s = figures_.save_state();
  std::vector<double> held;
  for (const auto& [id, v] : held_) {
    held.push_back(static_cast<double>(id));
    held.insert(held.end(), v.begin(), v.end());
  }
  s.push_back({"direct_held", held});
  s.push_back({"direct_held_fractions", {held_backscattered_, held_radiated_}});
  std::vector<double> xray;
  for (const auto& [id, v] : held_xray_) {
    xray.push_back(static_cast<double>(id));
    xray.push_back(v);
  }
  s.push_back({"direct_held_xray", xray});
  return s;
}

void ElectronBeam::load_state(const std::vector<std::pair<std::string, std::vector<double>>>& s) {
  figures_.load_state(s);
  for (const auto& [k, v] : s) {
    if (k == "direct_held") {
      held_.clear();
      for (std::size_t i = 0; i + 3 < v.size(); i += 4)
        held_[static_cast<std::uint64_t>(v[i])] = {v[i + 1], v[i + 2], v[i + 3]};
    }
    if (k == "direct_held_xray") {
      held_xray_.clear();
      for (std::size_t i = 0; i + 1 < v.size(); i += 2)
        held_xray_[static_cast<std::uint64_t>(v[i])] = v[i + 1];
    }
    if (k == "direct_held_fractions" && v.size() == 2) {
      held_backscattered_ = v[0];
      held_radiated_ = v[1];
    }
  }
}

std::vector<TallyRef> ElectronBeam::tallies() {
  return {{"energy_in_J", &energy_in_},
          {"energy_absorbed_J", &energy_absorbed_},
          {"energy_backscattered_J", &energy_backscattered_},
          {"energy_radiated_J", &energy_radiated_},
          {"energy_transmitted_J", &energy_transmitted_}};
}

DepthDose depth_dose_from_table(const ResponseTable& table, double voltage) {
  const double e = voltage;  // electron energy in eV for a tube voltage in V
  if (e < table.energies_eV.front() * (1 - 1e-9) || e > table.energies_eV.back() * (1 + 1e-9))
    throw InputError("beam.voltage: " + std::to_string(voltage) +
                     " V is outside the response table's energy range");
  auto t = std::make_shared<ResponseTable>(table);
  DepthDose d;
  d.voltage = voltage;
  const ResponseTable::AtEnergy at = t->at_energy(e);
  d.zeta = [t, at](double h) { return t->zeta(at, h); };
  d.transmitted = [t, at](double h) { return t->transmitted_fraction(at, h); };
  d.eta_energy = t->of_energy(t->eta_energy, e);
  d.radiated_fraction = t->of_energy(t->radiated_fraction, e);
  return d;
}

std::function<double(double)> xray_depth_profile(double voltage, std::uint64_t histories,
                                                 std::uint64_t seed) {
  const transport::Material m = transport::tungsten();
  const double e = voltage;  // eV for a tube voltage in V
  transport::TransportOptions o = transport::bulk_options(m, e);
  o.max_energy_eV = std::max(o.max_energy_eV, e);
  const transport::TransportEngine engine(m, o);
  const transport::Slab slab;
  const transport::PencilBeam beam(e);
  const transport::Tallies t = engine.run_histories(slab, beam, 0, histories, seed);
  auto h = std::make_shared<std::vector<double>>(t.depth_centers_m());
  auto x = std::make_shared<std::vector<double>>();
  for (const auto& b : t.depth_xray.bins) x->push_back(b.mean(t.histories) / t.depth_xray.width());
  // linear between bin centres, the first bin's value up to the surface, zero beyond the tally
  return [h, x](double depth) {
    if (depth < 0 || depth > h->back()) return 0.0;
    const auto it = std::upper_bound(h->begin(), h->end(), depth);
    if (it == h->begin()) return x->front();
    const std::size_t k = static_cast<std::size_t>(it - h->begin());
    const double f = (depth - (*h)[k - 1]) / ((*h)[k] - (*h)[k - 1]);
    return (*x)[k - 1] + f * ((*x)[k] - (*x)[k - 1]);
  };
}

void register_beam_unit(UnitRegistry& registry,
                        std::function<ResponseTable(const std::string& path)> load_table) {
  UnitInfo u;
  u.name = "beam";
  u.doc =
      "Electron beam (tube voltage, current, focal-spot cross-section) heating the stream by "
      "the dense depth-dose coupling (paper's volume-heating model) from a response table.";
  u.declare = [](SectionSpec& s) {
    s.quantity("voltage", dim::voltage, "Tube voltage U").positive().require();
    s.quantity("current", dim::current, "Beam current (give this or power)").positive();
    s.quantity("power", dim::power, "Beam power U I (give this or current)").positive();
    s.vector3("center", dim::length, "Centre of the focal spot").require();
    s.vector3("axis", dim::none, "Direction the electrons travel").def("[0, 0, -1]");
    s.vector3("length_dir", dim::none, "Direction of the focal-spot length L_CS").def("[1, 0, 0]");
    s.quantity("length", dim::length, "Focal-spot length L_CS (FWHM if Gaussian)")
        .positive()
        .require();
    s.quantity("width", dim::length, "Focal-spot width W_CS (FWHM if Gaussian)")
        .positive()
        .require();
    s.choice("profile", {"uniform", "gaussian"}, "Current density over the cross-section")
        .def("uniform");
    s.quantity("target_angle", dim::none, "Target angle alpha (for projected sizes)")
        .def("8 deg")
        .non_negative();
    s.quantity("on_time", dim::time, "Beam switched on").def("0").non_negative();
    s.quantity("off_time", dim::time, "Beam switched off").def("1e300").positive();
    s.quantity("wobble_amplitude", dim::length, "Focal-spot deflection along the width")
        .def("0")
        .non_negative();
    s.quantity("wobble_frequency", dim::frequency, "Deflection frequency").def("0").non_negative();
    s.quantity("column_size", dim::length, "Cross-section cell for the depth in the stream")
        .def("20 um")
        .positive();
    s.quantity("depth_extent", dim::length,
               "Reach of the beam prism from the centre along the axis")
        .def("2 mm")
        .positive();
    s.choice("coupling", {"dense", "direct"},
             "dense: depth-dose tables scaled by the local stream density; direct: transport "
             "Monte Carlo through the particles in the beam")
        .def("dense");
    s.integer("histories", "Direct coupling: electron histories per coupling (all ranks)")
        .def("2000")
        .at_least(1);
    s.integer("coupling_interval", "Direct coupling: steps between couplings").def("1").at_least(1);
    s.quantity("absorption_energy", dim::energy, "Direct coupling: electron absorption energy")
        .def("1 keV")
        .at_least(50 * 1.602176634e-19);
    s.choice("permitted_limit", {"solid", "molten"},
             "Permitted power: particles stay solid (limit h(Tm)), or may melt completely "
             "(limit h(Tm) + latent heat; re-solidification before capture is reported)")
        .def("solid");
    s.quantity("reference_power", dim::power,
               "Rotating-anode reference for the gain (paper: 25 kW for 0.3 nominal at 8 deg)")
        .def("25 kW")
        .positive();
    s.integer("map_bins", "Bins per axis of the projected focal-spot map").def("256").at_least(16);
    s.integer("xray_profile_histories",
              "Dense coupling: histories of a bulk transport run at the tube voltage whose "
              "bremsstrahlung depth profile makes the focal-spot map an X-ray production map "
              "(0: the deposited power as the proxy; the direct coupling always maps X-rays)")
        .def("0")
        .non_negative();
    s.string("response_table",
             "HDF5 response table from `mpstream transport table` (path relative to the case "
             "file), or the name of a shipped table (cases/data/NAME_response.h5)")
        .def("tungsten");
  };
  u.make = [load_table](const UnitContext& c) -> std::unique_ptr<ProcessUnit> {
    const Config& s = c.section;
    BeamParams p;
    p.voltage = s.number("voltage");
    const bool cur = s.has("current"), pow = s.has("power");
    if (cur == pow) throw InputError("beam: give exactly one of current and power");
    p.current = cur ? s.number("current") : s.number("power") / p.voltage;
    p.center = s.vec3("center");
    p.axis = s.vec3("axis");
    p.length_dir = s.vec3("length_dir");
    p.length_cs = s.number("length");
    p.width_cs = s.number("width");
    p.gaussian = s.string("profile") == "gaussian";
    p.target_angle = s.number("target_angle");
    p.on_time = s.number("on_time");
    p.off_time = s.number("off_time");
    p.wobble_amplitude = s.number("wobble_amplitude");
    p.wobble_frequency = s.number("wobble_frequency");
    p.column_size = s.number("column_size");
    p.depth_extent = s.number("depth_extent");
    std::filesystem::path table = s.string("response_table");
    if (!table.has_extension())  // the name of a table shipped with mpstream (cases/data/)
      table = std::filesystem::path(MPS_DATA_DIR) / (table.string() + "_response.h5");
    else if (table.is_relative() && !c.case_file.empty())
      table = std::filesystem::path(c.case_file).parent_path() / table;
    ResponseTable t = load_table(table.string());
    p.compact_density = t.density;
    // the particles' material (the thermal unit's, else tungsten) sets the permitted-power limit
    const Material material = c.root.has_section("thermal")
                                  ? material_from_section(c.root.section("thermal"))
                                  : Material::builtin("tungsten");
    FigureOptions f;
    f.beam_power = p.voltage * p.current;
    f.target_angle = p.target_angle;
    f.limit_enthalpy = s.string("permitted_limit") == "molten" ? material.enthalpy_liquidus()
                                                               : material.enthalpy_solidus();
    f.enthalpy_of_t = [material](double T) { return material.enthalpy(T); };
    const double half_l = p.gaussian ? 3 * 0.42466090014400953 * p.length_cs : 0.5 * p.length_cs;
    const double half_w = p.gaussian ? 3 * 0.42466090014400953 * p.width_cs : 0.5 * p.width_cs;
    f.map_half_length =
        1.5 * (half_l * std::sin(p.target_angle) + p.depth_extent * std::cos(p.target_angle));
    f.map_half_width = 1.5 * (half_w + p.wobble_amplitude);
    f.map_bins = static_cast<int>(s.integer("map_bins"));
    p.reference_power =
        fom::rotating_anode_reference_power(p.length_cs, p.width_cs, s.number("reference_power"));
    std::unique_ptr<DirectCoupling> direct;
    if (s.string("coupling") == "direct") {
      DirectCouplingOptions o;
      o.histories = static_cast<std::uint64_t>(s.integer("histories"));
      o.interval = static_cast<std::uint64_t>(s.integer("coupling_interval"));
      o.transport.absorption_energy_eV =
          s.number("absorption_energy") / constants::elementary_charge;
      o.transport.tally_axis = {p.axis[0], p.axis[1], p.axis[2]};
      const double n =
          std::sqrt(p.axis[0] * p.axis[0] + p.axis[1] * p.axis[1] + p.axis[2] * p.axis[2]);
      o.transport.tally_axis = o.transport.tally_axis * (1.0 / n);
      transport::Material tm = transport::tungsten();
      if (material.name() != "tungsten")
        throw InputError("beam.coupling: direct coupling has transport data for tungsten only");
      direct = std::make_unique<DirectCoupling>(tm, o);
    }
    DepthDose dd = depth_dose_from_table(t, p.voltage);
    if (const auto n = s.integer("xray_profile_histories"); n > 0 && !direct) {
      if (material.name() != "tungsten")
        throw InputError("beam.xray_profile_histories: transport data for tungsten only");
      const std::uint64_t seed =
          c.root.has_section("simulation")
              ? static_cast<std::uint64_t>(c.root.section("simulation").integer("seed"))
              : 1;
      dd.xray = xray_depth_profile(p.voltage, static_cast<std::uint64_t>(n), seed);
    }
    return std::make_unique<ElectronBeam>(p, std::move(dd), f, std::move(direct));
  };
  registry.add(std::move(u));
}

}  // namespace mps
