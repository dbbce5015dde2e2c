#!/usr/bin/env bash
# Poisson solve: mpstream's electrostatics (cases/bench/poisson.yaml: 129^3 nodes, two embedded
# electrodes, Shortley-Weller rows, FGMRES + Galerkin geometric multigrid with one smoothing step, rtol 1e-8) side by
# side with PETSc's own tutorial ksp/tutorials/ex45.c (Debian libpetsc3.18-dev-examples: 3D
# Laplacian on a DMDA, CG + geometric multigrid, rtol 1e-8) on the same grid, one rank each.
# Time = the KSPSolve event of -log_view (the Krylov iterations with the preconditioner applied;
# both programs set up the operator and the multigrid hierarchy before it, reported as PCSetUp).
# Iteration counts are also printed for 33^3 and 65^3 (grid independence).
#   RUNS=n bench/run poisson    (default 1 run per configuration; the median is taken)
set -euo pipefail
root="${MPSTREAM_ROOT:?run through bench/run}"
exe="$MPSTREAM_BUILD/mpstream"
"$root/scripts/setup" --extra petsc-examples
src="$(dpkg -L libpetsc3.18-dev-examples | grep '/ksp/ksp/tutorials/ex45.c$')"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
mpicc -O2 "$src" -o "$tmp/ex45" $(pkg-config --cflags --libs PETSc)
runs="${RUNS:-1}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# prints "iterations ksp_solve_seconds pc_setup_seconds" from a -log_view run
figures() {
  "$@" -ksp_converged_reason -log_view 2>&1 | awk '
    /Linear solve converged/ {its = $NF}
    /Linear solve did not converge/ {its = "DIVERGED"}
    $1 == "KSPSolve" {ks = $4}
    $1 == "PCSetUp" {ps = $4}
    END {print its, ks, ps}'
}
median() { sort -g -k2 | awk '{a[NR] = $0} END {print a[int((NR + 1) / 2)]}'; }
ex45() {  # nodes per axis, levels, extra options
  local n="$1" levels="$2"
  shift 2
  figures "$tmp/ex45" -da_grid_x "$n" -da_grid_y "$n" -da_grid_z "$n" -ksp_type cg -pc_type mg \
    -pc_mg_levels "$levels" -ksp_rtol 1e-8 "$@"
}
mps() {  # cells per axis
  local c="$1"
  figures "$exe" run "$root/cases/bench/poisson.yaml" -q -o "$tmp/out" \
    --set "electrostatics.cells=[$c, $c, $c]" --set "simulation.decomposition.cells=$c" --
}
for n in 33 65; do
  read -r ie te pe < <(ex45 "$n" $(( n == 33 ? 5 : 6 )))
  read -r im tm pm < <(mps $(( n - 1 )))
  echo "iterations at ${n}^3: mpstream $im, ex45 $ie"
done
res_e="$(for i in $(seq "$runs"); do ex45 129 7; done | median)"
res_m="$(for i in $(seq "$runs"); do mps 128; done | median)"
# like for like on the smoother: ex45 with mpstream's one smoothing step per level (information)
read -r ie1 te1 pe1 < <(ex45 129 7 -mg_levels_ksp_max_it 1)
read -r ie te pe <<<"$res_e"
read -r im tm pm <<<"$res_m"
echo "iterations at 129^3: mpstream $im, ex45 $ie"
printf "ex45 with one smoothing step per level (as mpstream): %s iterations, %.3f s\n" "$ie1" "$te1"
printf "setup (PCSetUp) at 129^3: mpstream %.3g s, ex45 %.3g s\n" "$pm" "$pe"
printf "setup + solve at 129^3: mpstream %.3g s, ex45 %.3g s, ratio=%.2f\n" "$(python3 -c "print($pm + $tm)")" \
  "$(python3 -c "print($pe + $te)")" "$(python3 -c "print(($pm + $tm) / ($pe + $te))")"
printf "solve time per unknown at 129^3: mpstream %.3g s, ex45 %.3g s\n" \
  "$(python3 -c "print($tm / 129**3)")" "$(python3 -c "print($te / 129**3)")"
printf "poisson: mpstream %.3f s, ex45 %.3f s, ratio=%.2f\n" "$tm" "$te" "$(python3 -c "print($tm / $te)")"
