#!/usr/bin/env bash
# Ballistic flight of 1e6 particles (cases/bench/flight.yaml) on 1 and 2 ranks; 3 runs each,
# medians. Figures: particle-steps/s per core of the flight unit alone and of the whole time loop
# (injection, migration, domain check, diagnostics), the 1 -> 2 rank efficiency and the memory per
# particle. Target (issue 2): flight alone >= 5e7 particle-steps/s per core, <= 200 bytes/particle.
set -euo pipefail
root="${MPSTREAM_ROOT:?run through bench/run}"
exe="$MPSTREAM_BUILD/mpstream"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
runs="${RUNS:-3}"
measure() {  # ranks -> prints "flight_per_core loop_per_core"
  local np="$1" i
  for i in $(seq "$runs"); do
    mpirun -n "$np" "$exe" run "$root/cases/bench/flight.yaml" -q -o "$tmp/r$np-$i" > /dev/null
    python3 - "$tmp/r$np-$i/summary.json" "$np" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); np = int(sys.argv[2])
ps = s["particle_steps"]; fl = s["unit_wall_seconds_max_over_ranks"]["flight"]
print(ps / fl / np, ps / s["wall_time_s"] / np)
PY
  done | sort -g | awk '{a[NR]=$1; b[NR]=$2} END {m=int((NR+1)/2); print a[m], b[m]}'
}
read f1 l1 < <(measure 1)
read f2 l2 < <(measure 2)
bytes=$("$exe" check "$root/cases/bench/flight.yaml" >/dev/null && python3 -c "print(8*$(grep -c '^  X(' "$root/solver/particles/particle_store.hpp")+8+1)")
printf "flight, 1 rank : %.3g particle-steps/s per core (flight unit), %.3g (whole loop)\n" "$f1" "$l1"
printf "flight, 2 ranks: %.3g particle-steps/s per core (flight unit), %.3g (whole loop)\n" "$f2" "$l2"
printf "1 -> 2 rank efficiency: %.0f %% (flight unit), %.0f %% (whole loop)\n" "$(python3 -c "print(100*$f2/$f1)")" "$(python3 -c "print(100*$l2/$l1)")"
echo "memory: $bytes bytes per particle (SoA fields)"
printf "flight: %.3g particle-steps/s per core (flight unit, 1 rank, median of %d), whole loop %.3g, 2-rank efficiency %.0f %%\n" "$f1" "$runs" "$l1" "$(python3 -c "print(100*$l2/$l1)")"
