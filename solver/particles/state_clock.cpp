#include "solver/particles/state_clock.hpp"

#include <cmath>
#include <string>

#include "solver/base/errors.hpp"

namespace mps {

StateClock::StateClock(int stride) : stride_(stride) {
  if (stride < 1 || stride > kMaxStateStride)
    throw RuntimeError("state clock: the stride must be 1 to " + std::to_string(kMaxStateStride) +
                       " steps");
}

ParticleSelection StateClock::schedule(ParticleStore& p) {
  const std::size_t n = p.size();
  const double* P = p.ptr(Field::beam_power);
  const double* Ia = p.ptr(Field::absorbed_current);
  const double* Ise = p.ptr(Field::se_current);
  const double* h = p.ptr(Field::enthalpy);
  std::uint8_t* lag = p.state_lags().data();
  due_.clear();
  due_steps_.clear();
  busy_.clear();
  entering_.clear();
  entering_steps_.clear();
  const auto last = static_cast<std::uint8_t>(stride_ - 1);
  for (std::size_t i = 0; i < n; ++i) {
    // quiet: no beam, and an enthalpy already (a new particle's first step sets it)
    const bool quiet = P[i] == 0.0 && Ia[i] == 0.0 && Ise[i] == 0.0 && !std::isnan(h[i]);
    const std::uint8_t l = lag[i];
    if (!quiet) {
      if (l != kStateHold && l > 0) {
        entering_.push_back(i);
        entering_steps_.push_back(l);
      }
      busy_.push_back(i);
      // a particle in the beam is held: its first step out of the beam is one step, from which
      // the units see how fast its state then changes
      lag[i] = kStateHold;
      continue;
    }
    if (l == kStateHold) {  // advanced at the last step and held: one step
      due_.push_back(i);
      due_steps_.push_back(1.0);
      lag[i] = 0;
      continue;
    }
    if (l < last) {
      lag[i] = static_cast<std::uint8_t>(l + 1);
      continue;
    }
    due_.push_back(i);
    due_steps_.push_back(l + 1.0);
    lag[i] = 0;
  }
  due_.insert(due_.end(), busy_.begin(), busy_.end());
  due_steps_.resize(due_.size(), 1.0);
  return {due_.size(), due_.data(), due_steps_.data(), busy_.size()};
}

ParticleSelection StateClock::pending(ParticleStore& p) {
  const std::size_t n = p.size();
  std::uint8_t* lag = p.state_lags().data();
  pending_.clear();
  pending_steps_.clear();
  for (std::size_t i = 0; i < n; ++i) {
    if (lag[i] == 0) continue;
    if (lag[i] == kStateHold) {  // current: held at its last update
      lag[i] = 0;
      continue;
    }
    pending_.push_back(i);
    pending_steps_.push_back(lag[i]);
    lag[i] = 0;
  }
  return {pending_.size(), pending_.data(), pending_steps_.data()};
}

}  // namespace mps
