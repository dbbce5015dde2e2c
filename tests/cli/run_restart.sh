#!/usr/bin/env bash
# A whole run from the command line: output files, summary, SIGTERM checkpoint, restart.
source "$(dirname "$0")/lib.sh"
Q="$SRC/cases/quickstart.yaml"
json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }

mpirun -n 2 "$MPS" run "$Q" -o "$WORK/full" -q --set simulation.end_time=20us > "$WORK/full.log" 2>&1 || fail "run failed: $(cat "$WORK/full.log")"
for f in run.pvd summary.json diagnostics.csv case.resolved.yaml log.txt particles_000000.pvtp particles_000400.pvtp checkpoint_000400.h5 checkpoint_000400.xdmf; do
  [ -s "$WORK/full/$f" ] && ok "wrote $f" || fail "missing $f"
done
[ "$(json "$WORK/full/summary.json" "['mass_balance_exact']")" = "True" ] && ok "mass balance exact" || fail "mass balance"
[ "$(json "$WORK/full/summary.json" "['particles_injected']")" = "8000" ] && ok "8000 injected" || fail "injected count"
grep -q "particles injected 8000" "$WORK/full.log" && ok "summary printed" || fail "no summary line"

# SIGTERM: checkpoint and clean exit; then --restart finishes the same run bitwise.
( mpirun -n 2 "$MPS" run "$Q" -o "$WORK/sig" -q --set simulation.end_time=4ms --set simulation.output.interval=0 > "$WORK/sig.log" 2>&1 ) &
pid=$!
for _ in $(seq 100); do [ -s "$WORK/sig/log.txt" ] && break; sleep 0.1; done
sleep 1
# signal the ranks themselves (as Slurm does at the time limit), not mpirun
for p in $(pgrep -f "$WORK/sig"); do [ "$(ps -o comm= -p "$p")" = mpstream ] && kill -TERM "$p"; done
wait $pid; rc=$?
[ "$rc" -eq 0 ] && ok "SIGTERM: clean exit" || fail "SIGTERM exit code $rc: $(cat "$WORK/sig.log")"
ck="$(ls "$WORK"/sig/checkpoint_*.h5 2>/dev/null | tail -1)"
[ -n "$ck" ] && ok "SIGTERM wrote $ck" || fail "no checkpoint after SIGTERM"
[ "$(json "$WORK/sig/summary.json" "['completed']")" = "False" ] && ok "summary says interrupted" || fail "completed flag"
step="$(basename "$ck" .h5 | sed 's/checkpoint_0*//')"
end="$(python3 -c "print(($step + 200) * 50e-9)")"
mpirun -n 3 "$MPS" run "$Q" -o "$WORK/sig" -q --restart "$ck" --set simulation.end_time=$end > "$WORK/re.log" 2>&1 || fail "restart failed: $(cat "$WORK/re.log")"
mpirun -n 2 "$MPS" run "$Q" -o "$WORK/ref" -q --set simulation.end_time=$end --set simulation.output.interval=0 > /dev/null 2>&1 || fail "reference run failed"
a="$(json "$WORK/sig/summary.json" "['tallies']")"; b="$(json "$WORK/ref/summary.json" "['tallies']")"
[ "$a" = "$b" ] && ok "restart (on 3 ranks) reproduces the uninterrupted tallies" || fail "tallies differ: $a vs $b"
finish
