// The time loop: composes the case's process units stage by stage (DESIGN.md section 2), owns
// MPI (migration, ghosts, exact reductions), output (VTK, CSV, JSON, HDF5) and checkpoints.
#pragma once

#include <mpi.h>

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "solver/base/process.hpp"
#include "solver/io/vtk_catchers.hpp"
#include "solver/io/vtk_particles.hpp"
#include "solver/particles/decomposition.hpp"
#include "solver/sim/case_loader.hpp"

namespace mps {

struct RunOptions {
  std::string output_dir;  // empty: the case's simulation.output.directory
  std::string restart;     // checkpoint to continue from
  bool write_output = true;
  bool progress = true;
};

class Simulation {
 public:
  Simulation(MPI_Comm comm, const Case& c, const RunOptions& options);
  ~Simulation();

  // Runs to the end time (or until SIGTERM/SIGUSR1: then writes a checkpoint and returns).
  // Returns true when the end time was reached.
  bool run();
  // One step of the time loop (collective).
  void step();

  const ParticleStore& particles() const { return particles_; }
  ParticleStore& particles() { return particles_; }
  double time() const { return time_; }
  std::uint64_t steps_done() const { return step_; }
  double dt() const { return dt_; }
  const Decomposition& decomposition() const { return *decomp_; }
  ProcessUnit* unit(const std::string& name);

  // Globally reduced tallies (collective): name -> exact sum.
  std::map<std::string, ExactSum> global_tallies();
  // The run summary (collective); what summary.json holds.
  nlohmann::json summary();
  // Write a checkpoint now (collective); returns its path.
  std::string write_checkpoint_now();
  // Brings every particle's state up to the end of the last step (the multi-rate state clock,
  // solver/particles/state_clock.hpp): output, checkpoints and the summary do this first.
  void synchronize_state();
  int state_stride() const { return clock_ ? clock_->stride() : 1; }
  const std::string& output_dir() const { return out_dir_; }
  // issue 6: surface maps of the units (catchers), summed over ranks (collective)
  std::vector<ReducedSurfaceMap> reduced_surface_maps();
  // This rank's wall time so far, by unit and by solver phase around the force stage (name,
  // seconds): where the parallel overhead goes (bench/contacts.cpp prints it per rank).
  std::vector<std::pair<std::string, double>> time_breakdown() const;

 private:
  void apply_stage(Stage s, StepContext& ctx);
  // The state clock's particles due at this step (and the catch-up of those entering the beam),
  // into ctx.state_due: before the first unit that uses the clock.
  void schedule_state(StepContext& ctx);
  // The particles as output writes them: with the state clock, a copy (in scratch) brought up to
  // the end of the step; the live particles keep their schedule, so output does not change the
  // run.
  const ParticleStore& particles_for_output(ParticleStore& scratch);
  // The context of the step about to be taken (step_, its start time, the run's constants).
  StepContext step_context() const;
  // Before the force stage: migrate and rebuild ghosts, or only forward the ghosts' fields
  // (units with a neighbour skin, see ProcessUnit::neighbour_skin()). Collective.
  StepContext::Neighbours refresh_neighbours();
  // migrate() with the units' private per-particle state (ProcessUnit::pack_migrating).
  std::size_t migrate_particles();
  void remove_finished();
  void restart_from(const std::string& path);
  void write_outputs(bool force);
  void write_diagnostics_row();
  void write_catchers();  // issue 6: OUT/catchers_NNNNNN.vtp (collective; rank 0 writes)
  void progress_line(bool final);
  void log(const std::string& line);

  MPI_Comm comm_;
  int rank_ = 0, size_ = 1;
  Case case_;
  RunOptions opt_;
  std::string out_dir_;
  std::vector<std::unique_ptr<ProcessUnit>> units_;
  std::vector<double> unit_seconds_;
  // solver phases of refresh_neighbours(): the renewal test (displacement scan and its
  // all-reduce, which also waits for the slowest rank), migration, ghost exchange, forwarding
  enum Phase { kRenewalTest, kMigrate, kGhostExchange, kGhostForward, kPhaseCount };
  std::array<double, kPhaseCount> phase_seconds_{};
  std::unique_ptr<Decomposition> decomp_;
  ParticleStore particles_;
  double dt_ = 0.0, end_time_ = 0.0, time_ = 0.0;
  std::uint64_t step_ = 0, seed_ = 0;
  std::uint64_t rebalance_every_ = 20;
  // Without units that need ownership, particles migrate every migrate_every_ steps and before
  // output, checkpoints and the end: per-particle physics does not care which rank holds them.
  std::uint64_t migrate_every_ = 10;
  bool ownership_each_step_ = false;
  bool sizes_fixed_ = true;  // no unit changes particle sizes: ghosts keep theirs between exchanges
  // Ghosts kept between renewals (every unit with a ghost cutoff has a neighbour skin): the
  // least skin, the plan of the last ghost exchange, and the store's generation and the owned
  // positions at the last renewal (a renewal is due when some particle moved more than skin/2
  // or particles were added, removed or reordered).
  bool lazy_ghosts_ = false;
  double neighbour_skin_ = 0.0;
  GhostPlan ghost_plan_;
  std::uint64_t renewal_generation_ = ~std::uint64_t{0};  // none yet
  std::vector<double> renewal_x_[3];
  std::unique_ptr<MigrationPayload> payload_;
  std::unique_ptr<StateClock> clock_;  // null: every particle's state advances every step
  ParticleSelection state_due_;
  double rebalance_threshold_ = 1.2, ghost_cutoff_ = 0.0;
  std::array<bool, 3> periodic_{false, false, false};  // union of the units' periodic axes
  double out_interval_ = 0.0, diag_interval_ = 0.0, ckpt_interval_ = 0.0;
  std::int64_t keep_ckpt_ = 2;
  bool final_ckpt_ = true;
  std::uint64_t next_out_ = 0, next_diag_ = 0, next_ckpt_ = 1;
  std::vector<std::string> checkpoints_;
  // particles removed by the solver after the boundary stage, by final state
  ExactSum removed_count_[kParticleStateCount], removed_mass_[kParticleStateCount];
  // of the removed particles: how many were molten at some time, and of those how many were
  // solid again when removed (re-solidified in flight before capture)
  ExactSum removed_molten_, removed_resolidified_;
  double removed_peak_temperature_ = 0.0;
  // last steps written (a final forced write must not repeat them)
  std::uint64_t last_out_step_ = ~std::uint64_t{0},
                last_diag_step_ = ~std::uint64_t{0};  // max over the removed particles (this rank)
  double particle_steps_ = 0.0;
  std::chrono::steady_clock::time_point wall_start_;
  double last_progress_ = -1.0;
  std::unique_ptr<PvdIndex> pvd_;
  bool interrupted_ = false, diag_header_written_ = false;
  std::int64_t catchers_written_step_ = -1;  // issue 6
};

// Install SIGTERM / SIGUSR1 handlers that ask the time loop to checkpoint and stop.
void install_checkpoint_signal_handlers();
bool checkpoint_signal_received();

}  // namespace mps
