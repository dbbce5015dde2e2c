#!/usr/bin/env bash
# check, schema and --version print what they promise.
source "$(dirname "$0")/lib.sh"
out="$("$MPS" check "$SRC/cases/quickstart.yaml")" || fail "check failed"
grep -q "mean: 5e-06  # m" <<<"$out" && ok "check resolves 5 um to SI" || fail "check output: $out"
grep -q "active process units: injector flight domain" <<<"$out" && ok "active units" || fail "active units"
md="$("$MPS" schema)" || fail "schema failed"
grep -q '| `particle_rate` | quantity | frequency (1/s)' <<<"$md" && ok "schema lists keys" || fail "schema: $md"
# the README's case reference is the schema output (docs cannot drift)
if diff <(sed -n '/^## Case reference/,$p' "$SRC/README.md") <(echo "$md") >/dev/null; then ok "README reference is current";
else fail "README case reference differs from 'mpstream schema' (regenerate: scripts/update-readme)"; fi
v="$("$MPS" --version)" || fail "--version"
for w in "git" "PETSc 3" "VTK 9" "HDF5 1" "MPI"; do grep -q "$w" <<<"$v" && ok "--version has $w" || fail "--version lacks $w: $v"; done
finish
