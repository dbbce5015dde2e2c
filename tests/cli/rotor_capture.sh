#!/usr/bin/env bash
# Rotor and capture from the command line: the validation case runs with an exact mass balance and
# writes catcher maps, gives the same tallies on 1 and 2 ranks, and bad rotor/capture input stops
# with exit code 2 and a message naming the key.
source "$(dirname "$0")/lib.sh"
C="$SRC/cases/validation/rotor_capture.yaml"
short=(--set simulation.end_time=1.2ms --set simulation.output.interval=0.6ms)

"$MPS" check "$C" >/dev/null && ok "check rotor_capture.yaml" || fail "check rotor_capture.yaml"
"$MPS" run "$C" "${short[@]}" -o "$WORK/r1" -q >/dev/null 2>&1 || fail "run on 1 rank"
mpirun -n 2 "$MPS" run "$C" "${short[@]}" -o "$WORK/r2" -q >/dev/null 2>&1 || fail "run on 2 ranks"
python3 - "$WORK/r1/summary.json" "$WORK/r2/summary.json" <<'PY' && ok "1 and 2 ranks: same tallies, exact mass balance, particles caught" || fail "summary check"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["tallies"] == b["tallies"], "tallies differ between 1 and 2 ranks"
for s in (a, b):
    assert s["mass_balance_exact"] and s["mass_balance_residual_kg"] == 0.0
    assert s["particles_captured"] > 0 and s["particles_in_rotor"] > 0
    t = s["tallies"]
    assert t["rotor.injected_count"] == s["particles_injected"]
    n = t["rotor.exit_count"]
    mean = t["rotor.exit_speed_sum_m_per_s"] / n
    # friction 0.3, omega R = 400 m/s: sqrt(1 + (sqrt(1.09) - 0.3)^2) * 400 = 498.4 m/s (+ wall offset)
    assert 490 < mean < 510, mean
PY
for f in catchers_000150.vtp catchers_000300.vtp run.pvd; do
  [ -s "$WORK/r2/$f" ] && ok "wrote $f" || fail "missing $f"
done
grep -q 'catchers_000300.vtp' "$WORK/r2/run.pvd" && ok "catchers in run.pvd" || fail "catchers not in run.pvd"

# the bead validation case through the solver: exit speed of the analytic friction solution
"$MPS" run "$SRC/cases/validation/rotor_bead.yaml" -o "$WORK/bead" -q >/dev/null 2>&1 || fail "run rotor_bead.yaml"
python3 - "$WORK/bead/summary.json" <<'PY' && ok "rotor_bead: exit speed 498.445809 m/s within 1e-6" || fail "rotor_bead exit speed"
import json, sys
t = json.load(open(sys.argv[1]))["tallies"]
n = t["rotor.exit_count"]
mean = t["rotor.exit_speed_sum_m_per_s"] / n
# analytic value from tests/validation/rotor (omega 4000 rad/s, r0 10 mm, R 100 mm, mu 0.3); RK4
# sub-steps of 0.01 rad give ~1e-12 relative, the issue asks for 1e-3
assert n == 20 and abs(mean / 498.445809 - 1) < 1e-6, (n, mean)
s = json.load(open(sys.argv[1]))
assert s["rotor_exit_speed_mean_m_per_s"] == mean and s["rotor_exit_speed_std_m_per_s"] < 1e-6 * mean
assert s["rotor_stream_thickness_rms_m"] == 0.0 and s["rotor_divergence_rms_rad"] == 0.0  # mid-plane, no spread
PY

# bad input
sed 's/preset: magnetic_levitated/preset: magnetic_levitatd/' "$C" > "$WORK/preset.yaml"
expect_error 2 "rotor.preset: 'magnetic_levitatd' is not one of: none magnetic_levitated hybrid_anode (did you mean 'magnetic_levitated'?)" "$MPS" check "$WORK/preset.yaml"
sed 's/      shape: cylinder/      shape: cylindre/' "$C" > "$WORK/shape.yaml"
expect_error 2 "capture.catchers[1].shape: 'cylindre' is not one of" "$MPS" check "$WORK/shape.yaml"
sed 's/      restitution: 0.3/      restitution: 1.3/' "$C" > "$WORK/rest.yaml"
expect_error 2 "rest.yaml:45:20: capture.catchers[0].restitution" "$MPS" check "$WORK/rest.yaml"
expect_error 2 "capture.catchers[0].restitution: value 1.3 is out of range" "$MPS" check "$WORK/rest.yaml"
sed 's/  exit_divergence: 0.5 deg/  exit_divergence: 0.5 m/' "$C" > "$WORK/div.yaml"
expect_error 2 "rotor.exit_divergence: '0.5 m' has dimension length (m), expected dimensionless" "$MPS" check "$WORK/div.yaml"
sed 's/  preset: magnetic_levitated/  preset: none/' "$C" > "$WORK/nopreset.yaml"
expect_error 2 "rotor.angular_velocity: missing (give it, or choose a preset)" "$MPS" run "$WORK/nopreset.yaml" -o "$WORK/x" -q
expect_error 2 "rotor.feed_radius: expected feed_radius < radius" "$MPS" run "$C" --set rotor.feed_radius=0.2m -o "$WORK/x" -q
expect_error 2 "capture.catchers[0]: a plane catcher needs 'normal'" "$MPS" run "$C" --set 'capture.catchers=[{name: a, shape: plane, center: [0, 0, 0]}]' -o "$WORK/x" -q
expect_error 2 "capture.catchers: missing required list" "$MPS" check "$C" --set 'capture.catchers=~'
expect_error 2 "duplicate catcher name 'a'" "$MPS" run "$C" --set 'capture.catchers=[{name: a, shape: box, center: [0, 0, 0], half_widths: [1, 1, 1]}, {name: a, shape: box, center: [0, 0, 0], half_widths: [1, 1, 1]}]' -o "$WORK/x" -q
expect_error 2 "nope.stl: cannot open the STL file" "$MPS" run "$C" --set 'capture.catchers=[{name: mesh, shape: stl, file: nope.stl, scale: 1e-3}]' -o "$WORK/x" -q
finish
