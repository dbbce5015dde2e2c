#!/usr/bin/env bash
# The reference CT case (cases/paper/ct-150kV-400ms.yaml) end to end on 2 ranks: wall time and
# its breakdown by process unit (summary.json unit_wall_seconds_max_over_ranks; a unit's time
# includes waiting in its collectives for slower ranks). Target (issue 7): <= 5 minutes on 2 cores.
#   bench/run reference [RUNS]      (median of RUNS runs, default 1)
set -euo pipefail
root="${MPSTREAM_ROOT:?}" build="${MPSTREAM_BUILD:?}"
runs="${1:-1}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
times=()
for r in $(seq "$runs"); do
  mpiexec -n 2 "$build/mpstream" run "$root/cases/paper/ct-150kV-400ms.yaml" --output "$out/run$r" >/dev/null
  times+=("$(/usr/bin/python3 -c "import json; print(json.load(open('$out/run$r/summary.json'))['wall_time_s'])")")
done
/usr/bin/python3 - "$out/run1/summary.json" "${times[@]}" <<'PY'
import json, statistics, sys
s = json.load(open(sys.argv[1]))
t = [float(x) for x in sys.argv[2:]]
print("per process unit (s, max over ranks, run 1):")
for k, v in sorted(s["unit_wall_seconds_max_over_ranks"].items(), key=lambda kv: -kv[1]):
    print(f"  {k:16s} {v:8.2f}")
print(f"particle-steps/s: {s['particle_steps_per_second']:.3g}; permitted power {s['permitted_power_W']:.4g} W, gain {s['gain_vs_rotating_anode']:.3f}")
print(f"reference: {statistics.median(t):.1f} s on 2 ranks (median of {len(t)})")
PY
