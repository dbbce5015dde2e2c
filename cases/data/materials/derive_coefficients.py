#!/usr/bin/env python3
"""Derives the coefficients of molybdenum.yaml and tantalum.yaml from their published sources.

The data files hold fits of the form used by physics/materials/material.hpp,
    f(T) = sum_k a_k (T - t0)^k + b / T^2        (SI, per kg),
and an Antoine law log10(p / Pa) = A - B / (T + C). This script turns the published expressions
into that form, so every number in the YAML files can be regenerated and checked:

  * cp and the latent heat of fusion from the SGTE unary Gibbs energies (A.T. Dinsdale, CALPHAD 15
    (1991) 317): G = a + b T + c T lnT + d T^2 + e T^3 + f / T + g T^4 (+ h T^7) gives
    cp = -T d2G/dT2 = -c - 2 d T - 6 e T^2 - 12 g T^3 - 2 f / T^2 (exact, no fit) and
    dH_fus = H_liq(Tm) - H_bcc(Tm) with H = G - T dG/dT.
  * Least-squares fits (printed with their largest residual) where a source gives a table or a
    law of another form: Mo thermal conductivity (TPRC table), Antoine coefficients (Mo: Alcock
    et al. law; Ta: CRC vapour-pressure table).

Run: /usr/bin/python3 cases/data/materials/derive_coefficients.py   (needs numpy)
"""
import math

import numpy as np

R = 8.314462618  # J/(mol K), CODATA 2018

# ---------------------------------------------------------------------------------------------
# SGTE unary data (Dinsdale 1991), J/mol; tuples (a, b, c, d, e, f, g, h) for
# a + b T + c T lnT + d T^2 + e T^3 + f/T + g T^4 + h T^7
MO_BCC = (-7746.302, 131.9197, -23.56414, -3.443396e-3, 0.566283e-6, 65812.0, -0.130927e-9, 0.0)
MO_LIQ_BELOW_TM = (-7746.302 + 41831.347, 131.9197 - 14.694912, -23.56414, -3.443396e-3,
                   0.566283e-6, 65812.0, -0.130927e-9, 4.24519e-22)
MO_LIQ = (3538.963, 271.6697, -42.63829, 0.0, 0.0, 0.0, 0.0, 0.0)  # above Tm = 2896 K
TA_BCC = [  # pieces 298.15-1300 K, 1300-2500 K, 2500-3290 K
    (-7285.889, 119.139857, -23.7592624, -2.623033e-3, 0.170109e-6, -3293.0, 0.0, 0.0),
    (-22389.955, 243.88676, -41.137088, 6.167572e-3, -0.655136e-6, 2429586.0, 0.0, 0.0),
    (229382.886, -722.59722, 78.5244752, -17.983376e-3, 0.195033e-6, -93813648.0, 0.0, 0.0)]
TA_LIQ = (-6314.543, 258.110873, -41.84, 0.0, 0.0, 0.0, 0.0, 0.0)  # above Tm = 3290 K


def gibbs(p, T):
    a, b, c, d, e, f, g, h = p
    return a + b * T + c * T * math.log(T) + d * T**2 + e * T**3 + f / T + g * T**4 + h * T**7


def enthalpy(p, T):  # H = G - T dG/dT
    a, b, c, d, e, f, g, h = p
    return a - c * T - d * T**2 - 2 * e * T**3 + 2 * f / T - 3 * g * T**4 - 6 * h * T**7


def cp_coefficients(p):  # cp = a0 + a1 T + a2 T^2 + a3 T^3 + b / T^2, J/(mol K)
    a, b, c, d, e, f, g, h = p
    assert h == 0.0
    return [-c, -2 * d, -6 * e, -12 * g], -2 * f


def per_kg(p, molar_mass):
    a, b = cp_coefficients(p)
    return [x / molar_mass for x in a], b / molar_mass


def show_cp(label, p, molar_mass):
    a, b = per_kg(p, molar_mass)
    print(f"  {label}: a = [{', '.join(f'{x:.10g}' for x in a)}], b = {b:.10g}")


def antoine_fit(T, log10p):
    """log10 p = A - B / (T + C): linear in (A, B) for a given C; C by a golden-section search."""
    def solve(C):
        M = np.column_stack([np.ones_like(T), -1.0 / (T + C)])
        coef, *_ = np.linalg.lstsq(M, log10p, rcond=None)
        return coef, np.max(np.abs(M @ coef - log10p))
    lo, hi = -1500.0, 1500.0
    for _ in range(200):
        m1, m2 = lo + 0.382 * (hi - lo), lo + 0.618 * (hi - lo)
        if solve(m1)[1] < solve(m2)[1]:
            hi = m2
        else:
            lo = m1
    C = 0.5 * (lo + hi)
    (A, B), err = solve(C)
    return A, B, C, err


def main():
    print("== molybdenum (M = 95.95 g/mol, IUPAC 2013; Tm = 2896 K)")
    M = 95.95e-3
    show_cp("cp solid (SGTE bcc, 298.15-2896 K)", MO_BCC, M)
    show_cp("cp liquid (SGTE liquid above Tm)", MO_LIQ, M)
    dh = enthalpy(MO_LIQ, 2896.0) - enthalpy(MO_BCC, 2896.0)
    dh_low = enthalpy(MO_LIQ_BELOW_TM, 2896.0) - enthalpy(MO_BCC, 2896.0)
    print(f"  dH_fus at Tm = {dh:.1f} J/mol (from the liquid expression below Tm: {dh_low:.1f})"
          f" -> {dh / M:.1f} J/kg")
    # Thermal conductivity: TPRC recommended values (Touloukian et al., TPRC Data Series vol. 1,
    # 1970, as tabulated in ORNL TRANSFORM-Library Media/Solids/Molybdenum), 300-2800 K.
    Tk = np.array([300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500, 1600,
                   1700, 1800, 1900, 2000, 2200, 2400, 2600, 2800], float)
    kk = np.array([138, 134, 130, 126, 122, 118, 115, 112, 108, 105, 102, 99.6, 97.0, 94.6, 92.5,
                   90.7, 89.3, 88.3, 85.8, 84.0, 82.5, 81.3])
    Mx = np.column_stack([np.ones_like(Tk), Tk, Tk**2, Tk**3])
    ck, *_ = np.linalg.lstsq(Mx, kk, rcond=None)
    rel = np.max(np.abs(Mx @ ck - kk) / kk)
    print(f"  k solid: a = [{', '.join(f'{x:.8g}' for x in ck)}]  (max deviation {100 * rel:.2f} %)")
    print(f"  k solid at Tm = {np.polyval(ck[::-1], 2896.0):.2f} W/(m K)")
    # Vapour pressure: Alcock, Itkin & Horrigan, Can. Metall. Q. 23 (1984) 309, solid Mo:
    # log10(p/atm) = 11.529 - 34626/T - 1.1331 log10(T); Antoine fit over 2000-4000 K
    T = np.linspace(2000.0, 4000.0, 201)
    lp = 11.529 - 34626.0 / T - 1.1331 * np.log10(T) + math.log10(101325.0)
    A, B, C, err = antoine_fit(T, lp)
    print(f"  Antoine: A = {A:.6f}, B = {B:.4f} K, C = {C:.4f} K (max |d log10 p| = {err:.2e})")
    # Enthalpy of sublimation by Clausius-Clapeyron on the Alcock law:
    # dH = R T^2 dln p/dT = R (ln10 * 34626 - 1.1331 T)
    print(f"  dH_vap = {R * math.log(10) * 34626.0:.1f} - {R * 1.1331:.5f} T J/mol -> "
          f"a = [{R * math.log(10) * 34626.0 / M:.6g}, {-R * 1.1331 / M:.6g}] J/kg")
    rho_s_tm = 10220.0 * (1 - 3 * 4.9e-6 * (2896.0 - 293.15))
    print(f"  density: solid at Tm {rho_s_tm:.1f}, liquid at Tm (5.5 % volume jump) "
          f"{rho_s_tm / 1.055:.1f} kg/m^3")

    print("== tantalum (M = 180.94788 g/mol, IUPAC 2013; Tm = 3290 K)")
    M = 180.94788e-3
    for i, p in enumerate(TA_BCC):
        show_cp(f"cp solid piece {i}", p, M)
    show_cp("cp liquid", TA_LIQ, M)
    dh = enthalpy(TA_LIQ, 3290.0) - enthalpy(TA_BCC[2], 3290.0)
    print(f"  dH_fus at Tm = {dh:.1f} J/mol -> {dh / M:.1f} J/kg")
    for T0, (p, q) in ((1300.0, TA_BCC[0:2]), (2500.0, TA_BCC[1:3])):
        print(f"  enthalpy jump between SGTE pieces at {T0} K: "
              f"{enthalpy(q, T0) - enthalpy(p, T0):.4f} J/mol")
    # Vapour pressure: CRC Handbook (after Alcock et al. 1984) temperatures at 1 Pa ... 100 kPa
    # as tabulated in the tantalum element infobox (Wikipedia, CRC source).
    T = np.array([3297.0, 3597.0, 3957.0, 4395.0, 4939.0, 5634.0])
    lp = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    A, B, C, err = antoine_fit(T, lp)
    print(f"  Antoine: A = {A:.6f}, B = {B:.4f} K, C = {C:.4f} K (max |d log10 p| = {err:.2e})")
    # Enthalpy of vaporisation by Clausius-Clapeyron on that Antoine law, linear fit 3000-5700 K
    Tv = np.linspace(3000.0, 5700.0, 100)
    dH = R * math.log(10) * B * Tv**2 / (Tv + C)**2
    c1, c0 = np.polyfit(Tv, dH, 1)
    print(f"  dH_vap = {c0:.1f} + {c1:.5f} T J/mol (fit, max dev "
          f"{np.max(np.abs(c0 + c1 * Tv - dH)) / 1e3:.2f} kJ/mol) -> a = [{c0 / M:.6g}, "
          f"{c1 / M:.6g}] J/kg; at 298.15 K {(c0 + c1 * 298.15) / 1e3:.1f} kJ/mol")


if __name__ == "__main__":
    main()
