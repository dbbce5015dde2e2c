// The registry of every built-in process unit. Each physics module exposes
// `void register_NAME_unit(UnitRegistry&)` (declared in its own header); builtin_units.cpp calls
// them all, in time-step order within a stage. That file is the only place listing them.
#pragma once

#include "solver/base/process.hpp"

namespace mps {
const UnitRegistry& builtin_units();
}
