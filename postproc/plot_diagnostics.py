#!/usr/bin/python3
# (Debian's python3: matplotlib comes from the python3-matplotlib package.)
"""Time series of one or more runs from their diagnostics.csv (matplotlib, no display needed).

  plot_diagnostics.py RUN_DIR [RUN_DIR ...] [-o OUT.png]

Four panels against simulated time (us): particles in the domain by state; particles injected,
escaped and captured (cumulative); maximum particle temperature (K); mass injected, escaped,
captured (ug, cumulative). Several runs share the panels, told apart by colour (legend: the run
title from summary.json, else the folder name). Default output: RUN_DIR/plots/diagnostics.png.
"""
import argparse
import csv
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_columns(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise SystemExit(f"plot_diagnostics: {path} has no rows")
    return {k: [float(r[k]) for r in rows] for k in rows[0]}


def label_of(run):
    """Run title from summary.json; for a run of a sweep (scripts/sweep), its varied values."""
    sweep = os.path.join(os.path.dirname(os.path.abspath(run)), "sweep.json")
    name = os.path.basename(os.path.normpath(run))
    if os.path.isfile(sweep) and name.startswith("run_"):
        try:
            with open(sweep) as f:
                values = json.load(f)["runs"][int(name[4:])]
            return f"{name}: " + ", ".join(f"{k.split('.')[-1] if k.count('.') == 1 else k} = {v}"
                                           for k, v in values.items())
        except (OSError, ValueError, KeyError, IndexError):
            pass
    try:
        with open(os.path.join(run, "summary.json")) as f:
            title = json.load(f).get("title", "")
    except (OSError, ValueError):
        title = ""
    name = os.path.basename(os.path.normpath(run))
    return f"{name}: {title}" if title else name


def column(c, name):
    return c.get(name, [0.0] * len(c["time_s"]))


def plot(runs, out):
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5), sharex=True)
    (ax_live, ax_count), (ax_temp, ax_mass) = axes
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, run in enumerate(runs):
        c = read_columns(os.path.join(run, "diagnostics.csv"))
        t = [x * 1e6 for x in c["time_s"]]
        col = colours[k % len(colours)]
        lab = label_of(run) if len(runs) > 1 else None
        ax_live.plot(t, c["flying"], color=col, label=f"flying{'' if lab is None else ' - ' + lab}")
        if max(c.get("in_rotor", [0])) > 0:
            ax_live.plot(t, c["in_rotor"], color=col, ls="--", label="in rotor")
        if max(c.get("feeding", [0])) > 0:
            ax_live.plot(t, c["feeding"], color=col, ls=":", label="feeding")
        ax_count.plot(t, column(c, "injector.injected_count"), color=col, label="injected")
        ax_count.plot(t, column(c, "solver.removed_count_escaped"), color=col, ls="--", label="escaped")
        ax_count.plot(t, column(c, "solver.removed_count_captured"), color=col, ls=":", label="captured")
        tmax = [x if x > 0 else float("nan") for x in c["max_temperature_K"]]  # 0 K: no particle yet
        ax_temp.plot(t, tmax, color=col, label=lab or "maximum over particles")
        ax_mass.plot(t, [x * 1e9 for x in column(c, "injector.injected_mass_kg")], color=col, label="injected")
        ax_mass.plot(t, [x * 1e9 for x in column(c, "solver.removed_mass_kg_escaped")], color=col, ls="--", label="escaped")
        ax_mass.plot(t, [x * 1e9 for x in column(c, "solver.removed_mass_kg_captured")], color=col, ls=":", label="captured")
    ax_live.set(title="Particles in the domain", ylabel="particles")
    ax_count.set(title="Particles injected and removed (cumulative)", ylabel="particles")
    ax_temp.set(title="Hottest particle", ylabel="maximum temperature (K)", xlabel="simulated time (us)")
    ax_mass.set(title="Mass injected and removed (cumulative)", ylabel="mass (ug)", xlabel="simulated time (us)")
    for ax in axes.flat:
        ax.grid(alpha=0.3)
        handles, labels = ax.get_legend_handles_labels()
        seen = {}
        for h, l in zip(handles, labels):
            seen.setdefault(l, h)
        if seen:
            ax.legend(seen.values(), seen.keys(), fontsize=8)
    if len(runs) == 1:
        fig.suptitle(f"mpstream diagnostics - {label_of(runs[0])}", fontsize=11)
    else:
        fig.suptitle(f"mpstream diagnostics - {len(runs)} runs (colour = run)", fontsize=11)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("runs", nargs="+", help="run output folders (with diagnostics.csv)")
    p.add_argument("-o", "--output", help="PNG file (default RUN_DIR/plots/diagnostics.png)")
    a = p.parse_args()
    plot(a.runs, a.output or os.path.join(a.runs[0], "plots", "diagnostics.png"))


if __name__ == "__main__":
    main()
