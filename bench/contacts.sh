#!/usr/bin/env bash
# Granular-gas benchmark of the contact unit against LAMMPS (issue 6): 103,823 W spheres of 5 um
# on a 5.5 um simple-cubic lattice, periodic, Hertz-Mindlin, 1000 steps of 0.5 ns.
#   LAMMPS:   bench/contacts.lammps (the exact input of ../shared/bench/granular-gas.lammps), one
#             rank, figure from its "Loop time" (setup excluded)
#   mpstream: build/bench/bench_contacts on cases/bench/granular-gas.yaml, 1 and 2 ranks, timed
#             loop after one setup step
# RUNS runs of each (default 3), medians. STEPS overrides the 1000 steps of mpstream (LAMMPS always
# runs its input). Figures: particle-steps/s per core, the 1 -> 2 rank efficiency of mpstream and
# the ratio mpstream / LAMMPS on one core. Target: ratio >= 1.5, efficiency >= 90 %.
set -euo pipefail
root="${MPSTREAM_ROOT:?run through bench/run}"
exe="$MPSTREAM_BUILD/bench/bench_contacts"
runs="${RUNS:-3}"
steps="${STEPS:-1000}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
"$root/scripts/setup" --extra lammps >/dev/null
lmp_exe="$(command -v lmp || command -v lmp_serial)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

lammps_rate() {
  (cd "$tmp" && mpirun -n 1 "$lmp_exe" -in "$root/bench/contacts.lammps" -log none) |
    awk '/^Loop time of/ {t=$4; n=$(NF-1); s=$(NF-4)} END {printf "%.6g\n", s*n/t}'
}
mpstream_rate() {  # ranks -> total particle-steps/s
  mpirun -n "$1" "$exe" "$root/cases/bench/granular-gas.yaml" "$steps" | awk '/^particle_steps_per_s/ {print $2}'
}

l1=$(for i in $(seq "$runs"); do lammps_rate; done | median)
m1=$(for i in $(seq "$runs"); do mpstream_rate 1; done | median)
m2=$(for i in $(seq "$runs"); do mpstream_rate 2; done | median)
eff=$(python3 -c "print(f'{100*$m2/(2*$m1):.0f}')")
ratio=$(python3 -c "print(f'{$m1/$l1:.2f}')")
echo "lammps, 1 rank  : $l1 particle-steps/s (median of $runs)"
echo "mpstream, 1 rank: $m1 particle-steps/s (median of $runs)"
echo "mpstream, 2 ranks: $m2 particle-steps/s total (median of $runs)"
echo "contacts: mpstream 1 -> 2 rank efficiency $eff %"
echo "contacts: mpstream $m1 particle-steps/s, lammps $l1 particle-steps/s, ratio=$ratio"
