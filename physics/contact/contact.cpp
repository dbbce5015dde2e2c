#include "physics/contact/contact.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <iterator>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "physics/contact/restitution.hpp"
#include "solver/base/block_scan.hpp"
#include "solver/base/errors.hpp"

namespace mps {

double rayleigh_time(double radius, double density, double youngs_modulus, double poisson_ratio) {
  const double g = youngs_modulus / (2.0 * (1.0 + poisson_ratio));
  return std::numbers::pi * radius * std::sqrt(density / g) / (0.1631 * poisson_ratio + 0.8766);
}

Contact::Contact(const ContactParams& p) : p_(p) {
  const double E = p_.youngs_modulus, nu = p_.poisson_ratio;
  const double G = E / (2.0 * (1.0 + nu));
  // two bodies of the same material (walls too): 1/E* = 2 (1 - nu^2)/E, 1/G* = 2 (2 - nu)/G
  pair_.e_star = E / (2.0 * (1.0 - nu * nu));
  pair_.g_star = G / (2.0 * (2.0 - nu));
  pair_.damping = contact::damping_from_restitution(p_.restitution, p_.damping);
  pair_.tangential_damping_ratio = p_.tangential_damping_ratio;
  pair_.friction = p_.friction;
  pair_.rolling_friction = p_.rolling_friction;
}

double Contact::max_dt() const {
  if (p_.multirate) return std::numeric_limits<double>::infinity();
  return p_.time_step_safety *
         rayleigh_time(0.5 * p_.min_diameter, p_.density, p_.youngs_modulus, p_.poisson_ratio);
}

std::vector<TallyRef> Contact::tallies() {
  return {{"collisions_count", &collisions_}, {"wall_collisions_count", &wall_collisions_}};
}

std::vector<Contact::Carried> Contact::touching_histories() const {
  // slots are sorted by (lower id, higher id): so is the result
  std::vector<Carried> h;
  const auto& L1 = list_.first();
  const auto& L2 = list_.second();
  for (std::size_t k = 0; k < L1.size(); ++k)
    if (touching_[k]) h.push_back({list_ids_[L1[k]], list_ids_[L2[k]], hist_[k]});
  return h;
}

void Contact::update_list(const ParticleStore& p, const double* const x[3], std::size_t n,
                          std::size_t nown, double skin, StepContext::Neighbours neighbours) {
  using N = StepContext::Neighbours;
  const auto& id = p.ids();
  if (neighbours == N::renewed) self_check_ = false;
  // Keep the list when the local particles are the same (the solver says so, or the ids agree),
  // none became active or inactive, and none moved skin/2 since the build (the solver checked
  // since its renewal, at which the list was built; otherwise check here).
  bool keep = neighbours != N::renewed && list_.builds() > 0 && list_ids_.size() == n &&
              list_owned_ == nown && list_.skin() >= skin;
  if (keep && neighbours != N::forwarded)
    keep = std::equal(id.begin(), id.end(), list_ids_.begin());
  if (keep)
    keep = std::equal(active_.begin(), active_.begin() + static_cast<std::ptrdiff_t>(n),
                      list_active_.begin());
  if (keep && (neighbours != N::forwarded || self_check_))
    keep = !list_.needs_rebuild(x, n, p_.box);
  if (keep) return;
  // A build between two renewals must check displacements itself until the next renewal.
  if (neighbours != N::renewed) self_check_ = true;
  // Histories of the pairs in contact move over by id pair: the old list and what migrations or
  // a checkpoint brought (pending_), both sorted by id pair, merged (the old list first: a pair
  // that was evaluated here and came with a migrating particle has the same bits in both).
  std::vector<Carried> carry = list_ids_.empty() ? std::vector<Carried>{} : touching_histories();
  if (!pending_.empty()) {
    auto by_pair = [](const Carried& u, const Carried& v) {
      return u.a != v.a ? u.a < v.a : u.b < v.b;
    };
    std::stable_sort(pending_.begin(), pending_.end(), by_pair);
    std::vector<Carried> merged;
    merged.reserve(carry.size() + pending_.size());
    std::merge(carry.begin(), carry.end(), pending_.begin(), pending_.end(),
               std::back_inserter(merged), by_pair);
    merged.erase(
        std::unique(merged.begin(), merged.end(),
                    [](const Carried& u, const Carried& v) { return u.a == v.a && u.b == v.b; }),
        merged.end());
    carry.swap(merged);
    pending_.clear();
  }
  hits_valid_ = false;  // a new list: the touching slots are those of the carried histories
  // ghost-ghost pairs only matter to the multi-rate scheme (ghosts move with their contacts)
  list_.build(x, radius_.data(), active_.data(), id.data(), n, skin, p_.box, nown, !p_.multirate);
  list_ids_.assign(id.begin(), id.end());
  list_active_.assign(active_.begin(), active_.begin() + static_cast<std::ptrdiff_t>(n));
  list_owned_ = nown;
  const auto& L1 = list_.first();
  const auto& L2 = list_.second();
  hist_.assign(L1.size(), {0.0, 0.0, 0.0});
  touching_.assign(L1.size(), 0);
  std::size_t c = 0;
  for (std::size_t k = 0; k < L1.size() && c < carry.size(); ++k) {
    const std::uint64_t a = id[L1[k]], b = id[L2[k]];
    while (c < carry.size() && (carry[c].a < a || (carry[c].a == a && carry[c].b < b))) ++c;
    if (c < carry.size() && carry[c].a == a && carry[c].b == b) {
      hist_[k] = carry[c].h;
      touching_[k] = 1;
    }
  }
}

void Contact::pack_migrating(const std::vector<std::uint64_t>& ids,
                             std::vector<std::vector<double>>& out) const {
  // Records of 5 doubles: lower id, higher id (bit-cast; walls: ~wall index), history.
  std::unordered_map<std::uint64_t, std::size_t> leaving;
  leaving.reserve(2 * ids.size());
  for (std::size_t k = 0; k < ids.size(); ++k) leaving.emplace(ids[k], k);
  // A few particles leave, out of many touching pairs: a filter of 4096 bits (id mod 4096) turns
  // most pairs away with one test instead of two hash lookups (an integer division each).
  std::array<std::uint64_t, 64> filter{};
  for (const auto id : ids) filter[(id >> 6) & 63] |= std::uint64_t{1} << (id & 63);
  auto maybe_leaving = [&](std::uint64_t id) { return (filter[(id >> 6) & 63] >> (id & 63)) & 1; };
  auto put = [&](std::size_t k, std::uint64_t a, std::uint64_t b, const std::array<double, 3>& h) {
    out[k].push_back(std::bit_cast<double>(a));
    out[k].push_back(std::bit_cast<double>(b));
    out[k].insert(out[k].end(), h.begin(), h.end());
  };
  auto both = [&](std::uint64_t a, std::uint64_t b, const std::array<double, 3>& h) {
    if (!maybe_leaving(a) && !maybe_leaving(b)) return;
    if (auto it = leaving.find(a); it != leaving.end()) put(it->second, a, b, h);
    if (auto it = leaving.find(b); it != leaving.end()) put(it->second, a, b, h);
  };
  // the pairs in contact, in slot order (as touching_histories(), without building it: few of
  // them have a leaving particle); after a single-rate step they are the step's overlapping
  // slots (in_contact_), ~5 % of the list
  const auto& L1 = list_.first();
  const auto& L2 = list_.second();
  if (hits_valid_) {
    for (std::size_t h = 0; h < hits_; ++h) {
      const std::uint32_t k = in_contact_[h];
      both(list_ids_[L1[k]], list_ids_[L2[k]], hist_[k]);
    }
  } else {
    for (std::size_t k = 0; k < L1.size(); ++k)
      if (touching_[k]) both(list_ids_[L1[k]], list_ids_[L2[k]], hist_[k]);
  }
  for (const auto& c : pending_) both(c.a, c.b, c.h);  // not placed yet (two migrations)
  for (std::size_t k = 0; k < ids.size(); ++k)
    for (std::size_t w = 0; w < p_.walls.size(); ++w) {
      const PairKey key{ids[k], ~static_cast<std::uint64_t>(w)};
      if (auto it = wall_history_.find(key); it != wall_history_.end())
        put(k, key.a, key.b, it->second);
    }
}

void Contact::unpack_migrating(std::uint64_t, const double* data, std::size_t n) {
  for (std::size_t k = 0; k + 5 <= n; k += 5) {
    const std::uint64_t a = std::bit_cast<std::uint64_t>(data[k]),
                        b = std::bit_cast<std::uint64_t>(data[k + 1]);
    const std::array<double, 3> h{data[k + 2], data[k + 3], data[k + 4]};
    if (b > ~static_cast<std::uint64_t>(p_.walls.size()))  // a wall
      wall_history_[{a, b}] = h;
    else
      pending_.push_back({a, b, h});
  }
}

void Contact::apply(Stage, ParticleStore& p, const StepContext& ctx) {
  const std::size_t n = p.size_with_ghosts(), nown = p.size();
  const double* const x[3] = {p.ptr(Field::px), p.ptr(Field::py), p.ptr(Field::pz)};
  const double* const v[3] = {p.ptr(Field::vx), p.ptr(Field::vy), p.ptr(Field::vz)};
  double* const w[3] = {p.ptr(Field::wx), p.ptr(Field::wy), p.ptr(Field::wz)};
  double* const f[3] = {p.ptr(Field::fx), p.ptr(Field::fy), p.ptr(Field::fz)};
  const double* m = p.ptr(Field::mass);
  const double* dia = p.ptr(Field::diameter);
  const auto& id = p.ids();
  const auto* st = p.states().data();
  const double dt = ctx.dt;
  const contact::PeriodicBox box = p_.box;  // a local copy: stores through char* cannot alias it

  radius_.resize(n);
  active_.resize(n);
  const double dmax = p_.max_diameter * (1.0 + 1e-12);
  // separate loops of one element width each: they vectorise
  double* rad = radius_.data();
  for (std::size_t i = 0; i < n; ++i) rad[i] = 0.5 * dia[i];
  const bool too_large = any_lane(dia, n, [=](double d) { return d > dmax; });
  unsigned char* act = active_.data();
  for (std::size_t i = 0; i < n; ++i)
    act[i] = st[i] == ParticleState::flying || st[i] == ParticleState::in_rotor;
  if (too_large)
    for (std::size_t i = 0; i < n; ++i)
      if (act[i] && dia[i] > dmax)
        throw std::runtime_error("contact: particle " + std::to_string(id[i]) + " at step " +
                                 std::to_string(ctx.step) + " is larger than contact.max_diameter");
  if (p_.multirate) {
    apply_multirate(p, ctx, n, nown);
    return;
  }
  update_list(p, x, n, nown, p_.skin, ctx.neighbours);
  // torques stay zero between steps: only the particles in contact (spinning_) are kicked and
  // reset, not every particle
  for (auto& t : torque_)
    if (t.size() < n) t.resize(n, 0.0);
  spinning_.resize(n, 0);
  spun_.clear();

  // Slots in increasing lower id, then increasing higher id (rows of the list): each particle's
  // sum runs over increasing partner id (neighbour_list.hpp). Pairs with at least one owned
  // particle only.
  // raw pointers: the stores to touching (unsigned char) could alias the vectors' internals
  const std::uint32_t* L1 = list_.first().data();
  const std::uint32_t* L2 = list_.second().data();
  const std::size_t slots = list_.size();
  unsigned char* touching = touching_.data();
  std::array<double, 3>* hist = hist_.data();
  const double* r = radius_.data();
  // Pass 1, over every slot: which pairs overlap. A short loop without a branch per pair (most
  // pairs of the list are apart: ~5 % touch in the benchmark) that keeps the slots in contact in
  // order; the minimum image is taken without branches (half = inf along open axes).
  in_contact_.resize(slots);
  std::uint32_t* hit = in_contact_.data();
  std::size_t hits = 0;
  {
    double half[3], len[3];
    for (int a = 0; a < 3; ++a) {
      half[a] = box.periodic[a] ? 0.5 * box.length[a] : std::numeric_limits<double>::infinity();
      len[a] = box.periodic[a] ? box.length[a] : 0.0;
    }
    const double hx = half[0], hy = half[1], hz = half[2], lx = len[0], ly = len[1], lz = len[2];
    const double *px = x[0], *py = x[1], *pz = x[2];
    for (std::size_t k = 0; k < slots; ++k) {
      const std::uint32_t i = L1[k], j = L2[k];
      double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
      dx += (dx < -hx ? lx : 0.0) - (dx > hx ? lx : 0.0);
      dy += (dy < -hy ? ly : 0.0) - (dy > hy ? ly : 0.0);
      dz += (dz < -hz ? lz : 0.0) - (dz > hz ? lz : 0.0);
      const double sum = r[i] + r[j];
      const double r2 = dx * dx + dy * dy + dz * dz;
      const bool touch = r2 < sum * sum && r2 != 0.0;
      touching[k] &= static_cast<unsigned char>(touch);  // a pair apart forgets its history
      hit[hits] = static_cast<std::uint32_t>(k);
      hits += touch;
    }
  }
  // Pass 2: the contact law for the overlapping pairs, in slot order (after it, the touching
  // slots are exactly in_contact_[0, hits): pack_migrating walks those)
  std::size_t touching_now = hits;
  hits_ = hits;
  hits_valid_ = true;
  for (std::size_t h = 0; h < hits; ++h) {
    const std::uint32_t k = hit[h];
    const std::uint32_t i = L1[k], j = L2[k];
    const double ri = r[i];
    const double dx = box.image(0, x[0][i] - x[0][j]), dy = box.image(1, x[1][i] - x[1][j]),
                 dz = box.image(2, x[2][i] - x[2][j]);
    const double sum = ri + r[j];
    const double r2 = dx * dx + dy * dy + dz * dz;
    if (!touching[k]) {
      touching[k] = 1;
      hist[k] = {0.0, 0.0, 0.0};
      if (i < nown) collisions_.add(1.0);  // each pair counted once: by the owner of the lower id
    }
    const double dist = std::sqrt(r2);
    const double d[3] = {dx, dy, dz};
    const double dv[3] = {v[0][i] - v[0][j], v[1][i] - v[1][j], v[2][i] - v[2][j]};
    const double wi[3] = {w[0][i], w[1][i], w[2][i]}, wj[3] = {w[0][j], w[1][j], w[2][j]};
    contact::ContactForce cf;
    contact::hertz_mindlin(pair_, d, dist, sum - dist, ri, r[j], ri * r[j] / sum,
                           m[i] * m[j] / (m[i] + m[j]), dv, wi, wj, dt, hist[k].data(), cf);
    if (i < nown) {
      for (int a = 0; a < 3; ++a) {
        f[a][i] += cf.f[a];
        torque_[a][i] += cf.ti[a];
      }
      if (!spinning_[i]) spinning_[i] = 1, spun_.push_back(i);
    }
    if (j < nown) {
      for (int a = 0; a < 3; ++a) {
        f[a][j] -= cf.f[a];
        torque_[a][j] += cf.tj[a];
      }
      if (!spinning_[j]) spinning_[j] = 1, spun_.push_back(j);
    }
  }
  // walls after the pairs, in declaration order, for the owned particles (a particle sliding on
  // a wall takes its history along when it migrates)
  next_wall_history_.clear();
  const double zero[3] = {0.0, 0.0, 0.0};
  for (std::size_t wall_index = 0; wall_index < p_.walls.size(); ++wall_index) {
    const auto& wall = p_.walls[wall_index];
    const std::uint64_t tag = ~static_cast<std::uint64_t>(wall_index);
    for (std::uint32_t i = 0; i < nown; ++i) {
      if (!active_[i]) continue;
      const double xi[3] = {x[0][i], x[1][i], x[2][i]};
      double s = 0.0, nrm[3];
      if (!wall.distance(xi, s, nrm) || s >= r[i] || s <= 0.0) continue;
      ++touching_now;
      const PairKey key{id[i], tag};
      std::array<double, 3> h{0.0, 0.0, 0.0};
      if (auto it = wall_history_.find(key); it != wall_history_.end())
        h = it->second;
      else
        wall_collisions_.add(1.0);
      const double d[3] = {s * nrm[0], s * nrm[1], s * nrm[2]};
      const double dv[3] = {v[0][i], v[1][i], v[2][i]};
      const double wi[3] = {w[0][i], w[1][i], w[2][i]};
      contact::ContactForce cf;
      contact::hertz_mindlin(pair_, d, s, r[i] - s, r[i], 0.0, r[i], m[i], dv, wi, zero, dt,
                             h.data(), cf);
      next_wall_history_[key] = h;
      for (int a = 0; a < 3; ++a) {
        f[a][i] += cf.f[a];
        torque_[a][i] += cf.ti[a];
      }
      if (!spinning_[i]) spinning_[i] = 1, spun_.push_back(i);
    }
  }
  wall_history_.swap(next_wall_history_);
  contacts_now_ = touching_now;
  // rotation: full kick with the torque of this step (leapfrog, see the header)
  for (const auto i : spun_) {
    spinning_[i] = 0;
    if (torque_[0][i] == 0.0 && torque_[1][i] == 0.0 && torque_[2][i] == 0.0) continue;
    const double s = dt / (0.4 * m[i] * r[i] * r[i]);
    for (int a = 0; a < 3; ++a) {
      w[a][i] += s * torque_[a][i];
      torque_[a][i] = 0.0;
    }
  }
}

void Contact::apply_multirate(ParticleStore& p, const StepContext& ctx, std::size_t n,
                              std::size_t nown) {
  hits_valid_ = false;  // (the overlapping slots are only kept by the single-rate step)
  double* const x[3] = {p.ptr(Field::px), p.ptr(Field::py), p.ptr(Field::pz)};
  double* const v[3] = {p.ptr(Field::vx), p.ptr(Field::vy), p.ptr(Field::vz)};
  double* const w[3] = {p.ptr(Field::wx), p.ptr(Field::wy), p.ptr(Field::wz)};
  const double* m = p.ptr(Field::mass);
  const auto& id = p.ids();
  const contact::PeriodicBox box = p_.box;  // a local copy: stores through char* cannot alias it
  const double DT = ctx.dt;
  const double* r = radius_.data();
  // every pair that can touch within DT must be in the list: closing distance <= skin / 2
  double vmax = 0.0;
  for (std::size_t i = 0; i < n; ++i)
    if (active_[i])
      vmax = std::max(vmax, std::fabs(v[0][i]) + std::fabs(v[1][i]) + std::fabs(v[2][i]));
  const double* const xc[3] = {x[0], x[1], x[2]};
  update_list(p, xc, n, nown, std::max(p_.skin, 4.0 * vmax * DT), ctx.neighbours);
  const auto& L1 = list_.first();
  const auto& L2 = list_.second();

  // S: particles of pairs (and walls) whose gap at the start or the end of the drift is below
  // twice the closing distance, or that touched at the last step
  in_sub_.assign(n, 0);
  sub_pairs_.clear();
  auto speed = [&](std::size_t i) {
    return std::fabs(v[0][i]) + std::fabs(v[1][i]) + std::fabs(v[2][i]);
  };
  for (std::size_t k = 0; k < L1.size(); ++k) {
    const std::uint32_t i = L1[k], j = L2[k];
    if (!active_[i] || !active_[j]) {
      touching_[k] = 0;
      continue;
    }
    double g1 = 0.0, g0 = 0.0;
    for (int a = 0; a < 3; ++a) {
      const double d1 = box.image(a, x[a][i] - x[a][j]);
      const double d0 = d1 - DT * (v[a][i] - v[a][j]);
      g1 += d1 * d1;
      g0 += d0 * d0;
    }
    const double reach = r[i] + r[j] + 2.0 * (speed(i) + speed(j)) * DT;
    if (touching_[k] || g1 < reach * reach || g0 < reach * reach) {
      sub_pairs_.push_back(static_cast<std::uint32_t>(k));
      in_sub_[i] = in_sub_[j] = 1;
    } else {
      touching_[k] = 0;
    }
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> wall_pairs;  // (particle, wall)
  for (std::size_t wi = 0; wi < p_.walls.size(); ++wi)
    for (std::uint32_t i = 0; i < n; ++i) {
      if (!active_[i]) continue;
      double s0 = 0.0, s1 = 0.0, nrm[3];
      const double x1[3] = {x[0][i], x[1][i], x[2][i]};
      const double x0[3] = {x1[0] - DT * v[0][i], x1[1] - DT * v[1][i], x1[2] - DT * v[2][i]};
      const bool ok1 = p_.walls[wi].distance(x1, s1, nrm), ok0 = p_.walls[wi].distance(x0, s0, nrm);
      const double reach = r[i] + 2.0 * speed(i) * DT;
      if ((ok1 && s1 < reach) || (ok0 && s0 < reach)) {
        wall_pairs.emplace_back(i, static_cast<std::uint32_t>(wi));
        in_sub_[i] = 1;
      }
    }
  sub_particles_.clear();
  for (std::uint32_t i = 0; i < n; ++i)
    if (in_sub_[i]) sub_particles_.push_back(i);
  next_wall_history_.clear();
  contacts_now_ = 0;
  if (sub_particles_.empty()) {
    wall_history_.clear();
    return;
  }
  // back to the start of the drift, then K position-Verlet substeps with the contact forces
  const double h_max = p_.time_step_safety * rayleigh_time(0.5 * p_.min_diameter, p_.density,
                                                           p_.youngs_modulus, p_.poisson_ratio);
  const auto K = static_cast<std::size_t>(std::ceil(DT / h_max * (1.0 - 1e-12)));
  const double h = DT / static_cast<double>(K);
  for (auto i : sub_particles_)
    for (int a = 0; a < 3; ++a) x[a][i] -= DT * v[a][i];
  for (int a = 0; a < 3; ++a) {
    force_[a].assign(n, 0.0);
    torque_[a].assign(n, 0.0);
  }
  const double zero[3] = {0.0, 0.0, 0.0};
  for (std::size_t step = 0; step < K; ++step) {
    for (auto i : sub_particles_)
      for (int a = 0; a < 3; ++a) {
        x[a][i] += 0.5 * h * v[a][i];
        force_[a][i] = torque_[a][i] = 0.0;
      }
    std::size_t touching_now = 0;
    for (auto k : sub_pairs_) {
      const std::uint32_t i = L1[k], j = L2[k];
      const double dx = box.image(0, x[0][i] - x[0][j]), dy = box.image(1, x[1][i] - x[1][j]),
                   dz = box.image(2, x[2][i] - x[2][j]);
      const double sum = r[i] + r[j];
      const double r2 = dx * dx + dy * dy + dz * dz;
      if (r2 >= sum * sum || r2 == 0.0) {
        touching_[k] = 0;
        continue;
      }
      ++touching_now;
      if (!touching_[k]) {
        touching_[k] = 1;
        hist_[k] = {0.0, 0.0, 0.0};
        if (i < nown) collisions_.add(1.0);
      }
      const double dist = std::sqrt(r2);
      const double d[3] = {dx, dy, dz};
      const double dv[3] = {v[0][i] - v[0][j], v[1][i] - v[1][j], v[2][i] - v[2][j]};
      const double wi[3] = {w[0][i], w[1][i], w[2][i]}, wj[3] = {w[0][j], w[1][j], w[2][j]};
      contact::ContactForce cf;
      contact::hertz_mindlin(pair_, d, dist, sum - dist, r[i], r[j], r[i] * r[j] / sum,
                             m[i] * m[j] / (m[i] + m[j]), dv, wi, wj, h, hist_[k].data(), cf);
      for (int a = 0; a < 3; ++a) {
        force_[a][i] += cf.f[a];
        torque_[a][i] += cf.ti[a];
        force_[a][j] -= cf.f[a];
        torque_[a][j] += cf.tj[a];
      }
    }
    for (const auto& [i, wi] : wall_pairs) {
      const double xi[3] = {x[0][i], x[1][i], x[2][i]};
      double s = 0.0, nrm[3];
      const PairKey key{id[i], ~static_cast<std::uint64_t>(wi)};
      if (!p_.walls[wi].distance(xi, s, nrm) || s >= r[i] || s <= 0.0) {
        wall_history_.erase(key);
        continue;
      }
      ++touching_now;
      auto [it, fresh] = wall_history_.try_emplace(key, std::array<double, 3>{0.0, 0.0, 0.0});
      if (fresh && i < nown) wall_collisions_.add(1.0);
      const double d[3] = {s * nrm[0], s * nrm[1], s * nrm[2]};
      const double dv[3] = {v[0][i], v[1][i], v[2][i]};
      const double wv[3] = {w[0][i], w[1][i], w[2][i]};
      contact::ContactForce cf;
      contact::hertz_mindlin(pair_, d, s, r[i] - s, r[i], 0.0, r[i], m[i], dv, wv, zero, h,
                             it->second.data(), cf);
      for (int a = 0; a < 3; ++a) {
        force_[a][i] += cf.f[a];
        torque_[a][i] += cf.ti[a];
      }
    }
    for (auto i : sub_particles_) {
      const double sv = h / m[i], sw = h / (0.4 * m[i] * r[i] * r[i]);
      for (int a = 0; a < 3; ++a) {
        v[a][i] += sv * force_[a][i];
        w[a][i] += sw * torque_[a][i];
        x[a][i] += 0.5 * h * v[a][i];
      }
    }
    contacts_now_ = touching_now;
  }
  // walls no longer near leave the history
  for (const auto& [i, wi] : wall_pairs) {
    const PairKey key{id[i], ~static_cast<std::uint64_t>(wi)};
    if (auto it = wall_history_.find(key); it != wall_history_.end())
      next_wall_history_[key] = it->second;
  }
  wall_history_.swap(next_wall_history_);
  substeps_taken_ += K;
}

std::vector<std::pair<std::string, std::vector<double>>> Contact::save_state() const {
  // pairs and walls in contact, sorted by key so the checkpoint does not depend on the hash order
  std::vector<Carried> all = touching_histories();
  all.insert(all.end(), pending_.begin(), pending_.end());
  for (const auto& [k, v] : wall_history_) all.push_back({k.a, k.b, v});
  std::sort(all.begin(), all.end(),
            [](const Carried& u, const Carried& v) { return u.a != v.a ? u.a < v.a : u.b < v.b; });
  std::vector<double> flat;
  flat.reserve(5 * all.size());
  for (const auto& c : all) {
    flat.push_back(std::bit_cast<double>(c.a));
    flat.push_back(std::bit_cast<double>(c.b));
    flat.insert(flat.end(), c.h.begin(), c.h.end());
  }
  return {{"tangential_history", flat}};
}

void Contact::load_state(const std::vector<std::pair<std::string, std::vector<double>>>& s) {
  for (const auto& [name, flat] : s) {
    if (name != "tangential_history") continue;
    pending_.clear();
    wall_history_.clear();
    unpack_migrating(0, flat.data(), flat.size());
  }
  list_ids_.clear();  // full neighbour build at the next step, which places the histories
  list_owned_ = 0;
}

void register_contact_unit(UnitRegistry& registry) {
  UnitInfo u;
  u.name = "contact";
  u.doc =
      "Soft-sphere Hertz-Mindlin contacts between particles and with walls (planes, cylinders): "
      "Hertz normal force with Tsuji-type damping set from a restitution coefficient, Mindlin "
      "tangential spring with history and Coulomb limit, optional rolling friction; linked-cell "
      "Verlet list with skin; time step from the Rayleigh time. Defaults: tungsten (E = 410 GPa, "
      "nu = 0.28: Lassner & Schubert, Tungsten, Springer 1999, table 1.1; restitution and friction "
      "are assumptions, see the keys).";
  u.declare = [](SectionSpec& s) {
    s.quantity("youngs_modulus", dim::pressure,
               "Young's modulus (W: 410 GPa, Lassner & Schubert 1999)")
        .def("410 GPa")
        .positive();
    s.quantity("poisson_ratio", dim::none, "Poisson ratio (W: 0.28, Lassner & Schubert 1999)")
        .def("0.28")
        .at_least(0.0)
        .at_most(0.5);
    s.quantity(
         "restitution", dim::none,
         "Normal coefficient of restitution, independent of speed in this model. No measured "
         "value for W microspheres is known to us; 0.5 is the benchmark's value (metal spheres "
         "above their yield speed, ~0.1-1 m/s at this size, rebound with 0.3-0.8)")
        .def("0.5")
        .positive()
        .at_most(1.0);
    s.quantity("friction", dim::none,
               "Coulomb sliding friction coefficient (0.3: the benchmark's value; clean metals in "
               "vacuum can exceed 0.5)")
        .def("0.3")
        .non_negative();
    s.quantity("rolling_friction", dim::none, "Rolling friction coefficient mu_r (0: off)")
        .def("0")
        .non_negative();
    s.quantity("tangential_damping_ratio", dim::none, "eta_t / eta_n (LAMMPS x_gamma_t)")
        .def("1")
        .non_negative();
    s.choice("damping", {"exact", "tsuji", "coeff_restitution"},
             "How the damping coefficient follows from the restitution: exact (solved: measured "
             "restitution = set value), tsuji or coeff_restitution (LAMMPS's formulas, for "
             "comparisons)")
        .def("exact");
    s.quantity("density", dim::density, "Particle density for the Rayleigh time")
        .def("19250 kg/m^3")
        .positive();
    s.quantity("min_diameter", dim::length, "Smallest particle expected (sets the time step)")
        .def("1 um")
        .positive();
    s.quantity("max_diameter", dim::length, "Largest particle expected (cells, ghost layer)")
        .def("10 um")
        .positive();
    s.quantity("skin", dim::length, "Neighbour list skin (rebuild after skin/2 displacement)")
        .def("0.5 um")
        .positive();
    s.quantity("time_step_safety", dim::none,
               "Largest time step as a fraction of the Rayleigh time")
        .def("0.2")
        .positive()
        .at_most(1.0);
    s.boolean(
         "multirate",
         "Sub-cycle contacts inside the solver step (dt may exceed the contact step; particles "
         "that cannot touch anything in a step fly ballistically; the list skin grows to 4 v_max "
         "dt if needed)")
        .def("false");
    s.string_list("periodic", "Periodic axes of the domain box, e.g. [x, y, z] (default none)");
    auto& w = s.section_list("walls", "Walls (planes, cylinders) of the particle material");
    w.choice("type", {"plane", "cylinder"}, "Wall shape").require();
    w.string("name", "Name of the wall").def("wall");
    w.vector3("point", dim::length, "A point of the plane, or of the cylinder axis").require();
    w.vector3("normal", dim::none, "Plane: normal pointing to the particle side");
    w.vector3("axis", dim::none, "Cylinder: axis direction");
    w.quantity("radius", dim::length, "Cylinder radius").positive();
    w.choice("side", {"inside", "outside"}, "Cylinder: particles inside or outside").def("inside");
  };
  u.make = [](const UnitContext& c) -> std::unique_ptr<ProcessUnit> {
    const auto& s = c.section;
    ContactParams p;
    p.youngs_modulus = s.number("youngs_modulus");
    p.poisson_ratio = s.number("poisson_ratio");
    p.restitution = s.number("restitution");
    p.friction = s.number("friction");
    p.rolling_friction = s.number("rolling_friction");
    p.tangential_damping_ratio = s.number("tangential_damping_ratio");
    p.damping = s.string("damping");
    p.density = s.number("density");
    p.min_diameter = s.number("min_diameter");
    p.max_diameter = s.number("max_diameter");
    p.skin = s.number("skin");
    p.time_step_safety = s.number("time_step_safety");
    p.multirate = s.boolean("multirate");
    if (p.min_diameter > p.max_diameter)
      throw InputError("contact: expected min_diameter <= max_diameter");
    const auto& dom = c.root.section("domain");
    const Vec3 lo = dom.vec3("lo"), hi = dom.vec3("hi");
    if (s.has("periodic")) {
      for (const auto& a : s.strings("periodic")) {
        const int k = a == "x" ? 0 : a == "y" ? 1 : a == "z" ? 2 : -1;
        if (k < 0)
          throw InputError("contact.periodic: expected axis names x, y, z, got '" + a + "'");
        p.box.periodic[k] = true;
      }
      const double range = 2.0 * p.max_diameter + 2.0 * p.skin;
      for (int k = 0; k < 3; ++k) {
        p.box.lo[k] = lo[k];
        p.box.length[k] = hi[k] - lo[k];
        if (p.box.periodic[k] && p.box.length[k] < 3.0 * range)
          throw InputError(
              "contact.periodic: the domain must be at least 3 x (2 max_diameter + 2 skin) "
              "long along a periodic axis");
      }
    }
    for (std::size_t k = 0; k < s.list_or_empty("walls").size(); ++k) {
      const auto& ws = s.list_or_empty("walls")[k];
      const std::string where = "contact.walls[" + std::to_string(k) + "]";
      contact::Wall wall;
      wall.name = ws.string("name");
      wall.point = ws.vec3("point");
      const bool plane = ws.string("type") == "plane";
      wall.kind = plane ? contact::Wall::Kind::plane : contact::Wall::Kind::cylinder;
      const char* dir_key = plane ? "normal" : "axis";
      if (!ws.has(dir_key))
        throw InputError(where + ": a " + ws.string("type") + " needs '" + dir_key + "'");
      Vec3 d = ws.vec3(dir_key);
      const double len = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      if (!(len > 0.0)) throw InputError(where + "." + dir_key + ": expected a non-zero vector");
      for (auto& e : d) e /= len;
      wall.direction = d;
      if (!plane) {
        if (!ws.has("radius")) throw InputError(where + ": a cylinder needs 'radius'");
        wall.radius = ws.number("radius");
        wall.inside = ws.string("side") == "inside";
      }
      p.walls.push_back(wall);
    }
    return std::make_unique<Contact>(p);
  };
  registry.add(std::move(u));
}

}  // namespace mps
