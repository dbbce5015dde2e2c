#include "solver/sim/simulation.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>

#include "solver/base/block_scan.hpp"
#include "solver/base/errors.hpp"
#include "solver/io/checkpoint.hpp"
#include "solver/io/vtk_image.hpp"
#include "solver/sim/builtin_units.hpp"

namespace mps {

namespace {

volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_checkpoint_signal(int sig) {
  g_signal = sig;
}

constexpr Stage kStages[] = {Stage::source,     Stage::pre_force, Stage::force,
                             Stage::post_force, Stage::state,     Stage::boundary};

ExactSum allreduce(MPI_Comm comm, const ExactSum& local) {
  ExactSum s = local, out;
  s.normalize();
  MPI_Allreduce(s.limbs(), out.limbs(), ExactSum::kLimbs, MPI_INT64_T, MPI_SUM, comm);
  return out;
}

// issue 6: sums a list of ExactSums over ranks in one call (surface maps).
std::vector<ExactSum> allreduce_many(MPI_Comm comm, const std::vector<const ExactSum*>& local) {
  std::vector<std::int64_t> in(local.size() * ExactSum::kLimbs), out(in.size());
  for (std::size_t k = 0; k < local.size(); ++k) {
    ExactSum s = *local[k];
    s.normalize();
    std::copy(s.limbs(), s.limbs() + ExactSum::kLimbs,
              in.begin() + static_cast<std::ptrdiff_t>(k * ExactSum::kLimbs));
  }
  MPI_Allreduce(in.data(), out.data(), static_cast<int>(in.size()), MPI_INT64_T, MPI_SUM, comm);
  std::vector<ExactSum> r(local.size());
  for (std::size_t k = 0; k < local.size(); ++k)
    std::copy(out.begin() + static_cast<std::ptrdiff_t>(k * ExactSum::kLimbs),
              out.begin() + static_cast<std::ptrdiff_t>((k + 1) * ExactSum::kLimbs), r[k].limbs());
  return r;
}

// issue 6: checkpoint key of one patch sum of a surface map
std::string map_key(const std::string& unit, const std::string& map, const std::string& array,
                    std::size_t p) {
  return fmt::format("{}.map.{}.{}.{}", unit, map, array, p);
}

// The same collective, writing the global sums back in place (two-phase units).
void allreduce_in_place(MPI_Comm comm, const std::vector<ExactSum*>& sums) {
  const std::vector<ExactSum> g =
      allreduce_many(comm, std::vector<const ExactSum*>(sums.begin(), sums.end()));
  for (std::size_t i = 0; i < sums.size(); ++i) *sums[i] = g[i];
}

int axis_index(const std::string& a) {
  return a == "x" ? 0 : a == "y" ? 1 : 2;
}

}  // namespace

void install_checkpoint_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_checkpoint_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // do not break MPI or file I/O calls in progress
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGUSR1, &sa, nullptr);
}
bool checkpoint_signal_received() {
  return g_signal != 0;
}

Simulation::Simulation(MPI_Comm comm, const Case& c, const RunOptions& options)
    : comm_(comm), case_(c), opt_(options) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
  const Config& sim = case_.root.section("simulation");
  dt_ = sim.number("dt");
  end_time_ = sim.number("end_time");
  seed_ = static_cast<std::uint64_t>(sim.integer("seed"));
  const Config& out = sim.section("output");
  out_dir_ = opt_.output_dir.empty() ? out.string("directory") : opt_.output_dir;
  out_interval_ = out.number("interval");
  diag_interval_ = out.number("diagnostics_interval");
  ckpt_interval_ = out.number("checkpoint_interval");
  keep_ckpt_ = out.integer("keep_checkpoints");
  final_ckpt_ = out.boolean("final_checkpoint");
  const Config& dec = sim.section("decomposition");
  rebalance_threshold_ = dec.number("rebalance_threshold");

  const auto& reg = builtin_units();
  for (const auto& name : case_.active_units) {
    const UnitInfo* info = reg.find(name);
    units_.push_back(info->make(UnitContext{case_.root.section(name), case_.root, case_.file}));
    dt_ = std::min(dt_, units_.back()->max_dt());
    ghost_cutoff_ = std::max(ghost_cutoff_, units_.back()->ghost_cutoff());
    for (int a = 0; a < 3; ++a) periodic_[a] = periodic_[a] || units_.back()->periodic_axes()[a];
    ownership_each_step_ = ownership_each_step_ || units_.back()->needs_ownership();
    sizes_fixed_ = sizes_fixed_ && !units_.back()->changes_particle_size();
  }
  // the multi-rate state clock, where a unit uses it and the case and every such unit allow a
  // stride above 1
  {
    int stride = static_cast<int>(sim.integer("state_stride"));
    bool clocked = false;
    for (const auto& u : units_)
      if (u->uses_state_clock()) {
        clocked = true;
        stride = std::min(stride, u->max_state_stride());
      }
    if (clocked && stride > 1) clock_ = std::make_unique<StateClock>(stride);
  }
  // Verlet-list units (contacts): ghosts renewed only when some particle moved skin/2 (issue 6)
  lazy_ghosts_ = ghost_cutoff_ > 0.0;
  neighbour_skin_ = std::numeric_limits<double>::infinity();
  for (const auto& u : units_) {
    if (u->ghost_cutoff() <= 0.0) continue;
    lazy_ghosts_ = lazy_ghosts_ && u->neighbour_skin() > 0.0;
    neighbour_skin_ = std::min(neighbour_skin_, u->neighbour_skin());
  }
  // units' private per-particle state travels with migrating particles: per unit, a length and
  // the unit's data
  std::vector<ProcessUnit*> carriers;
  for (auto& u : units_)
    if (u->has_migrating_state()) carriers.push_back(u.get());
  if (!carriers.empty()) {
    payload_ = std::make_unique<MigrationPayload>();
    payload_->pack = [carriers](const std::vector<std::uint64_t>& ids,
                                std::vector<std::vector<double>>& data) {
      std::vector<std::vector<double>> part(ids.size());
      for (auto* u : carriers) {
        for (auto& v : part) v.clear();
        u->pack_migrating(ids, part);
        for (std::size_t k = 0; k < ids.size(); ++k) {
          data[k].push_back(static_cast<double>(part[k].size()));
          data[k].insert(data[k].end(), part[k].begin(), part[k].end());
        }
      }
    };
    payload_->unpack = [carriers](std::uint64_t id, const double* data, std::size_t n) {
      std::size_t off = 0;
      for (auto* u : carriers) {
        if (off >= n) break;
        const auto len = static_cast<std::size_t>(data[off]);
        if (len > 0) u->unpack_migrating(id, data + off + 1, len);
        off += 1 + len;
      }
    };
  }
  unit_seconds_.assign(units_.size(), 0.0);
  const Config& dom = case_.root.section("domain");
  const int cells = static_cast<int>(dec.integer("cells"));
  decomp_ = std::make_unique<Decomposition>(comm_, dom.vec3("lo"), dom.vec3("hi"),
                                            axis_index(dec.string("stream_axis")),
                                            std::array<int, 3>{cells, cells, cells});
  for (auto& u : units_) u->attach(*decomp_);  // hook for grid units (issue 5): DMDA layout
  if (opt_.write_output && rank_ == 0) {
    std::filesystem::create_directories(out_dir_);
    std::ofstream(out_dir_ + "/case.resolved.yaml") << resolved_yaml(case_, build_root_schema(reg));
  }
  MPI_Barrier(comm_);
  pvd_ = std::make_unique<PvdIndex>(out_dir_ + "/run.pvd");
  if (!opt_.restart.empty()) restart_from(opt_.restart);
  wall_start_ = std::chrono::steady_clock::now();
}

Simulation::~Simulation() = default;

ProcessUnit* Simulation::unit(const std::string& name) {
  for (auto& u : units_)
    if (u->name() == name) return u.get();
  return nullptr;
}

void Simulation::log(const std::string& line) {
  if (rank_ != 0) return;
  std::cout << line << std::endl;
  if (opt_.write_output) std::ofstream(out_dir_ + "/log.txt", std::ios::app) << line << "\n";
}

void Simulation::apply_stage(Stage s, StepContext& ctx) {
  for (std::size_t k = 0; k < units_.size(); ++k) {
    if (!has_stage(units_[k]->stages(), s)) continue;
    auto t0 = std::chrono::steady_clock::now();
    ParticleStore gathered;
    ctx.gathered = nullptr;
    if (auto box = units_[k]->gather_box()) {
      gathered = gather_box(particles_, *decomp_, (*box)[0], (*box)[1]);
      ctx.gathered = &gathered;
    }
    if (s == Stage::state && clock_ && !ctx.state_due && units_[k]->uses_state_clock())
      schedule_state(ctx);
    units_[k]->apply(s, particles_, ctx);
    if (auto sums = units_[k]->shared_sums(); !sums.empty()) {
      allreduce_in_place(comm_, sums);
      units_[k]->finish(s, particles_, ctx);
    }
    ctx.gathered = nullptr;
    unit_seconds_[k] +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
}

void Simulation::schedule_state(StepContext& ctx) {
  state_due_ = clock_->schedule(particles_);
  const ParticleSelection entering = clock_->entering();
  if (entering.n > 0)
    for (auto& u : units_)
      if (u->uses_state_clock()) u->catch_up(particles_, entering, ctx);
  ctx.state_due = &state_due_;
}

void Simulation::synchronize_state() {
  if (!clock_) return;
  const ParticleSelection pending = clock_->pending(particles_);
  if (pending.n == 0) return;
  const StepContext ctx = step_context();
  for (auto& u : units_)
    if (u->uses_state_clock()) u->catch_up(particles_, pending, ctx);
}

const ParticleStore& Simulation::particles_for_output(ParticleStore& scratch) {
  const auto& lags = particles_.state_lags();
  const bool current =
      std::all_of(lags.begin(), lags.begin() + static_cast<std::ptrdiff_t>(particles_.size()),
                  [](std::uint8_t l) { return l == 0 || l == kStateHold; });
  if (!clock_ || current) return particles_;
  scratch = particles_;
  scratch.drop_ghosts();
  // the catch-up of the copy must not count in the run's tallies
  std::vector<std::pair<ExactSum*, ExactSum>> saved;
  for (auto& u : units_)
    for (const auto& t : u->tallies()) saved.emplace_back(t.sum, *t.sum);
  const ParticleSelection pending = clock_->pending(scratch);
  const StepContext ctx = step_context();
  for (auto& u : units_)
    if (u->uses_state_clock()) u->catch_up(scratch, pending, ctx);
  for (auto& [sum, value] : saved) *sum = value;
  return scratch;
}

StepContext Simulation::step_context() const {
  StepContext ctx;
  ctx.time = static_cast<double>(step_) * dt_;
  ctx.dt = dt_;
  ctx.step = step_;
  ctx.seed = seed_;
  ctx.share = rank_;
  ctx.shares = size_;
  ctx.periodic = periodic_;
  return ctx;
}

void Simulation::remove_finished() {
  const std::size_t n = particles_.size();
  const auto* states = particles_.states().data();
  // most steps remove nothing: look in blocks (branch-free, vectorised) before allocating
  std::size_t first = 0;
  for (; first < n; first += 1024) {
    unsigned char hit = 0;
    for (std::size_t i = first; i < std::min(n, first + 1024); ++i)
      hit |= static_cast<unsigned char>(states[i] == ParticleState::captured) |
             static_cast<unsigned char>(states[i] == ParticleState::escaped);
    if (hit) break;
  }
  if (first >= n) return;
  std::vector<char> keep(n, 1);
  bool any = false;
  const double* m = particles_.ptr(Field::mass);
  for (std::size_t i = first; i < n; ++i) {
    const auto s = particles_.states()[i];
    if (s == ParticleState::captured || s == ParticleState::escaped) {
      keep[i] = 0;
      any = true;
      removed_count_[static_cast<int>(s)].add(1.0);
      removed_mass_[static_cast<int>(s)].add(m[i]);
      removed_peak_temperature_ =
          std::max(removed_peak_temperature_, particles_[Field::peak_temperature][i]);
      if (particles_[Field::time_molten][i] > 0) {
        removed_molten_.add(1.0);
        if (particles_[Field::liquid_fraction][i] == 0) removed_resolidified_.add(1.0);
      }
    }
  }
  if (any) particles_.compact(keep);
}

void Simulation::step() {
  StepContext ctx = step_context();
  for (Stage s : kStages) {
    if (s == Stage::source) {
      apply_stage(s, ctx);
      // New particles may sit on a rank that does not own them until the migration at the end of
      // the step: per-particle stages do not care, and the force stage migrates first.
      if (step_ == 0 || step_ % rebalance_every_ == 0) {
        if (step_ == 0 || decomp_->imbalance(particles_.size()) > rebalance_threshold_) {
          decomp_->rebalance(particles_);
          migrate_particles();
        }
      }
    } else if (s == Stage::force) {
      if (periodic_[0] || periodic_[1] || periodic_[2])
        wrap_periodic(particles_, *decomp_, periodic_);
      // the ghosts stay behind the owned particles (the other stages see size() only) for the
      // next step's forwarding to refresh in place
      ctx.neighbours = refresh_neighbours();
      apply_stage(s, ctx);
    } else {
      apply_stage(s, ctx);
    }
  }
  particle_steps_ += static_cast<double>(particles_.size());
  remove_finished();
  ++step_;
  // with lazy ghosts the renewals migrate (nothing strays more than skin/2 from its box)
  if (ownership_each_step_ || (!lazy_ghosts_ && step_ % migrate_every_ == 0)) migrate_particles();
  time_ = static_cast<double>(step_) * dt_;
}

std::size_t Simulation::migrate_particles() {
  return migrate(particles_, *decomp_, payload_.get());
}

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

std::vector<std::pair<std::string, double>> Simulation::time_breakdown() const {
  std::vector<std::pair<std::string, double>> t;
  for (std::size_t k = 0; k < units_.size(); ++k)
    t.emplace_back(units_[k]->name(), unit_seconds_[k]);
  t.emplace_back("renewal_test", phase_seconds_[kRenewalTest]);
  t.emplace_back("migrate", phase_seconds_[kMigrate]);
  t.emplace_back("ghost_exchange", phase_seconds_[kGhostExchange]);
  t.emplace_back("ghost_forward", phase_seconds_[kGhostForward]);
  return t;
}

StepContext::Neighbours Simulation::refresh_neighbours() {
  using N = StepContext::Neighbours;
  auto t0 = std::chrono::steady_clock::now();
  if (!lazy_ghosts_) {
    if (ownership_each_step_) migrate_particles();
    if (ghost_cutoff_ > 0.0) exchange_ghosts(particles_, *decomp_, ghost_cutoff_, periodic_);
    return N::unknown;
  }
  // LAMMPS-style: renew (migrate, new ghosts) when some particle anywhere has moved more than
  // skin/2 since the last renewal or the owned particles changed (injection, removal,
  // migration), else forward the ghosts' fields; one all-reduce of a flag per step.
  const std::size_t n = particles_.size();
  int renew = ownership_each_step_ || particles_.generation() != renewal_generation_;
  if (!renew) {
    const double lim = 0.25 * neighbour_skin_ * neighbour_skin_;
    const double* x[3] = {particles_.ptr(Field::px), particles_.ptr(Field::py),
                          particles_.ptr(Field::pz)};
    double len[3];
    for (int a = 0; a < 3; ++a)
      len[a] = periodic_[a] ? decomp_->hi()[a] - decomp_->lo()[a]
                            : std::numeric_limits<double>::infinity();
    const double *xx = x[0], *xy = x[1], *xz = x[2];
    const double *x0 = renewal_x_[0].data(), *y0 = renewal_x_[1].data(), *z0 = renewal_x_[2].data();
    const double lx = len[0], ly = len[1], lz = len[2];
    // minimum image |d| or L - |d| along periodic axes (wrapped across a face since; L = inf
    // along the others)
    auto moved = [=](std::size_t i) {
      double dx = std::fabs(xx[i] - x0[i]), dy = std::fabs(xy[i] - y0[i]),
             dz = std::fabs(xz[i] - z0[i]);
      dx = std::min(dx, lx - dx);
      dy = std::min(dy, ly - dy);
      dz = std::min(dz, lz - dz);
      return dx * dx + dy * dy + dz * dz > lim;
    };
    // blocks of branch-free (vectorised) work, stopping at the first block that has a mover
    for (std::size_t b = 0; b < n && !renew; b += 1024)
      renew = any_index(b, std::min(n, b + 1024), moved);
  }
  if (size_ > 1) MPI_Allreduce(MPI_IN_PLACE, &renew, 1, MPI_INT, MPI_MAX, comm_);
  phase_seconds_[kRenewalTest] += seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  if (!renew) {
    forward_ghosts(particles_, *decomp_, ghost_plan_, sizes_fixed_);
    phase_seconds_[kGhostForward] += seconds_since(t0);
    return N::forwarded;
  }
  migrate_particles();
  phase_seconds_[kMigrate] += seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  exchange_ghosts(particles_, *decomp_, ghost_cutoff_, periodic_, &ghost_plan_);
  const std::size_t nown = particles_.size();
  renewal_generation_ = particles_.generation();
  for (int a = 0; a < 3; ++a) {
    const double* x = particles_.ptr(a == 0 ? Field::px : a == 1 ? Field::py : Field::pz);
    renewal_x_[a].assign(x, x + nown);
  }
  phase_seconds_[kGhostExchange] += seconds_since(t0);
  return N::renewed;
}

std::map<std::string, ExactSum> Simulation::global_tallies() {
  std::map<std::string, ExactSum> out;
  for (auto& u : units_)
    for (const auto& t : u->tallies()) out[u->name() + "." + t.name] = allreduce(comm_, *t.sum);
  for (int s = 0; s < kParticleStateCount; ++s) {
    const auto st = std::string(to_string(static_cast<ParticleState>(s)));
    if (s == static_cast<int>(ParticleState::captured) ||
        s == static_cast<int>(ParticleState::escaped)) {
      out["solver.removed_count_" + st] = allreduce(comm_, removed_count_[s]);
      out["solver.removed_mass_kg_" + st] = allreduce(comm_, removed_mass_[s]);
    }
  }
  out["solver.removed_molten_count"] = allreduce(comm_, removed_molten_);
  out["solver.removed_resolidified_count"] = allreduce(comm_, removed_resolidified_);
  return out;
}

nlohmann::json Simulation::summary() {
  synchronize_state();
  auto tallies = global_tallies();
  nlohmann::json j;
  // live particles by state, and their mass (exact sums)
  long long by_state[kParticleStateCount] = {}, g_by_state[kParticleStateCount] = {};
  ExactSum live_mass;
  double tmax = -1e300, tmin = 1e300, peak = removed_peak_temperature_;
  ExactSum live_molten, live_charge;
  const double* T = particles_.ptr(Field::temperature);
  const double* m = particles_.ptr(Field::mass);
  for (std::size_t i = 0; i < particles_.size(); ++i) {
    by_state[static_cast<int>(particles_.states()[i])]++;
    live_mass.add(m[i]);
    tmax = std::max(tmax, T[i]);
    tmin = std::min(tmin, T[i]);
    peak = std::max(peak, particles_[Field::peak_temperature][i]);
    if (particles_[Field::time_molten][i] > 0) live_molten.add(1.0);
    live_charge.add(particles_[Field::charge][i]);
  }
  double gpeak = 0;
  MPI_Allreduce(&peak, &gpeak, 1, MPI_DOUBLE, MPI_MAX, comm_);
  MPI_Allreduce(by_state, g_by_state, kParticleStateCount, MPI_LONG_LONG, MPI_SUM, comm_);
  double gtmax = 0, gtmin = 0;
  MPI_Allreduce(&tmax, &gtmax, 1, MPI_DOUBLE, MPI_MAX, comm_);
  MPI_Allreduce(&tmin, &gtmin, 1, MPI_DOUBLE, MPI_MIN, comm_);
  ExactSum g_live_mass = allreduce(comm_, live_mass);
  double ps = 0;
  MPI_Allreduce(&particle_steps_, &ps, 1, MPI_DOUBLE, MPI_SUM, comm_);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();

  auto value = [&](const std::string& k) { return tallies.count(k) ? tallies[k].value() : 0.0; };
  j["title"] = case_.root.section("simulation").string("title");
  j["case"] = case_.file;
  j["completed"] = !interrupted_ && time_ >= end_time_ * (1 - 1e-12);
  j["time_s"] = time_;
  j["steps"] = step_;
  j["dt_s"] = dt_;
  j["ranks"] = size_;
  // sources (injector, rotor feed) name their tallies "injected_count" and "injected_mass_kg"
  ExactSum injected_count, injected_mass;
  for (const auto& [k, v] : tallies) {
    if (k.ends_with(".injected_count")) injected_count.add(v);
    if (k.ends_with(".injected_mass_kg")) injected_mass.add(v);
  }
  j["particles_injected"] = static_cast<long long>(injected_count.value());
  j["particles_flying"] = g_by_state[static_cast<int>(ParticleState::flying)];
  j["particles_in_rotor"] = g_by_state[static_cast<int>(ParticleState::in_rotor)];
  j["particles_feeding"] = g_by_state[static_cast<int>(ParticleState::feeding)];
  j["particles_captured"] = static_cast<long long>(value("solver.removed_count_captured"));
  j["particles_escaped"] = static_cast<long long>(value("solver.removed_count_escaped"));
  nlohmann::json faces;
  for (const char* f : {"x_min", "x_max", "y_min", "y_max", "z_min", "z_max"})
    faces[f] = static_cast<long long>(value(std::string("domain.escaped_count_") + f));
  j["particles_escaped_by_face"] = faces;
  // Mass balance: injected = live + captured + escaped + evaporated, exactly (integer arithmetic
  // of ExactSum; every removed or evaporated mass was added to exactly one tally).
  ExactSum rhs = g_live_mass;
  ExactSum neg_injected;
  for (const auto& [k, v] : tallies) {
    if (k == "solver.removed_mass_kg_captured" || k == "solver.removed_mass_kg_escaped" ||
        k.ends_with("evaporated_mass_kg"))
      rhs.add(v);
  }
  ExactSum residual = rhs;
  {
    for (int k = 0; k < ExactSum::kLimbs; ++k) residual.limbs()[k] -= injected_mass.limbs()[k];
  }
  const double particle_count_residual =
      injected_count.value() - static_cast<double>(g_by_state[0] + g_by_state[1] + g_by_state[2]) -
      value("solver.removed_count_captured") - value("solver.removed_count_escaped");
  j["mass_injected_kg"] = injected_mass.value();
  j["mass_flow_kg_per_s"] = time_ > 0 ? injected_mass.value() / time_ : 0.0;
  j["mass_live_kg"] = g_live_mass.value();
  j["mass_captured_kg"] = value("solver.removed_mass_kg_captured");
  j["mass_escaped_kg"] = value("solver.removed_mass_kg_escaped");
  j["mass_balance_residual_kg"] = residual.value();
  j["mass_balance_exact"] = residual.value() == 0.0 && particle_count_residual == 0.0;
  // Thermal history of the population: peak temperature over all particles (live and removed),
  // fraction of the injected particles that melted, fraction of the removed molten particles that
  // were solid again when removed (re-solidified in flight before capture).
  const ExactSum g_live_molten = allreduce(comm_, live_molten);
  const double injected = injected_count.value();
  const double removed_molten = value("solver.removed_molten_count");
  j["max_temperature_K"] = gpeak;
  j["molten_fraction"] = injected > 0 ? (g_live_molten.value() + removed_molten) / injected : 0.0;
  j["resolidified_fraction"] =
      removed_molten > 0 ? value("solver.removed_resolidified_count") / removed_molten : 0.0;
  j["mean_live_charge_C"] =
      (g_by_state[0] + g_by_state[1] + g_by_state[2]) > 0
          ? allreduce(comm_, live_charge).value() /
                static_cast<double>(g_by_state[0] + g_by_state[1] + g_by_state[2])
          : 0.0;
  // figures of merit of the units (beam: permitted power, focal spot, ...)
  {
    std::map<std::string, double> global, figures;
    for (const auto& [k, v] : tallies) global[k] = v.value();
    for (const auto& u : units_) u->summarize(global, figures);
    for (const auto& [k, v] : figures) j[k] = v;
  }
  j["max_temperature_K"] = g_by_state[2] + g_by_state[1] + g_by_state[0] > 0 ? gtmax : 0.0;
  j["min_temperature_K"] = g_by_state[2] + g_by_state[1] + g_by_state[0] > 0 ? gtmin : 0.0;
  j["wall_time_s"] = wall;
  j["particle_steps"] = ps;
  j["particle_steps_per_second"] = wall > 0 ? ps / wall : 0.0;
  nlohmann::json tj;
  for (const auto& [k, v] : tallies) tj[k] = v.value();
  j["tallies"] = tj;
  std::vector<double> secs(unit_seconds_.size());
  MPI_Allreduce(unit_seconds_.data(), secs.data(), static_cast<int>(secs.size()), MPI_DOUBLE,
                MPI_MAX, comm_);
  nlohmann::json uj;
  for (std::size_t k = 0; k < units_.size(); ++k) uj[units_[k]->name()] = secs[k];
  j["unit_wall_seconds_max_over_ranks"] = uj;
  return j;
}

std::string Simulation::write_checkpoint_now() {
  // (with the state clock's lags, so that a restart goes on as the run would have)
  migrate_particles();
  CheckpointData meta;
  meta.time = time_;
  meta.step = step_;
  meta.seed = seed_;
  for (auto& u : units_) {
    for (const auto& t : u->tallies())
      meta.tallies[u->name() + "." + t.name] = allreduce(comm_, *t.sum);
    for (auto& [k, v] : u->save_state()) {
      if (!u->rank_local_state()) {
        meta.unit_state[u->name()][k] = v;
        continue;
      }
      // every rank's share, in rank order, on every rank
      int count = static_cast<int>(v.size());
      std::vector<int> counts(size_), displs(size_ + 1, 0);
      MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, comm_);
      for (int r = 0; r < size_; ++r) displs[r + 1] = displs[r] + counts[r];
      std::vector<double> all(displs[size_]);
      MPI_Allgatherv(v.data(), count, MPI_DOUBLE, all.data(), counts.data(), displs.data(),
                     MPI_DOUBLE, comm_);
      meta.unit_state[u->name()][k] = std::move(all);
    }
    // issue 6: surface maps (catchers) travel with the tallies
    std::vector<const ExactSum*> local;
    std::vector<std::string> keys;
    for (const auto& m : u->surface_maps())
      for (const auto& [arr, sums] : m.cell_sums)
        for (std::size_t p = 0; p < sums->size(); ++p) {
          local.push_back(&(*sums)[p]);
          keys.push_back(map_key(u->name(), m.name, arr, p));
        }
    if (!local.empty()) {
      auto g = allreduce_many(comm_, local);
      for (std::size_t k = 0; k < keys.size(); ++k) meta.tallies[keys[k]] = g[k];
    }
  }
  for (int s = 0; s < kParticleStateCount; ++s) {
    meta.tallies[fmt::format("solver.removed_count.{}", s)] = allreduce(comm_, removed_count_[s]);
    meta.tallies[fmt::format("solver.removed_mass.{}", s)] = allreduce(comm_, removed_mass_[s]);
  }
  meta.tallies["solver.removed_molten"] = allreduce(comm_, removed_molten_);
  meta.tallies["solver.removed_resolidified"] = allreduce(comm_, removed_resolidified_);
  double ps = 0.0;
  MPI_Allreduce(&particle_steps_, &ps, 1, MPI_DOUBLE, MPI_SUM, comm_);
  meta.unit_state["solver"]["particle_steps"] = {ps};
  double peak = 0.0;
  MPI_Allreduce(&removed_peak_temperature_, &peak, 1, MPI_DOUBLE, MPI_MAX, comm_);
  meta.unit_state["solver"]["removed_peak_temperature"] = {peak};
  const std::string path = fmt::format("{}/checkpoint_{:06d}.h5", out_dir_, step_);
  write_checkpoint(comm_, path, particles_, meta);
  checkpoints_.push_back(path);
  while (static_cast<std::int64_t>(checkpoints_.size()) > keep_ckpt_) {
    if (rank_ == 0) {
      std::filesystem::remove(checkpoints_.front());
      std::filesystem::remove(
          std::filesystem::path(checkpoints_.front()).replace_extension(".xdmf"));
    }
    checkpoints_.erase(checkpoints_.begin());
  }
  return path;
}

void Simulation::restart_from(const std::string& path) {
  CheckpointData meta = read_checkpoint(comm_, path, particles_);
  if (meta.seed != seed_)
    throw InputError(path + ": checkpoint was written with seed " + std::to_string(meta.seed) +
                     " but the case has seed " + std::to_string(seed_));
  time_ = meta.time;
  step_ = meta.step;
  if (std::abs(static_cast<double>(step_) * dt_ - time_) > 1e-9 * std::max(time_, dt_))
    throw InputError(path +
                     ": checkpoint time does not match step * dt of this case (dt changed?)");
  auto set_tally = [&](const std::string& key, ExactSum& s) {
    auto it = meta.tallies.find(key);
    s.clear();
    // the global value goes to rank 0, the others start from zero: the sum over ranks is exact
    if (it != meta.tallies.end() && rank_ == 0) s = it->second;
  };
  for (auto& u : units_) {
    for (const auto& t : u->tallies()) set_tally(u->name() + "." + t.name, *t.sum);
    for (const auto& m : u->surface_maps())  // issue 6: surface maps
      for (const auto& [arr, sums] : m.cell_sums)
        for (std::size_t p = 0; p < sums->size(); ++p)
          set_tally(map_key(u->name(), m.name, arr, p), (*sums)[p]);
    auto it = meta.unit_state.find(u->name());
    if (it != meta.unit_state.end()) {
      std::vector<std::pair<std::string, std::vector<double>>> st(it->second.begin(),
                                                                  it->second.end());
      u->load_state(st);
    }
  }
  for (int s = 0; s < kParticleStateCount; ++s) {
    set_tally(fmt::format("solver.removed_count.{}", s), removed_count_[s]);
    set_tally(fmt::format("solver.removed_mass.{}", s), removed_mass_[s]);
  }
  {
    set_tally("solver.removed_molten", removed_molten_);
    set_tally("solver.removed_resolidified", removed_resolidified_);
  }
  particle_steps_ = rank_ == 0 ? meta.unit_state["solver"]["particle_steps"].at(0) : 0.0;
  if (auto it = meta.unit_state["solver"].find("removed_peak_temperature");
      it != meta.unit_state["solver"].end())
    removed_peak_temperature_ = it->second.at(0);
  decomp_->rebalance(particles_);
  migrate_particles();
  pvd_->load_existing(time_);
  // keep the diagnostics rows up to the restart time, so the series continues
  if (rank_ == 0 && opt_.write_output) {
    std::ifstream in(out_dir_ + "/diagnostics.csv");
    std::vector<std::string> keep;
    std::string line;
    while (std::getline(in, line)) {
      if (keep.empty()) {
        keep.push_back(line);
        continue;
      }
      auto c1 = line.find(','), c2 = line.find(',', c1 + 1);
      if (c1 != std::string::npos &&
          std::stod(line.substr(c1 + 1, c2 - c1 - 1)) <= time_ * (1 + 1e-12))
        keep.push_back(line);
    }
    in.close();
    if (!keep.empty()) {
      std::ofstream o(out_dir_ + "/diagnostics.csv");
      for (const auto& l : keep) o << l << "\n";
      diag_header_written_ = true;
    }
  }
  const auto next = [&](double interval) -> std::uint64_t {
    return interval > 0 ? static_cast<std::uint64_t>(std::floor(time_ / interval * (1 + 1e-12))) + 1
                        : 0;
  };
  next_out_ = next(out_interval_);
  next_diag_ = next(diag_interval_);
  next_ckpt_ = next(ckpt_interval_);
  log(fmt::format("restarted from {} at t = {:.6g} s, step {}", path, time_, step_));
}

void Simulation::write_diagnostics_row() {
  auto tallies = global_tallies();
  long long by_state[kParticleStateCount] = {}, g[kParticleStateCount] = {};
  double tmax = 0;
  for (std::size_t i = 0; i < particles_.size(); ++i) {
    by_state[static_cast<int>(particles_.states()[i])]++;
    tmax = std::max(tmax, particles_[Field::temperature][i]);
  }
  MPI_Allreduce(by_state, g, kParticleStateCount, MPI_LONG_LONG, MPI_SUM, comm_);
  double gtmax = 0;
  MPI_Allreduce(&tmax, &gtmax, 1, MPI_DOUBLE, MPI_MAX, comm_);
  if (rank_ != 0 || !opt_.write_output) return;
  std::ofstream o(out_dir_ + "/diagnostics.csv", std::ios::app);
  o.precision(12);
  if (!diag_header_written_) {
    o << "step,time_s,flying,in_rotor,feeding,max_temperature_K";
    for (const auto& [k, v] : tallies) o << ',' << k;
    o << "\n";
    diag_header_written_ = true;
  }
  o << step_ << ',' << time_ << ',' << g[2] << ',' << g[1] << ',' << g[0] << ',' << gtmax;
  for (const auto& [k, v] : tallies) o << ',' << v.value();
  o << "\n";
}

void Simulation::write_outputs(bool force) {
  if (!opt_.write_output) return;
  const bool any_due =
      force ||
      (out_interval_ > 0 && time_ + 1e-9 * dt_ >= static_cast<double>(next_out_) * out_interval_) ||
      (ckpt_interval_ > 0 &&
       time_ + 1e-9 * dt_ >= static_cast<double>(next_ckpt_) * ckpt_interval_);
  if (any_due) migrate_particles();  // output pieces and checkpoints by owner
  const double eps = 1e-9 * dt_;
  // a forced (final) write does not repeat a step already written by the schedule
  if (out_interval_ > 0 && step_ != last_out_step_ &&
      (force || time_ + eps >= static_cast<double>(next_out_) * out_interval_)) {
    last_out_step_ = step_;
    const std::string name = fmt::format("particles_{:06d}.pvtp", step_);
    ParticleStore scratch;
    write_particles_vtk(comm_, out_dir_ + "/" + name, particles_for_output(scratch));
    if (rank_ == 0) pvd_->add(time_, name, 0);
    // ---- grid fields of grid units (issue 5): fields_NNNNNN.pvti and surfaces.vtp, parts 1, 2
    // ----
    for (auto& u : units_) {
      const GridOutput* g = u->grid_output();  // collective
      if (!g) continue;
      const std::string fname = fmt::format("fields_{:06d}.pvti", step_);
      write_grid_vtk(comm_, out_dir_ + "/" + fname, *g);
      if (!std::filesystem::exists(out_dir_ + "/surfaces.vtp"))
        write_surfaces_vtp(comm_, out_dir_ + "/surfaces.vtp", *g);
      if (rank_ == 0) {
        pvd_->add(time_, fname, 1);
        if (!g->surface_triangles.empty()) pvd_->add(time_, "surfaces.vtp", 2);
      }
      break;  // one grid unit per run
    }
    if (rank_ == 0) pvd_->write();
    write_catchers();  // issue 6
    while (static_cast<double>(next_out_) * out_interval_ <= time_ + eps) ++next_out_;
  }
  if (step_ != last_diag_step_ &&
      (force || diag_interval_ == 0 ||
       time_ + eps >= static_cast<double>(next_diag_) * diag_interval_)) {
    last_diag_step_ = step_;
    write_diagnostics_row();
    if (diag_interval_ > 0)
      while (static_cast<double>(next_diag_) * diag_interval_ <= time_ + eps) ++next_diag_;
  }
  if (ckpt_interval_ > 0 && time_ + eps >= static_cast<double>(next_ckpt_) * ckpt_interval_ &&
      !force) {
    write_checkpoint_now();
    while (static_cast<double>(next_ckpt_) * ckpt_interval_ <= time_ + eps) ++next_ckpt_;
  }
}

// ---- issue 6: catcher maps -------------------------------------------------------------------
std::vector<ReducedSurfaceMap> Simulation::reduced_surface_maps() {
  std::vector<ReducedSurfaceMap> out;
  std::vector<const ExactSum*> local;
  for (auto& u : units_)
    for (auto& m : u->surface_maps()) {
      ReducedSurfaceMap r;
      r.unit = u->name();
      r.name = m.name;
      r.points = std::move(m.points);
      r.polygons = std::move(m.polygons);
      r.area = std::move(m.area);
      for (const auto& [arr, sums] : m.cell_sums) {
        r.cells.push_back({arr, std::vector<double>(sums->size())});
        for (const auto& s : *sums) local.push_back(&s);
      }
      out.push_back(std::move(r));
    }
  if (local.empty()) return out;
  const auto g = allreduce_many(comm_, local);
  std::size_t k = 0;
  for (auto& r : out)
    for (auto& [arr, values] : r.cells)
      for (auto& v : values) v = g[k++].value();
  return out;
}

void Simulation::write_catchers() {
  if (!opt_.write_output || catchers_written_step_ == static_cast<std::int64_t>(step_)) return;
  const auto maps = reduced_surface_maps();
  if (maps.empty()) return;
  catchers_written_step_ = static_cast<std::int64_t>(step_);
  if (rank_ != 0) return;
  const std::string name = fmt::format("catchers_{:06d}.vtp", step_);
  write_catchers_vtp(out_dir_ + "/" + name, maps);
  pvd_->add(time_, name, 3);  // parts: 0 particles, 1 fields, 2 surfaces
  pvd_->write();
}
// ---- end of issue 6 -----------------------------------------------------------------------------

void Simulation::progress_line(bool final) {
  long long n = static_cast<long long>(particles_.size()), g = 0;
  MPI_Reduce(&n, &g, 1, MPI_LONG_LONG, MPI_SUM, 0, comm_);
  if (rank_ != 0 || !opt_.progress) return;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
  const double frac = std::min(1.0, time_ / end_time_);
  const bool tty = isatty(STDOUT_FILENO);
  // On a terminal: a line rewritten in place. In logs: one line per 10 % of the run.
  if (!tty && !final && std::floor(frac * 10) == std::floor(last_progress_ * 10)) return;
  if (tty && !final && wall - last_progress_ < 0.2 && last_progress_ >= 0) return;
  const double eta = frac > 0 ? wall * (1 - frac) / frac : 0.0;
  std::string line = fmt::format(
      "step {:>8}  t = {:10.4e} s  ({:5.1f} %)  particles {:>10}  wall {:7.1f} s  ETA {:7.1f} s",
      step_, time_, 100 * frac, g, wall, eta);
  if (tty) {
    std::cout << '\r' << line << (final ? "\n" : "") << std::flush;
    last_progress_ = wall;
  } else {
    std::cout << line << std::endl;
    last_progress_ = frac;
  }
}

bool Simulation::run() {
  install_checkpoint_signal_handlers();
  log(fmt::format("mpstream: case {} on {} rank(s), dt = {:.4g} s, end time {:.4g} s, output {}",
                  case_.file, size_, dt_, end_time_, out_dir_));
  if (step_ == 0) write_outputs(true);
  const auto total_steps = static_cast<std::uint64_t>(std::ceil(end_time_ / dt_ * (1 - 1e-12)));
  while (step_ < total_steps) {
    step();
    write_outputs(false);
    progress_line(false);
    int sig = checkpoint_signal_received() ? 1 : 0, any = 0;
    MPI_Allreduce(&sig, &any, 1, MPI_INT, MPI_MAX, comm_);
    if (any) {
      interrupted_ = true;
      break;
    }
  }
  progress_line(true);
  if (opt_.write_output) {
    if (out_interval_ > 0 && !interrupted_) write_outputs(true);
    write_catchers();  // issue 6: the final maps even without snapshots
    const std::string ck = (final_ckpt_ || interrupted_) ? write_checkpoint_now() : std::string();
    auto j = summary();
    if (rank_ == 0) std::ofstream(out_dir_ + "/summary.json") << j.dump(2) << "\n";
    if (interrupted_)
      log(fmt::format("signal received: checkpoint written to {}; continue with --restart {}", ck,
                      ck));
  }
  return !interrupted_;
}

}  // namespace mps
