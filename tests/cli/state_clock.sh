#!/usr/bin/env bash
# The multi-rate state clock in the time loop (solver/particles/state_clock.hpp), on the
# reference CT case shortened as in paper_case.sh, whose particles cross the beam:
#  - the thermal and charging tallies do not depend on the rank count (the clock's lags travel
#    with migrating particles), nor on output or a restart from a checkpoint (which keeps them);
#  - against every particle advanced at every step (state_stride 1), the beam input is the same
#    and what the particles radiate, evaporate and emit differs by less than the every-step
#    run's own step error, measured by halving its step (validate_state pins the per-particle
#    states).
source "$(dirname "$0")/lib.sh"
source "$SRC/scripts/env.sh"
case="$SRC/cases/paper/ct-150kV-400ms.yaml"
short=(--set simulation.end_time=2.2us --set injector.position.half_width=[0.02mm,0.05mm,25um]
  --set injector.particle_rate=9.2e9)
run() {  # name ranks [more options]
  local name="$1" np="$2"; shift 2
  mpiexec -n "$np" "$MPS" run "$case" --output "$WORK/$name" "${short[@]}" "$@" \
    >"$WORK/$name.log" 2>&1 || fail "$name: $(tail -5 "$WORK/$name.log")"
}
run np1 1
run np2 2
run every 2 --set simulation.state_stride=1
# a run cut at a checkpoint (with more output) and restarted on 3 ranks
run cut 2 --set simulation.end_time=1.1us --set simulation.output.interval=0.3us
run cut 3 --restart "$WORK/cut/checkpoint_000110.h5" --set simulation.output.interval=0.3us
run half 2 --set simulation.state_stride=1 --set simulation.dt=5ns
python3 - "$WORK"/{np1,np2,every,half,cut}/summary.json <<'PY' && ok "rank count and stride" \
  || fail "rank count and stride"
import json, sys
a, b, e, h, c = (json.load(open(f))["tallies"] for f in sys.argv[1:6])
keys = [k for k in a if k.startswith(("thermal.", "charging."))]
assert keys
for k in keys:
    assert a[k] == b[k], ("ranks", k, a[k], b[k])
    assert c[k] == b[k], ("restart, output", k, c[k], b[k])
for k in ("thermal.beam_heat_J", "charging.absorbed_electron_charge_C"):
    assert a[k] == e[k], ("stride: the same beam input", k, a[k], e[k])
for k in ("thermal.radiated_energy_J", "thermal.thermionic_energy_J",
          "thermal.evaporation_energy_J", "charging.thermionic_emitted_charge_C"):
    assert e[k] > 0, k
    print(f"{k}: default stride vs every step {a[k] / e[k] - 1:+.2e}, half step {h[k] / e[k] - 1:+.2e}")
    assert abs(a[k] - e[k]) < abs(h[k] - e[k]), ("stride error above the step's own", k)
print("thermal sub-steps: default stride", a["thermal.thermal_substeps"], "every step",
      e["thermal.thermal_substeps"])
PY
finish
