#include <gtest/gtest.h>

#include <vector>

#include "solver/particles/particle_store.hpp"

using namespace mps;

TEST(ParticleStore, PushCompactSortKeepIds) {
  ParticleStore p;
  for (std::uint64_t id : {5u, 3u, 9u, 1u}) {
    auto i = p.push_back(id, ParticleState::flying);
    p[Field::mass][i] = static_cast<double>(id) * 10;
  }
  p.compact({1, 0, 1, 1});  // drop id 3
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p.ids(), (std::vector<std::uint64_t>{5, 9, 1}));
  p.sort_by_id();
  EXPECT_EQ(p.ids(), (std::vector<std::uint64_t>{1, 5, 9}));
  EXPECT_EQ(p[Field::mass], (std::vector<double>{10, 50, 90}));
}

TEST(ParticleStore, PackUnpackRoundTrip) {
  ParticleStore a, b;
  auto i = a.push_back(0xfedcba9876543210ull, ParticleState::in_rotor);
  for (int k = 0; k < kFieldCount; ++k) a[static_cast<Field>(k)][i] = 1.5 * (k + 1);
  std::vector<double> buf(ParticleStore::packed_size(kMigrate));
  a.pack(i, kMigrate, buf.data());
  auto j = b.unpack_append(buf.data(), kMigrate);
  EXPECT_EQ(b.ids()[j], a.ids()[i]);
  EXPECT_EQ(b.states()[j], ParticleState::in_rotor);
  for (int k = 0; k < kFieldCount; ++k) {
    if (field_table()[k].flags & kMigrate) {
      EXPECT_EQ(b[static_cast<Field>(k)][j], 1.5 * (k + 1));
    }
  }
}

TEST(ParticleStore, MemoryPerParticleWithinBudget) {
  // Issue 2: <= 200 bytes per particle.
  ParticleStore p;
  EXPECT_LE(p.bytes_per_particle(), 200u);
}

TEST(ParticleStore, FieldTableGroupsVectors) {
  const auto& t = field_table();
  EXPECT_EQ(t[static_cast<int>(Field::px)].components, 3);
  EXPECT_EQ(t[static_cast<int>(Field::py)].components, 0);
  EXPECT_EQ(t[static_cast<int>(Field::temperature)].components, 1);
  EXPECT_EQ(t[static_cast<int>(Field::temperature)].output_name, "temperature_K");
}
