# Render the particle stream of an mpstream run with ParaView (pvbatch from Debian's paraview).
#
#   postproc/pvbatch postproc/render_particles.py RUN_DIR [options]
#   (the wrapper runs pvbatch under xvfb-run with ParaView's Python modules; see postproc/pvbatch)
#
#   --arrays temperature_K,charge_C,liquid_fraction   point arrays to colour by (one PNG each;
#                                                     arrays the run does not have are skipped)
#   --time last|first|SECONDS                         snapshot of the stills (default last)
#   --animation                                       also every snapshot coloured by the first
#                                                     array: images/animation/*.png and a GIF
#   --state FILE.pvsm                                 also save a ParaView state users can open
#                                                     (File > Load State) showing the same view
#
# postproc/quickstart.pvsm is such a state for the quickstart, with the path made relative
# (out/quickstart/run.pvd): after `mpirun -n 2 build/mpstream run cases/quickstart.yaml`, from
# the top of the checkout: `paraview --state=postproc/quickstart.pvsm`.
#   --out DIR                                         default RUN_DIR/images
#   --size 1280x720
#
# The view looks across the stream (stream axis from case.resolved.yaml horizontal; looking down
# z, or along y when the stream runs along z) with the domain box as an outline, particles as
# spheres of constant screen size, a colour legend with the array's unit, the case title and the
# simulated time. run.pvd lists particles (part 0) and, with an electrostatics unit, grid fields
# (part 1, fields_NNNNNN.pvti) and electrode surfaces (part 2, surfaces.vtp): the script then
# writes one small .pvd per part into the output folder, shows the electrodes coloured by potential_V
# and a half-transparent slice of the potential through the middle of the domain under the
# particles.
import argparse
import glob
import os
import sys

import xml.etree.ElementTree as ET

from paraview.simple import (  # paraview.simple is ParaView's documented scripting API
    Box, ColorBy, CreateView, GetColorTransferFunction, GetScalarBar, PVDReader, Render,
    SaveScreenshot, SaveState, SetActiveView, Show, Slice, Text, XMLPolyDataReader)

LABELS = {
    "temperature_K": "Temperature (K)",
    "peak_temperature_K": "Peak temperature (K)",
    "charge_C": "Charge (C)",
    "liquid_fraction": "Liquid fraction (1)",
    "diameter_m": "Diameter (m)",
    "velocity_m_per_s": "Speed (m/s)",
    "beam_power_W": "Beam power (W)",
    "potential_V": "Potential (V)",
}


def parse_args():
    argv = sys.argv[1:]
    p = argparse.ArgumentParser(prog="pvbatch postproc/render_particles.py")
    p.add_argument("run", help="run output folder (with run.pvd)")
    p.add_argument("--arrays", default="temperature_K,charge_C,liquid_fraction")
    p.add_argument("--time", default="last")
    p.add_argument("--animation", action="store_true")
    p.add_argument("--state")
    p.add_argument("--out")
    p.add_argument("--size", default="1280x720")
    return p.parse_args(argv)


def read_domain(run):
    """Domain box lo, hi (m) from case.resolved.yaml, or None."""
    path = os.path.join(run, "case.resolved.yaml")
    try:
        import yaml
        with open(path) as f:
            c = yaml.safe_load(f)
        return [float(x) for x in c["domain"]["lo"]], [float(x) for x in c["domain"]["hi"]]
    except Exception:  # no file, no yaml module or no domain: draw without the box
        return None


def read_title(run):
    import json
    try:
        with open(os.path.join(run, "summary.json")) as f:
            return json.load(f).get("title", "")
    except Exception:
        return ""


def read_stream_axis(run):
    try:
        import yaml
        with open(os.path.join(run, "case.resolved.yaml")) as f:
            c = yaml.safe_load(f)
        return str(c["simulation"]["decomposition"]["stream_axis"])
    except Exception:
        return "x"


def split_pvd(pvd, out):
    """One .pvd per part of run.pvd (particles, fields, surfaces) in `out`, paths relative to it."""
    root = ET.parse(pvd).getroot()
    files = [ds.get("file", "") for ds in root.iter("DataSet")]
    if all(f.startswith("particles_") for f in files):
        return {"particles": pvd}  # particles only: run.pvd itself (a state file then names it)
    parts = {}
    for ds in root.iter("DataSet"):
        f = ds.get("file", "")
        kind = ("particles" if f.startswith("particles_") else "fields" if f.startswith("fields_")
                else "surfaces" if f.startswith("surfaces") else None)
        if kind:
            rel = os.path.relpath(os.path.join(os.path.dirname(pvd), f), out)
            parts.setdefault(kind, {})[float(ds.get("timestep", "0"))] = rel  # last entry of a time wins
    paths = {}
    for kind, entries in parts.items():
        path = os.path.join(out, f"{kind}.pvd")
        with open(path, "w") as fh:
            fh.write('<?xml version="1.0"?>\n<VTKFile type="Collection" version="0.1">\n  <Collection>\n')
            for t in sorted(entries):
                fh.write(f'    <DataSet timestep="{t!r}" group="" part="0" file="{entries[t]}"/>\n')
            fh.write("  </Collection>\n</VTKFile>\n")
        paths[kind] = path
    return paths


def cell_or_point(source, name):
    if name in point_arrays(source):
        return "POINTS"
    info = source.GetCellDataInformation()
    if any(info.GetArray(i).GetName() == name for i in range(info.GetNumberOfArrays())):
        return "CELLS"
    return None


def point_arrays(source):
    info = source.GetPointDataInformation()
    return {info.GetArray(i).GetName(): info.GetArray(i) for i in range(info.GetNumberOfArrays())}


def array_range(source, name, times):
    """Range of a point array over the given times (the colour scale of the stills and frames)."""
    lo, hi = float("inf"), float("-inf")
    for t in times:
        source.UpdatePipeline(t)
        arrays = point_arrays(source)
        if name in arrays:
            comp = -1 if arrays[name].GetNumberOfComponents() > 1 else 0
            a, b = arrays[name].GetRange(comp)
            lo, hi = min(lo, a), max(hi, b)
    if lo > hi:
        return 0.0, 1.0
    if hi - lo <= 1e-12 * max(abs(hi), 1e-300):  # a uniform field: widen so the legend reads
        pad = abs(hi) * 0.01 if hi != 0 else 1e-18
        return lo - pad, hi + pad
    return lo, hi


def main():
    a = parse_args()
    run = os.path.abspath(a.run)
    pvd = os.path.join(run, "run.pvd")
    if not os.path.isfile(pvd):
        sys.exit(f"render_particles: no {pvd}")
    out = os.path.abspath(a.out or os.path.join(run, "images"))
    os.makedirs(out, exist_ok=True)
    width, height = (int(x) for x in a.size.split("x"))

    series = split_pvd(pvd, out)
    if "particles" not in series:
        sys.exit(f"render_particles: {pvd} lists no particles_*.pvtp (was simulation.output.interval 0?)")
    reader = PVDReader(FileName=series["particles"])
    times = sorted({float(t) for t in reader.TimestepValues}) or [0.0]
    if a.time == "last":
        t_still = times[-1]
    elif a.time == "first":
        t_still = times[0]
    else:
        t_still = min(times, key=lambda t: abs(t - float(a.time)))

    view = CreateView("RenderView")
    view.ViewSize = [width, height]
    view.Background = [1, 1, 1]
    try:  # ParaView >= 5.10 uses a palette unless told otherwise
        view.UseColorPaletteForBackground = 0
    except AttributeError:
        pass
    view.OrientationAxesVisibility = 1
    SetActiveView(view)

    domain = read_domain(run)
    if domain:
        lo, hi = domain
        box = Box(XLength=hi[0] - lo[0], YLength=hi[1] - lo[1], ZLength=hi[2] - lo[2],
                  Center=[(lo[i] + hi[i]) / 2 for i in range(3)])
        bd = Show(box, view)
        bd.SetRepresentationType("Outline")
        bd.AmbientColor = bd.DiffuseColor = [0.3, 0.3, 0.3]
        bd.ColorArrayName = ["POINTS", ""]

    # Electrodes and the potential (runs with an electrostatics unit), under the particles.
    potential_lut = None
    if "surfaces" in series:
        surf = PVDReader(FileName=series["surfaces"])
        surf.UpdatePipeline(t_still)
        sd = Show(surf, view)
        sd.Opacity = 0.5
        assoc = cell_or_point(surf, "potential_V")
        if assoc:
            ColorBy(sd, (assoc, "potential_V"))
            potential_lut = GetColorTransferFunction("potential_V")
    normal = [0, 1, 0] if read_stream_axis(run) == "z" else [0, 0, 1]
    if "fields" in series:
        fields = PVDReader(FileName=series["fields"])
        fields.UpdatePipeline(t_still)
        if "potential_V" in point_arrays(fields) or cell_or_point(fields, "potential_V"):
            cut = Slice(Input=fields)
            cut.SliceType = "Plane"
            cut.SliceType.Normal = normal
            if domain:
                cut.SliceType.Origin = [(lo[i] + hi[i]) / 2 for i in range(3)]
            fd = Show(cut, view)
            ColorBy(fd, (cell_or_point(cut, "potential_V") or "POINTS", "potential_V"))
            fd.Opacity = 0.55
            potential_lut = GetColorTransferFunction("potential_V")
    if potential_lut is not None:
        potential_lut.ApplyPreset("Cool to Warm (Extended)", True)
        bar = GetScalarBar(potential_lut, view)
        bar.Title = LABELS["potential_V"]
        bar.ComponentTitle = ""
        bar.TitleColor = bar.LabelColor = [0, 0, 0]
        bar.WindowLocation = "Upper Right Corner"
        bar.Visibility = 1

    rd = Show(reader, view)
    rd.SetRepresentationType("Points")
    rd.PointSize = 3
    rd.RenderPointsAsSpheres = 1

    title = read_title(run)
    label = Text(Text=title or os.path.basename(run))
    ld = Show(label, view)
    ld.WindowLocation = "Upper Center"
    ld.FontSize = 16
    ld.Color = [0, 0, 0]
    clock = Text(Text="")
    cd = Show(clock, view)
    cd.WindowLocation = "Lower Left Corner"
    cd.FontSize = 14
    cd.Color = [0, 0, 0]

    # Camera: looking down -z on the x-y plane, the whole domain (or the particles) in view.
    reader.UpdatePipeline(t_still)
    view.ViewTime = t_still
    view.CameraFocalPoint = [0, 0, 0]
    if normal == [0, 1, 0]:  # stream along z: look along +y, z up
        view.CameraPosition = [0, -1, 0]
        view.CameraViewUp = [0, 0, 1]
    else:  # look down z, y up
        view.CameraPosition = [0, 0, 1]
        view.CameraViewUp = [0, 1, 0]
    view.CameraParallelProjection = 1  # a plan view: lengths read the same everywhere
    view.ResetCamera(False)
    Render(view)

    available = point_arrays(reader)
    wanted = [x for x in a.arrays.split(",") if x]
    written = []
    for name in wanted:
        if name not in available:
            print(f"render_particles: {name} not in this run (has {', '.join(sorted(available))}): skipped")
            continue
        rd.SetScalarBarVisibility(view, False)  # the previous array's legend
        ColorBy(rd, ("POINTS", name, "Magnitude") if available[name].GetNumberOfComponents() > 1 else ("POINTS", name))
        lut = GetColorTransferFunction(name)
        lut.ApplyPreset("Inferno (matplotlib)" if "temperature" in name else
                        "Cool to Warm" if name == "charge_C" else "Viridis (matplotlib)", True)
        lo_, hi_ = array_range(reader, name, times if a.animation else [t_still])
        lut.RescaleTransferFunction(lo_, hi_)
        try:
            lut.AutomaticRescaleRangeMode = "Never"
        except AttributeError:
            pass
        bar = GetScalarBar(lut, view)
        bar.Title = LABELS.get(name, name)
        bar.ComponentTitle = ""
        bar.TitleColor = bar.LabelColor = [0, 0, 0]
        bar.RangeLabelFormat = "%-.4g"
        bar.WindowLocation = "Lower Right Corner"
        rd.SetScalarBarVisibility(view, True)
        view.ViewTime = t_still
        clock.Text = f"t = {t_still * 1e6:.3f} us   (colour: {LABELS.get(name, name)})"
        Render(view)
        png = os.path.join(out, f"particles_{name}.png")
        SaveScreenshot(png, view, ImageResolution=[width, height])
        written.append(png)
        print(f"wrote {png}")
        if a.state and name == wanted[0]:
            state = os.path.abspath(a.state)
            SaveState(state)
            print(f"wrote {state} (ParaView: File > Load State)")
        if a.animation and name == wanted[0]:
            frames_dir = os.path.join(out, "animation")
            os.makedirs(frames_dir, exist_ok=True)
            for f in glob.glob(os.path.join(frames_dir, f"{name}_*.png")):
                os.remove(f)
            frames = []
            for k, t in enumerate(times):
                view.ViewTime = t
                clock.Text = f"t = {t * 1e6:.3f} us   (colour: {LABELS.get(name, name)})"
                Render(view)
                f = os.path.join(frames_dir, f"{name}_{k:04d}.png")
                SaveScreenshot(f, view, ImageResolution=[width, height])
                frames.append(f)
            print(f"wrote {len(frames)} frames to {frames_dir}")
            try:
                from PIL import Image
                imgs = [Image.open(f).convert("P", palette=Image.ADAPTIVE) for f in frames]
                gif = os.path.join(out, f"particles_{name}.gif")
                imgs[0].save(gif, save_all=True, append_images=imgs[1:], duration=250, loop=0)
                print(f"wrote {gif}")
            except ImportError:
                print("render_particles: no PIL (python3-pil): frames only, no GIF")
    if not written:
        sys.exit("render_particles: none of the arrays could be rendered")


main()
