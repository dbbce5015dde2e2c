// Electron beam and its `dense` coupling to the particle stream (the paper's volume-heating model).
//
// The beam is a prism along `axis` (the direction the electrons travel) through `center`, with a
// rectangular (uniform current density) or Gaussian cross-section of length L_CS along `length_dir`
// and width W_CS across. A particle inside the prism at compact-equivalent depth h receives
//     P_i = j(u, w) U zeta(U, h) m_i / rho_c,
// where zeta (1/m) is the depth-dose of the compact material (transport module, paper Methods),
// j the local current density and rho_c the compact density. h is measured along the beam in the
// particle's column (a square cell of the cross-section): the mass of the particles in front of
// it, divided by rho_c and the cell area, plus half its own. Summed over a column this is the
// midpoint quadrature of p A integral(zeta dh), so a dense stream takes the compact-target power
// and a dilute one passes the rest on (tallied as transmitted). The depth-dose scales with density
// exactly as the paper assumes (zeta in compact-equivalent depth).
//
// The primary current a particle absorbs is j pi r^2 [T(h) - T(h + dh)], with T(h) the fraction
// of primaries not yet stopped or backscattered at compact depth h (from the same transport
// tables) and dh the particle's own column depth. It drives the charging unit through the field
// absorbed_current; the slow secondary-electron current (field se_current) is set by the beam
// coupling too (zero until the per-sphere SE yields are coupled, issue 7).
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>

#include "physics/beam/beam_figures.hpp"
#include "physics/beam/direct_coupling.hpp"
#include "solver/base/process.hpp"

namespace mps {

// Depth-dose data of one tube voltage in the compact material.
struct DepthDose {
  double voltage = 0.0;                       // V
  std::function<double(double)> zeta;         // 1/m, of compact depth h (m)
  std::function<double(double)> transmitted;  // fraction of primaries passing compact depth h
  double eta_energy = 0.0;                    // energy backscatter coefficient
  double radiated_fraction = 0.0;             // bremsstrahlung energy fraction escaping
  // bremsstrahlung production per compact depth, fraction of the incident energy (1/m), from
  // the transport's depth tally; empty: the focal-spot map uses the deposited power as proxy
  std::function<double(double)> xray;
};

// Bremsstrahlung production depth profile of the compact material at tube voltage U: a bulk
// transport run (normal pencil beam into a semi-infinite slab, `histories` histories keyed by
// `seed`, so every rank computes the same profile) tallied in 240 bins over 1.2 CSDA ranges.
std::function<double(double)> xray_depth_profile(double voltage, std::uint64_t histories,
                                                 std::uint64_t seed);

struct BeamParams {
  double voltage = 150e3;  // V
  double current = 0.0;    // A
  Vec3 center{}, axis{0, 0, -1}, length_dir{1, 0, 0};
  double length_cs = 1e-3, width_cs = 1e-3;
  bool gaussian = false;  // else uniform over the rectangle
  double target_angle = 0.0;
  double on_time = 0.0, off_time = 1e300;
  double wobble_amplitude = 0.0, wobble_frequency = 0.0;  // deflection along width (m, Hz)
  double column_size = 20e-6;                             // cross-section cell for depths (m)
  double depth_extent = 1e-3;  // how far along the axis from the center the prism reaches (m)
  double compact_density = 19250.0;
  double reference_power = 0.0;  // rotating anode with this focal spot (W), for the gain
};

class ElectronBeam : public ProcessUnit {
 public:
  // dense coupling (direct == nullptr) or direct coupling through the transport Monte Carlo
  ElectronBeam(const BeamParams& p, DepthDose dd, FigureOptions figures = {},
               std::unique_ptr<DirectCoupling> direct = nullptr);
  std::string name() const override { return "beam"; }
  unsigned stages() const override { return static_cast<unsigned>(Stage::state); }
  void apply(Stage stage, ParticleStore& particles, const StepContext& ctx) override;
  std::vector<TallyRef> tallies() override;
  std::optional<std::array<Vec3, 2>> gather_box() const override;
  std::vector<ExactSum*> shared_sums() override;
  void finish(Stage stage, ParticleStore& particles, const StepContext& ctx) override;
  void summarize(const std::map<std::string, double>& global,
                 std::map<std::string, double>& out) const override;
  std::vector<std::pair<std::string, std::vector<double>>> save_state() const override;
  void load_state(const std::vector<std::pair<std::string, std::vector<double>>>& s) override;
  const BeamFigures& figures() const { return figures_; }

  // Beam coordinates of a point: (u along length, w along width, s along the axis).
  Vec3 local(double x, double y, double z, double time) const;
  double current_density(double u, double w) const;  // A/m^2
  bool on(double time) const { return time >= p_.on_time && time < p_.off_time; }
  const BeamParams& params() const { return p_; }

 private:
  // what the coupling gives the particles of the beam region (per gathered particle)
  struct Deposit {
    std::vector<double> power, absorbed, secondary;  // W, A, A
    std::vector<double> xray;  // W of bremsstrahlung produced (direct coupling; empty: dense)
    double backscattered_fraction = 0, radiated_fraction = 0;  // of the beam energy
  };
  std::vector<char> in_beam(const ParticleStore& g, std::vector<Vec3>& loc, double t) const;
  void deliver(ParticleStore& p, const ParticleStore& g, const Deposit& d,
               const std::vector<char>& inside, const std::vector<Vec3>& loc,
               const StepContext& ctx);
  void direct_phase1(ParticleStore& p, const ParticleStore& g, const std::vector<char>& inside,
                     const std::vector<Vec3>& loc, const StepContext& ctx);
  void finish_direct(ParticleStore& p, const ParticleStore& g, const std::vector<char>& inside,
                     const std::vector<Vec3>& loc, const StepContext& ctx);

  BeamParams p_;
  DepthDose dd_;
  Vec3 u_{}, w_{}, s_{};
  BeamFigures figures_;
  std::unique_ptr<DirectCoupling> direct_;
  bool direct_pending_ = false;
  std::vector<std::uint64_t> cloud_ids_;
  std::map<std::uint64_t, std::array<double, 3>> held_;  // id -> power, absorbed, secondary
  std::map<std::uint64_t, double> held_xray_;            // id -> bremsstrahlung produced (W)
  double held_backscattered_ = 0, held_radiated_ = 0;
  ExactSum energy_in_, energy_absorbed_, energy_backscattered_, energy_radiated_,
      energy_transmitted_;
};

// Build the depth-dose of one voltage from a response table.
struct ResponseTable;
DepthDose depth_dose_from_table(const ResponseTable& table, double voltage);

// The `beam` unit. Its factory needs the response table, which the solver reads from the file the
// case names (physics does no I/O): `load_table` turns that path into a table.
void register_beam_unit(UnitRegistry& registry,
                        std::function<ResponseTable(const std::string& path)> load_table);

}  // namespace mps
