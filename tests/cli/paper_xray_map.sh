#!/usr/bin/env bash
# Issue 7, "X-ray production map from the transport tallies": the reference case with the direct
# coupling (shrunk: a 40 um strip of the sheet, 1 us, 200 histories per step) builds its focal-spot
# map from the bremsstrahlung the transport produces in each particle. The map holds exactly the
# radiated energy of the beam tally (the same emission events in exact sums: 1e-12 relative is
# round-off), the beam energy accounting still closes to 1e-9, and the map and the focal-spot
# figures are identical on 1 and 2 ranks (histories split by id, per-body sums reduced exactly).
source "$(dirname "$0")/lib.sh"
source "$SRC/scripts/env.sh"
for np in 1 2; do
  mpiexec -n $np "$MPS" run "$SRC/cases/paper/ct-150kV-400ms.yaml" -q --output "$WORK/np$np" \
    --set beam.coupling=direct --set beam.histories=200 --set beam.center=[0.3mm,0,0] \
    --set simulation.end_time=1us --set 'injector.position.half_width=[0.02mm,0.02mm,25um]' \
    --set injector.particle_rate=3.7e9 --set simulation.output.interval=0 \
    --set simulation.output.checkpoint_interval=0 --set simulation.output.final_checkpoint=false \
    >"$WORK/log$np" 2>&1 || fail "run on $np rank(s) failed: $(tail -5 "$WORK/log$np")"
done
python3 - "$WORK/np1/summary.json" "$WORK/np2/summary.json" <<'PY' && ok "X-ray map = radiated tally, energy closes, 1 = 2 ranks" || fail "X-ray map"
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
t = a["tallies"]
assert a["focal_spot_map_is_xray"] == 1.0, a.get("focal_spot_map_is_xray")
rad = t["beam.energy_radiated_J"]
assert rad > 0 and abs(a["focal_spot_map_energy_J"] / rad - 1) < 1e-12, (a["focal_spot_map_energy_J"], rad)
e_in = t["beam.energy_in_J"]
rest = t["beam.energy_absorbed_J"] + t["beam.energy_backscattered_J"] + rad + t["beam.energy_transmitted_J"]
assert abs(rest - e_in) <= 1e-9 * e_in, (e_in, rest)
for k in ("focal_spot_map_energy_J", "focal_spot_width_m", "focal_spot_length_m", "mtf50_lp_per_mm",
          "xray_conversion_efficiency", "permitted_power_W"):
    assert a[k] == b[k], (k, a[k], b[k])
print("X-ray map", a["focal_spot_map_energy_J"], "J, width", a["focal_spot_width_m"], "m")
PY
finish
