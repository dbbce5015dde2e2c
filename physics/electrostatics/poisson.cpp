#include "physics/electrostatics/poisson.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "solver/base/constants.hpp"
#include "solver/base/errors.hpp"

namespace mps {

namespace {

// PETSc calls outside callbacks: turn an error code into an exception.
#define MPS_PETSC(call)                                                                           \
  do {                                                                                            \
    const PetscErrorCode mps_ierr_ = (call);                                                      \
    if (mps_ierr_ != 0)                                                                           \
      throw RuntimeError(fmt::format("PETSc error {} in {} ({}:{})", static_cast<int>(mps_ierr_), \
                                     #call, __FILE__, __LINE__));                                 \
  } while (0)

constexpr double kThetaMin = 1e-3;
constexpr int kLabelWall = -2, kLabelGap = -1;
// Neighbour offsets in the order -x, +x, -y, +y, -z, +z.
constexpr int kOff[6][3] = {{-1, 0, 0}, {1, 0, 0}, {0, -1, 0}, {0, 1, 0}, {0, 0, -1}, {0, 0, 1}};

PetscErrorCode compute_operator(KSP ksp, Mat, Mat B, void* ctx) {
  DM da;
  PetscFunctionBeginUser;
  PetscCall(KSPGetDM(ksp, &da));
  PetscCall(static_cast<PoissonSolver*>(ctx)->assemble(da, B, nullptr));
  PetscFunctionReturn(0);
}

// Options from the case ("-key value ..."): set unless the command line gave the key. Keys set
// here are remembered so a later solver (another case in the same process, tests) may reset them.
void apply_case_options(const std::string& text) {
  static std::set<std::string> ours;
  std::istringstream in(text);
  std::vector<std::string> tok;
  for (std::string t; in >> t;) tok.push_back(t);
  auto is_key = [](const std::string& t) {
    return t.size() > 1 && t[0] == '-' && std::isalpha(static_cast<unsigned char>(t[1]));
  };
  for (std::size_t i = 0; i < tok.size(); ++i) {
    if (!is_key(tok[i]))
      throw InputError("electrostatics.petsc_options: expected '-key [value]' pairs, got '" +
                       tok[i] + "'");
    const std::string key = tok[i];
    std::string value;
    if (i + 1 < tok.size() && !is_key(tok[i + 1])) value = tok[++i];
    PetscBool given = PETSC_FALSE;
    MPS_PETSC(PetscOptionsHasName(nullptr, nullptr, key.c_str(), &given));
    if (given && !ours.count(key)) continue;  // the command line wins
    MPS_PETSC(PetscOptionsSetValue(nullptr, key.c_str(), value.empty() ? nullptr : value.c_str()));
    ours.insert(key);
  }
}

}  // namespace

PoissonSolver::PoissonSolver(MPI_Comm comm, PoissonConfig cfg) : comm_(comm), cfg_(std::move(cfg)) {
  const UniformGrid& g = cfg_.grid;
  std::array<std::vector<PetscInt>, 3> own;
  const PetscInt* lp[3] = {nullptr, nullptr, nullptr};
  PetscInt np[3] = {PETSC_DECIDE, PETSC_DECIDE, PETSC_DECIDE};
  for (int a = 0; a < 3; ++a) {
    if (cfg_.procs[a] > 0) np[a] = cfg_.procs[a];
    if (!cfg_.ownership[a].empty()) {
      own[a].assign(cfg_.ownership[a].begin(), cfg_.ownership[a].end());
      lp[a] = own[a].data();
    }
  }
  MPS_PETSC(DMDACreate3d(comm_, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE,
                         DMDA_STENCIL_STAR, g.nodes(0), g.nodes(1), g.nodes(2), np[0], np[1], np[2],
                         1, 1, lp[0], lp[1], lp[2], &da_));
  MPS_PETSC(DMSetUp(da_));
  PetscInt pm[3];
  MPS_PETSC(DMDAGetInfo(da_, nullptr, nullptr, nullptr, nullptr, &pm[0], &pm[1], &pm[2], nullptr,
                        nullptr, nullptr, nullptr, nullptr, nullptr));
  const PetscInt* lr[3];
  MPS_PETSC(DMDAGetOwnershipRanges(da_, &lr[0], &lr[1], &lr[2]));
  for (int a = 0; a < 3; ++a) {
    procs_[a] = static_cast<int>(pm[a]);
    range_start_[a].assign(procs_[a] + 1, 0);
    for (int c = 0; c < procs_[a]; ++c)
      range_start_[a][c + 1] = range_start_[a][c] + static_cast<int>(lr[a][c]);
  }
  // PETSc numbers unknowns rank by rank (rank = cx + px (cy + py cz)), x fastest inside a rank.
  rank_offset_.assign(static_cast<std::size_t>(procs_[0] * procs_[1] * procs_[2]) + 1, 0);
  for (int cz = 0, r = 0; cz < procs_[2]; ++cz)
    for (int cy = 0; cy < procs_[1]; ++cy)
      for (int cx = 0; cx < procs_[0]; ++cx, ++r)
        rank_offset_[r + 1] =
            rank_offset_[r] + static_cast<long>(lr[0][cx]) * lr[1][cy] * lr[2][cz];
  MPS_PETSC(DMDACreate3d(comm_, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE,
                         DMDA_STENCIL_BOX, g.nodes(0), g.nodes(1), g.nodes(2), pm[0], pm[1], pm[2],
                         3, 1, lr[0], lr[1], lr[2], &da3_));
  MPS_PETSC(DMSetUp(da3_));
  // Same layout with a box stencil: cloud-in-cell touches edge and corner ghosts, which a star
  // stencil DMDA (the operator's, 7-point) does not communicate.
  MPS_PETSC(DMDACreate3d(comm_, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE,
                         DMDA_STENCIL_BOX, g.nodes(0), g.nodes(1), g.nodes(2), pm[0], pm[1], pm[2],
                         1, 1, lr[0], lr[1], lr[2], &dab_));
  MPS_PETSC(DMSetUp(dab_));
  MPS_PETSC(DMDACreate3d(comm_, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE,
                         DMDA_STENCIL_BOX, g.nodes(0), g.nodes(1), g.nodes(2), pm[0], pm[1], pm[2],
                         3, 2, lr[0], lr[1], lr[2], &da3w_));
  MPS_PETSC(DMSetUp(da3w_));
  MPS_PETSC(DMCreateLocalVector(da3w_, &e_wide_));
  MPS_PETSC(DMDACreate3d(comm_, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE,
                         DMDA_STENCIL_BOX, g.nodes(0), g.nodes(1), g.nodes(2), pm[0], pm[1], pm[2],
                         1, 2, lr[0], lr[1], lr[2], &dabw_));
  MPS_PETSC(DMSetUp(dabw_));
  MPS_PETSC(DMCreateLocalVector(dabw_, &phi_wide_));
  PetscInt s[3], m[3], gs[3], gm[3];
  MPS_PETSC(DMDAGetCorners(da_, &s[0], &s[1], &s[2], &m[0], &m[1], &m[2]));
  MPS_PETSC(DMDAGetGhostCorners(da_, &gs[0], &gs[1], &gs[2], &gm[0], &gm[1], &gm[2]));
  for (int a = 0; a < 3; ++a) {
    xs_[a] = static_cast<int>(s[a]);
    xm_[a] = static_cast<int>(m[a]);
    gs_[a] = static_cast<int>(gs[a]);
    gm_[a] = static_cast<int>(gm[a]);
  }
  MPS_PETSC(DMCreateGlobalVector(da_, &phi_));
  MPS_PETSC(VecDuplicate(phi_, &rhs_));
  MPS_PETSC(VecDuplicate(phi_, &bc_));
  MPS_PETSC(VecDuplicate(phi_, &mask_));
  MPS_PETSC(VecDuplicate(phi_, &charge_));
  MPS_PETSC(DMCreateLocalVector(dab_, &phi_local_));
  MPS_PETSC(VecDuplicate(phi_local_, &charge_local_));
  MPS_PETSC(DMCreateGlobalVector(da3_, &e_));
  MPS_PETSC(DMCreateLocalVector(da3_, &e_local_));
  MPS_PETSC(VecSet(phi_, 0.0));
  MPS_PETSC(VecSet(e_local_, 0.0));
  MPS_PETSC(VecSet(charge_, 0.0));

  // Boundary values of phi_0: fixed electrodes as configured, floating conductors at 0 V.
  potential_.clear();
  for (std::size_t e = 0; e < cfg_.electrodes.size(); ++e) {
    const Electrode& el = cfg_.electrodes[e];
    potential_.push_back(el.floating ? 0.0 : el.potential);
    if (el.floating) floating_.push_back({static_cast<int>(e), el.charge});
  }
  if (cfg_.wall_floating) floating_.push_back({kWall, cfg_.wall_charge});
  wall_value_ = cfg_.wall_floating ? 0.0 : cfg_.wall_potential;
  bc_value_ = potential_;
  if (cfg_.wall_floating) bc_wall_ = 0.0;
  if (!floating_.empty()) MPS_PETSC(VecDuplicate(phi_, &phi0_));

  // Fine-level labels on the ghosted box, the Dirichlet part of the right-hand side, the mask of
  // gap nodes (where charge enters the equations).
  labels_.resize(static_cast<std::size_t>(gm_[0]) * gm_[1] * gm_[2]);
  for (int k = 0; k < gm_[2]; ++k)
    for (int j = 0; j < gm_[1]; ++j)
      for (int i = 0; i < gm_[0]; ++i)
        labels_[static_cast<std::size_t>(i + gm_[0] * (j + gm_[1] * k))] =
            static_cast<signed char>(node_label(g, gs_[0] + i, gs_[1] + j, gs_[2] + k));
  for (int a = 0; a < 3; ++a) {
    wlo_[a] = std::max(xs_[a] - 2, 0);
    wn_[a] = std::min(xs_[a] + xm_[a] + 1, g.cells[a]) - wlo_[a] + 1;
  }
  wide_labels_.resize(static_cast<std::size_t>(wn_[0]) * wn_[1] * wn_[2]);
  for (int k = 0; k < wn_[2]; ++k)
    for (int j = 0; j < wn_[1]; ++j)
      for (int i = 0; i < wn_[0]; ++i)
        wide_labels_[static_cast<std::size_t>(i + wn_[0] * (j + static_cast<long>(wn_[1]) * k))] =
            static_cast<signed char>(node_label(g, wlo_[0] + i, wlo_[1] + j, wlo_[2] + k));
  MPS_PETSC(assemble(da_, nullptr, bc_));
  {
    PetscScalar*** mk;
    MPS_PETSC(DMDAVecGetArray(da_, mask_, &mk));
    for (int k = xs_[2]; k < xs_[2] + xm_[2]; ++k)
      for (int j = xs_[1]; j < xs_[1] + xm_[1]; ++j)
        for (int i = xs_[0]; i < xs_[0] + xm_[0]; ++i)
          mk[k][j][i] =
              labels_[static_cast<std::size_t>(
                  (i - gs_[0]) + gm_[0] * ((j - gs_[1]) + gm_[1] * (k - gs_[2])))] == kLabelGap
                  ? 1.0
                  : 0.0;
    MPS_PETSC(DMDAVecRestoreArray(da_, mask_, &mk));
  }

  // Linear solver: defaults from the case, then PETSc options (command line) override.
  MPS_PETSC(KSPCreate(comm_, &ksp_));
  MPS_PETSC(KSPSetDM(ksp_, da_));
  MPS_PETSC(KSPSetComputeOperators(ksp_, compute_operator, this));
  const std::string ksp_type = cfg_.ksp_type != "auto" ? cfg_.ksp_type
                               : cfg_.shortley_weller  ? "fgmres"
                                                       : "cg";
  MPS_PETSC(KSPSetType(ksp_, ksp_type.c_str()));
  MPS_PETSC(KSPSetTolerances(ksp_, cfg_.rtol, cfg_.atol, PETSC_DEFAULT, 1000));
  PC pc;
  MPS_PETSC(KSPGetPC(ksp_, &pc));
  MPS_PETSC(PCSetType(pc, cfg_.pc_type.c_str()));
  if (cfg_.pc_type == "mg") {
    int levels = cfg_.mg_levels;
    if (levels <= 0) {
      // Coarsen by two while every axis has an even cell count and every rank keeps >= 2 nodes
      // of each coarse level (coarse node k is fine node 2k; PETSc fails on an empty rank).
      levels = 1;
      std::array<int, 3> cells = g.cells;
      std::array<std::vector<int>, 3> start = range_start_;
      while (true) {
        bool ok = true;
        std::array<std::vector<int>, 3> next = start;
        for (int a = 0; a < 3 && ok; ++a) {
          ok = cells[a] % 2 == 0 && cells[a] / 2 >= 2;
          for (auto& x : next[a]) x = (x + 1) / 2;  // first coarse node at or after fine node x
          for (int c = 0; c + 1 < static_cast<int>(next[a].size()) && ok; ++c)
            ok = next[a][c + 1] - next[a][c] >= 2;
        }
        if (!ok) break;
        for (auto& c : cells) c /= 2;
        start = next;
        ++levels;
      }
    }
    MPS_PETSC(PCMGSetLevels(pc, levels, nullptr));
    // Rediscretised coarse levels see a different (coarser) electrode geometry and MG then slows
    // down with refinement (measured: 14 -> 24 iterations from 16^3 to 64^3); Galerkin coarse
    // operators keep the count flat (6 iterations at rtol 1e-12 on every grid).
    if (cfg_.galerkin) MPS_PETSC(PCMGSetGalerkin(pc, PC_MG_GALERKIN_BOTH));
    // One smoothing step per level (PETSc's default is two): fewer flops per solve for the same
    // accuracy here (65^3, rtol 1e-8: 3.6e8 flops against 5.6e8 with BiCGStab and two steps).
    MPS_PETSC(PCMGSetNumberSmooth(pc, cfg_.smoothing_steps));
  }
  apply_case_options(cfg_.petsc_options);
  MPS_PETSC(KSPSetFromOptions(ksp_));
}

PoissonSolver::~PoissonSolver() {
  KSPDestroy(&ksp_);
  for (Vec* v : {&phi_, &phi_local_, &rhs_, &bc_, &mask_, &charge_, &charge_local_, &e_, &e_local_,
                 &phi0_, &e_wide_, &phi_wide_})
    VecDestroy(v);
  DMDestroy(&da3w_);
  DMDestroy(&dabw_);
  for (auto& f : floating_) VecDestroy(&f.psi);
  for (auto& [c, f] : functionals_) {
    VecDestroy(&f.weight);
    VecDestroy(&f.mask);
  }
  DMDestroy(&da3_);
  DMDestroy(&dab_);
  DMDestroy(&da_);
}

int PoissonSolver::node_label(const UniformGrid& g, int i, int j, int k) const {
  const Vec3 p = g.node(i, j, k);
  for (std::size_t e = 0; e < cfg_.electrodes.size(); ++e)
    if (cfg_.electrodes[e].solid->contains(p)) return static_cast<int>(e);
  if (i == 0 || j == 0 || k == 0 || i == g.cells[0] || j == g.cells[1] || k == g.cells[2])
    return kLabelWall;
  return kLabelGap;
}

PetscErrorCode PoissonSolver::assemble(DM da, Mat B, Vec bc) {
  PetscFunctionBeginUser;
  PetscInt mx, my, mz, xs, ys, zs, xm, ym, zm;
  PetscCall(DMDAGetInfo(da, nullptr, &mx, &my, &mz, nullptr, nullptr, nullptr, nullptr, nullptr,
                        nullptr, nullptr, nullptr, nullptr));
  PetscCall(DMDAGetCorners(da, &xs, &ys, &zs, &xm, &ym, &zm));
  const UniformGrid g =
      cfg_.grid.with_nodes(static_cast<int>(mx), static_cast<int>(my), static_cast<int>(mz));
  const double vol = g.cell_volume();
  const double c[3] = {vol / (g.h(0) * g.h(0)), vol / (g.h(1) * g.h(1)), vol / (g.h(2) * g.h(2))};
  const double diag_dirichlet = 2.0 * (c[0] + c[1] + c[2]);
  // labels of the owned nodes and one layer around them
  const int lo[3] = {static_cast<int>(std::max<PetscInt>(xs - 1, 0)),
                     static_cast<int>(std::max<PetscInt>(ys - 1, 0)),
                     static_cast<int>(std::max<PetscInt>(zs - 1, 0))};
  const int hi[3] = {static_cast<int>(std::min(xs + xm, mx - 1)),
                     static_cast<int>(std::min(ys + ym, my - 1)),
                     static_cast<int>(std::min(zs + zm, mz - 1))};
  const int n[3] = {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
  std::vector<signed char> lab(static_cast<std::size_t>(n[0]) * n[1] * n[2]);
  for (int k = 0; k < n[2]; ++k)
    for (int j = 0; j < n[1]; ++j)
      for (int i = 0; i < n[0]; ++i)
        lab[static_cast<std::size_t>(i + n[0] * (j + n[1] * k))] =
            static_cast<signed char>(node_label(g, lo[0] + i, lo[1] + j, lo[2] + k));
  auto label = [&](int i, int j, int k) {
    return static_cast<int>(
        lab[static_cast<std::size_t>((i - lo[0]) + n[0] * ((j - lo[1]) + n[1] * (k - lo[2])))]);
  };
  auto wall = [&](const Vec3& x) {
    if (bc_wall_) return *bc_wall_;
    return cfg_.wall_function ? cfg_.wall_function(x) : cfg_.wall_potential;
  };

  PetscScalar*** b = nullptr;
  if (bc) PetscCall(DMDAVecGetArray(da, bc, &b));
  if (bc) cuts_.clear();
  for (PetscInt k = zs; k < zs + zm; ++k)
    for (PetscInt j = ys; j < ys + ym; ++j)
      for (PetscInt i = xs; i < xs + xm; ++i) {
        MatStencil row{};
        row.i = i;
        row.j = j;
        row.k = k;
        const int l = label(static_cast<int>(i), static_cast<int>(j), static_cast<int>(k));
        if (l != kLabelGap) {
          if (B)
            PetscCall(MatSetValuesStencil(B, 1, &row, 1, &row, &diag_dirichlet, INSERT_VALUES));
          if (b)
            b[k][j][i] =
                diag_dirichlet *
                (l >= 0
                     ? bc_value_[l]
                     : wall(g.node(static_cast<int>(i), static_cast<int>(j), static_cast<int>(k))));
          continue;
        }
        MatStencil col[7];
        PetscScalar v[7];
        int nc = 0;
        double diag = 0.0, rhs = 0.0;
        const Vec3 p = g.node(static_cast<int>(i), static_cast<int>(j), static_cast<int>(k));
        // neighbours: label and cut fraction (1 unless an electrode surface cuts the edge)
        int ln[6];
        double theta[6];
        for (int d = 0; d < 6; ++d) {
          const int ni = static_cast<int>(i) + kOff[d][0], nj = static_cast<int>(j) + kOff[d][1],
                    nk = static_cast<int>(k) + kOff[d][2];
          ln[d] = label(ni, nj, nk);
          theta[d] = ln[d] >= 0
                         ? std::max(kThetaMin, crossing_fraction(*cfg_.electrodes[ln[d]].solid, p,
                                                                 g.node(ni, nj, nk)))
                         : 1.0;
        }
        for (int d = 0; d < 6; ++d) {
          const int ni = static_cast<int>(i) + kOff[d][0], nj = static_cast<int>(j) + kOff[d][1],
                    nk = static_cast<int>(k) + kOff[d][2];
          // Shortley-Weller weight 2 / (theta_m + theta_p) of this axis; 1 in the symmetric scheme
          const double alpha = cfg_.shortley_weller ? 2.0 / (theta[d & ~1] + theta[d | 1]) : 1.0;
          const double cd = c[d / 2] * alpha;
          if (ln[d] >= 0) {
            // edge cut by an electrode: flux eps0 (V - phi_i) / (theta h)
            diag += cd / theta[d];
            rhs += cd / theta[d] * bc_value_[ln[d]];
            if (bc) {
              const long loc =
                  (i - gs_[0]) + gm_[0] * ((j - gs_[1]) + static_cast<long>(gm_[1]) * (k - gs_[2]));
              cuts_.push_back({loc, d, theta[d], ln[d]});
            }
          } else if (ln[d] == kLabelWall) {
            diag += cd;
            rhs += cd * wall(g.node(ni, nj, nk));
          } else {
            col[nc].i = ni;
            col[nc].j = nj;
            col[nc].k = nk;
            v[nc++] = -cd;
            diag += cd;
          }
        }
        col[nc] = row;
        v[nc++] = diag;
        if (B) PetscCall(MatSetValuesStencil(B, 1, &row, nc, col, v, INSERT_VALUES));
        if (b) b[k][j][i] = rhs;
      }
  if (b) PetscCall(DMDAVecRestoreArray(da, bc, &b));
  if (B) {
    PetscCall(MatAssemblyBegin(B, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(B, MAT_FINAL_ASSEMBLY));
  }
  PetscFunctionReturn(0);
}

void PoissonSolver::clear_charge() {
  MPS_PETSC(VecSet(charge_local_, 0.0));
  MPS_PETSC(VecSet(charge_, 0.0));
  MPS_PETSC(DMDAVecGetArray(dab_, charge_local_, &q_));
}

long PoissonSolver::petsc_index(int i, int j, int k) const {
  const int ijk[3] = {i, j, k};
  int cc[3], rel[3], len[3];
  for (int a = 0; a < 3; ++a) {
    const auto& r = range_start_[a];
    cc[a] = static_cast<int>(std::upper_bound(r.begin(), r.end(), ijk[a]) - r.begin()) - 1;
    cc[a] = std::clamp(cc[a], 0, procs_[a] - 1);
    rel[a] = ijk[a] - r[cc[a]];
    len[a] = r[cc[a] + 1] - r[cc[a]];
  }
  const int rank = cc[0] + procs_[0] * (cc[1] + procs_[1] * cc[2]);
  return rank_offset_[rank] + rel[0] +
         static_cast<long>(len[0]) * (rel[1] + static_cast<long>(len[1]) * rel[2]);
}

void PoissonSolver::deposit(const Vec3& x, double q) {
  const CicStencil s = cic_stencil(cfg_.grid, x);
  if (!s.inside) return;  // charge outside the field box does not enter the solve
  bool local = true;
  for (int a = 0; a < 3; ++a) local = local && s.i0[a] >= gs_[a] && s.i0[a] + 1 < gs_[a] + gm_[a];
  for (int dk = 0; dk < 2; ++dk)
    for (int dj = 0; dj < 2; ++dj)
      for (int di = 0; di < 2; ++di) {
        const double w = s.weight(di, dj, dk) * q;
        if (local) {
          q_[s.i0[2] + dk][s.i0[1] + dj][s.i0[0] + di] += w;
        } else {
          const PetscInt idx = petsc_index(s.i0[0] + di, s.i0[1] + dj, s.i0[2] + dk);
          MPS_PETSC(VecSetValue(charge_, idx, w, ADD_VALUES));
        }
      }
}

void PoissonSolver::finish_deposit() {
  MPS_PETSC(DMDAVecRestoreArray(dab_, charge_local_, &q_));
  q_ = nullptr;
  // off-rank deposits (stash), then the ghosted local contributions added into the owners
  MPS_PETSC(VecAssemblyBegin(charge_));
  MPS_PETSC(VecAssemblyEnd(charge_));
  MPS_PETSC(DMLocalToGlobalBegin(dab_, charge_local_, ADD_VALUES, charge_));
  MPS_PETSC(DMLocalToGlobalEnd(dab_, charge_local_, ADD_VALUES, charge_));
}

double PoissonSolver::total_abs_charge() const {
  PetscReal s = 0;
  MPS_PETSC(VecNorm(charge_, NORM_1, &s));
  return s;
}

void PoissonSolver::check_converged(const char* what) {
  KSPConvergedReason reason;
  MPS_PETSC(KSPGetConvergedReason(ksp_, &reason));
  PetscInt its = 0;
  MPS_PETSC(KSPGetIterationNumber(ksp_, &its));
  PetscReal res = 0;
  MPS_PETSC(KSPGetResidualNorm(ksp_, &res));
  iterations_ = static_cast<int>(its);
  residual_ = res;
  if (reason < 0)
    throw RuntimeError(
        fmt::format("electrostatics: the Poisson solve{} did not converge ({}, {} iterations, "
                    "residual {:.3g}); try other PETSc options after --",
                    what, KSPConvergedReasons[reason], its, res));
}

void PoissonSolver::set_boundary_values(const std::vector<double>& electrode,
                                        std::optional<double> wall) {
  bc_value_ = electrode;
  bc_wall_ = wall;
}

void PoissonSolver::solve_unit_potentials() {
  const std::size_t nf = floating_.size();
  Vec b;
  MPS_PETSC(VecDuplicate(phi_, &b));
  MPS_PETSC(KSPSetInitialGuessNonzero(ksp_, PETSC_FALSE));
  for (auto& f : floating_) {
    std::vector<double> v(cfg_.electrodes.size(), 0.0);
    if (f.conductor != kWall) v[f.conductor] = 1.0;
    set_boundary_values(v, f.conductor == kWall ? 1.0 : 0.0);
    MPS_PETSC(assemble(da_, nullptr, b));
    MPS_PETSC(VecDuplicate(phi_, &f.psi));
    MPS_PETSC(VecSet(f.psi, 0.0));
    MPS_PETSC(KSPSolve(ksp_, b, f.psi));
    check_converged(" for a floating conductor at 1 V");
  }
  VecDestroy(&b);
  // back to the values of phi_0 (the matrix callback reads them too)
  set_boundary_values(potential_, cfg_.wall_floating ? std::optional<double>(0.0) : std::nullopt);
  for (std::size_t e = 0; e < cfg_.electrodes.size(); ++e)
    if (cfg_.electrodes[e].floating) bc_value_[e] = 0.0;
  capacitance_.assign(nf * nf, 0.0);
  for (std::size_t f = 0; f < nf; ++f) {
    const ChargeFunctional& q = charge_functional(floating_[f].conductor);
    for (std::size_t g = 0; g < nf; ++g) {
      PetscScalar c = 0;
      MPS_PETSC(VecDot(q.weight, floating_[g].psi, &c));
      capacitance_[f * nf + g] = c;
    }
  }
}

int PoissonSolver::solve() {
  if (!floating_.empty() && capacitance_.empty()) solve_unit_potentials();
  Vec target = floating_.empty() ? phi_ : phi0_;
  // b = Dirichlet part + (charge of gap nodes) / eps0
  MPS_PETSC(VecPointwiseMult(rhs_, mask_, charge_));
  MPS_PETSC(VecScale(rhs_, 1.0 / constants::vacuum_permittivity));
  MPS_PETSC(VecAXPY(rhs_, 1.0, bc_));
  MPS_PETSC(KSPSetInitialGuessNonzero(ksp_, solved_once_ ? PETSC_TRUE : PETSC_FALSE));
  MPS_PETSC(KSPSolve(ksp_, rhs_, target));
  check_converged("");
  solved_once_ = true;
  if (!floating_.empty()) {
    // potentials of the floating conductors from their charge condition (see the header)
    const std::size_t nf = floating_.size();
    std::vector<double> a = capacitance_, v(nf);
    for (std::size_t f = 0; f < nf; ++f) {
      const ChargeFunctional& q = charge_functional(floating_[f].conductor);
      PetscScalar flux = 0, enclosed = 0;
      MPS_PETSC(VecDot(q.weight, phi0_, &flux));
      MPS_PETSC(VecDot(q.mask, charge_, &enclosed));
      v[f] = floating_[f].charge - (flux - enclosed);
      if (floating_[f].conductor == kWall) a[f * nf + f] += cfg_.wall_capacitance;
    }
    // Gaussian elimination with partial pivoting (nf is the number of floating conductors)
    double scale = 0;
    for (double x : a) scale = std::max(scale, std::abs(x));
    for (std::size_t c = 0; c < nf; ++c) {
      std::size_t piv = c;
      for (std::size_t r = c + 1; r < nf; ++r)
        if (std::abs(a[r * nf + c]) > std::abs(a[piv * nf + c])) piv = r;
      if (!(std::abs(a[piv * nf + c]) > 1e-12 * scale))
        throw RuntimeError(
            "electrostatics: the capacitance matrix of the floating conductors is singular "
            "(nothing fixes their potential level)");
      if (piv != c) {
        for (std::size_t k = 0; k < nf; ++k) std::swap(a[c * nf + k], a[piv * nf + k]);
        std::swap(v[c], v[piv]);
      }
      for (std::size_t r = c + 1; r < nf; ++r) {
        const double m = a[r * nf + c] / a[c * nf + c];
        for (std::size_t k = c; k < nf; ++k) a[r * nf + k] -= m * a[c * nf + k];
        v[r] -= m * v[c];
      }
    }
    for (std::size_t c = nf; c-- > 0;) {
      for (std::size_t k = c + 1; k < nf; ++k) v[c] -= a[c * nf + k] * v[k];
      v[c] /= a[c * nf + c];
    }
    MPS_PETSC(VecCopy(phi0_, phi_));
    for (std::size_t f = 0; f < nf; ++f) {
      MPS_PETSC(VecAXPY(phi_, v[f], floating_[f].psi));
      if (floating_[f].conductor == kWall)
        wall_value_ = v[f];
      else
        potential_[floating_[f].conductor] = v[f];
    }
  }
  compute_field();
  return iterations_;
}

double PoissonSolver::conductor_potential(int conductor) const {
  return conductor == kWall ? wall_value_ : potential_.at(static_cast<std::size_t>(conductor));
}

double PoissonSolver::conductor_charge(int conductor) {
  const ChargeFunctional& q = charge_functional(conductor);
  PetscScalar flux = 0, enclosed = 0;
  MPS_PETSC(VecDot(q.weight, phi_, &flux));
  MPS_PETSC(VecDot(q.mask, charge_, &enclosed));
  return flux - enclosed;
}

const PoissonSolver::ChargeFunctional& PoissonSolver::charge_functional(int conductor) {
  auto it = functionals_.find(conductor);
  if (it != functionals_.end()) return it->second;
  const UniformGrid& g = cfg_.grid;
  const int target = conductor == kWall ? kLabelWall : conductor;
  // labels of the owned nodes and two layers around them (S needs one, its faces one more)
  auto inside = [&](int i, int j, int k) {
    return i >= 0 && j >= 0 && k >= 0 && i <= g.cells[0] && j <= g.cells[1] && k <= g.cells[2];
  };
  auto label = [&](int i, int j, int k) { return wide_label(i, j, k); };
  // S: nodes within one cell (Chebyshev) of the conductor's nodes
  auto in_set = [&](int i, int j, int k) {
    for (int dk = -1; dk <= 1; ++dk)
      for (int dj = -1; dj <= 1; ++dj)
        for (int di = -1; di <= 1; ++di)
          if (inside(i + di, j + dj, k + dk) && label(i + di, j + dj, k + dk) == target)
            return true;
    return false;
  };
  const double vol = g.cell_volume();
  const double eps0 = constants::vacuum_permittivity;
  ChargeFunctional f;
  MPS_PETSC(VecDuplicate(phi_, &f.weight));
  MPS_PETSC(VecDuplicate(phi_, &f.mask));
  PetscScalar ***w, ***m;
  MPS_PETSC(DMDAVecGetArray(da_, f.weight, &w));
  MPS_PETSC(DMDAVecGetArray(da_, f.mask, &m));
  for (int k = xs_[2]; k < xs_[2] + xm_[2]; ++k)
    for (int j = xs_[1]; j < xs_[1] + xm_[1]; ++j)
      for (int i = xs_[0]; i < xs_[0] + xm_[0]; ++i) {
        const bool in = in_set(i, j, k);
        double wt = 0.0;
        for (int d = 0; d < 6; ++d) {
          const int a = d / 2;
          const int ni = i + kOff[d][0], nj = j + kOff[d][1], nk = k + kOff[d][2];
          if (!inside(ni, nj, nk) || in_set(ni, nj, nk) == in) continue;
          // face between S and the rest: eps0 (A / h) (phi_in - phi_out), A / h = vol / h^2
          wt += (in ? 1.0 : -1.0) * eps0 * vol / (g.h(a) * g.h(a));
        }
        w[k][j][i] = wt;
        m[k][j][i] = in && label(i, j, k) == kLabelGap ? 1.0 : 0.0;
      }
  MPS_PETSC(DMDAVecRestoreArray(da_, f.weight, &w));
  MPS_PETSC(DMDAVecRestoreArray(da_, f.mask, &m));
  return functionals_.emplace(conductor, f).first->second;
}

void PoissonSolver::compute_field() {
  const UniformGrid& g = cfg_.grid;
  MPS_PETSC(DMGlobalToLocalBegin(dab_, phi_, INSERT_VALUES, phi_local_));
  MPS_PETSC(DMGlobalToLocalEnd(dab_, phi_, INSERT_VALUES, phi_local_));
  MPS_PETSC(DMGlobalToLocalBegin(dabw_, phi_, INSERT_VALUES, phi_wide_));
  MPS_PETSC(DMGlobalToLocalEnd(dabw_, phi_, INSERT_VALUES, phi_wide_));
  const PetscScalar*** p;
  PetscScalar**** E;
  MPS_PETSC(DMDAVecGetArrayRead(dabw_, phi_wide_, &p));
  MPS_PETSC(DMDAVecGetArrayDOF(da3_, e_, &E));
  // cut distances of the owned gap nodes: (local index, direction) -> (theta, value)
  std::vector<std::pair<long, int>> keys;
  keys.reserve(cuts_.size());
  for (const auto& c : cuts_) keys.emplace_back(c.node, c.dir);
  auto find_cut = [&](long node, int dir) -> const Cut* {
    auto it = std::lower_bound(keys.begin(), keys.end(), std::make_pair(node, dir));
    return it != keys.end() && *it == std::make_pair(node, dir) ? &cuts_[it - keys.begin()]
                                                                : nullptr;
  };  // cuts_ are produced in (node, dir) order by assemble()
  for (int k = xs_[2]; k < xs_[2] + xm_[2]; ++k)
    for (int j = xs_[1]; j < xs_[1] + xm_[1]; ++j)
      for (int i = xs_[0]; i < xs_[0] + xm_[0]; ++i) {
        const long loc =
            (i - gs_[0]) + gm_[0] * ((j - gs_[1]) + static_cast<long>(gm_[1]) * (k - gs_[2]));
        const int l = labels_[static_cast<std::size_t>(loc)];
        const int ijk[3] = {i, j, k};
        for (int a = 0; a < 3; ++a) {
          const double h = g.h(a);
          auto at = [&](int off) {
            int q[3] = {i, j, k};
            q[a] += off;
            return static_cast<double>(p[q[2]][q[1]][q[0]]);
          };
          auto have = [&](int off) {
            const int q = ijk[a] + off;
            return q >= 0 && q <= g.cells[a] && q >= gs_[a] && q < gs_[a] + gm_[a];
          };
          double grad = 0.0;
          if (l == kLabelGap) {
            // three-point derivative through the neighbours or the cut points (second order)
            double hm = h, hp = h, vm = at(-1), vp = at(1);
            if (const Cut* c = find_cut(loc, 2 * a)) {
              hm = c->theta * h;
              vm = potential_[c->electrode];
            }
            if (const Cut* c = find_cut(loc, 2 * a + 1)) {
              hp = c->theta * h;
              vp = potential_[c->electrode];
            }
            const double v0 = at(0);
            grad = (hm * hm * (vp - v0) + hp * hp * (v0 - vm)) / (hm * hp * (hm + hp));
            // Close to the surface (theta < 1/4) the stencil above divides the node's own
            // error by theta h. Skip the node: the quadratic through the cut point and the next
            // two gap nodes on the other side, differentiated at the node (second order, error
            // weights O(1 / h) whatever theta).
            auto regular = [&](int off) {
              int q[3] = {i, j, k};
              q[a] += off;
              return q[a] >= 0 && q[a] <= g.cells[a] && wide_label(q[0], q[1], q[2]) == kLabelGap;
            };
            for (int side : {-1, 1}) {
              const double hc = side < 0 ? hm : hp;
              const bool cut_here = side < 0 ? hm < h : hp < h;
              const bool cut_there = side < 0 ? hp < h : hm < h;
              if (!cut_here || cut_there || !(hc < 0.25 * h) || !regular(-side) ||
                  !regular(-2 * side))
                continue;
              // points s0 (cut, V), s1, s2 (gap nodes) along the axis, relative to the node
              const double s0 = side * hc, s1 = -side * h, s2 = -2 * side * h;
              const double f0 = side < 0 ? vm : vp, f1 = at(-side), f2 = at(-2 * side);
              grad = f0 * (-s1 - s2) / ((s0 - s1) * (s0 - s2)) +
                     f1 * (-s0 - s2) / ((s1 - s0) * (s1 - s2)) +
                     f2 * (-s0 - s1) / ((s2 - s0) * (s2 - s1));
            }
          } else if (have(-1) && have(1)) {
            grad = (at(1) - at(-1)) / (2 * h);
          } else if (have(1)) {
            grad = have(2) ? (-3 * at(0) + 4 * at(1) - at(2)) / (2 * h) : (at(1) - at(0)) / h;
          } else if (have(-1)) {
            grad = have(-2) ? (3 * at(0) - 4 * at(-1) + at(-2)) / (2 * h) : (at(0) - at(-1)) / h;
          }
          E[k][j][i][a] = -grad;
        }
      }
  MPS_PETSC(DMDAVecRestoreArrayRead(dabw_, phi_wide_, &p));
  MPS_PETSC(DMDAVecRestoreArrayDOF(da3_, e_, &E));
  extrapolate_field_into_electrodes();
  MPS_PETSC(DMGlobalToLocalBegin(da3_, e_, INSERT_VALUES, e_local_));
  MPS_PETSC(DMGlobalToLocalEnd(da3_, e_, INSERT_VALUES, e_local_));
}

void PoissonSolver::extrapolate_field_into_electrodes() {
  const UniformGrid& g = cfg_.grid;
  MPS_PETSC(DMGlobalToLocalBegin(da3w_, e_, INSERT_VALUES, e_wide_));
  MPS_PETSC(DMGlobalToLocalEnd(da3w_, e_, INSERT_VALUES, e_wide_));
  const PetscScalar**** W;
  PetscScalar**** E;
  MPS_PETSC(DMDAVecGetArrayDOFRead(da3w_, e_wide_, &W));
  MPS_PETSC(DMDAVecGetArrayDOF(da3_, e_, &E));
  auto gap = [&](int i, int j, int k) {
    return i >= 0 && j >= 0 && k >= 0 && i <= g.cells[0] && j <= g.cells[1] && k <= g.cells[2] &&
           wide_label(i, j, k) == kLabelGap;
  };
  for (int k = xs_[2]; k < xs_[2] + xm_[2]; ++k)
    for (int j = xs_[1]; j < xs_[1] + xm_[1]; ++j)
      for (int i = xs_[0]; i < xs_[0] + xm_[0]; ++i) {
        if (wide_label(i, j, k) < 0) continue;  // gap and wall nodes keep their field
        double two[3] = {0, 0, 0}, one[3] = {0, 0, 0};
        int n_two = 0, n_one = 0;
        for (int dk = -1; dk <= 1; ++dk)
          for (int dj = -1; dj <= 1; ++dj)
            for (int di = -1; di <= 1; ++di) {
              if (!gap(i + di, j + dj, k + dk)) continue;
              const PetscScalar* e1 = W[k + dk][j + dj][i + di];
              for (int a = 0; a < 3; ++a) one[a] += e1[a];
              ++n_one;
              if (!gap(i + 2 * di, j + 2 * dj, k + 2 * dk)) continue;
              const PetscScalar* e2 = W[k + 2 * dk][j + 2 * dj][i + 2 * di];
              for (int a = 0; a < 3; ++a) two[a] += 2 * e1[a] - e2[a];
              ++n_two;
            }
        if (n_one == 0) continue;  // no gap node around: no particle interpolates here
        for (int a = 0; a < 3; ++a) E[k][j][i][a] = n_two > 0 ? two[a] / n_two : one[a] / n_one;
      }
  MPS_PETSC(DMDAVecRestoreArrayDOFRead(da3w_, e_wide_, &W));
  MPS_PETSC(DMDAVecRestoreArrayDOF(da3_, e_, &E));
}

void PoissonSolver::gather(const std::vector<Vec3>& x, Vec global_src, Vec local_src, int dof,
                           std::vector<double>& out) const {
  const UniformGrid& g = cfg_.grid;
  out.assign(x.size() * dof, 0.0);
  std::vector<std::size_t> remote;  // points needing values from other ranks
  const PetscScalar* loc;
  MPS_PETSC(VecGetArrayRead(local_src, &loc));
  for (std::size_t n = 0; n < x.size(); ++n) {
    const CicStencil s = cic_stencil(g, x[n]);
    if (!s.inside) {
      for (int c = 0; c < dof; ++c) out[n * dof + c] = dof == 1 ? std::nan("") : 0.0;
      continue;
    }
    bool local = true;
    for (int a = 0; a < 3; ++a) local = local && s.i0[a] >= gs_[a] && s.i0[a] + 1 < gs_[a] + gm_[a];
    if (!local) {
      remote.push_back(n);
      continue;
    }
    for (int dk = 0; dk < 2; ++dk)
      for (int dj = 0; dj < 2; ++dj)
        for (int di = 0; di < 2; ++di) {
          const double w = s.weight(di, dj, dk);
          const long li = (s.i0[0] + di - gs_[0]) +
                          gm_[0] * ((s.i0[1] + dj - gs_[1]) +
                                    static_cast<long>(gm_[1]) * (s.i0[2] + dk - gs_[2]));
          for (int c = 0; c < dof; ++c) out[n * dof + c] += w * loc[li * dof + c];
        }
  }
  MPS_PETSC(VecRestoreArrayRead(local_src, &loc));
  // Remote points: one VecScatter of the 8 nodes of each (collective, possibly empty here).
  std::vector<PetscInt> idx;
  idx.reserve(remote.size() * 8 * dof);
  for (std::size_t n : remote) {
    const CicStencil s = cic_stencil(g, x[n]);
    for (int dk = 0; dk < 2; ++dk)
      for (int dj = 0; dj < 2; ++dj)
        for (int di = 0; di < 2; ++di)
          for (int c = 0; c < dof; ++c)
            idx.push_back(static_cast<PetscInt>(
                petsc_index(s.i0[0] + di, s.i0[1] + dj, s.i0[2] + dk) * dof + c));
  }
  IS is;
  Vec v;
  VecScatter sc;
  MPS_PETSC(ISCreateGeneral(PETSC_COMM_SELF, static_cast<PetscInt>(idx.size()), idx.data(),
                            PETSC_COPY_VALUES, &is));
  MPS_PETSC(VecCreateSeq(PETSC_COMM_SELF, static_cast<PetscInt>(idx.size()), &v));
  MPS_PETSC(VecScatterCreate(global_src, is, v, nullptr, &sc));
  MPS_PETSC(VecScatterBegin(sc, global_src, v, INSERT_VALUES, SCATTER_FORWARD));
  MPS_PETSC(VecScatterEnd(sc, global_src, v, INSERT_VALUES, SCATTER_FORWARD));
  const PetscScalar* rv;
  MPS_PETSC(VecGetArrayRead(v, &rv));
  std::size_t r = 0;
  for (std::size_t n : remote) {
    const CicStencil s = cic_stencil(g, x[n]);
    for (int dk = 0; dk < 2; ++dk)
      for (int dj = 0; dj < 2; ++dj)
        for (int di = 0; di < 2; ++di)
          for (int c = 0; c < dof; ++c) out[n * dof + c] += s.weight(di, dj, dk) * rv[r++];
  }
  MPS_PETSC(VecRestoreArrayRead(v, &rv));
  VecScatterDestroy(&sc);
  VecDestroy(&v);
  ISDestroy(&is);
}

void PoissonSolver::field_at(const std::vector<Vec3>& x, std::vector<Vec3>& e) const {
  std::vector<double> flat;
  gather(x, e_, e_local_, 3, flat);
  e.resize(x.size());
  for (std::size_t n = 0; n < x.size(); ++n) e[n] = {flat[3 * n], flat[3 * n + 1], flat[3 * n + 2]};
}

void PoissonSolver::potential_at(const std::vector<Vec3>& x, std::vector<double>& phi) const {
  gather(x, phi_, phi_local_, 1, phi);
}

void PoissonSolver::output_arrays(std::array<int, 3>& lo, std::array<int, 3>& hi,
                                  std::vector<double>& phi, std::vector<double>& e,
                                  std::vector<double>& emag, std::vector<double>& rho) const {
  const UniformGrid& g = cfg_.grid;
  for (int a = 0; a < 3; ++a) {
    lo[a] = xs_[a];
    hi[a] = std::min(xs_[a] + xm_[a], g.cells[a]);  // inclusive: one shared layer above
  }
  Vec qloc;
  MPS_PETSC(VecDuplicate(charge_local_, &qloc));
  MPS_PETSC(DMGlobalToLocalBegin(dab_, charge_, INSERT_VALUES, qloc));
  MPS_PETSC(DMGlobalToLocalEnd(dab_, charge_, INSERT_VALUES, qloc));
  const PetscScalar *p, *q, *ev;
  MPS_PETSC(VecGetArrayRead(phi_local_, &p));
  MPS_PETSC(VecGetArrayRead(qloc, &q));
  MPS_PETSC(VecGetArrayRead(e_local_, &ev));
  phi.clear();
  e.clear();
  emag.clear();
  rho.clear();
  for (int k = lo[2]; k <= hi[2]; ++k)
    for (int j = lo[1]; j <= hi[1]; ++j)
      for (int i = lo[0]; i <= hi[0]; ++i) {
        const long li =
            (i - gs_[0]) + gm_[0] * ((j - gs_[1]) + static_cast<long>(gm_[1]) * (k - gs_[2]));
        phi.push_back(p[li]);
        double m2 = 0;
        for (int c = 0; c < 3; ++c) {
          e.push_back(ev[3 * li + c]);
          m2 += ev[3 * li + c] * ev[3 * li + c];
        }
        emag.push_back(std::sqrt(m2));
        // node volume: half a cell per box face the node sits on
        double vol = g.cell_volume();
        const int ijk[3] = {i, j, k};
        for (int a = 0; a < 3; ++a)
          if (ijk[a] == 0 || ijk[a] == g.cells[a]) vol *= 0.5;
        rho.push_back(q[li] / vol);
      }
  MPS_PETSC(VecRestoreArrayRead(phi_local_, &p));
  MPS_PETSC(VecRestoreArrayRead(qloc, &q));
  MPS_PETSC(VecRestoreArrayRead(e_local_, &ev));
  VecDestroy(&qloc);
}

}  // namespace mps
