#include "solver/cli/version.hpp"

#include <H5public.h>
#include <mpi.h>
#include <petscversion.h>
#include <vtkVersion.h>

#include <fmt/format.h>

#include "physics/thermal/thermal_lanes.hpp"

namespace mps::cli {

std::string version_text() {
  char mpi[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  MPI_Get_library_version(mpi, &len);
  std::string mpi_s(mpi, static_cast<std::size_t>(len));
  if (auto nl = mpi_s.find_first_of(",\n"); nl != std::string::npos) mpi_s.resize(nl);
  return fmt::format(
      "mpstream {} (git {}, {} build)\n  PETSc {}.{}.{}, VTK {}, HDF5 {}.{}.{}, {}\n  "
      "per-particle kernels: {}, {} lanes",
      MPS_VERSION, MPS_GIT_HASH, MPS_BUILD_TYPE, PETSC_VERSION_MAJOR, PETSC_VERSION_MINOR,
      PETSC_VERSION_SUBMINOR, vtkVersion::GetVTKVersion(), H5_VERS_MAJOR, H5_VERS_MINOR,
      H5_VERS_RELEASE, mpi_s, lanes_instruction_set(), lanes_width());
}

}  // namespace mps::cli
