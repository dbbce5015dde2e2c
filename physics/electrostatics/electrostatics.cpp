#include "physics/electrostatics/electrostatics.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"
#include "solver/particles/decomposition.hpp"

namespace mps {

Electrostatics::Electrostatics(MPI_Comm comm, ElectrostaticsParams p)
    : comm_(comm), p_(std::move(p)) {
  check_electrodes(p_.poisson.electrodes, p_.poisson.grid,
                   {p_.poisson.wall_floating, p_.poisson.wall_capacitance});
  if (p_.image_force_range <= 0.0) p_.image_force_range = 2.0 * p_.poisson.grid.max_h();
}

Electrostatics::~Electrostatics() = default;

void Electrostatics::build_solver() {
  PoissonConfig cfg = p_.poisson;
  if (decomp_) {
    // DMDA layout = the particle decomposition, if PETSc's rank order (x fastest) matches ours
    // (it does whenever at most one axis is divided, or the stream axis is x).
    const auto& dims = decomp_->dims();
    const int axis = decomp_->stream_axis();
    const int order[3] = {axis, (axis + 1) % 3, (axis + 2) % 3};
    bool same_order = true;
    const int size = dims[0] * dims[1] * dims[2];
    for (int r = 0; r < size && same_order; ++r) {
      int c[3], rr = r;
      for (int a : order) {
        c[a] = rr % dims[a];
        rr /= dims[a];
      }
      same_order = c[0] + dims[0] * (c[1] + dims[1] * c[2]) == r;
    }
    const auto& cuts = decomp_->cell_cuts();
    std::array<std::vector<int>, 3> own;
    bool ok = same_order;
    for (int a = 0; a < 3 && ok; ++a) {
      std::vector<double> x(cuts[a].size());
      const double cells = cuts[a].back();
      for (std::size_t c = 0; c < x.size(); ++c)
        x[c] = cfg.grid.lo[a] + (cfg.grid.hi[a] - cfg.grid.lo[a]) * cuts[a][c] / cells;
      own[a] = node_ownership(cfg.grid, a, x);
      ok = !own[a].empty() &&
           std::all_of(own[a].begin(), own[a].end(), [](int n) { return n >= 2; });
    }
    if (ok) {
      cfg.procs = dims;
      cfg.ownership = own;
    }
    built_cuts_ = cuts;
  }
  solver_.reset();
  // the simulation's communicator (a test may run one on MPI_COMM_SELF), else PETSC_COMM_WORLD
  solver_ = std::make_unique<PoissonSolver>(decomp_ ? decomp_->comm() : comm_, std::move(cfg));
  solved_ = false;
}

PoissonSolver& Electrostatics::solver() {
  if (!solver_) build_solver();
  return *solver_;
}

void Electrostatics::deposit_and_solve(const ParticleStore& p, std::uint64_t step) {
  // A rebalance moved the cuts: lay the DMDA out again so ownership coincides (collective:
  // every rank sees the same cuts).
  if (!solver_ || (decomp_ && decomp_->cell_cuts() != built_cuts_)) build_solver();
  PoissonSolver& s = *solver_;
  const std::size_t n = p.size();
  const double* x = p.ptr(Field::px);
  const double* y = p.ptr(Field::py);
  const double* z = p.ptr(Field::pz);
  const double* q = p.ptr(Field::charge);
  s.clear_charge();
  for (std::size_t i = 0; i < n; ++i)
    if (q[i] != 0.0) s.deposit({x[i], y[i], z[i]}, q[i]);
  s.finish_deposit();
  const double total = s.total_abs_charge();
  const bool due = !solved_ ||
                   (step - last_solve_step_) >= static_cast<std::uint64_t>(p_.solve_every) ||
                   std::abs(total - last_charge_) > p_.charge_change_fraction * last_charge_;
  if (!due) return;
  const int its = s.solve();
  solved_ = true;
  last_charge_ = total;
  last_solve_step_ = step;
  ++solves_;
  // counted once over ranks: by the owner of grid node (0, 0, 0)
  if (s.owned_start() == std::array<int, 3>{0, 0, 0}) {
    solve_count_.add(1.0);
    iteration_count_.add(its);
  }
}

void Electrostatics::apply(Stage, ParticleStore& p, const StepContext& ctx) {
  deposit_and_solve(p, ctx.step);
  const std::size_t n = p.size();
  std::vector<Vec3> pos(n), e;
  for (std::size_t i = 0; i < n; ++i) pos[i] = {p[Field::px][i], p[Field::py][i], p[Field::pz][i]};
  solver_->field_at(pos, e);  // collective
  double* fx = p.ptr(Field::fx);
  double* fy = p.ptr(Field::fy);
  double* fz = p.ptr(Field::fz);
  const double* q = p.ptr(Field::charge);
  const auto* st = p.states().data();
  for (std::size_t i = 0; i < n; ++i) {
    if (st[i] != ParticleState::flying || q[i] == 0.0) continue;
    fx[i] += q[i] * e[i][0];
    fy[i] += q[i] * e[i][1];
    fz[i] += q[i] * e[i][2];
  }
  if (p_.image_force) add_image_force(p, n);
}

void Electrostatics::add_image_force(ParticleStore& p, std::size_t n) const {
  const UniformGrid& g = p_.poisson.grid;
  const double k = 1.0 / (16.0 * constants::pi * constants::vacuum_permittivity);
  for (std::size_t i = 0; i < n; ++i) {
    const double q = p[Field::charge][i];
    if (p.states()[i] != ParticleState::flying || q == 0.0) continue;
    const Vec3 x{p[Field::px][i], p[Field::py][i], p[Field::pz][i]};
    // nearest conductor surface: electrodes (signed distance) and the six box faces
    double best = kInfinity;
    Vec3 dir{0, 0, 0};
    for (const auto& el : p_.poisson.electrodes) {
      const double d = el.solid->signed_distance(x);
      if (d <= 0.0 || d >= best) continue;
      best = d;
      const double eps = 1e-6 * g.min_h();
      for (int a = 0; a < 3; ++a) {  // toward the surface: -grad(distance)
        Vec3 xp = x, xm = x;
        xp[a] += eps;
        xm[a] -= eps;
        dir[a] = -(el.solid->signed_distance(xp) - el.solid->signed_distance(xm)) / (2 * eps);
      }
    }
    for (int a = 0; a < 3; ++a)
      for (int side = 0; side < 2; ++side) {
        const double d = side == 0 ? x[a] - g.lo[a] : g.hi[a] - x[a];
        if (d > 0.0 && d < best) {
          best = d;
          dir = {0, 0, 0};
          dir[a] = side == 0 ? -1.0 : 1.0;
        }
      }
    if (!(best < p_.image_force_range)) continue;
    const double r = 0.5 * p[Field::diameter][i];
    const double d = std::max(best, r);  // a sphere's centre is at least r from the surface
    const double f = k * q * q / (d * d);
    p[Field::fx][i] += f * dir[0];
    p[Field::fy][i] += f * dir[1];
    p[Field::fz][i] += f * dir[2];
  }
}

std::vector<TallyRef> Electrostatics::tallies() {
  return {{"solves_count", &solve_count_}, {"ksp_iterations_count", &iteration_count_}};
}

const GridOutput* Electrostatics::grid_output() {
  if (!solver_ || !solved_) {
    // before the first step: the vacuum field of the electrodes (no particle charge yet)
    ParticleStore none;
    deposit_and_solve(none, 0);
  }
  PoissonSolver& s = *solver_;
  const UniformGrid& g = s.grid();
  out_.origin = g.lo;
  out_.spacing = {g.h(0), g.h(1), g.h(2)};
  out_.nodes = {g.nodes(0), g.nodes(1), g.nodes(2)};
  std::vector<double> phi, e, emag, rho;
  s.output_arrays(out_.lo, out_.hi, phi, e, emag, rho);
  out_.arrays.clear();
  out_.arrays.push_back({"potential_V", 1, std::move(phi)});
  out_.arrays.push_back({"electric_field_V_per_m", 3, std::move(e)});
  out_.arrays.push_back({"electric_field_magnitude_V_per_m", 1, std::move(emag)});
  out_.arrays.push_back({"space_charge_density_C_per_m3", 1, std::move(rho)});
  if (out_.surface_triangles.empty()) {
    TriangleMesh m;
    const std::array<Vec3, 2> box{g.lo, g.hi};
    const auto& els = p_.poisson.electrodes;
    for (std::size_t k = 0; k < els.size(); ++k)
      els[k].solid->triangulate(box, m, static_cast<int>(k));
    out_.surface_points = std::move(m.points);
    out_.surface_triangles = std::move(m.triangles);
    surface_part_ = std::move(m.part);
  }
  // floating electrodes change potential from solve to solve
  out_.surface_value.clear();
  for (int part : surface_part_) out_.surface_value.push_back(s.conductor_potential(part));
  return &out_;
}

void Electrostatics::summarize(const std::map<std::string, double>&,
                               std::map<std::string, double>& out) const {
  // potentials of the floating conductors in the last solve (the same on every rank: they come
  // from global reductions)
  if (!solver_ || !solved_) return;
  const auto& els = p_.poisson.electrodes;
  for (std::size_t k = 0; k < els.size(); ++k)
    if (els[k].floating)
      out["electrostatics." + els[k].name + ".potential_V"] =
          solver_->conductor_potential(static_cast<int>(k));
  if (p_.poisson.wall_floating)
    out["electrostatics.wall.potential_V"] = solver_->conductor_potential(PoissonSolver::kWall);
}

void register_electrostatics_unit(UnitRegistry& registry) {
  UnitInfo u;
  u.name = "electrostatics";
  u.doc =
      "Electrostatic field of the electrodes and the particles' space charge (PETSc DMDA, "
      "embedded Dirichlet electrodes to second order, FGMRES + Galerkin multigrid); force q E on "
      "particles.";
  u.declare = [](SectionSpec& s) {
    s.vector3("cells", dim::none,
              "Grid cells per axis over the domain box (even numbers, ideally "
              "powers of two, let multigrid coarsen)")
        .def("[32, 32, 32]");
    s.quantity("wall_potential", dim::voltage,
               "Potential of the vessel wall (the box faces) unless it floats (0 V: grounded)")
        .def("0 V");
    s.choice("wall", {"fixed", "floating"},
             "Vessel wall: fixed at wall_potential, or floating: an isolated vessel whose "
             "potential is solved for from its net wall_charge. What the grid measures on the "
             "wall is its inner-surface charge (minus everything inside it); the outer surface "
             "holds wall_capacitance x its potential (capacitance to the ground reference of "
             "the electrode supplies, outside the grid). With 0 F the enclosed charge is "
             "-wall_charge and a fixed electrode sets the potential level. No electrode may come "
             "within two cells of a floating wall")
        .def("fixed");
    s.quantity("wall_charge", dim::charge, "Net charge of a floating wall").def("0 C");
    s.quantity("wall_capacitance", dim::capacitance,
               "Capacitance of a floating wall's outer surface to ground")
        .def("0 F")
        .non_negative();
    declare_electrode_schema(s.section_list(
        "electrodes", "Electrodes: conducting solids at fixed potentials, or floating"));
    s.integer("solve_every", "Re-solve the potential every N steps").def("10").at_least(1);
    s.quantity("charge_change_fraction", dim::none,
               "Re-solve earlier when the total |charge| on the grid changed by this fraction")
        .def("0.05")
        .non_negative();
    s.choice("scheme", {"shortley_weller", "symmetric"},
             "Embedded Dirichlet rows: Shortley-Weller (second order in max norm, nonsymmetric) or "
             "the symmetric variant of Gibou et al. 2002 (CG applies; second order in rms)")
        .def("shortley_weller");
    s.string("ksp_type",
             "PETSc Krylov method; auto: fgmres (Shortley-Weller) or cg (symmetric). "
             "Overridden by -ksp_type after --")
        .def("auto");
    s.string("pc_type", "PETSc preconditioner (overridden by -pc_type after --)").def("mg");
    s.integer("mg_levels", "Multigrid levels; 0: as many as the grid allows").def("0").at_least(0);
    s.integer("smoothing_steps", "Multigrid smoothing iterations per level (-mg_levels_ksp_max_it)")
        .def("1")
        .at_least(1);
    s.boolean("galerkin", "Galerkin (R A P) coarse operators; false: rediscretise every level")
        .def("true");
    s.quantity("rtol", dim::none, "Relative residual tolerance of the solve")
        .def("1e-8")
        .positive();
    s.string("petsc_options",
             "More PETSc options, e.g. '-mg_levels_ksp_max_it 3' (command line wins)")
        .def("\"\"");
    s.boolean("image_force", "Add the image force of a point charge near the nearest conductor")
        .def("false");
    s.quantity("image_force_range", dim::length,
               "Distance from a conductor within which the image force acts (0: two grid cells)")
        .def("0 m")
        .non_negative();
  };
  u.make = [](const UnitContext& c) -> std::unique_ptr<ProcessUnit> {
    const Config& s = c.section;
    ElectrostaticsParams p;
    const Config& dom = c.root.section("domain");
    p.poisson.grid.lo = dom.vec3("lo");
    p.poisson.grid.hi = dom.vec3("hi");
    const Vec3 cells = s.vec3("cells");
    for (int a = 0; a < 3; ++a) {
      if (!(cells[a] >= 2 && cells[a] == std::floor(cells[a]) && cells[a] <= 4096))
        throw InputError(fmt::format(
            "electrostatics.cells: expected whole numbers from 2 to 4096, got {}", cells[a]));
      p.poisson.grid.cells[a] = static_cast<int>(cells[a]);
    }
    p.poisson.wall_potential = s.number("wall_potential");
    p.poisson.wall_floating = s.string("wall") == "floating";
    p.poisson.wall_charge = s.number("wall_charge");
    p.poisson.wall_capacitance = s.number("wall_capacitance");
    for (const auto& e : s.list_or_empty("electrodes"))
      p.poisson.electrodes.push_back(electrode_from_config(e, c.case_file));
    p.poisson.ksp_type = s.string("ksp_type");
    p.poisson.shortley_weller = s.string("scheme") == "shortley_weller";
    p.poisson.galerkin = s.boolean("galerkin");
    p.poisson.smoothing_steps = static_cast<int>(s.integer("smoothing_steps"));
    p.poisson.pc_type = s.string("pc_type");
    p.poisson.mg_levels = static_cast<int>(s.integer("mg_levels"));
    p.poisson.rtol = s.number("rtol");
    p.poisson.petsc_options = s.string("petsc_options");
    p.solve_every = static_cast<int>(s.integer("solve_every"));
    p.charge_change_fraction = s.number("charge_change_fraction");
    p.image_force = s.boolean("image_force");
    p.image_force_range = s.number("image_force_range");
    return std::make_unique<Electrostatics>(PETSC_COMM_WORLD, std::move(p));
  };
  registry.add(std::move(u));
}

}  // namespace mps
