#!/usr/bin/python3
# (Debian's python3: matplotlib comes from the python3-matplotlib package.)
"""One result of a sweep against one varied key (matplotlib, no display needed).

  plot_sweep.py SWEEP_DIR --y COLUMN [--x KEY] [-o OUT.png]

SWEEP_DIR is a folder of scripts/sweep (results.csv, sweep.json). --x is a varied key (default:
the first); every other varied key gives one line per value combination (legend). --y is any
numeric column of results.csv, e.g. particles_escaped, mass_escaped_kg, max_temperature_K,
particle_steps_per_second, tallies.injector.injected_mass_kg. Values with a unit suffix ("5 um")
are plotted in that unit; vectors ("[300 m/s, 0, 0]") by their first component.
Default output: SWEEP_DIR/plots/<y>_vs_<x>.png.
"""
import argparse
import csv
import json
import os
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

UNIT_IN_NAME = [("_per_s", "1/s"), ("_kg", "kg"), ("_K", "K"), ("_s", "s"), ("_m", "m"), ("_W", "W"),
                ("_J", "J"), ("_C", "C"), ("_A", "A"), ("_V", "V")]


def axis_label(column):
    """'max_temperature_K' -> 'max temperature (K)'; counts get '(count)'."""
    name = column.split(".")[-1] if column.startswith("tallies.") else column
    for suffix, unit in UNIT_IN_NAME:
        if name.endswith(suffix):
            return f"{name[: -len(suffix)].replace('_', ' ')} ({unit})"
    return f"{name.replace('_', ' ')} (count)" if "count" in name or name.startswith("particles") else name.replace("_", " ")


def value_and_unit(text):
    """'5 um' -> (5.0, 'um'); '[300 m/s, 0, 0]' -> (300.0, 'm/s'); '7' -> (7.0, '')."""
    m = re.match(r"\s*\[?\s*([-+0-9.eE]+)\s*([^,\]]*)", text)
    if not m:
        raise ValueError(text)
    return float(m.group(1)), m.group(2).strip()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("sweep", help="sweep output folder")
    p.add_argument("--y", required=True, help="column of results.csv")
    p.add_argument("--x", help="varied key on the horizontal axis (default: the first)")
    p.add_argument("--logx", action="store_true", help="logarithmic x axis (default: when the values span >= 100x)")
    p.add_argument("--logy", action="store_true")
    p.add_argument("-o", "--output")
    a = p.parse_args()
    with open(os.path.join(a.sweep, "sweep.json")) as f:
        sw = json.load(f)
    with open(os.path.join(a.sweep, "results.csv")) as f:
        rows = [r for r in csv.DictReader(f) if r["status"] == "completed"]
    if not rows:
        raise SystemExit("plot_sweep: no completed run in results.csv")
    if a.y not in rows[0]:
        raise SystemExit(f"plot_sweep: no column {a.y} (have {', '.join(rows[0])})")
    xkey = a.x or sw["keys"][0]
    others = [k for k in sw["keys"] if k != xkey]
    groups = {}
    for r in rows:
        groups.setdefault(tuple(r[k] for k in others), []).append(r)
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    unit = ""
    styles = [("o", "-", 8), ("s", "--", 6), ("^", ":", 5), ("D", "-.", 4)]  # overlapping lines stay visible
    for k, (label, rs) in enumerate(sorted(groups.items())):
        pts = sorted((value_and_unit(r[xkey])[0], float(r[a.y])) for r in rs)
        unit = value_and_unit(rs[0][xkey])[1]
        marker, line, size = styles[k % len(styles)]
        ax.plot([x for x, _ in pts], [y for _, y in pts], marker=marker, ls=line, ms=size,
                label=", ".join(f"{k} = {v}" for k, v in zip(others, label)) or None)
    xs = [value_and_unit(r[xkey])[0] for r in rows]
    if a.logx or (min(xs) > 0 and max(xs) / min(xs) >= 100):
        ax.set_xscale("log")
    if a.logy:
        ax.set_yscale("log")
    ax.set_xlabel(f"{xkey} ({unit})" if unit else xkey)
    ax.set_ylabel(axis_label(a.y))
    ax.set_title(f"sweep {sw['name']}: {axis_label(a.y)} vs {'.'.join(xkey.split('.')[-2:])}", fontsize=10)
    ax.grid(alpha=0.3)
    if others:
        ax.legend(fontsize=8)
    fig.tight_layout()
    out = a.output or os.path.join(a.sweep, "plots", f"{a.y}_vs_{xkey}.png")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
