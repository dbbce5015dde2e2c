// Error types and exit codes shared by the whole code.
//
// InputError: the user's case, command line or data is wrong (exit code 2). Its message names the
// file:line:column, the key path and what was expected, so the user can fix it without the code.
// RuntimeError: a running job failed (exit code 1); the last checkpoint is kept.
#pragma once

#include <stdexcept>
#include <string>

namespace mps {

inline constexpr int kExitSuccess = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitBadInput = 2;

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace mps
