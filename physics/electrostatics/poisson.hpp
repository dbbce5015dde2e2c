// Electrostatic potential on a PETSc DMDA with embedded Dirichlet electrodes and space charge.
//
//   -div(eps0 grad phi) = rho_q  in the gap,  phi = V_e on electrode e,  phi = V_wall on the box.
//
// Discretisation: vertex-centred 7-point finite differences, every row scaled by the cell volume
// (as PETSc's ksp/tutorials/ex45.c does), so the right-hand side of a node is its deposited
// charge / eps0. Where a grid edge from a gap node i to its neighbour j crosses an electrode
// surface at the fraction theta of the edge (found from the exact signed distance), the
// electrode potential is imposed at the crossing point:
//  - default, Shortley & Weller (J. Appl. Phys. 9, 334, 1938): the three-point second difference
//    on the unequal stencil (theta_m h, theta_p h) per axis, 2/(theta_m + theta_p) [(u_p - u_i)
//    / theta_p + (u_m - u_i) / theta_m] / h^2. Its truncation error is O(h) at the cut rows and
//    the solution is second order in the maximum norm (measured in tests/validation). The rows
//    of cut nodes are not symmetric, so the Krylov method is FGMRES (right preconditioned, the
//    true residual meets rtol) with geometric multigrid on the DMDA hierarchy.
//  - option `symmetric`: Gibou, Fedkiw, Cheng & Kang, J. Comput. Phys. 176, 205 (2002): the flux
//    to the surface is eps0 (V - u_i) / (theta h) and the coupling to an unknown neighbour stays
//    -eps0 A / h, so the matrix is symmetric positive definite and CG applies (DESIGN.md
//    section 7). Its truncation error is O(1) on the cut rows: second order in rms, only ~1.6 in
//    the maximum norm (measured), hence not the default.
// Nodes inside electrodes and on the box faces are Dirichlet rows (diagonal only) whose columns
// are moved to the right-hand side. Coarse multigrid levels are Galerkin products R A P by
// default (rediscretising lets the coarse levels see a different electrode geometry and the
// iteration count then grows with refinement). theta is clamped to >= 1e-3: the surface then
// moves by at most 1e-3 h and the diagonal stays bounded.
//
// E at nodes is the three-point derivative through the cut point where an edge is
// cut (second order), central elsewhere, one-sided (second order) on the walls. Where the cut
// point is closer than h / 4 to a gap node, that stencil would divide the node's own error by
// theta h: the derivative then comes from the quadratic through the cut point and the next two
// gap nodes on the other side (ghost layers of two). Nodes inside an
// electrode next to the gap take the field linearly extrapolated from the gap,
// E(n) = 2 E(n + d) - E(n + 2 d), averaged over the directions d of the 26 neighbours where
// both are gap nodes (second order; one gap node only: its value): a particle in a cell cut by
// an electrode then gets a second-order field, not one mixed with the conductor's interior
// (tests/validation/electrostatics/test_near_field.cpp). E at a particle is the cloud-in-cell
// interpolation of the node field with the same weights as the charge deposit.
//
// Floating conductors (an electrode with `floating`, or the wall with `wall_floating`) carry a set
// net charge instead of a fixed potential. The discrete problem is linear, so by superposition
//   phi = phi_0 + sum_g V_g psi_g,
// phi_0: the solution with every floating conductor at 0 V (fixed electrodes, wall, space charge
// as given); psi_g: conductor g at 1 V, all other conductors and the wall at 0 V, no space charge
// (solved once, at the first solve, and kept). The charge of conductor f is a linear functional
// of phi: Q_f(phi) = eps0 * (flux of -grad phi out of S_f) - (space charge on gap nodes of S_f),
// S_f = the nodes within one cell (Chebyshev distance in indices) of f's nodes, the flux summed
// over the grid faces leaving S_f with the same face coefficients as the operator. For the
// regular 7-point rows outside S_f this is exactly the charge the discrete equations put on f
// (the sum of the rows over any larger node set telescopes to the same value), so the discrete
// Gauss law holds to solver tolerance. With the capacitance matrix C_fg = Q_f(psi_g) the
// potentials follow from the small dense system (Gaussian elimination, pivoting)
//   sum_g C_fg V_g + [f = wall] C_ext V_wall = Q_set,f - Q_f(phi_0).
// Wall: the charge measured on the wall is the charge of its inner surface, minus everything
// inside (Gauss). A floating vessel floats relative to the ground reference of the electrode
// supplies through its outer surface, whose capacitance to ground C_ext (`wall_capacitance`)
// the grid does not see: its outer surface holds C_ext V_wall and Q_set = inner + outer. With
// C_ext = 0 the net enclosed charge is -Q_set and a fixed electrode sets the potential level;
// with only floating conductors and C_ext = 0 nothing does (checked in electrodes.hpp).
//
// Parallel layout: the DMDA ownership ranges may be given (they then coincide with the particle
// decomposition, so deposit and interpolation touch only the rank's nodes and one ghost layer).
// Points outside a rank's ghosted box still work, through PETSc: deposits go to the global vector
// with VecSetValues(ADD_VALUES) and field values come through a VecScatter.
#pragma once

#include <petscdmda.h>
#include <petscksp.h>

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mesh/cic.hpp"
#include "mesh/grid.hpp"
#include "physics/electrostatics/electrodes.hpp"

namespace mps {

struct PoissonConfig {
  UniformGrid grid;
  std::vector<Electrode> electrodes;
  double wall_potential = 0.0;  // V on the faces of the box (grounded vessel: 0)
  // Optional Dirichlet data on the box faces as a function of position (validation against
  // analytic fields whose conductors reach the box); empty: wall_potential everywhere.
  std::function<double(const Vec3&)> wall_function;
  // Shortley-Weller rows (default: second order in the maximum norm, nonsymmetric, FGMRES);
  // false: the symmetric scheme of Gibou et al. (CG applies; second order in rms, ~1.6 in max).
  bool shortley_weller = true;
  // Floating vessel wall (see above): net charge (C) and capacitance (F) of its outer surface to
  // the ground reference; wall_potential and wall_function are then unused.
  bool wall_floating = false;
  double wall_charge = 0.0;
  double wall_capacitance = 0.0;
  // DMDA layout: ranks per axis and nodes per rank coordinate; empty: PETSc decides.
  std::array<int, 3> procs{0, 0, 0};
  std::array<std::vector<int>, 3> ownership;
  // Defaults of the linear solver; PETSc command-line options override them.
  // auto: fgmres (right preconditioned: the true residual meets rtol) for the nonsymmetric
  // Shortley-Weller rows, cg for the symmetric scheme
  std::string ksp_type = "auto";
  std::string pc_type = "mg";
  int mg_levels = 0;        // 0: as many as the grid and the layout allow
  bool galerkin = true;     // coarse operators R A P (iteration count independent of the grid)
  int smoothing_steps = 1;  // pre- and post-smoothing iterations per multigrid level
  double rtol = 1e-8;
  double atol = 0.0;          // V (absolute residual in the scaled rows; 0 = off)
  std::string petsc_options;  // extra "-key value" pairs from the case (command line wins)
};

class PoissonSolver {
 public:
  PoissonSolver(MPI_Comm comm, PoissonConfig cfg);
  ~PoissonSolver();
  PoissonSolver(const PoissonSolver&) = delete;
  PoissonSolver& operator=(const PoissonSolver&) = delete;

  const UniformGrid& grid() const { return cfg_.grid; }
  const PoissonConfig& config() const { return cfg_; }

  // Space charge: clear, add point charges (C) at positions (cloud in cell), finish (collective).
  void clear_charge();
  void deposit(const Vec3& x, double q);
  void finish_deposit();
  // Sum of |node charge| (C), collective; the re-solve trigger compares it between solves.
  double total_abs_charge() const;

  // Solve for phi with the current charge and compute E at the nodes (collective).
  // Returns the iteration count; throws RuntimeError if the solver diverged.
  int solve();
  int iterations() const { return iterations_; }
  double residual_norm() const { return residual_; }

  // Field (V/m) and potential (V) at points (collective: points outside this rank's ghosted box
  // are fetched through PETSc). Points outside the grid box get zero field and NaN potential.
  void field_at(const std::vector<Vec3>& x, std::vector<Vec3>& e) const;
  void potential_at(const std::vector<Vec3>& x, std::vector<double>& phi) const;

  // This rank's nodes [start, start + count) per axis, and its node arrays (x fastest) for
  // output: potential (V), |E| (V/m), E (3 components, V/m), space-charge density (C/m^3).
  std::array<int, 3> owned_start() const { return {xs_[0], xs_[1], xs_[2]}; }
  std::array<int, 3> owned_count() const { return {xm_[0], xm_[1], xm_[2]}; }
  // Values on the owned nodes plus one layer above (so VTK pieces share their faces): extent
  // [start, start + count] clipped to the grid.
  void output_arrays(std::array<int, 3>& lo, std::array<int, 3>& hi, std::vector<double>& phi,
                     std::vector<double>& e, std::vector<double>& emag,
                     std::vector<double>& rho) const;

  // Conductor numbers for the queries below: electrode index, or kWall for the vessel wall.
  static constexpr int kWall = -1;
  // Potential (V) of a conductor in the last solve (fixed: as configured; floating: solved for).
  double conductor_potential(int conductor) const;
  // Net charge (C) of a conductor in the last solve, measured as described above (collective).
  // Meaningful where nothing but gap nodes lies within two cells of the conductor.
  double conductor_charge(int conductor);
  bool has_floating() const { return !floating_.empty(); }

  KSP ksp() const { return ksp_; }
  DM dm() const { return da_; }

  // Assemble the operator on any level's DMDA (KSPSetComputeOperators callback); on the finest
  // level also the boundary part of the right-hand side.
  PetscErrorCode assemble(DM da, Mat B, Vec bc_rhs);

 private:
  struct Cut {
    long node;      // local ghosted index of the gap node
    int dir;        // 0..5: -x, +x, -y, +y, -z, +z
    double theta;   // fraction of the edge to the surface
    int electrode;  // whose surface (its potential: potential_)
  };
  // Charge functional of one conductor: Q = weight . phi - mask . charge (see above).
  struct ChargeFunctional {
    Vec weight = nullptr, mask = nullptr;
  };
  struct Floating {
    int conductor;      // electrode index or kWall
    double charge;      // C, set net charge
    Vec psi = nullptr;  // unit-potential solution
  };
  const ChargeFunctional& charge_functional(int conductor);
  void solve_unit_potentials();
  void set_boundary_values(const std::vector<double>& electrode, std::optional<double> wall);
  void check_converged(const char* what);
  int node_label(const UniformGrid& g, int i, int j, int k) const;  // -2 wall, -1 gap, e >= 0
  void compute_field();
  void extrapolate_field_into_electrodes();
  long petsc_index(int i, int j, int k) const;  // global PETSc index of a node
  void gather(const std::vector<Vec3>& x, Vec global_src, Vec local_src, int dof,
              std::vector<double>& out) const;

  MPI_Comm comm_;
  PoissonConfig cfg_;
  DM da_ = nullptr, dab_ = nullptr, da3_ = nullptr;  // operator, ghosted scalars, field (3 dof)
  DM da3w_ = nullptr;       // field with two ghost layers (extrapolation into electrodes)
  Vec e_wide_ = nullptr;    // its local vector
  DM dabw_ = nullptr;       // scalars with two ghost layers (one-sided field stencils)
  Vec phi_wide_ = nullptr;  // phi on it
  // labels of the owned nodes and two layers around them (clipped to the grid)
  std::vector<signed char> wide_labels_;
  int wlo_[3] = {}, wn_[3] = {};
  int wide_label(int i, int j, int k) const {
    return wide_labels_[static_cast<std::size_t>(
        (i - wlo_[0]) + wn_[0] * ((j - wlo_[1]) + static_cast<long>(wn_[1]) * (k - wlo_[2])))];
  }
  KSP ksp_ = nullptr;
  Vec phi_ = nullptr, phi_local_ = nullptr, rhs_ = nullptr, bc_ = nullptr, mask_ = nullptr;
  Vec charge_ = nullptr, charge_local_ = nullptr, e_ = nullptr, e_local_ = nullptr;
  PetscScalar*** q_ = nullptr;  // charge_local_ array while depositing
  int xs_[3] = {}, xm_[3] = {}, gs_[3] = {}, gm_[3] = {};
  std::array<std::vector<int>, 3> range_start_;  // first node of each rank coordinate
  std::vector<long> rank_offset_;
  std::array<int, 3> procs_{1, 1, 1};
  std::vector<Cut> cuts_;            // fine level, owned gap nodes next to electrodes
  std::vector<signed char> labels_;  // fine level, ghosted box
  int iterations_ = 0;
  double residual_ = 0.0;
  bool solved_once_ = false;
  // Dirichlet values used when assembling a right-hand side (floating: 0 V for phi_0, 1 V in psi)
  std::vector<double> bc_value_;
  std::optional<double> bc_wall_;  // constant wall value; empty: the configured wall
  std::vector<double> potential_;  // per electrode, after the last solve
  double wall_value_ = 0.0;        // wall potential after the last solve (constant walls)
  std::vector<Floating> floating_;
  std::vector<double> capacitance_;  // row-major, floating_.size()^2; empty until computed
  std::map<int, ChargeFunctional> functionals_;
  Vec phi0_ = nullptr;  // phi_0 (kept as the next initial guess) when there are floating conductors
  bool off_rank_deposits_ = false;
};

}  // namespace mps
