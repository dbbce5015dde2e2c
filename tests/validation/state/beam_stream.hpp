// The test stream of the state validations: 2000 tungsten spheres of 3-7 um at 373-2873 K and,
// with a beam, each crossing it once within the first 7.5 us for 0.25-1.25 us at 0.05-0.35 W and
// 2-10 uA absorbed (half as many slow secondaries), with the thermal and charging units that
// advance it.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "physics/charging/charging_unit.hpp"
#include "physics/thermal/thermal_unit.hpp"
#include "solver/base/constants.hpp"
#include "solver/base/rng.hpp"

namespace mps::test {

struct Crossing {
  double enter, leave;     // s, in the beam in [enter, leave)
  double power, absorbed;  // W, A
};

struct BeamStream {
  ParticleStore p;
  std::vector<Crossing> beam;
  ThermalUnit th{Material::builtin("tungsten"), ThermalUnitParams{}};
  ChargingUnit ch{Material::builtin("tungsten"), ChargingUnitParams{}};
  double tally(ProcessUnit& u, const std::string& name) {
    for (auto& t : u.tallies())
      if (t.name == name) return t.sum->value();
    return std::nan("");
  }
};

inline void fill(BeamStream& s, std::size_t n, bool with_beam) {
  for (std::size_t k = 0; k < n; ++k) {
    const auto i = s.p.push_back(k, ParticleState::flying);
    Rng rng(11, RngPurpose::test, k);
    const double d = 3e-6 + 4e-6 * rng.uniform();
    s.p[Field::diameter][i] = d;
    s.p[Field::mass][i] = 19250.0 * constants::pi * d * d * d / 6.0;
    s.p[Field::temperature][i] = 373.15 + 2500.0 * rng.uniform();
    s.p[Field::peak_temperature][i] = s.p[Field::temperature][i];
    s.p[Field::enthalpy][i] = std::nan("");
    Crossing c;  // (whole 50 ns steps)
    c.enter = 50e-9 * static_cast<int>(150 * rng.uniform());
    c.leave = c.enter + 50e-9 * (5 + static_cast<int>(20 * rng.uniform()));
    c.power = with_beam ? 0.05 + 0.3 * rng.uniform() : 0.0;
    c.absorbed = with_beam ? 2e-6 + 8e-6 * rng.uniform() : 0.0;
    s.beam.push_back(c);
  }
}

// the beam unit's part: the beam inputs of the step of length dt from `time`
inline void set_beam(BeamStream& s, double time, double dt) {
  for (std::size_t i = 0; i < s.p.size(); ++i) {
    const Crossing& c = s.beam[i];
    const bool in = time >= c.enter - 1e-3 * dt && time < c.leave - 1e-3 * dt;
    s.p[Field::beam_power][i] = in ? c.power : 0.0;
    s.p[Field::absorbed_current][i] = in ? c.absorbed : 0.0;
    s.p[Field::se_current][i] = in ? 0.5 * c.absorbed : 0.0;
  }
}

}  // namespace mps::test
