#include <gtest/gtest.h>

#include "solver/base/errors.hpp"
#include "solver/base/units.hpp"

using namespace mps;

TEST(Units, SuffixesGiveSI) {
  EXPECT_DOUBLE_EQ(parse_quantity_as("5 um", dim::length), 5e-6);
  EXPECT_DOUBLE_EQ(parse_quantity_as("5um", dim::length), 5e-6);
  EXPECT_DOUBLE_EQ(parse_quantity_as("400 m/s", dim::velocity), 400.0);
  EXPECT_DOUBLE_EQ(parse_quantity_as("150 kV", dim::voltage), 150e3);
  EXPECT_DOUBLE_EQ(parse_quantity_as("2.5 mA", dim::current), 2.5e-3);
  EXPECT_DOUBLE_EQ(parse_quantity_as("1 us", dim::time), 1e-6);
  EXPECT_DOUBLE_EQ(parse_quantity_as("19.3 g/cm^3", dim::density), 19300.0);
  EXPECT_DOUBLE_EQ(parse_quantity_as("100 keV", dim::energy), 100e3 * 1.602176634e-19);
  EXPECT_DOUBLE_EQ(parse_quantity_as("260 g/s", dim::mass_flow), 0.26);
  EXPECT_DOUBLE_EQ(parse_quantity_as("1e6 A/m^2", dim::current_density), 1e6);
  EXPECT_DOUBLE_EQ(parse_quantity_as("170 W/m/K", dim::thermal_conductivity), 170.0);
  EXPECT_DOUBLE_EQ(parse_quantity_as("100 degC", dim::temperature), 373.15);
  EXPECT_NEAR(parse_quantity_as("8 deg", dim::none), 8 * 3.14159265358979 / 180, 1e-15);
  EXPECT_NEAR(parse_quantity_as("60000 rpm", dim::frequency), 2000 * 3.14159265358979, 1e-9);
  EXPECT_DOUBLE_EQ(parse_quantity_as("-9.81 m s^-2", dim::acceleration), -9.81);
}

TEST(Units, PlainNumbersAreSI) {
  EXPECT_DOUBLE_EQ(parse_quantity_as("5e-6", dim::length), 5e-6);
  EXPECT_DOUBLE_EQ(parse_quantity_as("  42 ", dim::velocity), 42.0);
}

TEST(Units, WrongDimensionIsRejected) {
  EXPECT_THROW(parse_quantity_as("5 kg", dim::length), InputError);
  EXPECT_THROW(parse_quantity_as("150 kV", dim::energy), InputError);
  try {
    parse_quantity_as("400 m", dim::velocity);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("expected velocity"), std::string::npos) << e.what();
  }
}

TEST(Units, MalformedIsRejected) {
  EXPECT_THROW(parse_quantity("abc"), InputError);
  EXPECT_THROW(parse_quantity("5 furlongs"), InputError);
  EXPECT_THROW(parse_quantity("5 m/"), InputError);
  EXPECT_THROW(parse_quantity(""), InputError);
  EXPECT_THROW(parse_quantity("5 W/(m K)"), InputError);
  EXPECT_THROW(parse_quantity("nan"), InputError);
}

TEST(Units, DimensionNames) {
  EXPECT_EQ(dim::velocity.name(), "velocity");
  EXPECT_EQ(dim::voltage.str(), "V");
  EXPECT_EQ((dim::length / dim::time / dim::time), dim::acceleration);
}
