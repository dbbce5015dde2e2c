#include "solver/sim/builtin_units.hpp"

#include "physics/beam/electron_beam.hpp"
#include "physics/contact/contact.hpp"
#include "physics/flight/domain_boundary.hpp"
#include "physics/flight/flight.hpp"
#include "physics/flight/injector.hpp"
#include "solver/io/response_table_io.hpp"

namespace mps {

const UnitRegistry& builtin_units() {
  static const UnitRegistry registry = [] {
    UnitRegistry r;
    // Registration order is the order within a stage of the time step (DESIGN.md section 2).
    register_injector_unit(r);
    register_flight_unit(r);
    register_contact_unit(r);
    register_beam_unit(r, read_response_table);
    register_domain_unit(r);
    return r;
  }();
  return registry;
}

}  // namespace mps
