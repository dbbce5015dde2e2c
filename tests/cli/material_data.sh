#!/usr/bin/env bash
# Materials shipped as data (cases/data/materials/NAME.yaml): found by name by `mpstream material`
# and by a case; a broken data file is exit code 2 with file:line:col and the key.
source "$(dirname "$0")/lib.sh"
for metal in molybdenum tantalum; do
  out="$("$MPS" material "$metal" --json)" || fail "material $metal --json failed"
  python3 - "$metal" "$out" <<'PY' && ok "material $metal --json" || fail "material $metal --json: $out"
import json, sys
name, j = sys.argv[1], json.loads(sys.argv[2])
assert j["material"] == name
for k in ("sensible_enthalpy_J_per_kg", "latent_heat_fusion_J_per_kg", "latent_to_sensible_ratio",
          "melting_point_K", "table"):
    assert k in j, k
tm = {"molybdenum": 2896.0, "tantalum": 3290.0}[name]
assert j["melting_point_K"] == tm
assert abs(j["latent_to_sensible_ratio"] - j["latent_heat_fusion_J_per_kg"] / j["sensible_enthalpy_J_per_kg"]) < 1e-12
assert all(r["cp_J_per_kg_K"] > 0 for r in j["table"])
PY
done
# the data file can also be named by its path
"$MPS" material "$SRC/cases/data/materials/tantalum.yaml" | grep -q "material tantalum" \
  && ok "material by path" || fail "material by path"
expect_error 2 "known: molybdenum, tantalum, tungsten" "$MPS" material niobium
sed 's/^melting_point: 2896 K/melting_point: 2896 kg/' "$SRC/cases/data/materials/molybdenum.yaml" \
  > "$WORK/mo.yaml"
line=$(grep -n "^melting_point:" "$WORK/mo.yaml" | cut -d: -f1)
expect_error 2 "$WORK/mo.yaml:$line:16: melting_point:" "$MPS" material "$WORK/mo.yaml"
# a case naming the material: the thermal unit is built with it (and an unknown name is exit 2)
cat > "$WORK/case.yaml" <<'YAML'
simulation: {end_time: 1 us, dt: 100 ns, output: {final_checkpoint: false}, decomposition: {}}
domain: {lo: [0, 0, 0], hi: [1 mm, 1 mm, 1 mm]}
thermal: {material: molybdenum}
YAML
"$MPS" run "$WORK/case.yaml" --output "$WORK/out" >/dev/null 2>&1 && ok "run with material: molybdenum" \
  || fail "run of a molybdenum case: $("$MPS" run "$WORK/case.yaml" --output "$WORK/out" 2>&1 | tail -3)"
sed -i 's/material: molybdenum/material: niobium/' "$WORK/case.yaml"
expect_error 2 "unknown material 'niobium'" "$MPS" run "$WORK/case.yaml" --output "$WORK/out2"
finish
