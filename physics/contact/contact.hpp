// Process unit "contact": soft-sphere Hertz-Mindlin contacts between particles and with walls.
//
// Stage::force, after the flight unit's drift: forces go to fx, fy, fz (the second half kick of
// velocity Verlet uses them) and torques update the angular velocity w directly by a full kick
// w += dt T / I (I = 2/5 m R^2): w is thus staggered by half a step against v (leapfrog), which
// is what LAMMPS fix nve/sphere computes (its two half kicks of w bracket the same torque).
// Contact law: contact_law.hpp; damping from restitution: restitution.hpp; walls: walls.hpp;
// neighbour search: neighbour_list.hpp.
//
// Parallel consistency. The solver appends ghost copies of the neighbours of other ranks within
// ghost_cutoff() = largest diameter + skin, and renews them (with a migration) only when some
// particle has moved more than skin/2 since the last renewal; in between it forwards their fields
// in place (neighbour_skin(), LAMMPS's reneighbouring). The unit rebuilds its list at each
// renewal. Every pair of local particles with at least one owned is evaluated with the lower id as
// "i", so a pair seen by two ranks gives the same bits on both; each rank applies forces to its
// owned particles only (a pair of two owned particles is computed once, Newton's third law). The
// forces on a particle are summed in increasing partner id (walls last; rows of the list in id
// order, neighbour_list.hpp), so the result does not depend on the rank count or on the particle
// order. Periodic axes: the solver wraps positions and sends ghosts across the periodic faces
// unshifted; the unit takes the minimum image.
//
// Tangential history lives in the unit, per list slot (carried over to the next list by merging
// the two id-sorted lists), because the particle store is at its memory budget. It migrates with
// its particle (pack_migrating: the histories of a leaving particle's contacts, pairs and walls,
// go with it and are placed at the next build), so a contact keeps its history when it moves to
// another rank. Checkpoints hold the union over ranks (rank_local_state); after a restart each
// rank takes the pairs it sees, on any rank count.
//
// Time step: max_dt() = safety x Rayleigh time of the smallest declared particle,
// T_R = pi R sqrt(rho/G) / (0.1631 nu + 0.8766) (Li, Xu & Thornton, Powder Technol. 160 (2005)
// 219).
//
// Multi-rate (multirate: true): max_dt() sets no limit and the solver step DT is split (Strang):
// the flight unit's half kicks with the other forces around a "drift" in which the contact unit
// integrates the contact forces. Particles that cannot touch anything during DT (gap larger than
// twice their closing distance v DT) just keep the flight unit's exact ballistic drift; the others
// (set S, with their partners and walls) are moved back to the start of the step and sub-cycled
// with position Verlet at h = safety x T_R <= DT. A free stream thus costs one list check per
// solver step. Every pair that can touch within DT must be in the list: the list is rebuilt with
// a skin of at least 4 v_max DT when the case's skin is smaller. Limits: the ghost layer keeps the
// case's skin (a particle faster than skin / (4 DT) near a rank boundary can miss a ghost
// partner), and a ghost in S moves with the contacts this rank knows (the list keeps the
// ghost-ghost pairs for that), so a contact cluster longer than the ghost layer across a rank
// boundary makes the result depend on the rank count.
//
// Speed (bench/contacts.sh, the LAMMPS granular-gas input): the list is built without sorting
// pairs (rows in id order) from five contiguous ranges of cell-ordered particles per particle
// (neighbour_list.cpp); the pair loop runs in two passes: a short branch-free pass over every slot
// that keeps the overlapping ones (~5 % in the benchmark) in slot order, then the contact law for
// those only, in the same order (the same sums); torques are kicked for the particles in contact
// only, and the solver renews ghosts and migrates only every ~20 steps of the benchmark.
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
  bool multirate = false;         // sub-cycle contacts inside the solver step
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
  bool needs_ownership() const override { return false; }  // within skin/2: see neighbour_skin
  double neighbour_skin() const override { return p_.skin; }
  bool has_migrating_state() const override { return true; }
  void pack_migrating(const std::vector<std::uint64_t>& ids,
                      std::vector<std::vector<double>>& out) const override;
  void unpack_migrating(std::uint64_t id, const double* data, std::size_t n) override;
  std::array<bool, 3> periodic_axes() const override { return p_.box.periodic; }
  std::vector<std::pair<std::string, std::vector<double>>> save_state() const override;
  void load_state(const std::vector<std::pair<std::string, std::vector<double>>>& s) override;
  bool rank_local_state() const override { return true; }

  const contact::PairConstants& pair_constants() const { return pair_; }
  std::size_t neighbour_builds() const { return list_.builds(); }
  std::size_t active_contacts() const { return contacts_now_; }
  std::size_t substeps_taken() const { return substeps_taken_; }

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

  // A history carried by id pair (a < b; walls: b = ~wall index), from the old list, migrations
  // and checkpoints.
  struct Carried {
    std::uint64_t a, b;
    std::array<double, 3> h;
  };
  // Bring the neighbour list (and the per-slot history) up to date with the local particles;
  // skin: the least skin of the list (multirate may need more than the case's).
  void update_list(const ParticleStore& p, const double* const x[3], std::size_t n,
                   std::size_t nown, double skin, StepContext::Neighbours neighbours);
  // Multi-rate step: sub-cycle the particles that can touch something during ctx.dt.
  void apply_multirate(ParticleStore& p, const StepContext& ctx, std::size_t n, std::size_t nown);
  // Histories of the pairs in contact, sorted by id pair (for a full build and for checkpoints).
  std::vector<Carried> touching_histories() const;

  ContactParams p_;
  contact::PairConstants pair_;
  contact::NeighbourList list_;
  // per list slot: tangential displacement and whether the pair touched at the last step
  std::vector<std::array<double, 3>> hist_;
  std::vector<unsigned char> touching_;
  History wall_history_, next_wall_history_;
  std::vector<Carried> pending_;  // histories from migrations and checkpoints, for the next build
  std::vector<std::uint64_t> list_ids_;     // ids of the local particles the list refers to
  std::vector<unsigned char> list_active_;  // their active flags at the build
  std::size_t list_owned_ = 0;
  bool self_check_ = true;  // list not built at a solver renewal: check displacements here
  std::vector<double> radius_;
  std::vector<unsigned char> active_;
  std::vector<double> torque_[3];
  std::vector<unsigned char> spinning_;  // single rate: torque_ of this particle may be non-zero
  std::vector<std::uint32_t> spun_;
  std::size_t contacts_now_ = 0;
  std::size_t substeps_taken_ = 0;  // multi-rate: substeps over the run (diagnostics, tests)
  std::vector<std::uint32_t> sub_pairs_, sub_particles_;
  std::vector<unsigned char> in_sub_;
  std::vector<std::uint32_t> in_contact_;  // single rate: the slots that overlap this step
  std::size_t hits_ = 0;                   // how many (in_contact_[0, hits_))
  bool hits_valid_ = false;                // touching_ is in_contact_[0, hits_) (single rate)
  std::vector<double> force_[3];
  ExactSum collisions_, wall_collisions_;
};

void register_contact_unit(UnitRegistry& registry);

}  // namespace mps
