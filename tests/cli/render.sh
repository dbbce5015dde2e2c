#!/usr/bin/env bash
# Post-processing of a small run: ParaView (postproc/pvbatch: pvbatch under xvfb-run) renders the particles
# coloured by temperature, the image is not blank, the saved state file opens again in pvbatch;
# plot_diagnostics.py draws the time series. Skipped (exit 77) only where ParaView cannot be
# installed or run.
source "$(dirname "$0")/lib.sh"
source "$SRC/scripts/env.sh"
t0=$SECONDS
# postproc/pvbatch installs ParaView + Xvfb on demand and unpacks its Python modules privately
# (python3-paraview conflicts with the python3-vtk9 that libvtk9-dev needs: see the wrapper).
PVB="$SRC/postproc/pvbatch"
echo 'import paraview.simple' > "$WORK/probe.py"
"$PVB" "$WORK/probe.py" > "$WORK/setup.log" 2>&1 ||
  { echo "SKIP: ParaView cannot be installed or started here: $(grep -v '^ *[0-9]* *0x' "$WORK/setup.log" | tail -5)"; exit 77; }
run="$WORK/run"; trap '[ -n "${KEEP:-}" ] && cp -r "$run" "$KEEP"; rm -rf "$WORK"' EXIT
mpirun -n 2 "$MPS" run "$SRC/cases/quickstart.yaml" -q -o "$run" --set simulation.end_time=10us \
  --set injector.max_particles=3000 > "$WORK/run.log" 2>&1 || fail "run: $(cat "$WORK/run.log")"

# Stills by temperature and charge, the animation and the state file.
"$PVB" "$SRC/postproc/render_particles.py" "$run" --arrays temperature_K,charge_C,no_such_array \
  --animation --state "$run/particles.pvsm" --size 640x360 > "$WORK/render.log" 2>&1 ||
  fail "render_particles.py: $(grep -v '^ *[0-9]* *0x' "$WORK/render.log" | tail -20)"
grep -q "no_such_array not in this run" "$WORK/render.log" && ok "an array the run lacks is skipped with a message" || fail "missing-array message"
img="$run/images/particles_temperature_K.png"
# Not blank: enough pixels that are neither background white nor the grey/black of text and
# outline, i.e. coloured by the colour map, and a clear pixel variance.
/usr/bin/python3 - "$img" <<'PY' && ok "image $img is not blank" || fail "blank or missing image $img"
import sys
import numpy as np
import matplotlib.image as mpimg
im = mpimg.imread(sys.argv[1])[..., :3]
assert im.shape[:2] == (360, 640), im.shape
# the middle of the view (the domain box), without the colour legend (right) and the texts
mid = im[90:270, :500]
coloured = (np.ptp(mid, axis=2) > 0.15).sum()   # saturated pixels: particles in the colour map
print(f"  {coloured} coloured pixels in the domain, pixel std there {mid.std():.3f}")
assert coloured > 300 and mid.std() > 0.02
PY
[ -s "$run/images/particles_charge_C.png" ] && ok "charge image" || fail "no charge image"
n_frames="$(ls "$run"/images/animation/temperature_K_*.png 2>/dev/null | wc -l)"
[ "$n_frames" -eq 3 ] && ok "animation: 3 frames (t = 0, 5, 10 us)" || fail "animation frames: $n_frames"
[ -s "$run/images/particles_temperature_K.gif" ] && ok "animated GIF" || fail "no GIF"

# The state file opens in ParaView and renders the same scene.
cat > "$WORK/load_state.py" <<EOF
from paraview.simple import LoadState, GetActiveViewOrCreate, SaveScreenshot, GetSources
LoadState("$run/particles.pvsm")
v = GetActiveViewOrCreate("RenderView")
assert any(str(getattr(s, "FileName", "")).endswith(".pvd") for s in GetSources().values()), GetSources()
SaveScreenshot("$WORK/from_state.png", v, ImageResolution=[320, 180])
EOF
"$PVB" "$WORK/load_state.py" > "$WORK/state.log" 2>&1 && [ -s "$WORK/from_state.png" ] &&
  ok "state file loads and renders" || fail "state file: $(grep -v '^ *[0-9]* *0x' "$WORK/state.log" | tail -10)"

# The XDMF beside the final HDF5 checkpoint opens the raw particle data in ParaView.
ck="$run/checkpoint_000200.xdmf"
cat > "$WORK/xdmf.py" <<EOF
from paraview.simple import XDMFReader
# the "XDMF Reader" (Xdmf 2) of ParaView 5.11; its Xdmf3 readers read 0 points of this file
r = XDMFReader(FileNames=["$ck"])
r.UpdatePipeline()
info = r.GetDataInformation()
names = [r.PointData.GetArray(i).GetName() for i in range(len(r.PointData))]
print("xdmf points", info.GetNumberOfPoints(), "arrays", " ".join(sorted(names)))
EOF
"$PVB" "$WORK/xdmf.py" > "$WORK/xdmf.log" 2>&1
n_live="$(python3 -c "import json; s = json.load(open('$run/summary.json')); print(s['particles_flying'] + s['particles_feeding'] + s['particles_in_rotor'])")"
grep -q "xdmf points $n_live arrays .*temperature" "$WORK/xdmf.log" && ok "checkpoint .xdmf opens in ParaView: $n_live particles with temperature" ||
  fail "xdmf: wanted $n_live points: $(grep -v '^ *[0-9]* *0x' "$WORK/xdmf.log" | tail -5)"

# The state file in the repository (postproc/quickstart.pvsm: out/quickstart/run.pvd, relative
# to the top of the checkout) opens a quickstart run and shows particles.
mkdir -p "$WORK/top/out" && ln -s "$run" "$WORK/top/out/quickstart"
cat > "$WORK/repo_state.py" <<EOF
from paraview.simple import LoadState, GetActiveViewOrCreate, SaveScreenshot
LoadState("$SRC/postproc/quickstart.pvsm")
SaveScreenshot("$WORK/repo_state.png", GetActiveViewOrCreate("RenderView"), ImageResolution=[640, 360])
EOF
(cd "$WORK/top" && "$PVB" "$WORK/repo_state.py") > "$WORK/repo_state.log" 2>&1
/usr/bin/python3 - "$WORK/repo_state.png" <<'PY' && ok "postproc/quickstart.pvsm opens a quickstart run" || fail "postproc/quickstart.pvsm: $(grep -v '^ *[0-9]* *0x' "$WORK/repo_state.log" | tail -5)"
import sys
import numpy as np
import matplotlib.image as mpimg
im = mpimg.imread(sys.argv[1])[..., :3]
assert (np.ptp(im, axis=2) > 0.15).sum() > 300
PY

# Diagnostics time series.
"$SRC/postproc/plot_diagnostics.py" "$run" > "$WORK/plot.log" 2>&1 && [ -s "$run/plots/diagnostics.png" ] &&
  ok "plot_diagnostics.py wrote plots/diagnostics.png" || fail "plot_diagnostics: $(cat "$WORK/plot.log")"
echo "render test: $((SECONDS - t0)) s"
finish
