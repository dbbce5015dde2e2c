// The multi-rate state clock's bookkeeping (solver/particles/state_clock.hpp) and the lag's
// journey through the particle store.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "solver/particles/particle_store.hpp"
#include "solver/particles/state_clock.hpp"

using namespace mps;

namespace {
ParticleStore quiet_particles(std::size_t n) {
  ParticleStore p;
  for (std::size_t k = 0; k < n; ++k) {
    const auto i = p.push_back(100 + k, ParticleState::flying);
    p[Field::enthalpy][i] = 1e5;
  }
  return p;
}
std::vector<std::size_t> listed(const ParticleSelection& s) {
  return {s.list, s.list + s.n};
}
}  // namespace

TEST(StateClock, QuietParticlesAdvanceEveryStrideStepsOverAllOfThem) {
  ParticleStore p = quiet_particles(3);
  p.state_lags() = {0, 2, 3};
  StateClock clock(4);
  // lag 3 = stride - 1: due over 4 steps; the others wait one more step
  ParticleSelection due = clock.schedule(p);
  EXPECT_EQ(listed(due), (std::vector<std::size_t>{2}));
  EXPECT_EQ(due.steps[0], 4.0);
  EXPECT_EQ(p.state_lags(), (std::vector<std::uint8_t>{1, 3, 0}));
  EXPECT_EQ(clock.entering().n, 0u);
  due = clock.schedule(p);
  EXPECT_EQ(listed(due), (std::vector<std::size_t>{1}));
  EXPECT_EQ(due.steps[0], 4.0);
  // every particle advances exactly once per 4 steps
  std::vector<double> advanced(3, 0.0);
  for (int s = 0; s < 8; ++s) {
    due = clock.schedule(p);
    for (std::size_t k = 0; k < due.n; ++k) advanced[due.list[k]] += due.steps[k];
  }
  for (double a : advanced) EXPECT_EQ(a, 8.0);
}

TEST(StateClock, ParticlesInTheBeamOrNewAreDueEveryStepAndCatchUpFirst) {
  ParticleStore p = quiet_particles(4);
  p.state_lags() = {2, 2, 0, 1};
  p[Field::beam_power][0] = 0.5;         // entering the beam with 2 steps pending
  p[Field::se_current][1] = 1e-6;        // a beam current alone is not quiet either
  p[Field::enthalpy][2] = std::nan("");  // new: its first step sets the enthalpy
  StateClock clock(16);
  const ParticleSelection due = clock.schedule(p);
  EXPECT_EQ(listed(due), (std::vector<std::size_t>{0, 1, 2}));
  for (std::size_t k = 0; k < due.n; ++k) EXPECT_EQ(due.steps[k], 1.0);
  const ParticleSelection entering = clock.entering();
  EXPECT_EQ(listed(entering), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(entering.steps[0], 2.0);
  EXPECT_EQ(entering.steps[1], 2.0);
  // in the beam or new: held, so that the first quiet step is one step
  EXPECT_EQ(p.state_lags(), (std::vector<std::uint8_t>{kStateHold, kStateHold, kStateHold, 2}));
  // out of the beam again: one step each, then back on the stride
  p[Field::beam_power][0] = 0.0;
  p[Field::se_current][1] = 0.0;
  p[Field::enthalpy][2] = 1e5;  // (set by the thermal unit's first step)
  const ParticleSelection next = clock.schedule(p);
  EXPECT_EQ(listed(next), (std::vector<std::size_t>{0, 1, 2}));
  for (std::size_t k = 0; k < next.n; ++k) EXPECT_EQ(next.steps[k], 1.0);
  EXPECT_EQ(clock.entering().n, 0u);
  EXPECT_EQ(p.state_lags(), (std::vector<std::uint8_t>{0, 0, 0, 3}));
  // a unit holds a particle whose state still changes fast: due at the next step, one step
  p.state_lags()[1] = kStateHold;
  const ParticleSelection held = clock.schedule(p);
  EXPECT_EQ(listed(held), (std::vector<std::size_t>{1}));
  EXPECT_EQ(held.steps[0], 1.0);
  // synchronising: what is pending, and nothing after
  p.state_lags()[2] = kStateHold;  // (current)
  const ParticleSelection pending = clock.pending(p);
  EXPECT_EQ(listed(pending), (std::vector<std::size_t>{0, 3}));
  EXPECT_EQ(pending.steps[0], 1.0);
  EXPECT_EQ(pending.steps[1], 4.0);
  EXPECT_EQ(clock.pending(p).n, 0u);
}

TEST(StateClock, ListsTheParticlesInTheBeamAfterTheQuietOnes) {
  // the units send the busy part straight to their iterative updates (ParticleSelection::busy)
  ParticleStore p = quiet_particles(5);
  p.state_lags() = {15, 0, 15, 3, kStateHold};
  p[Field::beam_power][1] = 0.5;
  p[Field::absorbed_current][3] = 1e-6;
  StateClock clock(16);
  const ParticleSelection due = clock.schedule(p);
  EXPECT_EQ(listed(due), (std::vector<std::size_t>{0, 2, 4, 1, 3}));
  EXPECT_EQ(due.busy, 2u);
  EXPECT_EQ(listed(due.quiet_part()), (std::vector<std::size_t>{0, 2, 4}));
  EXPECT_EQ(due.quiet_part().busy, 0u);
  const std::vector<double> steps(due.steps, due.steps + due.n);
  EXPECT_EQ(steps, (std::vector<double>{16.0, 16.0, 1.0, 1.0, 1.0}));
  EXPECT_EQ(listed(clock.entering()), (std::vector<std::size_t>{3}));
}

TEST(StateClock, StrideOutOfRangeIsAnError) {
  EXPECT_THROW(StateClock(0), std::exception);
  EXPECT_THROW(StateClock(255), std::exception);  // (255 is kStateHold)
  EXPECT_NO_THROW(StateClock(254));
}

TEST(StateClock, LagTravelsWithTheParticle) {
  ParticleStore p = quiet_particles(3);
  p.state_lags() = {7, 0, 254};
  p.states()[2] = ParticleState::in_rotor;
  // migration records
  std::vector<double> buf(ParticleStore::packed_size(kMigrate) * 3);
  for (std::size_t i = 0; i < 3; ++i) p.pack(i, kMigrate, buf.data() + i * buf.size() / 3);
  ParticleStore q;
  q.unpack_append_all(buf.data(), 3, kMigrate);
  EXPECT_EQ(q.state_lags(), p.state_lags());
  EXPECT_EQ(q.states()[2], ParticleState::in_rotor);
  // reordering and removal
  q.ids() = {300, 200, 100};
  q.sort_by_id();
  EXPECT_EQ(q.state_lags(), (std::vector<std::uint8_t>{254, 0, 7}));
  q.compact({1, 0, 1});
  EXPECT_EQ(q.state_lags(), (std::vector<std::uint8_t>{254, 7}));
}
