#!/usr/bin/env bash
# Floating conductors and STL electrodes from the command line (issue 5):
#  - cases/validation/electrostatics_floating.yaml (a floating STL sphere between the repeller and
#    the plate) runs on 1 and 2 ranks and reports electrostatics.probe.potential_V in summary.json,
#    between the plate's -100 V and the repeller's 300 V and the same on both rank counts (to the
#    solver tolerance, rtol 1e-8 of a 300 V problem: 1e-4 V);
#  - an STL electrode that is not closed, or missing, stops the run with exit code 2 and a message
#    naming the file and what is wrong.
source "$(dirname "$0")/lib.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
case_file="$SRC/cases/validation/electrostatics_floating.yaml"
for np in 1 2; do
  mpiexec -n $np "$MPS" run -q "$case_file" --set simulation.end_time=200ns \
    --set simulation.output.directory="$WORK/np$np" >"$WORK/log$np" 2>&1 ||
    fail "run on $np rank(s): $(tail -5 "$WORK/log$np")"
done
python3 - "$WORK/np1/summary.json" "$WORK/np2/summary.json" <<'PY' && ok "floating STL probe potential" || fail "floating STL probe potential"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
v1, v2 = a["electrostatics.probe.potential_V"], b["electrostatics.probe.potential_V"]
print("probe potential", v1, v2)
assert -100 < v1 < 300, v1
assert abs(v1 - v2) < 1e-4, (v1, v2)
PY

# an open surface: a square pyramid with half of its base missing (ASCII STL, in mm)
cat >"$WORK/open.stl" <<'STL'
solid open
 facet normal 0 0 0
  outer loop
   vertex 0.2 0.2 0.2
   vertex 0.8 0.2 0.2
   vertex 0.5 0.5 0.8
  endloop
 endfacet
 facet normal 0 0 0
  outer loop
   vertex 0.8 0.2 0.2
   vertex 0.8 0.8 0.2
   vertex 0.5 0.5 0.8
  endloop
 endfacet
 facet normal 0 0 0
  outer loop
   vertex 0.8 0.8 0.2
   vertex 0.2 0.8 0.2
   vertex 0.5 0.5 0.8
  endloop
 endfacet
 facet normal 0 0 0
  outer loop
   vertex 0.2 0.8 0.2
   vertex 0.2 0.2 0.2
   vertex 0.5 0.5 0.8
  endloop
 endfacet
 facet normal 0 0 0
  outer loop
   vertex 0.2 0.2 0.2
   vertex 0.8 0.8 0.2
   vertex 0.8 0.2 0.2
  endloop
 endfacet
endsolid open
STL
cat >"$WORK/open.yaml" <<'YAML'
simulation: {end_time: 100 ns, dt: 10 ns, output: {directory: out, interval: 0, checkpoint_interval: 0}, decomposition: {stream_axis: z, cells: 16}}
domain: {lo: [0, 0, 0], hi: [1 mm, 1 mm, 1 mm]}
processes: [electrostatics, domain]
electrostatics:
  cells: [16, 16, 16]
  electrodes:
    - {name: tet, shape: stl, file: open.stl, scale: 1e-3, potential: 1 kV}
YAML
expect_error 2 "electrostatics.electrodes[0].file ($WORK/open.stl): the surface is not closed: 3 edges belong to a single facet" \
  "$MPS" run "$WORK/open.yaml" -o "$WORK/out_open"
sed 's/open.stl/nothere.stl/' "$WORK/open.yaml" >"$WORK/missing.yaml"
expect_error 2 "nothere.stl: cannot open the STL file" "$MPS" run "$WORK/missing.yaml" -o "$WORK/out_missing"
finish
