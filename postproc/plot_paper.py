#!/usr/bin/python3
# (Debian's python3: matplotlib comes from the python3-matplotlib package.)
"""Figures of the paper (R. Behling et al. 2024, ../shared/paper/) redrawn from its stated fits,
with mpstream results laid over them where given (matplotlib, no display needed).

  plot_paper.py gain OUT.png [--points CSV]
      Fig. 6b: gain G_0.3 of permitted input power of a microparticle stream over the 25 kW of
      the reference rotating-anode CT tube (0.3 nominal focal spot, 8 deg), against tube voltage,
      one curve per particle speed, from the paper's fit G_0.3 = 1.970e-5 v U^1.4649 (v in m/s,
      U in kV; "deviation of less than 5 %" from the paper's point-wise simulation), with the
      +48 % of permitted melting as a shaded band. --points: a CSV with columns U_kV,
      v_m_per_s, gain (e.g. from a sweep) drawn as markers.
"""
import argparse
import csv

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

SPEEDS_M_PER_S = (100, 400, 1000)  # hybrid anode, magnetic rotor, electrostatic acceleration (DESIGN.md 5)


def gain_fit(v_m_per_s, u_kv):
    """Paper, text to Fig. 6b: G_0.3 = 1.970e-5 v U^1.4649 (relative to 25 kW)."""
    return 1.970e-5 * v_m_per_s * np.power(u_kv, 1.4649)


def plot_gain(out, points):
    u = np.linspace(30, 300, 200)
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, v in enumerate(SPEEDS_M_PER_S):
        g = gain_fit(v, u) * 100
        ax.plot(u, g, color=colours[k], label=f"v = {v} m/s (paper fit)")
        ax.fill_between(u, g, g * 1.48, color=colours[k], alpha=0.12)
    ax.axhline(100, color="k", ls="--", lw=1, label="reference rotating anode (25 kW = 100 %)")
    ax.fill_between([], [], [], color="grey", alpha=0.2, label="+48 % if melting is permitted")
    if points:
        with open(points) as f:
            rows = list(csv.DictReader(f))
        for k, v in enumerate(sorted({float(r["v_m_per_s"]) for r in rows})):
            sel = sorted((float(r["U_kV"]), float(r["gain"]) * 100) for r in rows if float(r["v_m_per_s"]) == v)
            ax.plot([x for x, _ in sel], [y for _, y in sel], "o", color=colours[(k + 3) % len(colours)],
                    label=f"mpstream, v = {v:g} m/s")
    ax.set_yscale("log")
    ax.set_xlabel("tube voltage U (kV)")
    ax.set_ylabel("permitted input power G_0.3 (% of reference tube)")
    ax.set_title("Permitted power of a W microparticle stream vs a rotating anode\n"
                 "(0.3 nominal spot, 8 deg; 100 C in, melting point out; Behling et al. 2024, Fig. 6b)",
                 fontsize=9)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="fig", required=True)
    g = sub.add_parser("gain")
    g.add_argument("out")
    g.add_argument("--points", help="CSV with U_kV, v_m_per_s, gain (fraction of 25 kW)")
    a = p.parse_args()
    if a.fig == "gain":
        plot_gain(a.out, a.points)


if __name__ == "__main__":
    main()
