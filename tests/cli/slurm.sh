#!/usr/bin/env bash
# The Slurm workflow on a real (single-node, loopback) Slurm started here by
# scripts/slurm/local-cluster: the one-case batch script on 2 tasks (srun + PMIx), the restart
# chain with a one-minute time limit so that the warning signal really interrupts the run and
# a second link restarts it, a sweep as a job array (mpirun launcher) gathered by a dependent job,
# and the singleton guard. Skipped (exit 77) only where Slurm cannot start (the message says why).
source "$(dirname "$0")/lib.sh"
export MPSTREAM="$MPS" MPSTREAM_ROOT="$SRC"
source "$SRC/scripts/env.sh"
Q="$SRC/cases/quickstart.yaml"
cluster="$WORK/cluster"
trap '"$SRC/scripts/slurm/local-cluster" stop "$cluster" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }

t0=$SECONDS
"$SRC/scripts/slurm/local-cluster" start "$cluster" 2 > "$WORK/cluster.log" 2>&1
rc=$?
if [ "$rc" -eq 3 ]; then echo "SKIP: $(cat "$WORK/cluster.log")"; exit 77; fi
[ "$rc" -eq 0 ] || { echo "FAIL: local-cluster start exit $rc: $(cat "$WORK/cluster.log")"; exit 1; }
source "$cluster/env.sh"
ok "Slurm up in $((SECONDS - t0)) s: $(sinfo -h -N -o '%N %T %c CPUs')"
cd "$WORK" || exit 1

# Job state and exit code as slurmctld keeps them (MinJobAge=600 s; no accounting database).
job_field() { scontrol -o show job "$1" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }
# wait_jobs SECONDS JOBID...: until none is pending or running (bounded; cancel on timeout)
wait_jobs() {
  local limit="$1"; shift
  "$SRC/scripts/slurm/wait-job" --timeout "$limit" "$@" | sed 's/^/  /'
  [ "${PIPESTATUS[0]}" -ne 2 ] || { fail "jobs $* still running after $limit s: $(squeue 2>&1)"; scancel "$@"; }
}
dump() { for f in "$@"; do echo "---- $f"; tail -n 30 "$f" 2>/dev/null; done; }

# Speed of this machine now (1 rank, stream at its steady 1e4 particles), to give the chain a
# run of ~40 s: longer than the first link's signal can come (<= 30 s after the start, see below).
mpirun -n 1 "$MPS" run "$Q" -q -o "$WORK/calib" --set simulation.end_time=60us --set injector.max_particles=0 \
  --set simulation.output.interval=0 --set simulation.output.final_checkpoint=false > "$WORK/calib.log" 2>&1 \
  || fail "calibration run: $(cat "$WORK/calib.log")"
wall="$(json "$WORK/calib/summary.json" "['wall_time_s']")"
chain_end_us="$(python3 -c "print(max(200, round(40 / max($wall, 1e-3) * 60 / 100) * 100))")"
ok "calibration: 1200 steps in $wall s -> chain end time $chain_end_us us"

# 1. One case, 2 tasks, srun with PMIx (the script picks it when Slurm has the pmix plugin).
j1="$(sbatch --parsable -n 2 -t 5 -J batch "$SRC/scripts/slurm/run.sbatch" "$Q" \
  --set simulation.end_time=10us --set injector.max_particles=2000)" || fail "sbatch run.sbatch"

# 2. Restart chain: -t 1 with --signal=B:USR1@50. slurmctld checks limits every 30 s and sends
# the warning up to 30 s early, so the first link is signalled 0-30 s after it starts; the run
# needs ~40 s, hence at least one restart. If this machine ran it faster than calibrated and the
# first link finished, the chain is submitted again with a three times longer run.
chain_out=""
for attempt in 1 2; do
  j2="$(sbatch --parsable -n 1 -t 1 --signal=B:USR1@50 "$SRC/scripts/slurm/chain.sbatch" "$Q" \
    --set simulation.end_time=${chain_end_us}us --set injector.max_particles=0 \
    --set simulation.output.interval=100us --set simulation.output.checkpoint_interval=0)" || fail "sbatch chain.sbatch"

  # 3. A sweep of 2 runs as a job array (mpirun launcher), gathered by a dependent job.
  if [ "$attempt" -eq 1 ]; then
    cat > "$WORK/sweep.yaml" <<EOF
name: slurm-test
base: $Q
set:
  simulation.end_time: 5 us
  injector.max_particles: 1000
vary:
  injector.diameter.mean: {from: 4, to: 6, num: 2, unit: um}
EOF
    MPS_LAUNCHER=mpirun "$SRC/scripts/sweep" submit "$WORK/sweep.yaml" --out "$WORK/sweep" -- -n 1 -t 5 \
      > "$WORK/sweep-submit.log" 2>&1 || fail "sweep submit: $(cat "$WORK/sweep-submit.log")"
    arr="$(json "$WORK/sweep/jobs.json" "['array']")"; gat="$(json "$WORK/sweep/jobs.json" "['gather']")"
    ok "submitted batch $j1, chain $j2, array $arr (+ gather $gat)"
  fi

  # Links after the first are new jobs: wait until the chain log says it is over.
  chain_out="$WORK/runs/quickstart-chain-$j2"
  limit=$((SECONDS + 240))
  idle=0
  while [ $SECONDS -lt $limit ] && [ $idle -lt 3 ]; do
    grep -q "chain complete" "$chain_out/chain.log" 2>/dev/null && break
    # no link pending or running for 3 s in a row: the chain stopped (the checks below say why)
    if [ -n "$(squeue -h -n mpstream-chain 2>/dev/null)" ]; then idle=0; else idle=$((idle + 1)); fi
    sleep 1
  done
  [ $SECONDS -lt $limit ] || { fail "chain not over after 240 s"; scancel -n mpstream-chain; }
  links="$(grep -c "^link [0-9]* job [0-9]* start" "$chain_out/chain.log" 2>/dev/null)"
  if [ "${links:-0}" -ge 2 ] || ! grep -q "chain complete after 1 link" "$chain_out/chain.log" 2>/dev/null; then break; fi
  echo "note: the first link finished before its signal (fast machine); again with a 3x longer run"
  chain_end_us=$((chain_end_us * 3))
done

wait_jobs 120 "$j1" "${arr}_0" "${arr}_1" "$gat"

# -- checks: batch
out1="$WORK/runs/quickstart-$j1"
[ "$(job_field "$j1" JobState)" = COMPLETED ] && ok "batch job $j1 COMPLETED" || fail "batch job $j1: $(job_field "$j1" JobState) $(dump "$WORK"/batch-"$j1".out)"
[ "$(json "$out1/summary.json" "['completed']")" = True ] && ok "batch: summary completed" || fail "batch summary: $(dump "$WORK"/batch-"$j1".out)"
[ "$(json "$out1/summary.json" "['ranks']")" = 2 ] && ok "batch: 2 MPI ranks" || fail "batch ranks"
[ "$(json "$out1/summary.json" "['mass_balance_exact']")" = True ] && ok "batch: exact mass balance" || fail "batch mass balance"
grep -q "srun --mpi=pmix" "$WORK/batch-$j1.out" && ok "batch: launched with srun --mpi=pmix" || fail "batch launcher: $(dump "$WORK/batch-$j1.out")"
for f in run.pvd diagnostics.csv checkpoint_000200.h5 checkpoint_000200.xdmf; do
  [ -s "$out1/$f" ] || fail "batch: missing $f"
done

# -- checks: chain
cat "$chain_out/chain.log" 2>/dev/null | sed 's/^/  chain.log: /'
links="$(grep -c "^link [0-9]* job [0-9]* start" "$chain_out/chain.log" 2>/dev/null)"
[ "${links:-0}" -ge 2 ] && ok "chain: $links links (the time-limit signal interrupted the run)" || fail "chain: ${links:-0} link(s): $(dump "$WORK"/mpstream-chain-*.out)"
grep -q "signalled 1 completed false" "$chain_out/chain.log" && ok "chain: a link checkpointed on the warning signal" || fail "chain: no signalled link"
grep -q "start .* --restart .*checkpoint_[0-9]*.h5" "$chain_out/chain.log" && ok "chain: a link restarted from a checkpoint" || fail "chain: no restart"
grep -q "chain complete" "$chain_out/chain.log" && ok "chain complete" || fail "chain did not complete: $(dump "$WORK"/mpstream-chain-*.out)"
[ "$(json "$chain_out/summary.json" "['completed']")" = True ] && ok "chain: summary completed" || fail "chain summary"
steps="$(json "$chain_out/summary.json" "['steps']")"
[ "$steps" = "$((chain_end_us * 20))" ] && ok "chain: all $steps steps" || fail "chain: $steps steps, wanted $((chain_end_us * 20))"
[ "$(json "$chain_out/summary.json" "['mass_balance_exact']")" = True ] && ok "chain: exact mass balance across restarts" || fail "chain mass balance"
# distinct snapshot times (the solver lists the last one twice when the end falls on the interval)
n_pvd="$(grep -o 'timestep="[^"]*"' "$chain_out/run.pvd" | sort -u | wc -l)"
[ "$n_pvd" -eq $((chain_end_us / 100 + 1)) ] && ok "chain: run.pvd has all $n_pvd snapshot times (appended across links)" || fail "chain: run.pvd has $n_pvd snapshot times"

# -- checks: array
for t in 0 1; do
  st="$(job_field "${arr}_$t" JobState)"
  [ "$st" = COMPLETED ] && ok "array task $t COMPLETED" || fail "array task $t: $st $(dump "$WORK"/sweep/slurm-"${arr}_$t".out)"
done
grep -q "mpirun" "$WORK/sweep/slurm-${arr}_0.out" && ok "array: launched with mpirun" || fail "array launcher"
res="$WORK/sweep/results.csv"
python3 - "$res" <<'PY' && ok "sweep results.csv: 2 completed runs, diameters 4 and 6 um" || fail "results.csv: $(cat "$res" 2>&1 | head -3)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 2, rows
assert [r["status"] for r in rows] == ["completed"] * 2, rows
assert [r["injector.diameter.mean"] for r in rows] == ["4 um", "6 um"], rows
m = [float(r["mass_injected_kg"]) for r in rows]
assert 2.5 < m[1] / m[0] < 4.5, m  # same count, mean 6 vs 4 um: mass ratio near 1.5^3 = 3.4
PY

# -- a warning signal that comes while the job launches mpstream (before the ranks could have
# installed their handlers) is held back, then still gives a checkpoint; MPS_CHAIN_MAX=1 stops the
# chain there. (A signal in the few milliseconds before bash has run the script's first line
# would end the job: Slurm's B: signals go to the batch shell only, nothing can trap them earlier.)
j5="$(MPS_CHAIN_MAX=1 MPS_CHAIN_OUT="$WORK/early" sbatch --parsable -n 1 -t 5 -J early "$SRC/scripts/slurm/chain.sbatch" "$Q" \
  --set simulation.end_time=200ms --set simulation.output.interval=0)"
for _ in $(seq 300); do grep -q "chain link 1" "$WORK/early-$j5.out" 2>/dev/null && break; sleep 0.1; done
scancel --batch --signal=USR1 "$j5"
wait_jobs 60 "$j5"
grep -q "link 1 job $j5 end .* signalled 1 completed false" "$WORK/early/chain.log" && ls "$WORK"/early/checkpoint_*.h5 > /dev/null 2>&1 &&
  ok "early signal: checkpoint written ($(ls "$WORK"/early/checkpoint_*.h5 | xargs -n1 basename | tr "\n" " "))" ||
  fail "early signal: $(cat "$WORK/early/chain.log" 2>&1) $(dump "$WORK/early-$j5.out")"
grep -q "MPS_CHAIN_MAX=1 links reached" "$WORK/early-$j5.out" && ok "MPS_CHAIN_MAX stops the chain" || fail "chain max: $(dump "$WORK/early-$j5.out")"

# -- singleton guard: mpstream started without a launcher in a 2-task job refuses to run
j4="$(sbatch --parsable -n 2 -t 2 -J single -o "$WORK/single.out" --wrap "$MPS run $Q -q -o $WORK/single --set simulation.end_time=1us")"
wait_jobs 60 "$j4"
grep -q "SLURM_NTASKS=2 but MPI started a single rank" "$WORK/single.out" && ok "singleton guard: $(grep -o 'SLURM_NTASKS=2 but[^:]*' "$WORK/single.out" | head -1)" || fail "singleton guard: $(cat "$WORK/single.out")"
[ "$(job_field "$j4" ExitCode)" != "0:0" ] && ok "singleton guard: job failed ($(job_field "$j4" ExitCode))" || fail "singleton job exit 0"

echo "slurm test: $((SECONDS - t0)) s"
finish
