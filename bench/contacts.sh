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
# The official figures use wall time. On a machine shared with other jobs (load average above the
# core count) they also measure the scheduler, so the script prints the load and the same figures
# from CPU time (LAMMPS: loop time x its "% CPU use"; mpstream: the loop's CPU time summed over
# ranks, MPI waits included). MPI ranks yield the core while they wait (mpi_yield_when_idle, the
# OpenMPI setting for oversubscribed nodes), for both codes.
set -euo pipefail
root="${MPSTREAM_ROOT:?run through bench/run}"
exe="$MPSTREAM_BUILD/bench/bench_contacts"
runs="${RUNS:-3}"
steps="${STEPS:-1000}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_mpi_yield_when_idle=1
"$root/scripts/setup" --extra lammps >/dev/null
lmp_exe="$(command -v lmp || command -v lmp_serial)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

lammps_run() {  # -> "wall_rate cpu_rate"
  (cd "$tmp" && mpirun -n 1 "$lmp_exe" -in "$root/bench/contacts.lammps" -log none) |
    awk '/^Loop time of/ {t=$4; n=$(NF-1); s=$(NF-4)} /% CPU use/ {c=$1+0}
         END {printf "%.6g %.6g\n", s*n/t, s*n/(t*c/100)}'
}
mpstream_run() {  # ranks -> "wall_rate cpu_rate" (total particle-steps/s)
  mpirun -n "$1" "$exe" "$root/cases/bench/granular-gas.yaml" "$steps" |
    awk '/^particle_steps_per_s/ {w=$2} /^particle_steps_per_cpu_s/ {c=$2} END {print w, c}'
}

echo "load average before: $(load)"
for i in $(seq "$runs"); do lammps_run; done >"$tmp/l1"
for i in $(seq "$runs"); do mpstream_run 1; done >"$tmp/m1"
for i in $(seq "$runs"); do mpstream_run 2; done >"$tmp/m2"
echo "load average after: $(load)"
col() { awk -v c="$2" '{print $c}' "$1" | median; }
l1=$(col "$tmp/l1" 1); m1=$(col "$tmp/m1" 1); m2=$(col "$tmp/m2" 1)
l1c=$(col "$tmp/l1" 2); m1c=$(col "$tmp/m1" 2); m2c=$(col "$tmp/m2" 2)
eff=$(python3 -c "print(f'{100*$m2/(2*$m1):.0f}')")
ratio=$(python3 -c "print(f'{$m1/$l1:.2f}')")
effc=$(python3 -c "print(f'{100*$m2c/$m1c:.0f}')")
ratioc=$(python3 -c "print(f'{$m1c/$l1c:.2f}')")
echo "lammps, 1 rank  : $l1 particle-steps/s (median of $runs; per CPU-second: $l1c)"
echo "mpstream, 1 rank: $m1 particle-steps/s (median of $runs; per CPU-second: $m1c)"
echo "mpstream, 2 ranks: $m2 particle-steps/s total (median of $runs; per CPU-second of both ranks: $m2c)"
echo "contacts (CPU time): mpstream / lammps $ratioc, 1 -> 2 rank efficiency $effc %"
echo "contacts: mpstream 1 -> 2 rank efficiency $eff %"
echo "contacts: mpstream $m1 particle-steps/s, lammps $l1 particle-steps/s, ratio=$ratio"
