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

  plot_paper.py mtf OUT.png --gain G [--voltage-kV 100]
      Fig. 7b: MTF in the focal-spot plane (IEC 60336, rectangular line-spread functions) along
      the width of the 0.3 nominal microparticle spot (W = 0.45 mm) and of the rotating-anode
      spot that takes the same power: Mueller-Oosterkamp (P ~ L sqrt(W)) needs both dimensions
      scaled by G^(2/3). G from `mpstream gain --voltage 100kV --json`.

  plot_paper.py fig4 DIR        Fig. 4a-c (+ bottom rows of 4d-e) from `mpstream study
                                cases/paper/fig4-sphere-charging.yaml -o DIR`
  plot_paper.py fig5 DIR        Fig. 5a (+ the X-ray production depth of 5b) from the
                                fig5a-depth-dose.yaml study
  plot_paper.py fig6b DIR [--confirm CSV]
                                Fig. 6b from the fig6b-gain-map.yaml study (gain_map.csv), with
                                the full-run points of postproc/confirm-gain
  plot_paper.py fig7b DIR       Fig. 7b from the fig7b-mtf.yaml study (mtf.csv)
  Each writes its PNG(s) and DIR/comparison.md (mpstream beside the paper's numbers, with the
  place in the paper each number comes from) into DIR.
"""
import argparse
import csv
import glob
import json
import os

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


def plot_mtf(out, gain, voltage_kv):
    # IEC 60336: the 0.3 nominal spot is at most 0.45 mm wide; a rectangular LSF of width a has
    # MTF(f) = |sinc(a f)|
    f = np.linspace(0, 5, 500)  # line pairs per mm in the focal-spot plane
    w_stream = 0.45
    w_anode = w_stream * gain ** (2.0 / 3.0)
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    ax.plot(f, np.abs(np.sinc(w_stream * f)), lw=2.2,
            label=f"microparticle stream, W = {w_stream:.2f} mm")
    ax.plot(f, np.abs(np.sinc(w_anode * f)), "--",
            label=f"rotating anode at equal power, W = {w_anode:.2f} mm (G = {gain:.2f})")
    ax.axhline(0.5, color="grey", lw=0.8)
    ax.set_xlabel("spatial frequency in the focal-spot plane (lp/mm)")
    ax.set_ylabel("MTF (width direction)")
    ax.set_title(f"MTF at equal input power, {voltage_kv:g} kV, 400 m/s, 0.3/8 deg\n"
                 "(rectangular LSF, IEC 60336; Behling et al. 2024, Fig. 7b)", fontsize=9)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


# ---------------------------------------------------------------------------------------------
# Figures from `mpstream study` outputs (cases/paper/fig*.yaml), each with a comparison table.
PAPER = "Behling et al. 2024, Commun. Eng., doi:10.1038/s44172-024-00323-z"


def read_csv_columns(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    out = {}
    for k in rows[0]:
        try:
            out[k] = np.array([float(r[k]) for r in rows])
        except ValueError:  # a text column (e.g. the limit of confirm_gain.csv)
            out[k] = np.array([r[k] for r in rows])
    return out


def read_json(path):
    with open(path) as f:
        return json.load(f)


def write_table(path, title, rows, note=""):
    """rows: (quantity, mpstream, paper, source) tuples -> Markdown table."""
    lines = [f"### {title}", "", "| quantity | mpstream | paper / reference | source |",
             "|---|---|---|---|"]
    lines += [f"| {q} | {m} | {p} | {src} |" for q, m, p, src in rows]
    if note:
        lines += ["", note]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"wrote {path}")


def study_runs(d):
    return [os.path.join(d, r) for r in read_json(os.path.join(d, "study.json"))["result"]["runs"]]


def interp_log(e_eV, y, e0):
    return float(np.interp(np.log(e0), np.log(e_eV), y))


def fig4(d):
    runs = sorted(study_runs(d), key=lambda r: read_json(os.path.join(r, "summary.json"))["diameter_m"])
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    dia, thr, thr_se, absorbed, bs150, ab150, out_max = [], [], [], [], [], [], []
    for r in runs:
        s = read_json(os.path.join(r, "summary.json"))
        c = read_csv_columns(os.path.join(r, "charging.csv"))
        e = c["energy_eV"] / 1e3
        um = s["diameter_m"] * 1e6
        for ax in axes:
            line, = ax.plot(e, 100 * c["fast_charge_per_primary"], "o-", ms=3,
                            label=f"{um:g} um (fast electrons: paper's definition)")
            ax.plot(e, 100 * c["net_charge_per_primary"], "--", color=line.get_color(), lw=0.8,
                    label=f"{um:g} um (with slow secondaries)")
        dia.append(um)
        thr.append((s.get("fast_threshold_energy_eV") or np.nan) / 1e3)
        thr_se.append((s.get("threshold_energy_eV") or np.nan) / 1e3)
        absorbed.append(100 * (s.get("fast_absorbed_energy_fraction") or np.nan))
        bs150.append(100 * interp_log(c["energy_eV"], c["electrons_out_per_primary"], 150e3))
        ab150.append(100 * interp_log(c["energy_eV"], c["absorbed_energy_fraction"], 150e3))
        out_max.append(100 * float(np.max(c["electrons_out_per_primary"])))
    for ax in axes:
        ax.axhline(0, color="k", lw=0.6)
        ax.set_xlabel("primary electron energy (keV)")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("charging per primary electron (%)\n(> 0: negative charging)")
    axes[0].set_title("Fig. 4a: free W spheres (mpstream transport)", fontsize=9)
    axes[1].set_ylim(-15, 15)
    axes[1].set_title("Fig. 4b: zoom on the vertical axis", fontsize=9)
    axes[1].legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(os.path.join(d, "fig4ab_charging.png"), dpi=120)

    fig, ax = plt.subplots(1, 2, figsize=(11, 4.2))
    ax[0].plot(dia, thr, "o-", label="threshold, fast electrons (paper's definition)")
    ax[0].plot(dia, thr_se, "s--", label="threshold, with slow secondaries")
    ax[0].set_xlabel("sphere diameter (um)")
    ax[0].set_ylabel("primary threshold energy (keV)")
    ax[0].set_xscale("log")
    a2 = ax[0].twinx()
    a2.plot(dia, absorbed, "^:", color="C3", label="absorbed energy at the fast threshold (%)")
    a2.axhline(11, color="C3", lw=0.8, ls="--", label="paper: about 11 % (text to Fig. 4c)")
    a2.set_ylabel("absorbed energy (%)")
    a2.set_ylim(0, max(25, np.nanmax(absorbed) * 1.2))
    h1, l1 = ax[0].get_legend_handles_labels()
    h2, l2 = a2.get_legend_handles_labels()
    ax[0].legend(h1 + h2, l1 + l2, fontsize=7, loc="upper left")
    ax[0].set_title("Fig. 4c: neutrality threshold and absorbed energy", fontsize=9)
    ax[1].plot(dia, bs150, "o-", label="electrons out per primary (%)")
    ax[1].plot(dia, ab150, "s-", label="absorbed energy (%)")
    ax[1].set_xscale("log")
    ax[1].set_xlabel("sphere diameter (um)")
    ax[1].set_ylabel("% at 150 keV")
    ax[1].set_title("Fig. 4d-e bottom rows: 150 keV primaries (paper: backscatter falls\n"
                    "and absorption rises with size, toward the bulk)", fontsize=9)
    ax[1].legend(fontsize=7)
    ax[1].grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(d, "fig4c_threshold.png"), dpi=120)
    print(f"wrote {d}/fig4ab_charging.png, {d}/fig4c_threshold.png")
    rows = [("neutrality threshold (fast electrons), " + ", ".join(f"{x:g}" for x in dia) + " um",
             ", ".join(f"{t:.0f}" for t in thr) + " keV",
             "\"well-defined\", \"in the relevant range for diagnostic imaging\" (no number in the text)",
             "Fig. 4c, text")]
    rows.append(("threshold with slow secondaries",
                 ", ".join("none in the scan" if np.isnan(t) else f"{t:.0f}" for t in thr_se) + " keV",
                 "not simulated (Casino counts fast electrons)", "Methods"))
    rows.append(("absorbed energy at the threshold", ", ".join(f"{a:.1f}" for a in absorbed) + " %",
                 "about 11 % for the investigated sizes", "text to Fig. 4c"))
    rows.append(("max. electrons out per primary (20-300 keV)", ", ".join(f"{o:.1f}" for o in out_max) + " %",
                 "slightly exceeds 100 % above the threshold", "text to Fig. 4a-b"))
    rows.append(("electrons out per primary at 150 keV", ", ".join(f"{b:.1f}" for b in bs150) + " %",
                 "decreases with size, toward the bulk", "Fig. 4d, text"))
    rows.append(("absorbed energy at 150 keV", ", ".join(f"{a:.1f}" for a in ab150) + " %",
                 "increases with size", "Fig. 4e"))
    write_table(os.path.join(d, "comparison.md"), "Fig. 4a-c: charging of free W spheres", rows,
                f"Values per diameter in the order {', '.join(f'{x:g}' for x in dia)} um; {PAPER}.")


def depth_figures(h, z):
    """Peak (3-bin smoothed) and d15 beyond it, as physics/transport/tallies.cpp does."""
    zs = np.convolve(z, np.ones(3) / 3, mode="same")
    k = int(np.argmax(zs))
    peak = zs[k]
    d15 = np.nan
    for i in range(k, len(z) - 1):
        if zs[i] >= 0.15 * peak > zs[i + 1]:
            d15 = h[i] + (zs[i] - 0.15 * peak) / (zs[i] - zs[i + 1]) * (h[i + 1] - h[i])
            break
    return h[k], peak, d15


# NIST ESTAR CSDA ranges of tungsten (DESIGN.md section 5)
ESTAR_CSDA_UM = {100: 15.4, 150: 29.4, 300: 83.5}


def fig5(d):
    runs = sorted(study_runs(d), key=lambda r: read_json(os.path.join(r, "summary.json"))["energy_eV"])
    fig, ax = plt.subplots(1, 2, figsize=(11, 4.2))
    rows = []
    for r in runs:
        s = read_json(os.path.join(r, "summary.json"))
        c = read_csv_columns(os.path.join(r, "depth_dose.csv"))
        kev = s["energy_eV"] / 1e3
        h_um = c["depth_m"] * 1e6
        line, = ax[0].plot(h_um, c["zeta_per_m"] / s["zeta_peak_per_m"],
                           label=f"{kev:.0f} keV: zeta_peak = {s['zeta_peak_per_m'] / 1e6:.3g} /um")
        frac = s["depth_peak_m"] / s["csda_range_m"]
        hx, px, dx = depth_figures(c["depth_m"], c["xray_production_per_m"])
        if abs(kev - 100) < 1:
            ax[1].plot(h_um, c["zeta_per_m"] / s["zeta_peak_per_m"], color=line.get_color(),
                       label="electronic power input zeta (mpstream)")
            ax[1].plot(h_um, c["xray_production_per_m"] / px, color="C5",
                       label="bremsstrahlung production (mpstream, unfiltered)")
            ax[1].axvline(s["depth15_m"] * 1e6, color=line.get_color(), ls=":", lw=0.8)
            ax[1].axvline(dx * 1e6, color="C5", ls=":", lw=0.8)
            ax[1].plot([4.85], [0.15], "kx", ms=8, label="paper: d15 of zeta = 4.85 um")
            ax[1].plot([3.47], [0.15], "k+", ms=10,
                       label="paper: d15 of filtered X-ray intensity = 3.47 um")
        paper_frac = {30: "8 %", 300: "6 %"}.get(round(kev), "between 8 and 6 %")
        rows.append((f"{kev:.0f} keV: peak depth / CSDA range",
                     f"{100 * frac:.1f} % ({s['depth_peak_m'] * 1e6:.3g} um of {s['csda_range_m'] * 1e6:.3g} um)",
                     paper_frac, "Methods"))
        ref = ESTAR_CSDA_UM.get(round(kev))
        if ref:
            rows.append((f"{kev:.0f} keV: CSDA range", f"{s['csda_range_m'] * 1e6:.2f} um",
                         f"{ref} um (NIST ESTAR)", "DESIGN.md 5"))
        rows.append((f"{kev:.0f} keV: zeta_peak, d15, eta (number / energy)",
                     f"{s['zeta_peak_per_m'] / 1e6:.4g} /um, {s['depth15_m'] * 1e6:.3g} um, "
                     f"{s['backscatter_number']:.3f} / {s['backscatter_energy']:.3f}",
                     "4.85 um (d15, 100 keV); eta of W close to 0.5" if abs(kev - 100) < 1
                     else "zeta_peak in the boxes of Fig. 5a (not in the text); eta close to 0.5",
                     "Fig. 5b caption; DESIGN.md 5"))
        if abs(kev - 100) < 1:
            rows.append(("100 keV: d15 of the X-ray production", f"{dx * 1e6:.3g} um (unfiltered, at production)",
                         "3.47 um (SpekPy, central beam, 2.5 mm Al filter)", "Fig. 5b caption"))
    ax[0].axhline(0.15, color="grey", lw=0.5, ls="--")
    ax[0].set_xscale("log")
    ax[0].set_xlim(0.02, 200)
    ax[0].set_ylim(0, 1.1)
    ax[0].set_xlabel("depth h in compact W (um)")
    ax[0].set_ylabel("zeta_W(E, h) / zeta_W(E, d_peak)")
    ax[0].set_title("Fig. 5a: depth-dose of compact tungsten (mpstream transport)", fontsize=9)
    ax[0].legend(fontsize=7)
    ax[1].axhline(0.15, color="grey", lw=0.5, ls="--")
    ax[1].set_xlim(0, 15)
    ax[1].set_ylim(0, 1.1)
    ax[1].set_xlabel("depth h in compact W (um)")
    ax[1].set_ylabel("normalised to the peak")
    ax[1].set_title("Fig. 5b: 100 keV, power input and X-ray production vs depth", fontsize=9)
    ax[1].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(d, "fig5a_depth_dose.png"), dpi=120)
    print(f"wrote {d}/fig5a_depth_dose.png")
    write_table(os.path.join(d, "comparison.md"), "Fig. 5a: depth-dose of compact tungsten", rows,
                f"{PAPER}; mpstream: `transport bulk` with the histories in the study file.")


def fig6b(d, confirm):
    m = read_csv_columns(os.path.join(d, "gain_map.csv"))
    u = np.linspace(30, 300, 200)
    fig, ax = plt.subplots(figsize=(7, 5))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, v in enumerate(sorted(set(m["v_m_per_s"]))):
        sel = m["v_m_per_s"] == v
        ax.plot(u, gain_fit(v, u) * 100, color=colours[k], lw=1, label=f"paper fit, v = {v:g} m/s")
        ax.plot(m["U_kV"][sel], m["gain"][sel] * 100, "o", ms=3, color=colours[k],
                label=f"mpstream gain, v = {v:g} m/s")
        ax.plot(m["U_kV"][sel], m["gain_melting"][sel] * 100, "^", ms=3, mfc="none",
                color=colours[k], label=f"mpstream, melting permitted, v = {v:g} m/s")
    rows = []
    if confirm and os.path.exists(confirm):
        c = read_csv_columns(confirm)
        lim = list(c["limit"])
        solid = np.array([x == "solid" for x in lim])
        ax.plot(c["U_kV"][solid], c["gain_run"][solid] * 100, "k*", ms=11, mfc="none",
                label="full runs (postproc/confirm-gain)")
        ax.plot(c["U_kV"][~solid], c["gain_run"][~solid] * 100, "kP", ms=9, mfc="none",
                label="full run, melting permitted")
        for i in range(len(lim)):
            fitv = gain_fit(c["v_m_per_s"][i], c["U_kV"][i])
            rows.append((f"G at {c['U_kV'][i]:g} kV, {c['v_m_per_s'][i]:g} m/s ({lim[i]}): full run / gain",
                         f"{c['gain_run'][i]:.3f} / {c['gain_model'][i]:.3f} (ratio {c['ratio_run_to_model'][i]:.3f})",
                         (f"{fitv * 1.48:.3f} (fit x 1.48)" if lim[i] == "molten" else f"{fitv:.3f}"), "fit to Fig. 6b"))
    ax.axhline(100, color="k", ls="--", lw=1, label="reference rotating anode (25 kW = 100 %)")
    ax.set_yscale("log")
    ax.set_xlabel("tube voltage U (kV)")
    ax.set_ylabel("G_0.3: permitted input power (% of the reference tube)")
    ax.set_title("Fig. 6b: gain of a thick W microparticle stream over the rotating anode\n"
                 "(0.3 nominal / 8 deg; 100 C in, melting point out)\n"
                 "lines: G = 1.970e-5 v U^1.4649, " + PAPER, fontsize=8)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(os.path.join(d, "fig6b_gain_map.png"), dpi=120)
    print(f"wrote {d}/fig6b_gain_map.png")
    r = m["ratio_to_fit"]
    i150 = np.where((m["U_kV"] == 150) & (m["v_m_per_s"] == 400))[0]
    head = [("G / paper fit over 40-300 kV", f"{r.min():.3f} - {r.max():.3f}",
             "1 within 5 % (fit to the point-wise simulation)", "text to Fig. 6b"),
            ("melting bonus (complete melting permitted)",
             f"+{100 * m['melting_bonus'].min():.1f} %", "at least +48 %", "text to Fig. 6b")]
    if len(i150):
        k = i150[0]
        head += [("G at 150 kV, 400 m/s", f"{m['gain'][k]:.3f}", f"{m['paper_fit_gain'][k]:.3f}",
                  "fit to Fig. 6b"),
                 ("mass flow at 150 kV, 400 m/s, 90 % absorption",
                  f"{1e3 * m['mass_flow_kg_per_s'][k]:.0f} g/s", "about 260 g/s", "Derating section")]
    write_table(os.path.join(d, "comparison.md"), "Fig. 6b: gain map", head + rows,
                f"{PAPER}. Gain: `mpstream gain` model (response table, material model); full "
                "runs: the reference case at each point (postproc/confirm-gain).")


def fig7b(d):
    s = read_json(os.path.join(d, "study.json"))["result"]
    c = read_csv_columns(os.path.join(d, "mtf.csv"))
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    ax.plot(c["f_lp_per_mm"], c["mtf_stream"], lw=2.2,
            label=f"microparticle stream, W = {s['width_stream_m'] * 1e3:.2f} mm")
    ax.plot(c["f_lp_per_mm"], c["mtf_anode"], "--",
            label=f"rotating anode at equal power, W = {s['width_anode_m'] * 1e3:.2f} mm "
                  f"(G = {s['gain']:.2f})")
    for p in s["patterns"]:
        ax.axvline(p["f_lp_per_mm"], color="grey", lw=0.6, ls=":")
        ax.plot([p["f_lp_per_mm"]] * 2, [p["mtf_stream"], p["mtf_anode"]], "ko", ms=3)
    ax.axhline(0.5, color="grey", lw=0.8)
    ax.set_xlabel("spatial frequency in the focal-spot plane (lp/mm)")
    ax.set_ylabel("MTF (width direction)")
    ax.set_title("Fig. 7b: MTF at equal input power, 100 kV, 400 m/s, 0.3/8 deg\n"
                 "(rectangular LSF, IEC 60336; dotted: the paper's line patterns, " + PAPER + ")",
                 fontsize=8)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(d, "fig7b_mtf.png"), dpi=120)
    print(f"wrote {d}/fig7b_mtf.png")
    rows = [("gain at 100 kV, 400 m/s (sets the anode's spot)", f"{s['gain']:.3f}",
             f"{s['paper_fit_gain']:.3f} (fit)", "fit to Fig. 6b"),
            ("focal-spot width, stream / equal-power anode",
             f"{s['width_stream_m'] * 1e3:.3f} mm / {s['width_anode_m'] * 1e3:.3f} mm",
             f"0.45 mm / {0.45 * s['paper_fit_gain'] ** (2 / 3):.3f} mm (with the fit's G)",
             "IEC 60336; Mueller-Oosterkamp")]
    rows += [(f"MTF at {p['f_lp_per_mm']:g} lp/mm, stream / anode",
              f"{p['mtf_stream']:.3f} / {p['mtf_anode']:.3f}",
              "pattern resolved by the stream, blurred by the anode (inserts)", "Fig. 7b inserts")
             for p in s["patterns"]]
    rows.append(("MTF50, stream / anode", f"{s['mtf50_stream_lp_per_mm']:.3f} / "
                 f"{s['mtf50_anode_lp_per_mm']:.3f} lp/mm", "read from the curves only (no number in the text)",
                 "Fig. 7b"))
    write_table(os.path.join(d, "comparison.md"), "Fig. 7b: MTF at equal input power", rows,
                f"{PAPER}. The anode's MTF has its first zero at 1/W; above it |sinc| rises again "
                "(phase reversal), which is why its value at 2.0 lp/mm is not monotonic.")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="fig", required=True)
    g = sub.add_parser("gain")
    g.add_argument("out")
    g.add_argument("--points", help="CSV with U_kV, v_m_per_s, gain (fraction of 25 kW)")
    m = sub.add_parser("mtf")
    m.add_argument("out")
    m.add_argument("--gain", type=float, required=True, help="gain over the rotating anode")
    m.add_argument("--voltage-kV", type=float, default=100.0)
    for name in ("fig4", "fig5", "fig6b", "fig7b"):
        q = sub.add_parser(name)
        q.add_argument("dir", help="output folder of the study")
        if name == "fig6b":
            q.add_argument("--confirm", help="confirm_gain.csv of postproc/confirm-gain")
    a = p.parse_args()
    if a.fig == "gain":
        plot_gain(a.out, a.points)
    elif a.fig == "mtf":
        plot_mtf(a.out, a.gain, a.voltage_kV)
    elif a.fig == "fig4":
        fig4(a.dir)
    elif a.fig == "fig5":
        fig5(a.dir)
    elif a.fig == "fig6b":
        fig6b(a.dir, a.confirm)
    elif a.fig == "fig7b":
        fig7b(a.dir)


if __name__ == "__main__":
    main()
