#!/usr/bin/env bash
# Issue 7 end to end: the reference CT case (shortened) writes every figure of merit, its beam
# energy accounting closes (in = absorbed + backscattered + radiated + transmitted, 1e-9
# relative: the tallies are exact sums, so only the final divisions round), the mass balance is
# exact, and its permitted power agrees with `mpstream gain` (same model, the run samples the
# depth-dose at the particles' actual column depths: 3 % covers the column discretisation).
source "$(dirname "$0")/lib.sh"
source "$SRC/scripts/env.sh"
case="$SRC/cases/paper/ct-150kV-400ms.yaml"
mpiexec -n 2 "$MPS" run "$case" --output "$WORK/ct" --set simulation.end_time=2.2us \
  --set simulation.output.interval=1.1us --set injector.position.half_width=[0.02mm,0.05mm,25um] \
  --set injector.particle_rate=9.2e9 >"$WORK/log" 2>&1 || fail "run failed: $(tail -5 "$WORK/log")"
"$MPS" gain --json >"$WORK/gain.json" || fail "gain --json failed"
python3 - "$WORK/ct/summary.json" "$WORK/gain.json" <<'PY' && ok "figures, energy and mass balance" || fail "summary check"
import json, sys
s = json.load(open(sys.argv[1])); g = json.load(open(sys.argv[2]))
for k in ("permitted_power_W", "gain_vs_rotating_anode", "focal_spot_width_m", "focal_spot_length_m",
          "mtf50_lp_per_mm", "max_temperature_K", "molten_fraction", "resolidified_fraction",
          "mean_charge_C", "mass_flow_kg_per_s", "absorbed_power_fraction",
          "backscattered_power_fraction", "xray_conversion_efficiency"):
    assert k in s, k
t = s["tallies"]
e_in = t["beam.energy_in_J"]
rest = t["beam.energy_absorbed_J"] + t["beam.energy_backscattered_J"] + t["beam.energy_radiated_J"] + t["beam.energy_transmitted_J"]
assert e_in > 0 and abs(rest - e_in) <= 1e-9 * e_in, (e_in, rest)
assert s["mass_balance_exact"] is True
r = s["permitted_power_W"] / g["permitted_power_W"]
print("run / gain permitted power:", r)
assert abs(r - 1) < 0.03, r
PY
finish
