#!/usr/bin/env python3
"""Plots of `mpstream transport` outputs (matplotlib, no display needed).

  plot_transport.py depth  OUT.png DIR [DIR ...]   depth-dose zeta(E, h) of bulk runs, normalised to
                                                   each peak (like Fig. 5a of the paper), peak values
                                                   in the legend
  plot_transport.py charge OUT.png DIR [DIR ...]   charging per primary vs energy of `threshold` runs
                                                   (like Fig. 4a-b): net charge with and without slow
                                                   secondaries, one curve per diameter
  plot_transport.py absorbed OUT.png DIR [...]     threshold energy and absorbed energy fraction vs
                                                   diameter (like Fig. 4c)
"""
import csv
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_csv(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {k: [float(r[k]) for r in rows] for k in rows[0]}


def read_summary(d):
    with open(os.path.join(d, "summary.json")) as f:
        return json.load(f)


def plot_depth(out, dirs):
    fig, ax = plt.subplots(figsize=(6, 4))
    for d in dirs:
        s = read_summary(d)
        c = read_csv(os.path.join(d, "depth_dose.csv"))
        peak = s["zeta_peak_per_m"]
        h_um = [h * 1e6 for h in c["depth_m"]]
        z = [v / peak for v in c["zeta_per_m"]]
        ax.plot(h_um, z, label=f'{s["energy_eV"] / 1e3:.0f} keV: zeta_peak = {peak:.3g} 1/m, '
                f'd15 = {s["depth15_m"] * 1e6:.2f} um')
    ax.axhline(0.15, color="grey", lw=0.5, ls="--")
    ax.set_xscale("log")
    ax.set_xlabel("depth h (um)")
    ax.set_ylabel("zeta(E, h) / zeta_peak")
    ax.set_ylim(0, 1.1)
    ax.legend(fontsize=7)
    ax.set_title("Depth-dose in compact tungsten (mpstream transport bulk)", fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=150)


def plot_charge(out, dirs):
    fig, ax = plt.subplots(figsize=(6, 4))
    for d in dirs:
        s = read_summary(d)
        c = read_csv(os.path.join(d, "charging.csv"))
        e = [x / 1e3 for x in c["energy_eV"]]
        lab = f'{s["diameter_m"] * 1e6:.3g} um'
        line, = ax.plot(e, [100 * q for q in c["net_charge_per_primary"]], label=lab + " (with slow SE)")
        ax.plot(e, [100 * q for q in c["fast_charge_per_primary"]], ls="--", color=line.get_color(),
                label=lab + " (fast electrons only)")
    ax.axhline(0, color="black", lw=0.5)
    ax.set_xlabel("primary energy (keV)")
    ax.set_ylabel("charging per primary electron (%)\n(> 0: sphere charges negatively)")
    ax.legend(fontsize=7)
    ax.set_title("Charging of free tungsten spheres (mpstream transport threshold)", fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=150)


def plot_absorbed(out, dirs):
    rows = sorted((read_summary(d) for d in dirs), key=lambda s: s["diameter_m"])
    dia = [s["diameter_m"] * 1e6 for s in rows]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(dia, [(s.get("fast_threshold_energy_eV") or float("nan")) / 1e3 for s in rows], "o-",
            label="threshold, fast electrons (keV)")
    ax.plot(dia, [(s.get("threshold_energy_eV") or float("nan")) / 1e3 for s in rows], "s-",
            label="threshold, with slow SE (keV)")
    ax.set_xlabel("sphere diameter (um)")
    ax.set_ylabel("threshold energy (keV)")
    ax2 = ax.twinx()
    ax2.plot(dia, [100 * (s.get("fast_absorbed_energy_fraction") or float("nan")) for s in rows],
             "o:", color="C3", label="absorbed at fast threshold (%)")
    ax2.set_ylabel("absorbed energy (%)")
    fig.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(out, dpi=150)


def main(argv):
    if len(argv) < 4 or argv[1] not in ("depth", "charge", "absorbed"):
        print(__doc__)
        return 2
    {"depth": plot_depth, "charge": plot_charge, "absorbed": plot_absorbed}[argv[1]](argv[2], argv[3:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
