// Figures of merit observed while the beam runs: the X-ray focal spot (IEC 60336 line-spread
// widths and MTF of the projected production map) and, per particle crossing the beam, the energy
// taken per unit beam power, from which the permitted input power follows.
//
// Permitted power by a scaling argument (issue 7): for a fixed tube voltage and beam shape the
// power a particle receives is proportional to the beam current in both couplings (dense: p_i =
// j U zeta(h) m / rho; direct: history weights I / N), and the charge a particle carries does not
// feed back on its heating. Without heat losses during the dwell, a particle's enthalpy rise is
// therefore dh_i = a_i P, with a_i = E_i / (m_i P) measured in the run (E_i: energy it absorbed).
// The largest P for which no particle exceeds the limit enthalpy h_lim is
//     P_perm = min_i (h_lim - h_entry,i) / a_i,
// exact for a lossless dwell and conservative (low) when radiation, evaporation or thermionic
// cooling remove heat during it. A test checks it against runs at 0.99 and 1.01 P_perm.
//
// Everything here is computed from the gathered particles of the beam region, which are the
// same on every rank, so the figures are rank independent without communication.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "solver/base/config.hpp"
#include "solver/particles/particle_store.hpp"

namespace mps {

struct FigureOptions {
  double beam_power = 0;       // U I (W)
  double target_angle = 0;     // alpha (rad)
  double map_half_length = 0;  // half ranges of the projected map (m)
  double map_half_width = 0;
  int map_bins = 256;
  double limit_enthalpy = 0;                    // J/kg
  std::function<double(double)> enthalpy_of_t;  // J/kg of K (for particles not initialised)
};

class BeamFigures {
 public:
  explicit BeamFigures(FigureOptions o);

  // One step: `power` per gathered particle (W), `inside` marks the particles in the beam now,
  // loc the beam coordinates (u, w, s) of each gathered particle. `xray` (W of bremsstrahlung
  // produced per gathered particle: the transport's emission events in the direct coupling, the
  // transport's bremsstrahlung depth profile in the dense one) feeds the projected map when
  // given; without it the map is built from the deposited power, the paper's proxy (Fig. 5b:
  // conservative in depth, where the X-ray corona is narrower than the power-input corona).
  void observe(const ParticleStore& gathered, const std::vector<double>& power,
               const std::vector<char>& inside, const std::vector<Vec3>& loc, double dt,
               const std::vector<double>& xray = {});

  // Summary figures (keys with units); empty map entries when nothing crossed yet.
  void summarize(std::map<std::string, double>& out) const;

  // The projected X-ray production map, row-major [w][l], and its axes: bremsstrahlung energy
  // produced in each particle (placed at the particle's centre) or the deposited energy as the
  // proxy. map_is_xray() tells which.
  const std::vector<double>& map() const { return map_; }
  bool map_is_xray() const { return map_is_xray_; }
  double length_coordinate(int i) const;
  double width_coordinate(int j) const;

  std::vector<std::pair<std::string, std::vector<double>>> save_state() const;
  void load_state(const std::vector<std::pair<std::string, std::vector<double>>>& s);

 private:
  struct Crossing {
    double entry_enthalpy = 0, mass = 0, energy = 0;
  };
  void finish(const Crossing& c, double charge, double peak_temperature, double liquid,
              double time_molten);

  FigureOptions o_;
  std::vector<double> map_;
  std::vector<std::pair<std::uint64_t, Crossing>> in_beam_;  // open crossings, sorted by id
  // finished crossings
  double crossings_ = 0, min_ratio_ = 0, charge_sum_ = 0, peak_max_ = 0, molten_ = 0;
  bool any_ = false;
  bool map_is_xray_ = false;
};

}  // namespace mps
