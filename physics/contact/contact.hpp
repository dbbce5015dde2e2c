// Process unit "contact": soft-sphere Hertz-Mindlin contacts between particles and with walls.
//
// Stage::force, after the flight unit's drift: forces go to fx, fy, fz (the second half kick of
// velocity Verlet uses them) and torques update the angular velocity w directly by a full kick
// w += dt T / I (I = 2/5 m R^2): w is thus staggered by half a step against v (leapfrog), which
// is what LAMMPS fix nve/sphere computes (its two half kicks of w bracket the same torque).
// Contact law: contact_law.hpp; damping from restitution: restitution.hpp; walls: walls.hpp;
// neighbour search: neighbour_list.hpp.
//
// Parallel consistency. The solver appends ghost copies of the neighbours of other ranks (within
// ghost_cutoff() = largest diameter + skin). Every pair of local particles (owned or ghost) is
// evaluated with the lower id as "i", so a pair seen by two ranks gives the same bits on both;
// each rank applies forces to its owned particles only (a pair of two owned particles is computed
// once, Newton's third law). Ghost-ghost pairs are evaluated too, for their tangential history
// only: when such a pair migrates onto this rank its history is already here. The forces on a
// particle are summed in increasing partner id (walls last), so the result does not depend on the
// rank count or on the particle order. Periodic axes: the solver wraps positions and sends ghosts
// across the periodic faces unshifted; the unit takes the minimum image.
//
// Tangential history lives in the unit, keyed by the (lower id, higher id) pair (walls: the
// particle id and the wall), because the particle store is at its memory budget.
//
// Time step: max_dt() = safety x Rayleigh time of the smallest declared particle,
// T_R = pi R sqrt(rho/G) / (0.1631 nu + 0.8766) (Li, Xu & Thornton, Powder Technol. 160 (2005)
// 219). Multi-rate: see substeps in the README of the unit (contact.cpp, register_contact_unit).
#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "physics/contact/contact_law.hpp"
#include "physics/contact/neighbour_list.hpp"
#include "physics/contact/walls.hpp"
#include "solver/base/process.hpp"

namespace mps {

struct ContactParams {
  double youngs_modulus = 4.1e11;  // Pa
  double poisson_ratio = 0.28;
  double restitution = 0.5;
  double friction = 0.3;
  double rolling_friction = 0.0;
  double tangential_damping_ratio = 1.0;
  std::string damping = "exact";  // exact | tsuji | coeff_restitution (restitution.hpp)
  double density = 19250.0;       // kg/m^3, for the Rayleigh time only
  double min_diameter = 1e-6;     // smallest particle expected (time step)
  double max_diameter = 10e-6;    // largest particle expected (cells, ghost cutoff)
  double skin = 0.5e-6;
  double time_step_safety = 0.2;  // fraction of the Rayleigh time
  contact::PeriodicBox box;
  std::vector<contact::Wall> walls;
};

// Rayleigh time of a sphere of radius R (s).
double rayleigh_time(double radius, double density, double youngs_modulus, double poisson_ratio);

class Contact : public ProcessUnit {
 public:
  explicit Contact(const ContactParams& p);
  std::string name() const override { return "contact"; }
  unsigned stages() const override { return static_cast<unsigned>(Stage::force); }
  void apply(Stage stage, ParticleStore& p, const StepContext& ctx) override;
  std::vector<TallyRef> tallies() override;
  double max_dt() const override;
  double ghost_cutoff() const override { return p_.max_diameter + p_.skin; }
  bool needs_ownership() const override { return true; }
  std::array<bool, 3> periodic_axes() const override { return p_.box.periodic; }
  std::vector<std::pair<std::string, std::vector<double>>> save_state() const override;
  void load_state(const std::vector<std::pair<std::string, std::vector<double>>>& s) override;

  const contact::PairConstants& pair_constants() const { return pair_; }
  std::size_t neighbour_builds() const { return list_.builds(); }
  std::size_t active_contacts() const { return history_.size(); }

 private:
  struct PairKey {
    std::uint64_t a, b;
    bool operator==(const PairKey& o) const { return a == o.a && b == o.b; }
  };
  struct PairKeyHash {
    std::size_t operator()(const PairKey& k) const {
      return static_cast<std::size_t>((k.a * 0x9E3779B97F4A7C15ull) ^
                                      (k.b + 0x632BE59BD9B4E019ull + (k.a << 6)));
    }
  };
  using History = std::unordered_map<PairKey, std::array<double, 3>, PairKeyHash>;
  struct Record {
    std::uint32_t i, j;  // local indices; j = kWall for a wall contact
    contact::ContactForce f;
  };
  struct Entry {  // one owned particle's share of a record, sorted for a fixed summation order
    std::uint32_t particle;
    std::uint64_t partner;
    std::uint32_t record;
    std::uint32_t side;  // 0: the record's i, 1: its j
  };
  static constexpr std::uint32_t kWall = 0xffffffffu;

  ContactParams p_;
  contact::PairConstants pair_;
  contact::NeighbourList list_;
  History history_, next_history_;
  std::vector<std::uint64_t> list_ids_;  // ids of the local particles at the last list build
  std::vector<double> radius_;
  std::vector<unsigned char> active_;
  std::vector<Record> records_;
  std::vector<Entry> entries_;
  ExactSum collisions_, wall_collisions_;
};

void register_contact_unit(UnitRegistry& registry);

}  // namespace mps
