// X-ray source figures of merit: focal-spot size by the IEC 60336 line-spread-function rule,
// the modulation transfer function, and the permitted input power of a microparticle stream
// compared with a rotating anode (Mueller-Oosterkamp surface-heating law).
//
// Sources: IEC 60336 (5th ed., 2020), focal-spot dimensions from the 15 % level of the line
// spread function (LSF); the paper (Behling et al. 2024, Methods and Fig. 6-7) for the volume-
// heating permitted power P = rho dh v L_CS / zeta_peak and its 25 kW reference; W. J. Oosterkamp,
// Philips Res. Rep. 3, 49 and 161 (1948) for the surface-heating law P ~ L_CS sqrt(W_CS v).
#pragma once

#include <vector>

namespace mps::fom {

// Width of a sampled line spread function by the IEC 60336 rule: the distance between the
// outermost positions where the LSF equals `level` (default 15 %) of its maximum, with linear
// interpolation between samples. `x` must be increasing.
double lsf_width(const std::vector<double>& x, const std::vector<double>& lsf, double level = 0.15);

// Line spread functions of a 2-D intensity map I[j * nx + i] on a uniform grid: integrate over
// the other axis.
std::vector<double> lsf_along_x(const std::vector<double>& map, int nx, int ny);
std::vector<double> lsf_along_y(const std::vector<double>& map, int nx, int ny);

// MTF(f) = |integral LSF(x) exp(-2 pi i f x) dx| / integral LSF, by direct quadrature of the
// sampled LSF (trapezoid; the LSF is treated as piecewise linear).
double mtf(const std::vector<double>& x, const std::vector<double>& lsf, double f);
// Spatial frequency where the MTF first falls to `level` (bisection on the first lobe).
double mtf_frequency_at(const std::vector<double>& x, const std::vector<double>& lsf, double level,
                        double f_max);

// Permitted input power of a thick microparticle stream (paper, Methods; DESIGN.md section 5):
// particles crossing the focal-spot width in the dwell time W_CS / v heat at the depth of peak
// power density by dh = p_FS zeta_peak (W_CS / v) / rho, so P = rho dh v L_CS / zeta_peak.
// rho: density (kg/m3), dh: allowed specific enthalpy rise (J/kg), v (m/s), L_CS (m),
// zeta_peak (1/m, for the compact material).
double permitted_power_stream(double rho, double dh, double v, double length_cs, double zeta_peak);

// Rotating anode, Mueller-Oosterkamp surface heating: P = P_ref (L/L_ref) sqrt((W/W_ref)(v/v_ref)).
// Scaling both focal-spot dimensions by s multiplies the power by s^1.5, so to take a power
// G P_ref at the same shape the spot must grow by G^(2/3).
double rotating_anode_power(double p_ref, double length_ratio, double width_ratio,
                            double speed_ratio);
double rotating_anode_enlargement_for_gain(double gain);

// Largest focal-spot width and (projected) length permitted for a nominal focal-spot value by
// IEC 60336 (table of nominal values 0.1 ... 2.0). For 1.1 it gives 1.5 mm x 2.2 mm, which is the
// paper's "maximum physical width of 1.5 mm and real length of 15.8 mm at 8 degrees"
// (15.8 mm sin 8 deg = 2.2 mm). Throws InputError for a value not in the table.
struct NominalSpot {
  double width_m, length_m;
};
NominalSpot iec_nominal_focal_spot(double nominal);

// Rotating-anode power for a focal spot of physical length L_CS and width W_CS, scaled from a
// reference tube of power p_ref at a nominal spot at target angle alpha_ref (Mueller-Oosterkamp
// at the same track speed): the paper's 25 kW for 0.3 nominal at 8 degrees.
double rotating_anode_reference_power(double length_cs, double width_cs, double p_ref = 25e3,
                                      double ref_nominal = 0.3,
                                      double ref_target_angle = 0.13962634015954636);

// The paper's fit of the gain for a 0.3 / 8 degree focal spot (Fig. 6b): G = 1.970e-5 v U^1.4649
// (v in m/s, U in kV), within 5 % of its point-wise simulation. For comparison only.
double paper_gain_fit(double v_m_per_s, double u_kv);

}  // namespace mps::fom
