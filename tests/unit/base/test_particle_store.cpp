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
  EXPECT_EQ(p[Field::mass], (mps::FieldArray{10, 50, 90}));
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

TEST(ParticleStore, UnpackAllEqualsRecordByRecordAndSortsById) {
  // records of a few fields (kGhost) and of all migrating fields, appended at once or one by one
  // behind an owned particle: the same store, field by field, with the other fields zero
  ParticleStore src;
  for (std::uint64_t id : {7u, 3u, 11u, 5u}) {
    const auto i = src.push_back(id, ParticleState::flying);
    for (int f = 0; f < kFieldCount; ++f) src[static_cast<Field>(f)][i] = 10.0 * id + f;
  }
  for (unsigned mask : {kGhost, kMigrate}) {
    const std::size_t stride = ParticleStore::packed_size(mask);
    std::vector<double> buf(stride * src.size());
    for (std::size_t i = 0; i < src.size(); ++i) src.pack(i, mask, buf.data() + i * stride);
    ParticleStore one, all;
    for (ParticleStore* s : {&one, &all}) s->push_back(1, ParticleState::in_rotor);
    for (std::size_t i = 0; i < src.size(); ++i) one.unpack_append(buf.data() + i * stride, mask);
    all.unpack_append_all(buf.data(), src.size(), mask);
    ASSERT_EQ(all.ids(), one.ids());
    ASSERT_EQ(all.states(), one.states());
    for (int f = 0; f < kFieldCount; ++f)
      for (std::size_t i = 0; i < one.size(); ++i)
        EXPECT_EQ(all[static_cast<Field>(f)][i], one[static_cast<Field>(f)][i]) << f << " " << i;
    all.sort_by_id();
    EXPECT_EQ(all.ids(), (std::vector<std::uint64_t>{1, 3, 5, 7, 11}));
    EXPECT_EQ(all[Field::py][1], 31.0);   // particle 3's y came along
    EXPECT_EQ(all[Field::px][4], 110.0);  // and particle 11's x
    const double h = 30.0 + static_cast<int>(Field::enthalpy);
    EXPECT_EQ(all[Field::enthalpy][1], mask == kGhost ? 0.0 : h);  // not a ghost field
  }
}
