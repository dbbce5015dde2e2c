#!/usr/bin/env bash
# Issue 7: a dense stream's first layer charges more than a free sphere. The paper (Results,
# charging) states that a monolayer of 5 um spheres needs about +25 kV over a free sphere to stay
# neutral (fast-electron balance, Casino). We accept 15-45 kV: the paper gives one rounded
# figure, and each threshold carries ~3 keV of statistical error at 2000 histories per energy.
source "$(dirname "$0")/lib.sh"
source "$SRC/scripts/env.sh"
for g in free mono; do
  flag=""; [ "$g" = mono ] && flag="--monolayer"
  mpiexec -n 2 "$MPS" transport threshold --diameter 5um --histories 2000 --min-keV 40 \
    --max-keV 250 $flag --out "$WORK/$g" >"$WORK/$g.log" 2>&1 || fail "threshold $g: $(tail -3 "$WORK/$g.log")"
done
python3 - "$WORK/free/summary.json" "$WORK/mono/summary.json" <<'PY' && ok "monolayer needs +15..45 kV" || fail "monolayer shift"
import json, sys
f = json.load(open(sys.argv[1])); m = json.load(open(sys.argv[2]))
d = (m["fast_threshold_energy_eV"] - f["fast_threshold_energy_eV"]) / 1e3
print(f"free {f['fast_threshold_energy_eV']/1e3:.1f} keV, monolayer {m['fast_threshold_energy_eV']/1e3:.1f} keV, shift {d:.1f} kV")
assert 15 <= d <= 45, d
PY
finish
