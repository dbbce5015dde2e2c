// PETSc (and MPI) for a GoogleTest executable with gtest_main: initialised once before the
// tests, finalised after them. PETSc options can come from the environment (PETSC_OPTIONS).
#pragma once

#include <gtest/gtest.h>
#include <petscsys.h>

namespace mps::testing {

class PetscEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { ASSERT_EQ(PetscInitializeNoArguments(), 0); }
  void TearDown() override { PetscFinalize(); }
};

inline const ::testing::Environment* const kPetscEnvironment =
    ::testing::AddGlobalTestEnvironment(new PetscEnvironment);

}  // namespace mps::testing
