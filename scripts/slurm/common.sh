# Shared by the batch scripts in scripts/slurm/ (sourced, not run). Module-free: everything comes
# from the repository checkout and Debian packages.
#   MPSTREAM_ROOT   repository checkout (default: found from the submitted script's path)
#   MPSTREAM        executable (default: $MPSTREAM_ROOT/build/mpstream)
#   MPS_LAUNCHER    srun | mpirun | auto (default auto: srun --mpi=pmix where Slurm has PMIx,
#                   else mpirun; DESIGN.md 7: OpenMPI without PMIx under srun starts N singletons)
#   MPS_RUNS        folder that receives one output folder per job (default: runs, relative to
#                   the submission folder)

mps_log() { echo "[$(date -u +%H:%M:%S) job ${SLURM_JOB_ID:-?}] $*"; }

# Path of the batch script as submitted (Slurm runs a copy from its spool folder).
mps_submitted_script() {
  scontrol show job "${SLURM_JOB_ID}" 2>/dev/null | sed -n 's/^ *Command=\([^ ]*\).*/\1/p' | head -1
}

mps_setup_env() {
  if [ -z "${MPSTREAM_ROOT:-}" ]; then
    local script; script="$(mps_submitted_script)"
    if [ -n "$script" ] && [ -f "$(dirname "$script")/common.sh" ]; then
      MPSTREAM_ROOT="$(cd "$(dirname "$script")/../.." && pwd)"
    else
      MPSTREAM_ROOT="${SLURM_SUBMIT_DIR:-$PWD}"
    fi
  fi
  export MPSTREAM_ROOT
  MPSTREAM="${MPSTREAM:-$MPSTREAM_ROOT/build/mpstream}"
  [ -x "$MPSTREAM" ] || { mps_log "no executable $MPSTREAM (build first: scripts/setup)"; exit 1; }
  # shellcheck source=/dev/null
  source "$MPSTREAM_ROOT/scripts/env.sh"
  MPS_RUNS="${MPS_RUNS:-runs}"
  local launcher="${MPS_LAUNCHER:-auto}"
  if [ "$launcher" = auto ]; then
    if srun --mpi=list 2>&1 | grep -q pmix; then launcher=srun; else launcher=mpirun; fi
  fi
  case "$launcher" in
    srun) MPS_LAUNCH=(srun --mpi=pmix --kill-on-bad-exit=1) ;;
    mpirun) MPS_LAUNCH=(mpirun) ;;  # OpenMPI reads the Slurm allocation (nodes, tasks) itself
    *) mps_log "MPS_LAUNCHER must be srun, mpirun or auto (got $launcher)"; exit 2 ;;
  esac
}

# Case name without folder and .yaml, for output folder names.
mps_case_stem() { basename "$1" | sed 's/\.ya\?ml$//'; }

# True when the options already name an output folder.
mps_has_output() {
  local a; for a in "$@"; do case "$a" in -o|--output|--output=*) return 0 ;; esac; done; return 1
}

# Run the launcher in the background and forward USR1/TERM to it, so that `--signal=B:USR1@N`
# (sent to this batch shell only) and the time limit's SIGTERM reach mpstream, which then writes
# a checkpoint and exits. srun and mpirun both forward SIGUSR1 to their tasks. The scripts trap
# the signals from their first line (MPS_SIGNALLED), since bash would otherwise die of a USR1
# that comes while it is still setting up; a signal that comes before the ranks can have
# installed their handlers (the first seconds) is held back until then, as it would kill them.
mps_launch_forwarding_signals() {
  local t0=$SECONDS forwarded=0 rc age
  "${MPS_LAUNCH[@]}" "$@" &
  local pid=$!
  while :; do
    if [ "$MPS_SIGNALLED" -eq 1 ] && [ "$forwarded" -eq 0 ]; then
      age=$((SECONDS - t0))
      [ "$age" -lt 3 ] && sleep $((3 - age))
      mps_log "signal: asking mpstream to checkpoint"
      kill -USR1 "$pid" 2>/dev/null
      forwarded=1
    fi
    wait "$pid"; rc=$?
    kill -0 "$pid" 2>/dev/null || break  # wait returned because of a trapped signal: wait again
  done
  return "$rc"
}

# summary.json "completed" flag of a run folder: true / false / missing
mps_completed() {
  python3 - "$1/summary.json" <<'PY' 2>/dev/null || echo missing
import json, sys
print("true" if json.load(open(sys.argv[1])).get("completed") else "false")
PY
}

mps_latest_checkpoint() { ls "$1"/checkpoint_*.h5 2>/dev/null | sort | tail -1; }
