#!/usr/bin/env bash
# The paper's figure cases (cases/paper/fig*.yaml, `mpstream study`): each runs alone (shrunk with
# --set to seconds), gives what the command it wraps gives, and bad study files are rejected with
# exit code 2 and a message naming the file, the key and the expectation.
source "$(dirname "$0")/lib.sh"
source "$SRC/scripts/env.sh"
P="$SRC/cases/paper"

# Fig. 6b: the gain map is `mpstream gain` point by point (same model, same table: 1e-5 relative
# covers only the 6 significant digits of the CSV)
"$MPS" study "$P/fig6b-gain-map.yaml" -o "$WORK/g" --set gain_map.voltages=[80kV,150kV] \
  --set 'gain_map.velocities=[100 m/s, 1000 m/s]' >"$WORK/g.log" 2>&1 || fail "gain_map study: $(cat "$WORK/g.log")"
for u in 80 150; do for v in 100 1000; do
  "$MPS" gain --voltage "${u}kV" --velocity "${v}m/s" --json >"$WORK/g_${u}_${v}.json"
  "$MPS" gain --voltage "${u}kV" --velocity "${v}m/s" --melting --json >"$WORK/gm_${u}_${v}.json"
done; done
python3 - "$WORK" <<'PY' && ok "gain_map study = mpstream gain" || fail "gain_map study differs from gain"
import csv, json, sys
w = sys.argv[1]
rows = list(csv.DictReader(open(f"{w}/g/gain_map.csv")))
assert len(rows) == 4, rows
for r in rows:
    u, v = int(float(r["U_kV"])), int(float(r["v_m_per_s"]))
    g = json.load(open(f"{w}/g_{u}_{v}.json")); gm = json.load(open(f"{w}/gm_{u}_{v}.json"))
    for a, b in ((float(r["gain"]), g["gain"]), (float(r["gain_melting"]), gm["gain"]),
                 (float(r["paper_fit_gain"]), g["paper_fit_gain"])):
        assert abs(a / b - 1) < 1e-5, (r, a, b)
s = json.load(open(f"{w}/g/study.json"))
assert s["kind"] == "gain_map" and s["result"]["melting_bonus_min"] > 0.3, s
PY

# Fig. 7b: MTF of rectangular LSFs is |sinc(W f)|; the anode's width is W G^(2/3)
"$MPS" study "$P/fig7b-mtf.yaml" -o "$WORK/m" >"$WORK/m.log" 2>&1 || fail "mtf study: $(cat "$WORK/m.log")"
"$MPS" gain --voltage 100kV --velocity 400m/s --json >"$WORK/g100.json"
python3 - "$WORK" <<'PY' && ok "mtf study: |sinc|, equal-power anode width" || fail "mtf study"
import csv, json, math, sys
w = sys.argv[1]
s = json.load(open(f"{w}/m/study.json"))["result"]; g = json.load(open(f"{w}/g100.json"))
assert abs(s["gain"] / g["gain"] - 1) < 1e-12, (s["gain"], g["gain"])
assert abs(s["width_anode_m"] / (0.45e-3 * g["gain"] ** (2 / 3)) - 1) < 1e-12
sinc = lambda x: 1.0 if x == 0 else abs(math.sin(math.pi * x) / (math.pi * x))
for r in csv.DictReader(open(f"{w}/m/mtf.csv")):
    f = float(r["f_lp_per_mm"]) * 1e3
    assert abs(float(r["mtf_stream"]) - sinc(s["width_stream_m"] * f)) < 1e-5, r
    assert abs(float(r["mtf_anode"]) - sinc(s["width_anode_m"] * f)) < 1e-5, r
# MTF50 of the stream's rectangle is where |sinc| = 0.5
assert abs(sinc(s["width_stream_m"] * s["mtf50_stream_lp_per_mm"] * 1e3) - 0.5) < 1e-9
PY

# Fig. 5a: each energy is exactly `transport bulk` with the study's seed and histories (the
# tallies are exact sums: bitwise equal on 1 and 2 ranks)
mpiexec -n 2 "$MPS" study "$P/fig5a-depth-dose.yaml" -o "$WORK/d" --set depth_dose.energies=[100keV] \
  --set depth_dose.histories=2000 >"$WORK/d.log" 2>&1 || fail "depth_dose study: $(cat "$WORK/d.log")"
"$MPS" transport bulk --energy 100keV --histories 2000 --seed 5 --out "$WORK/b" >/dev/null 2>&1 ||
  fail "transport bulk"
if cmp -s "$WORK/d/E_100keV/depth_dose.csv" "$WORK/b/depth_dose.csv"; then
  ok "depth_dose study = transport bulk (bitwise, 2 ranks vs 1)"
else
  fail "depth_dose study differs from transport bulk"
fi

# Fig. 4: one small sphere scan writes the charging curve and a threshold inside the scan
"$MPS" study "$P/fig4-sphere-charging.yaml" -o "$WORK/c" --set sphere_charging.diameters=[2um] \
  --set sphere_charging.histories=300 >"$WORK/c.log" 2>&1 || fail "sphere_charging study: $(cat "$WORK/c.log")"
python3 - "$WORK" <<'PY' && ok "sphere_charging study: curve and threshold" || fail "sphere_charging study"
import json, sys
w = sys.argv[1]
st = json.load(open(f"{w}/c/study.json"))
assert st["result"]["runs"] == ["d_02.00um"], st
s = json.load(open(f"{w}/c/d_02.00um/summary.json"))
assert 20e3 < s["fast_threshold_energy_eV"] < 300e3, s
lines = open(f"{w}/c/d_02.00um/charging.csv").read().splitlines()
assert len(lines) == 16 and lines[0].startswith("energy_eV,net_charge_per_primary"), lines[:2]
PY

# bad study files: unknown key, wrong dimension, no or two figure sections
expect_error 2 "mtf.voltag: unknown key 'voltag' (did you mean 'voltage'?)" \
  "$MPS" study "$P/fig7b-mtf.yaml" -o "$WORK/x" --set mtf.voltag=100kV
expect_error 2 "mtf.voltage: '5m' has dimension length (m), expected voltage (V)" \
  "$MPS" study "$P/fig7b-mtf.yaml" -o "$WORK/x" --set mtf.voltage=5m
expect_error 2 "found 2 depth_dose mtf" \
  "$MPS" study "$P/fig7b-mtf.yaml" -o "$WORK/x" --set depth_dose.energies=[30keV]
printf 'study:\n  title: nothing\n' >"$WORK/none.yaml"
expect_error 2 "none.yaml: a study has exactly one figure section" "$MPS" study "$WORK/none.yaml"
printf 'study: {}\ngain_map:\n  voltages: [150 kV]\n' >"$WORK/missing.yaml"
expect_error 2 "gain_map.velocities: missing required key" "$MPS" study "$WORK/missing.yaml"
expect_error 2 "sphere_charging: energy_max must exceed energy_min" \
  "$MPS" study "$P/fig4-sphere-charging.yaml" -o "$WORK/x" --set sphere_charging.energy_max=10keV
"$MPS" study --schema | grep -q '^### `depth_dose`' && ok "study --schema" || fail "study --schema"
finish
