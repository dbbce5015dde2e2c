#!/usr/bin/env bash
# Bad input gives exit code 2 and a message naming file:line:column, key and what was expected.
source "$(dirname "$0")/lib.sh"
Q="$SRC/cases/quickstart.yaml"

expect_error 2 "cannot open the case file" "$MPS" check "$WORK/missing.yaml"
sed 's/mean: 5 um/mean: 5 kg/' "$Q" > "$WORK/unit.yaml"
expect_error 2 "unit.yaml:25:11: injector.diameter.mean: '5 kg' has dimension mass (kg), expected length (m)" "$MPS" check "$WORK/unit.yaml"
sed 's/    mean: 5 um/    maen: 5 um/' "$Q" > "$WORK/key.yaml"
expect_error 2 "key.yaml:25:5: injector.diameter.maen: unknown key 'maen' (did you mean 'mean'?)" "$MPS" check "$WORK/key.yaml"
sed 's/mean: 5 um/mean: -5 um/' "$Q" > "$WORK/neg.yaml"
expect_error 2 "neg.yaml:25:11: injector.diameter.mean: value -5e-06 m is out of range: expected > 0" "$MPS" check "$WORK/neg.yaml"
printf 'simulation:\n  end_time: [1\n' > "$WORK/malformed.yaml"
expect_error 2 "malformed YAML" "$MPS" check "$WORK/malformed.yaml"
sed 's/  dt: 50 ns/  dt: -1 ns/' "$Q" > "$WORK/range.yaml"
expect_error 2 "simulation.dt: value -1e-09 s is out of range" "$MPS" check "$WORK/range.yaml"
sed '/^  dt: /d' "$Q" > "$WORK/missing_key.yaml"
expect_error 2 "simulation.dt: missing required key" "$MPS" check "$WORK/missing_key.yaml"
expect_error 2 "expected length" "$MPS" check "$Q" --set injector.diameter.mean=3s
expect_error 2 "did you mean 'run'" "$MPS" rn "$Q"
expect_error 2 "restart file not found" "$MPS" run "$Q" --restart "$WORK/nope.h5" -o "$WORK/o" -q
# a bad case under MPI: every rank stops with code 2, no hang
expect_error 2 "expected length" mpirun -n 2 "$MPS" run "$WORK/unit.yaml" -q
finish
