#!/usr/bin/env bash
# docs/walkthrough.md cannot rot: every ```sh block is run, in order, in one shell, in a scratch
# copy of the checkout (cases/, scripts/, postproc/, docs/ linked; build/mpstream = the tested
# executable), then the files the page promises are checked. ```sh no-test blocks (screen, real
# cluster, build) are only counted. The local Slurm folder of the page is moved into the scratch
# folder so that parallel tests do not meet.
source "$(dirname "$0")/lib.sh"
t0=$SECONDS
doc="$SRC/docs/walkthrough.md"
repo="$WORK/repo"
mkdir -p "$repo/build"
ln -s "$(cd "$(dirname "$MPS")" && pwd)/$(basename "$MPS")" "$repo/build/mpstream"
for d in cases scripts postproc docs; do ln -s "$(cd "$SRC" && pwd)/$d" "$repo/$d"; done
trap '"$repo/scripts/slurm/local-cluster" stop "$WORK/slurm" >/dev/null 2>&1; rm -rf "$WORK"' EXIT

/usr/bin/python3 - "$doc" "$WORK/doc.sh" "$WORK/slurm" <<'PY' || { echo "FAIL: extracting blocks"; exit 1; }
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"^```(sh[^\n]*)\n(.*?)^```\s*$", text, flags=re.S | re.M)
run = [b for info, b in blocks if info.strip() == "sh"]
skipped = [info for info, b in blocks if info.strip() != "sh"]
assert all(i.strip() == "sh no-test" for i in skipped), skipped
with open(sys.argv[2], "w") as f:
    f.write("set -euo pipefail\n")
    for k, b in enumerate(run):
        f.write(f"echo \"### docs block {k + 1}/{len(run)} at $SECONDS s\"\n")
        f.write(b.replace("/tmp/mpstream-slurm", sys.argv[3]))
print(f"{len(run)} runnable block(s), {len(skipped)} not run (sh no-test)")
PY
(cd "$repo" && timeout 900 bash "$WORK/doc.sh") > "$WORK/doc.log" 2>&1
rc=$?
grep '^### docs block' "$WORK/doc.log" | sed 's/^/  /'
last="$(grep '^### docs block' "$WORK/doc.log" | tail -1)"
[ "$rc" -eq 0 ] && ok "every runnable block ran ($last)" || fail "docs commands exit $rc at ${last}: $(tail -30 "$WORK/doc.log")"

# What the page says the commands produce.
cd "$repo" || exit 1
for f in out/quickstart/summary.json out/quickstart/plots/diagnostics.png out/compare.png \
  out/fast/summary.json out/quickstart/images/particles_temperature_K.png \
  out/quickstart/images/particles_charge_C.png out/quickstart/images/particles_temperature_K.gif \
  out/quickstart/particles.pvsm out/quickstart/checkpoint_001000.xdmf runs/quickstart-speed/results.csv \
  runs/quickstart-speed/plots/mass_injected_kg_vs_injector.diameter.mean.png runs/speed-slurm/results.csv; do
  [ -s "$f" ] && ok "$f" || fail "the page promises $f"
done
grep -q "completed: True at t = 50.0 us after 1000 steps on 2 ranks" "$WORK/doc.log" && ok "summary block prints the run" || fail "summary block output"
python3 -c "import json; s = json.load(open('out/restart/summary.json')); assert s['completed'] and abs(s['time_s'] - 40e-6) < 1e-12" &&
  ok "restart extended the run to 40 us" || fail "restart summary"
for r in runs/quickstart-speed/results.csv runs/speed-slurm/results.csv; do
  [ "$(tail -n +2 "$r" | grep -c ',completed,')" -eq 4 ] && ok "$r: 4 completed runs" || fail "$r: $(cat "$r" | cut -c1-120)"
done
ls runs/quickstart-[0-9]*/summary.json > /dev/null 2>&1 && ok "Slurm batch run folder runs/quickstart-<jobid>/" || fail "no runs/quickstart-<jobid>"
grep -q "chain complete after 1 link" runs/quickstart-chain-*/chain.log && ok "Slurm chain completed" || fail "chain.log: $(cat runs/quickstart-chain-*/chain.log)"
echo "docs test: $((SECONDS - t0)) s"
finish
