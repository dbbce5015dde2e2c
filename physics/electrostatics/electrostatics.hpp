// Electrostatics process unit: the field of the repelling electrodes and of the particles' space
// charge, and the force q E on every charged particle (Stage::force, added to fx, fy, fz).
//
// The potential is solved on a PETSc DMDA over the domain box (physics/electrostatics/poisson.hpp:
// embedded Shortley-Weller electrodes, second order; grounded vessel wall on the box faces;
// FGMRES + Galerkin geometric multigrid by default, every PETSc option overridable after `--`). The
// DMDA ownership coincides with the particle decomposition (nodes of each rank's box); when the
// solver rebalances, the DMDA is rebuilt at the next solve, and deposits or reads outside a rank's
// ghosted box go through PETSc (VecSetValues ADD_VALUES, VecScatter) in between, so nothing is
// lost.
//
// Floating conductors (an electrode with `floating: true`, or `wall: floating`) carry a set net
// charge; their potentials are solved for at every solve (poisson.hpp) and reported in
// summary.json.
//
// The charge of all particles is deposited every step (cloud in cell); the potential is solved
// every `solve_every` steps, or earlier when the total |charge| on the grid changed by more than
// `charge_change_fraction` since the last solve. Between solves the last field is interpolated at
// the new positions. Optional image force of a point charge near a plane conductor,
// q^2 / (16 pi eps0 d^2) toward the nearest surface (electrode or wall), applied within
// `image_force_range` of it: closer than about two cells the grid does not resolve the charge a
// particle induces on a conductor, farther it does and the analytic term would count it twice.
#pragma once

#include <memory>
#include <vector>

#include "physics/electrostatics/poisson.hpp"
#include "solver/base/process.hpp"
#include "solver/io/vtk_image.hpp"

namespace mps {

struct ElectrostaticsParams {
  PoissonConfig poisson;
  int solve_every = 10;
  double charge_change_fraction = 0.05;
  bool image_force = false;
  double image_force_range = 0.0;  // m; 0: two grid cells
};

class Electrostatics : public ProcessUnit {
 public:
  Electrostatics(MPI_Comm comm, ElectrostaticsParams p);
  ~Electrostatics() override;
  std::string name() const override { return "electrostatics"; }
  unsigned stages() const override { return static_cast<unsigned>(Stage::force); }
  void apply(Stage stage, ParticleStore& particles, const StepContext& ctx) override;
  std::vector<TallyRef> tallies() override;
  bool needs_ownership() const override { return true; }
  void attach(const Decomposition& d) override { decomp_ = &d; }
  const GridOutput* grid_output() override;
  // summary.json: electrostatics.NAME.potential_V of every floating conductor (NAME = wall for a
  // floating vessel wall), from the last solve.
  void summarize(const std::map<std::string, double>& global,
                 std::map<std::string, double>& out) const override;

  // For tests and benchmarks: the solver (built on first use; collective).
  PoissonSolver& solver();
  int solves() const { return solves_; }

 private:
  void build_solver();
  void deposit_and_solve(const ParticleStore& p, std::uint64_t step);
  void add_image_force(ParticleStore& p, std::size_t n) const;

  MPI_Comm comm_;
  ElectrostaticsParams p_;
  const Decomposition* decomp_ = nullptr;
  std::array<std::vector<int>, 3> built_cuts_;
  std::unique_ptr<PoissonSolver> solver_;
  bool solved_ = false;
  double last_charge_ = 0.0;
  std::uint64_t last_solve_step_ = 0;
  int solves_ = 0;
  ExactSum solve_count_, iteration_count_;
  GridOutput out_;
  std::vector<int> surface_part_;  // electrode of each output surface triangle
};

void register_electrostatics_unit(UnitRegistry& registry);

}  // namespace mps
