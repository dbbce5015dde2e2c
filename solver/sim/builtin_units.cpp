#include "solver/sim/builtin_units.hpp"

#include "physics/flight/domain_boundary.hpp"
#include "physics/flight/flight.hpp"
#include "physics/flight/injector.hpp"

namespace mps {

const UnitRegistry& builtin_units() {
  static const UnitRegistry registry = [] {
    UnitRegistry r;
    // Registration order is the order within a stage of the time step (DESIGN.md section 2).
    register_injector_unit(r);
    register_flight_unit(r);
    register_domain_unit(r);
    return r;
  }();
  return registry;
}

}  // namespace mps
