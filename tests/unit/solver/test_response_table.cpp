#include <gtest/gtest.h>

#include <filesystem>

#include "solver/base/errors.hpp"
#include "solver/io/response_table_io.hpp"

using namespace mps;

namespace {
ResponseTable small() {
  ResponseTable t;
  t.energies_eV = {100e3, 200e3};
  t.depths_m = {0, 1e-6, 2e-6};
  t.zeta_per_m = {{1, 2, 3}, {3, 4, 5}};
  t.transmitted = {{1, 0.5, 0}, {1, 0.8, 0.4}};
  t.eta_number = {0.5, 0.5};
  t.eta_energy = {0.4, 0.41};
  t.radiated_fraction = {0.01, 0.02};
  t.csda_range_m = {15e-6, 40e-6};
  t.zeta_peak_per_m = {3, 5};
  t.depth_peak_m = {1e-6, 1.5e-6};
  t.depth15_m = {2e-6, 3e-6};
  t.diameters_m = {1e-6, 5e-6};
  t.sphere_absorbed_fraction = {{0.1, 0.3}, {0.05, 0.2}};
  t.sphere_electrons_out = {{0.9, 0.7}, {0.95, 0.8}};
  t.sphere_secondary_yield = {{0.1, 0.2}, {0.05, 0.1}};
  return t;
}
}  // namespace

TEST(ResponseTable, BilinearInterpolationAndClamping) {
  auto t = small();
  EXPECT_DOUBLE_EQ(t.zeta(150e3, 0.5e-6), 0.5 * (1.5 + 3.5));
  EXPECT_DOUBLE_EQ(t.zeta(50e3, 1e-6), 2.0);   // clamped in energy
  EXPECT_DOUBLE_EQ(t.zeta(100e3, 3e-6), 0.0);  // beyond the depth grid: nothing
  EXPECT_DOUBLE_EQ(t.of_energy(t.eta_energy, 150e3), 0.405);
  EXPECT_DOUBLE_EQ(t.sphere(t.sphere_electrons_out, 200e3, 3e-6), 0.875);
}

TEST(ResponseTable, Hdf5RoundTrip) {
  auto path = (std::filesystem::temp_directory_path() / "mps_rt_test.h5").string();
  auto t = small();
  write_response_table(path, t);
  auto r = read_response_table(path);
  EXPECT_EQ(r.zeta_per_m, t.zeta_per_m);
  EXPECT_EQ(r.sphere_secondary_yield, t.sphere_secondary_yield);
  EXPECT_EQ(r.depth15_m, t.depth15_m);
  std::filesystem::remove(path);
}

TEST(ResponseTable, BadTablesAreInputErrors) {
  auto t = small();
  t.depths_m = {0, 2e-6, 1e-6};
  EXPECT_THROW(t.validate("x"), InputError);
  t = small();
  t.zeta_per_m.pop_back();
  EXPECT_THROW(t.validate("x"), InputError);
  EXPECT_THROW(read_response_table("/nonexistent/table.h5"), InputError);
}
