#!/usr/bin/env bash
# The thermal and charging units in the time loop (cases/validation/thermal_melt.yaml): every
# particle melts and re-solidifies, the beam energy and the mass balance close, and the tallies
# do not depend on the rank count.
source "$(dirname "$0")/lib.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
case_file="$SRC/cases/validation/thermal_melt.yaml"
for np in 1 2; do
  mpiexec -n $np "$MPS" run "$case_file" --set simulation.output.directory="$WORK/np$np" \
    >"$WORK/log$np" 2>&1 || { fail "run on $np rank(s): $(tail -5 "$WORK/log$np")"; continue; }
done
python3 - "$WORK/np1/summary.json" "$WORK/np2/summary.json" <<'PY' && ok "thermal_melt summary" || fail "thermal_melt summary"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
t = a["tallies"]
assert a["mass_balance_exact"], "mass balance"
assert t["thermal.melted_count"] == 100, t["thermal.melted_count"]
assert t["thermal.resolidified_count"] == 100, t["thermal.resolidified_count"]
# 100 particles x 1 W x 1.2 us
assert abs(t["thermal.beam_heat_J"] - 1.2e-4) < 1e-12, t["thermal.beam_heat_J"]
assert t["thermal.evaporated_mass_kg"] > 0
assert t["charging.absorbed_electron_charge_C"] > 0 and t["charging.thermionic_emitted_charge_C"] > 0
for k, v in t.items():
    if k.startswith(("thermal.", "charging.")):
        assert v == b["tallies"][k], (k, v, b["tallies"][k])
PY
finish
