#!/usr/bin/env bash
# `mpstream material`: the enthalpy budget keys, its figures, and errors for bad input.
source "$(dirname "$0")/lib.sh"
out="$("$MPS" material tungsten --json)" || fail "material --json failed"
python3 - "$out" <<'PY' && ok "material --json keys and budget" || fail "material --json: $out"
import json, sys
j = json.loads(sys.argv[1])
for k in ("sensible_enthalpy_J_per_kg", "latent_heat_fusion_J_per_kg", "latent_to_sensible_ratio",
          "melting_point_K", "table"):
    assert k in j, k
assert j["melting_point_K"] == 3695.0
assert abs(j["latent_to_sensible_ratio"] - j["latent_heat_fusion_J_per_kg"] / j["sensible_enthalpy_J_per_kg"]) < 1e-12
# 373.15 K -> Tm with Tolias cp: 6.16e5 J/kg, ratio 0.462 (validate_materials checks the numbers)
assert abs(j["sensible_enthalpy_J_per_kg"] - 6.1607e5) < 100, j["sensible_enthalpy_J_per_kg"]
PY
out="$("$MPS" material tungsten --from 1000K --to 2000K)" || fail "material text failed"
grep -q "latent_to_sensible_ratio" <<<"$out" && ok "text budget" || fail "text: $out"
expect_error 2 "unknown material 'unobtainium'" "$MPS" material unobtainium
expect_error 2 "expected" "$MPS" material tungsten --from 5m
finish
