// HDF5 file of a ResponseTable (written by `mpstream transport table`, read by the beam unit and
// `mpstream gain`). Serial I/O: call on one rank and broadcast, or on every rank for reading.
#pragma once

#include <string>

#include "physics/beam/response_table.hpp"

namespace mps {

void write_response_table(const std::string& path, const ResponseTable& t);
ResponseTable read_response_table(const std::string& path);

}  // namespace mps
