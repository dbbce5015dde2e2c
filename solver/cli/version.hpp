#pragma once
#include <string>
namespace mps::cli {
// "mpstream 0.1.0 (git abc123, RelWithDebInfo) PETSc 3.18.5, VTK 9.1.0, HDF5 1.10.8, MPI ..."
std::string version_text();
}  // namespace mps::cli
