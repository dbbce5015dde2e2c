#include "physics/flight/flight.hpp"

#include <algorithm>
#include <cmath>

#include "solver/base/errors.hpp"

namespace mps {

namespace {
// Blocks of particles for the branch-free fast paths below: a block of flying particles only is
// run without a per-particle state test (the loop vectorises), any other block per particle.
constexpr std::size_t kBlock = 512;
bool all_flying(const ParticleState* st, std::size_t b, std::size_t e) {
  unsigned char other = 0;
  for (std::size_t i = b; i < e; ++i) other |= st[i] != ParticleState::flying;
  return other == 0;
}

// K(h) of particles [b, e), all flying (distinct arrays: the loop vectorises).
void kick_block(double* __restrict vx, double* __restrict vy, double* __restrict vz,
                const double* __restrict fx, const double* __restrict fy,
                const double* __restrict fz, const double* __restrict m, double h, const Vec3& g,
                std::size_t b, std::size_t e) {
  const double gx = g[0], gy = g[1], gz = g[2];
  for (std::size_t i = b; i < e; ++i) {
    const double inv_m = 1.0 / m[i];
    vx[i] += h * (gx + fx[i] * inv_m);
    vy[i] += h * (gy + fy[i] * inv_m);
    vz[i] += h * (gz + fz[i] * inv_m);
  }
}

// K(h) then D(dt) of particles [b, e), all flying (distinct arrays: the loop vectorises).
void kick_drift_block(double* __restrict px, double* __restrict py, double* __restrict pz,
                      double* __restrict vx, double* __restrict vy, double* __restrict vz,
                      double* __restrict fx, double* __restrict fy, double* __restrict fz,
                      const double* __restrict m, double h, double dt, const Vec3& g, std::size_t b,
                      std::size_t e) {
  const double gx = g[0], gy = g[1], gz = g[2];
  for (std::size_t i = b; i < e; ++i) {
    const double inv_m = 1.0 / m[i];
    vx[i] += h * (gx + fx[i] * inv_m);
    vy[i] += h * (gy + fy[i] * inv_m);
    vz[i] += h * (gz + fz[i] * inv_m);
    px[i] += dt * vx[i];
    py[i] += dt * vy[i];
    pz[i] += dt * vz[i];
    // forces are recomputed at the new positions by the force stage
    fx[i] = fy[i] = fz[i] = 0.0;
  }
}
}  // namespace

void Flight::kick(ParticleStore& p, double h) const {
  const std::size_t n = p.size();
  double* vx = p.ptr(Field::vx);
  double* vy = p.ptr(Field::vy);
  double* vz = p.ptr(Field::vz);
  const double* fx = p.ptr(Field::fx);
  const double* fy = p.ptr(Field::fy);
  const double* fz = p.ptr(Field::fz);
  const double* m = p.ptr(Field::mass);
  const auto* st = p.states().data();
  if (!p_.rotating_frame) {
    for (std::size_t b = 0; b < n; b += kBlock) {
      const std::size_t e = std::min(n, b + kBlock);
      if (all_flying(st, b, e)) {
        kick_block(vx, vy, vz, fx, fy, fz, m, h, p_.gravity, b, e);
      } else {
        for (std::size_t i = b; i < e; ++i)
          if (st[i] == ParticleState::flying)
            kick_block(vx, vy, vz, fx, fy, fz, m, h, p_.gravity, i, i + 1);
      }
    }
    return;
  }
  // centrifugal acceleration -Omega x (Omega x r)
  const double* px = p.ptr(Field::px);
  const double* py = p.ptr(Field::py);
  const double* pz = p.ptr(Field::pz);
  const auto& w = p_.omega;
  const double gx = p_.gravity[0], gy = p_.gravity[1], gz = p_.gravity[2];
  for (std::size_t i = 0; i < n; ++i) {
    if (st[i] != ParticleState::flying) continue;
    const double rx = px[i] - p_.origin[0], ry = py[i] - p_.origin[1], rz = pz[i] - p_.origin[2];
    const double cx = w[1] * rz - w[2] * ry, cy = w[2] * rx - w[0] * rz, cz = w[0] * ry - w[1] * rx;
    const double ax = -(w[1] * cz - w[2] * cy), ay = -(w[2] * cx - w[0] * cz),
                 az = -(w[0] * cy - w[1] * cx);
    const double inv_m = 1.0 / m[i];
    vx[i] += h * (gx + ax + fx[i] * inv_m);
    vy[i] += h * (gy + ay + fy[i] * inv_m);
    vz[i] += h * (gz + az + fz[i] * inv_m);
  }
}

void Flight::coriolis(ParticleStore& p, double h) const {
  // dv/dt = -2 Omega x v: v rotates about the unit axis u = -Omega/|Omega| by angle 2|Omega| h.
  const auto& w = p_.omega;
  const double wn = std::sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
  if (wn == 0.0) return;
  const double ux = -w[0] / wn, uy = -w[1] / wn, uz = -w[2] / wn;
  const double c = std::cos(2.0 * wn * h), s = std::sin(2.0 * wn * h);
  const std::size_t n = p.size();
  double* vx = p.ptr(Field::vx);
  double* vy = p.ptr(Field::vy);
  double* vz = p.ptr(Field::vz);
  const auto* st = p.states().data();
  for (std::size_t i = 0; i < n; ++i) {
    if (st[i] != ParticleState::flying) continue;
    // Rodrigues: v' = v c + (u x v) s + u (u . v)(1 - c)
    const double x = vx[i], y = vy[i], z = vz[i];
    const double ud = ux * x + uy * y + uz * z;
    const double kx = uy * z - uz * y, ky = uz * x - ux * z, kz = ux * y - uy * x;
    vx[i] = x * c + kx * s + ux * ud * (1.0 - c);
    vy[i] = y * c + ky * s + uy * ud * (1.0 - c);
    vz[i] = z * c + kz * s + uz * ud * (1.0 - c);
  }
}

void Flight::drift(ParticleStore& p, double dt) const {
  const std::size_t n = p.size();
  double* px = p.ptr(Field::px);
  double* py = p.ptr(Field::py);
  double* pz = p.ptr(Field::pz);
  double* fx = p.ptr(Field::fx);
  double* fy = p.ptr(Field::fy);
  double* fz = p.ptr(Field::fz);
  const double* vx = p.ptr(Field::vx);
  const double* vy = p.ptr(Field::vy);
  const double* vz = p.ptr(Field::vz);
  const auto* st = p.states().data();
  for (std::size_t i = 0; i < n; ++i) {
    if (st[i] != ParticleState::flying) continue;
    px[i] += dt * vx[i];
    py[i] += dt * vy[i];
    pz[i] += dt * vz[i];
    // forces are recomputed at the new positions by the force stage
    fx[i] = fy[i] = fz[i] = 0.0;
  }
}

void Flight::apply(Stage stage, ParticleStore& p, const StepContext& ctx) {
  const double h = 0.5 * ctx.dt;
  if (stage == Stage::pre_force) {
    if (p_.rotating_frame) {
      kick(p, h);
      coriolis(p, h);
      drift(p, ctx.dt);
      return;
    }
    // K(dt/2) D(dt) fused into one pass over the particles (the same arithmetic as kick() then
    // drift(): each particle's arrays are read once per stage)
    const std::size_t n = p.size();
    const auto* st = p.states().data();
    double* px = p.ptr(Field::px);
    double* py = p.ptr(Field::py);
    double* pz = p.ptr(Field::pz);
    double* vx = p.ptr(Field::vx);
    double* vy = p.ptr(Field::vy);
    double* vz = p.ptr(Field::vz);
    double* fx = p.ptr(Field::fx);
    double* fy = p.ptr(Field::fy);
    double* fz = p.ptr(Field::fz);
    const double* m = p.ptr(Field::mass);
    auto run = [&](std::size_t b, std::size_t e) {
      kick_drift_block(px, py, pz, vx, vy, vz, fx, fy, fz, m, h, ctx.dt, p_.gravity, b, e);
    };
    for (std::size_t b = 0; b < n; b += kBlock) {
      const std::size_t e = std::min(n, b + kBlock);
      if (all_flying(st, b, e)) {
        run(b, e);
      } else {
        for (std::size_t i = b; i < e; ++i)
          if (st[i] == ParticleState::flying) run(i, i + 1);
      }
    }
  } else if (stage == Stage::post_force) {
    if (p_.rotating_frame) coriolis(p, h);
    kick(p, h);
  }
}

void register_flight_unit(UnitRegistry& registry) {
  UnitInfo u;
  u.name = "flight";
  u.doc =
      "Ballistic flight in vacuum (velocity Verlet): gravity, forces of other units, optional "
      "rotating CT-gantry frame with centrifugal and Coriolis terms.";
  u.declare = [](SectionSpec& s) {
    s.vector3("gravity", dim::acceleration, "Gravitational acceleration in the case frame")
        .def("[0, 0, -9.80665]");
    auto& g = s.section("gantry", "Rotating frame of a CT gantry (optional)");
    g.vector3("axis", dim::none, "Rotation axis (normalised by the code)").require();
    g.vector3("origin", dim::length, "A point on the axis").def("[0, 0, 0]");
    g.quantity("angular_velocity", dim::frequency, "Angular velocity (rad/s; rpm accepted)")
        .require();
  };
  u.make = [](const UnitContext& c) -> std::unique_ptr<ProcessUnit> {
    FlightParams p;
    p.gravity = c.section.vec3("gravity");
    if (c.section.has_section("gantry")) {
      const auto& g = c.section.section("gantry");
      Vec3 a = g.vec3("axis");
      double n = std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
      if (!(n > 0.0)) throw InputError("flight.gantry.axis: expected a non-zero vector");
      const double w = g.number("angular_velocity");
      p.rotating_frame = true;
      for (int k = 0; k < 3; ++k) p.omega[k] = w * a[k] / n;
      p.origin = g.vec3("origin");
    }
    return std::make_unique<Flight>(p);
  };
  registry.add(std::move(u));
}

}  // namespace mps
