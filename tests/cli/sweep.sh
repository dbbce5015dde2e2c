#!/usr/bin/env bash
# scripts/sweep without Slurm: expansion of lists and ranges (product, zip, log), local runs with
# the progress bar, results.csv, and bad specs (exit 2 with a message naming the problem).
# The Slurm array path is in slurm.sh.
source "$(dirname "$0")/lib.sh"
export MPSTREAM="$MPS"
SW="$SRC/scripts/sweep"
Q="$(cd "$SRC" && pwd)/cases/quickstart.yaml"
t0=$SECONDS

spec() { cat > "$WORK/$1.yaml"; }
spec grid <<EOF
base: $Q
set:
  simulation.end_time: 2 us
  injector.max_particles: 200
vary:
  injector.velocity.mean: ["[300 m/s, 0, 0]", "[500 m/s, 0, 0]"]
  injector.diameter.mean: {from: 4, to: 6, step: 1, unit: um}
EOF
"$SW" expand "$WORK/grid.yaml" --out "$WORK/grid" > "$WORK/grid.log" 2>&1 || fail "expand: $(cat "$WORK/grid.log")"
[ "$(grep -c '^  run_' "$WORK/grid.log")" -eq 6 ] && ok "product of 2 x 3 values: 6 runs" || fail "expand count: $(cat "$WORK/grid.log")"
grep -q "run_005  injector.velocity.mean = \[500 m/s, 0, 0\]  injector.diameter.mean = 6 um" "$WORK/grid.log" &&
  ok "last run is (500 m/s, 6 um)" || fail "expand order: $(cat "$WORK/grid.log")"
grep -qx -- "injector.diameter.mean=5 um" "$WORK/grid/run_001/args" && ok "run_001/args: --set injector.diameter.mean=5 um" || fail "args file: $(cat "$WORK/grid/run_001/args")"

spec logzip <<EOF
name: lz
base: $Q
combine: zip
vary:
  simulation.end_time: {from: 1, to: 100, num: 3, unit: us, scale: log}
  simulation.seed: [1, 2, 3]
EOF
"$SW" expand "$WORK/logzip.yaml" --out "$WORK/lz" > "$WORK/lz.log" 2>&1 || fail "expand zip"
cut -d, -f2,3 "$WORK/lz/runs.csv" | tr '\n' ' ' | grep -q "simulation.end_time,simulation.seed 1 us,1 10 us,2 100 us,3" &&
  ok "zip of a log range and a list: 1/10/100 us with seeds 1/2/3" || fail "zip/log: $(cat "$WORK/lz/runs.csv")"

# Two small runs here, one after another, gathered into results.csv.
spec two <<EOF
name: two
base: $Q
set:
  simulation.end_time: 2 us
  injector.max_particles: 300
vary:
  injector.diameter.mean: [4 um, 6 um]
EOF
"$SW" run "$WORK/two.yaml" --out "$WORK/two" --np 1 > "$WORK/two.log" 2>&1 || fail "sweep run: $(cat "$WORK/two.log")"
grep -q "\[##############################\] 2/2" "$WORK/two.log" && ok "progress bar reaches 2/2" || fail "progress: $(cat "$WORK/two.log")"
/usr/bin/python3 - "$WORK/two/results.csv" <<'PY' && ok "results.csv: 2 completed rows, mass grows with diameter" || fail "results.csv: $(head -3 "$WORK/two/results.csv")"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["run"] for r in rows] == ["run_000", "run_001"], rows
assert all(r["status"] == "completed" and r["mass_balance_exact"] == "True" for r in rows), rows
assert [r["particles_injected"] for r in rows] == ["300", "300"], rows
assert 2.5 < float(rows[1]["mass_injected_kg"]) / float(rows[0]["mass_injected_kg"]) < 4.5, rows
PY
rm "$WORK/two/run_001/summary.json"
"$SW" gather "$WORK/two" > /dev/null 2>&1
grep -q "^run_001,6 um,missing" "$WORK/two/results.csv" && ok "gather marks a run without summary as missing" || fail "gather missing: $(cat "$WORK/two/results.csv")"

# Bad specs: exit 2 and a message that names the problem.
spec nobase <<EOF
vary: {simulation.seed: [1, 2]}
EOF
expect_error 2 "'base' (the base case file) is required" "$SW" expand "$WORK/nobase.yaml" --out "$WORK/x"
spec typo <<EOF
base: $Q
vary: {simulation.seed: {from: 1, to: 3, nmu: 3}}
EOF
expect_error 2 "unknown range keys ['nmu']" "$SW" expand "$WORK/typo.yaml" --out "$WORK/x"
spec badzip <<EOF
base: $Q
combine: zip
vary: {simulation.seed: [1, 2], simulation.dt: [1 ns]}
EOF
expect_error 2 "zip needs lists of equal length" "$SW" expand "$WORK/badzip.yaml" --out "$WORK/x"
expect_error 2 "no sweep.json" "$SW" gather "$WORK"
# A value mpstream rejects fails that run (exit 1) and the sweep says which.
spec badval <<EOF
base: $Q
set: {simulation.end_time: 1 us}
vary: {injector.diameter.mean: [5 um, 5 kg]}
EOF
expect_error 1 "1 of 2 run(s) failed" "$SW" run "$WORK/badval.yaml" --out "$WORK/bv" --np 1
grep -q "injector.diameter.mean" "$WORK/bv/run_001/run.out" && ok "the failed run's run.out names the key" || fail "run.out: $(cat "$WORK/bv/run_001/run.out")"
# Every spec shipped in cases/sweeps/ expands, and `mpstream check` accepts each of its runs.
for spec in "$SRC"/cases/sweeps/*.yaml; do
  name="$(basename "$spec" .yaml)"
  "$SW" expand "$spec" --out "$WORK/specs/$name" > "$WORK/specs-$name.log" 2>&1 || { fail "expand $spec: $(cat "$WORK/specs-$name.log")"; continue; }
  bad=0
  for a in "$WORK/specs/$name"/run_*/args; do
    mapfile -t argv < "$a"
    check=("${argv[0]}"); for ((k = 1; k < ${#argv[@]}; k++)); do
      [ "${argv[k]}" = --output ] && { k=$((k + 1)); continue; }; check+=("${argv[k]}"); done
    "$MPS" check "${check[@]}" > "$WORK/check.log" 2>&1 || { bad=1; fail "$name $(basename "$(dirname "$a")"): $(tail -3 "$WORK/check.log")"; }
  done
  [ $bad -eq 0 ] && ok "cases/sweeps/$name.yaml: $(ls -d "$WORK/specs/$name"/run_* | wc -l) runs pass mpstream check"
done
echo "sweep test: $((SECONDS - t0)) s"
finish
