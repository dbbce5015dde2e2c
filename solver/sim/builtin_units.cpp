#include "solver/sim/builtin_units.hpp"

#include "physics/beam/electron_beam.hpp"
#include "physics/capture/capture.hpp"
#include "physics/charging/charging_unit.hpp"
#include "physics/contact/contact.hpp"
#include "physics/electrostatics/electrostatics.hpp"
#include "physics/flight/domain_boundary.hpp"
#include "physics/flight/flight.hpp"
#include "physics/flight/injector.hpp"
#include "physics/rotor/rotor.hpp"
#include "physics/thermal/thermal_unit.hpp"
#include "solver/io/response_table_io.hpp"

namespace mps {

const UnitRegistry& builtin_units() {
  static const UnitRegistry registry = [] {
    UnitRegistry r;
    // Registration order is the order within a stage of the time step (DESIGN.md section 2).
    register_injector_unit(r);
    register_rotor_unit(r);  // issue 6: after the injector (takes its feeding particles)
    register_flight_unit(r);
    register_contact_unit(r);         // Stage::force: contact forces and torques
    register_electrostatics_unit(r);  // Stage::force: q E into fx, fy, fz
    register_beam_unit(r, read_response_table);
    // charging before thermal: thermal's thermionic cooling then reads the potential the
    // implicit charge update ends the step on, so it is carried by the electrons that step
    // emits (read at the step's start, it was up to ~30x too large outside the beam:
    // validate_state, StateCoupling)
    register_charging_unit(r);
    register_thermal_unit(r);
    register_capture_unit(r);  // issue 6: boundary stage, before the domain unit
    register_domain_unit(r);
    return r;
  }();
  return registry;
}

}  // namespace mps
