// Permitted input power and gain of a thick microparticle stream over a rotating anode, computed
// in well under a second from the transport response table and the material model (the paper's
// Fig. 6b calculation, Methods): no time loop, no particles.
//
// Model (paper, Methods; DESIGN.md section 5): particles cross the focal-spot width W_CS at speed
// v, so the dwell is W_CS / v; at the depth of peak power density the specific enthalpy rises by
// p_FS zeta_peak W_CS / (v rho). Letting it rise from the entry temperature to the limit (the
// melting point, or complete melting when melting is permitted) gives
//     P = rho dh v L_CS / zeta_peak(U),
// independent of the packing density for a thick stream (zeta scales with density). The
// reference rotating anode takes 25 kW on a 0.3 nominal / 8 degree spot (Mueller-Oosterkamp),
// so G = P / P_RA. The focal spot's physical size follows IEC 60336: W_CS = W_max(nominal),
// L_CS = L_max(nominal) / sin(alpha).
//
// Coronae (paper, Results): a stream of density fraction f = rho_stream / rho_W spreads the
// emission by d15 / f in depth and l15 / f sideways; keeping the nominal size needs
// L_CS = (L - d15 cos alpha) / sin alpha - 2 l15 and W_CS = W - 2 l15, which lowers P (the
// "derated" figures). The lateral corona l15 is not in the response table: it is taken equal to
// the depth corona d15 (an assumption, stated in the output).
#pragma once

#include "physics/beam/response_table.hpp"
#include "physics/materials/material.hpp"

namespace mps {

struct GainQuery {
  double voltage = 150e3;                     // V
  double velocity = 400.0;                    // m/s
  double nominal = 0.3;                       // IEC 60336 nominal focal-spot value
  double target_angle = 0.13962634015954636;  // rad (8 deg)
  double entry_temperature = 373.15;          // K (paper: 100 C)
  bool melting = false;                   // limit: complete melting instead of the melting point
  double reference_power = 25e3;          // W, rotating anode on the reference spot
  double density_fraction = 1.0;          // stream density / compact density (coronae)
  double absorbed_fraction_target = 0.9;  // for the required mass flow
};

struct GainResult {
  double zeta_peak_per_m = 0, depth15_m = 0, eta_energy = 0;
  double width_cs_m = 0, length_cs_m = 0, dwell_s = 0;
  double enthalpy_rise_J_per_kg = 0;
  double permitted_power_W = 0, gain = 0, paper_fit_gain = 0;
  double rotating_anode_power_W = 0;
  // with the coronae of a stream of the given density fraction
  double derated_width_cs_m = 0, derated_length_cs_m = 0, derated_permitted_power_W = 0,
         derated_gain = 0;
  // mass flow for absorbing the target fraction of the power a compact target can absorb
  double absorption_depth_m = 0, mass_flow_kg_per_s = 0;
};

GainResult stream_gain(const ResponseTable& table, const Material& material, const GainQuery& q);

// The gain at one point with the melting point as the limit and with melting permitted (the two
// columns of the Fig. 6b map); q.melting is ignored.
struct GainPair {
  GainResult solid, melting;
};
GainPair stream_gain_pair(const ResponseTable& table, const Material& material, GainQuery q);

}  // namespace mps
