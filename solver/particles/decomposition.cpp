#include "solver/particles/decomposition.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "solver/base/block_scan.hpp"

namespace mps {

Decomposition::Decomposition(MPI_Comm comm, const Vec3& lo, const Vec3& hi, int stream_axis,
                             std::array<int, 3> cells)
    : comm_(comm), axis_(stream_axis), lo_(lo), hi_(hi), cells_(cells) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
  // Put as many ranks as possible along the stream axis: the balanced cut lives there.
  int dims[3] = {0, 0, 0};
  MPI_Dims_create(size_, 3, dims);
  std::sort(dims, dims + 3, std::greater<>());
  dims_ = {dims[1], dims[2], dims[2]};
  dims_[axis_] = dims[0];
  int k = 1;
  for (int a = 0; a < 3; ++a)
    if (a != axis_) dims_[a] = dims[k++];
  // rank -> coordinates, stream axis fastest so neighbouring slabs are neighbouring ranks
  int r = rank_;
  std::array<int, 3> order{axis_, (axis_ + 1) % 3, (axis_ + 2) % 3};
  for (int a : order) {
    coords_[a] = r % dims_[a];
    r /= dims_[a];
  }
  for (int a = 0; a < 3; ++a) {
    cells_[a] = std::max(cells_[a], dims_[a]);
    cuts_[a].resize(dims_[a] + 1);
    for (int c = 0; c <= dims_[a]; ++c)
      cuts_[a][c] = static_cast<int>((static_cast<long>(cells_[a]) * c) / dims_[a]);
    cut_x_[a].resize(dims_[a] + 1);
    for (int c = 0; c <= dims_[a]; ++c) cut_x_[a][c] = cut_position(a, cuts_[a][c]);
  }
}

double Decomposition::cut_position(int axis, int cell) const {
  return lo_[axis] + (hi_[axis] - lo_[axis]) * cell / cells_[axis];
}

int Decomposition::owner(double x, double y, double z) const {
  // Hot path of migration (every particle, every step): undivided axes are skipped and the few
  // interior cuts of a divided axis are scanned linearly (no branches on the common path).
  const double p[3] = {x, y, z};
  int r = 0, stride = 1;
  for (int k = 0; k < 3; ++k) {
    const int a = (axis_ + k) % 3;
    const int n = dims_[a];
    if (n > 1) {
      const double* cx = cut_x_[a].data();
      int c = 0;
      for (int i = 1; i < n; ++i) c += p[a] >= cx[i];
      r += c * stride;
    }
    stride *= n;
  }
  return r;
}

std::array<Vec3, 2> Decomposition::box(int rank) const {
  std::array<int, 3> c{};
  std::array<int, 3> order{axis_, (axis_ + 1) % 3, (axis_ + 2) % 3};
  for (int a : order) {
    c[a] = rank % dims_[a];
    rank /= dims_[a];
  }
  std::array<Vec3, 2> b{};
  for (int a = 0; a < 3; ++a) {
    b[0][a] = cut_x_[a][c[a]];
    b[1][a] = cut_x_[a][c[a] + 1];
  }
  return b;
}

std::vector<int> Decomposition::ownership_counts(int axis) const {
  std::vector<int> n(dims_[axis]);
  for (int c = 0; c < dims_[axis]; ++c) n[c] = cuts_[axis][c + 1] - cuts_[axis][c];
  return n;
}

bool Decomposition::rebalance(const ParticleStore& p) {
  const int nb = cells_[axis_];
  if (dims_[axis_] == 1) return false;
  std::vector<long long> hist(nb, 0), global(nb, 0);
  const double* x = p.ptr(axis_ == 0 ? Field::px : axis_ == 1 ? Field::py : Field::pz);
  const double lo = lo_[axis_], w = (hi_[axis_] - lo_[axis_]) / nb;
  for (std::size_t i = 0; i < p.size(); ++i) {
    int b = static_cast<int>(std::floor((x[i] - lo) / w));
    hist[std::clamp(b, 0, nb - 1)]++;
  }
  MPI_Allreduce(hist.data(), global.data(), nb, MPI_LONG_LONG, MPI_SUM, comm_);
  long long total = 0;
  for (auto h : global) total += h;
  if (total == 0) return false;
  // Cut c at the first cell edge where the cumulative count reaches c/P of the total; each slab
  // keeps at least one cell.
  const int P = dims_[axis_];
  std::vector<int> cuts(P + 1);
  cuts[0] = 0;
  cuts[P] = nb;
  long long cum = 0;
  int cell = 0;
  for (int c = 1; c < P; ++c) {
    const double target = static_cast<double>(total) * c / P;
    while (cell < nb && static_cast<double>(cum + global[cell]) <= target) cum += global[cell++];
    // pick the edge (cell or cell+1) closer to the target
    int edge = cell;
    if (cell < nb && std::abs(static_cast<double>(cum + global[cell]) - target) <
                         std::abs(static_cast<double>(cum) - target))
      edge = cell + 1;
    cuts[c] = std::clamp(edge, cuts[c - 1] + 1, nb - (P - c));
    // keep the running count consistent with the chosen edge
    while (cell < cuts[c]) cum += global[cell++];
  }
  if (cuts == cuts_[axis_]) return false;
  cuts_[axis_] = cuts;
  for (int c = 0; c <= P; ++c) cut_x_[axis_][c] = cut_position(axis_, cuts[c]);
  return true;
}

double Decomposition::imbalance(std::size_t local_count) const {
  long long n = static_cast<long long>(local_count), mx = 0, sum = 0;
  MPI_Allreduce(&n, &mx, 1, MPI_LONG_LONG, MPI_MAX, comm_);
  MPI_Allreduce(&n, &sum, 1, MPI_LONG_LONG, MPI_SUM, comm_);
  if (sum == 0) return 1.0;
  return static_cast<double>(mx) * size_ / static_cast<double>(sum);
}

namespace {

// Exchange packed particles: send[r] holds the doubles for rank r; returns what arrived.
std::vector<double> alltoallv(MPI_Comm comm, int size, const std::vector<std::vector<double>>& send,
                              std::vector<int>* received = nullptr) {
  std::vector<int> scount(size), rcount(size), sdisp(size + 1, 0), rdisp(size + 1, 0);
  for (int r = 0; r < size; ++r) scount[r] = static_cast<int>(send[r].size());
  MPI_Alltoall(scount.data(), 1, MPI_INT, rcount.data(), 1, MPI_INT, comm);
  for (int r = 0; r < size; ++r) {
    sdisp[r + 1] = sdisp[r] + scount[r];
    rdisp[r + 1] = rdisp[r] + rcount[r];
  }
  std::vector<double> sbuf(sdisp[size]), rbuf(rdisp[size]);
  for (int r = 0; r < size; ++r) std::copy(send[r].begin(), send[r].end(), sbuf.begin() + sdisp[r]);
  MPI_Alltoallv(sbuf.data(), scount.data(), sdisp.data(), MPI_DOUBLE, rbuf.data(), rcount.data(),
                rdisp.data(), MPI_DOUBLE, comm);
  if (received) *received = rcount;
  return rbuf;
}

}  // namespace

std::size_t migrate(ParticleStore& p, const Decomposition& d, const MigrationPayload* payload) {
  const int size = d.size();
  if (size == 1) return 0;
  const std::size_t n = p.size();
  const double* x = p.ptr(Field::px);
  const double* y = p.ptr(Field::py);
  const double* z = p.ptr(Field::pz);
  std::vector<int> dest(n);
  long long leaving = 0;
  // inside this rank's box along the divided axes ([lo, hi), as owner() cuts): no search
  const auto own = d.box(d.rank());
  double lo[3], hi[3];
  for (int a = 0; a < 3; ++a) {
    const bool cut = d.dims()[a] > 1;
    lo[a] = cut ? own[0][a] : -std::numeric_limits<double>::infinity();
    hi[a] = cut ? own[1][a] : std::numeric_limits<double>::infinity();
  }
  for (std::size_t i = 0; i < n; ++i) {
    const bool inside = (x[i] >= lo[0]) & (x[i] < hi[0]) & (y[i] >= lo[1]) & (y[i] < hi[1]) &
                        (z[i] >= lo[2]) & (z[i] < hi[2]);
    dest[i] = inside ? d.rank() : d.owner(x[i], y[i], z[i]);
    leaving += dest[i] != d.rank();
  }
  long long any = 0;
  MPI_Allreduce(&leaving, &any, 1, MPI_LONG_LONG, MPI_SUM, d.comm());
  if (any == 0) return 0;
  // unit-private data of the leaving particles, in index order
  std::vector<std::vector<double>> extra;
  if (payload) {
    std::vector<std::uint64_t> ids;
    for (std::size_t i = 0; i < n; ++i)
      if (dest[i] != d.rank()) ids.push_back(p.ids()[i]);
    extra.resize(ids.size());
    payload->pack(ids, extra);
  }
  const std::size_t stride = ParticleStore::packed_size(kMigrate);
  std::vector<std::vector<double>> send(size);
  std::vector<char> keep(n, 1);
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (dest[i] == d.rank()) continue;
    auto& b = send[dest[i]];
    b.resize(b.size() + stride);
    p.pack(i, kMigrate, b.data() + b.size() - stride);
    if (payload) {
      b.push_back(static_cast<double>(extra[k].size()));
      b.insert(b.end(), extra[k].begin(), extra[k].end());
    }
    ++k;
    keep[i] = 0;
  }
  p.compact(keep);
  const std::size_t stayed = p.size();
  std::vector<double> in = alltoallv(d.comm(), size, send);
  for (std::size_t off = 0; off < in.size();) {
    const std::size_t i = p.unpack_append(in.data() + off, kMigrate);
    off += stride;
    if (!payload) continue;
    const auto len = static_cast<std::size_t>(in[off]);
    if (len > 0) payload->unpack(p.ids()[i], in.data() + off + 1, len);
    off += 1 + len;
  }
  // Arrivals stand behind the particles that stayed. When they are many (the first distribution
  // of particles created on every rank, a rebalance) the store goes back to id order: the contact
  // unit walks pairs by id (neighbour_list.hpp) and lattices and streams are numbered through
  // space, so id order is memory locality. Half interleaved, the granular gas ran its contact
  // law 16 % slower per pair on 2 ranks. A few arrivals per step stay where they are (a sort
  // moves every column).
  if (8 * (p.size() - stayed) > p.size()) p.sort_by_id();
  return static_cast<std::size_t>(leaving);
}

ParticleStore gather_box(const ParticleStore& p, const Decomposition& d, const Vec3& lo,
                         const Vec3& hi) {
  const unsigned mask = kMigrate;
  const std::size_t stride = ParticleStore::packed_size(mask);
  std::vector<double> mine;
  const double* x[3] = {p.ptr(Field::px), p.ptr(Field::py), p.ptr(Field::pz)};
  const std::size_t n = p.size();
  for (std::size_t i = 0; i < n; ++i) {
    bool in = true;
    for (int a = 0; a < 3 && in; ++a) in = x[a][i] >= lo[a] && x[a][i] <= hi[a];
    if (!in) continue;
    mine.resize(mine.size() + stride);
    p.pack(i, mask, mine.data() + mine.size() - stride);
  }
  const int size = d.size();
  int count = static_cast<int>(mine.size());
  std::vector<int> counts(size), displs(size + 1, 0);
  MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, d.comm());
  for (int r = 0; r < size; ++r) displs[r + 1] = displs[r] + counts[r];
  std::vector<double> all(displs[size]);
  MPI_Allgatherv(mine.data(), count, MPI_DOUBLE, all.data(), counts.data(), displs.data(),
                 MPI_DOUBLE, d.comm());
  ParticleStore out;
  out.unpack_append_all(all.data(), all.size() / stride, mask);
  out.sort_by_id();
  return out;
}

void exchange_ghosts(ParticleStore& p, const Decomposition& d, double cutoff,
                     const std::array<bool, 3>& periodic, GhostPlan* plan) {
  p.drop_ghosts();
  const int size = d.size();
  if (plan) {
    plan->send.assign(static_cast<std::size_t>(size), {});
    plan->received.assign(static_cast<std::size_t>(size), 0);
  }
  if (size == 1 || cutoff <= 0.0) return;
  const std::size_t n = p.size();
  const double* x[3] = {p.ptr(Field::px), p.ptr(Field::py), p.ptr(Field::pz)};
  const std::size_t stride = ParticleStore::packed_size(kGhost);
  std::vector<std::vector<double>> send(size);
  std::vector<std::array<Vec3, 2>> boxes(size);
  for (int r = 0; r < size; ++r) boxes[r] = d.box(r);
  Vec3 len{};
  for (int a = 0; a < 3; ++a) len[a] = d.hi()[a] - d.lo()[a];
  for (std::size_t i = 0; i < n; ++i) {
    for (int r = 0; r < size; ++r) {
      if (r == d.rank()) continue;
      bool near = true;
      for (int a = 0; a < 3 && near; ++a) {
        const double lo = boxes[r][0][a] - cutoff, hi = boxes[r][1][a] + cutoff;
        near = x[a][i] >= lo && x[a][i] <= hi;
        // periodic image one box length away (positions are wrapped into the box)
        if (!near && periodic[a])
          near = (x[a][i] + len[a] >= lo && x[a][i] + len[a] <= hi) ||
                 (x[a][i] - len[a] >= lo && x[a][i] - len[a] <= hi);
      }
      if (!near) continue;
      auto& b = send[r];
      b.resize(b.size() + stride);
      p.pack(i, kGhost, b.data() + b.size() - stride);
      if (plan) plan->send[static_cast<std::size_t>(r)].push_back(static_cast<std::uint32_t>(i));
    }
  }
  std::vector<int> rcount;
  std::vector<double> in = alltoallv(d.comm(), size, send, &rcount);
  if (plan)
    for (int r = 0; r < size; ++r)
      plan->received[static_cast<std::size_t>(r)] =
          rcount[static_cast<std::size_t>(r)] / static_cast<int>(stride);
  const std::size_t count = in.size() / stride;
  p.unpack_append_all(in.data(), count, kGhost);
  p.mark_ghosts(count);
  if (plan) {
    const std::size_t nown = p.size(), all = p.size_with_ghosts();
    plan->ghost_ids.assign(p.ids().begin() + static_cast<std::ptrdiff_t>(nown), p.ids().end());
    plan->ghost_mass.assign(p.ptr(Field::mass) + nown, p.ptr(Field::mass) + all);
    plan->ghost_diameter.assign(p.ptr(Field::diameter) + nown, p.ptr(Field::diameter) + all);
  }
}

void forward_ghosts(ParticleStore& p, const Decomposition& d, const GhostPlan& plan,
                    bool sizes_fixed) {
  const int size = d.size();
  if (size == 1 || plan.send.size() != static_cast<std::size_t>(size)) {
    p.drop_ghosts();
    return;
  }
  // Every step: field by field (columns), not particle by particle: the kGhost fields and the
  // state; the ids are those of the plan's exchange (a change of the owned set forces a new one).
  // A message is the columns of one rank's block: the receiver takes them straight into the
  // store's arrays (one datatype of column blocks at their addresses), with no copy on the way.
  std::size_t count = 0;
  for (int r = 0; r < size; ++r)
    count += static_cast<std::size_t>(plan.received[static_cast<std::size_t>(r)]);
  std::vector<int> fields;
  for (int f = 0; f < kFieldCount; ++f) {
    const bool size = f == static_cast<int>(Field::mass) || f == static_cast<int>(Field::diameter);
    if ((field_table()[static_cast<std::size_t>(f)].flags & kGhost) && !(sizes_fixed && size))
      fields.push_back(f);
  }
  const std::size_t nf = fields.size();
  // The ghosts of the plan normally still stand behind the owned particles (the owned set has not
  // changed since the exchange): their fields are overwritten in place, with no resize (which
  // would zero every column) and no ids to copy. A store that lost them is given them back.
  if (p.ghost_count() != count) {
    p.drop_ghosts();
    const std::size_t nown = p.size();
    p.resize(nown + count);
    std::copy(plan.ghost_ids.begin(), plan.ghost_ids.end(),
              p.ids().begin() + static_cast<std::ptrdiff_t>(nown));
    // the sizes of the exchange (not sent below when fixed)
    std::copy(plan.ghost_mass.begin(), plan.ghost_mass.end(), p.ptr(Field::mass) + nown);
    std::copy(plan.ghost_diameter.begin(), plan.ghost_diameter.end(),
              p.ptr(Field::diameter) + nown);
    p.mark_ghosts(count);
  }
  const std::size_t nown = p.size();
  // message layout of m particles: nf columns of m doubles, then m state bytes
  static_assert(sizeof(ParticleState) == 1);
  auto layout = [&](std::size_t m, const std::vector<MPI_Aint>& at) {
    std::vector<int> lengths(nf + 1, static_cast<int>(m));
    std::vector<MPI_Datatype> types(nf + 1, MPI_DOUBLE);
    types[nf] = MPI_UNSIGNED_CHAR;
    MPI_Datatype t;
    MPI_Type_create_struct(static_cast<int>(nf + 1), lengths.data(), at.data(), types.data(), &t);
    MPI_Type_commit(&t);
    return t;
  };
  std::vector<MPI_Request> req;
  std::vector<MPI_Datatype> made;
  std::size_t base = nown;
  for (int r = 0; r < size; ++r) {
    const auto m = static_cast<std::size_t>(plan.received[static_cast<std::size_t>(r)]);
    if (m == 0) continue;
    std::vector<MPI_Aint> at(nf + 1);
    for (std::size_t c = 0; c < nf; ++c)
      MPI_Get_address(p.ptr(static_cast<Field>(fields[c])) + base, &at[c]);
    MPI_Get_address(p.states().data() + base, &at[nf]);
    made.push_back(layout(m, at));
    MPI_Irecv(MPI_BOTTOM, 1, made.back(), r, 71, d.comm(), &req.emplace_back());
    base += m;
  }
  auto& out = plan.out_buffers;
  out.resize(static_cast<std::size_t>(size));
  for (int r = 0; r < size; ++r) {
    const auto R = static_cast<std::size_t>(r);
    const auto& idx = plan.send[R];
    if (idx.empty()) continue;
    const std::size_t m = idx.size();
    auto& b = out[R];
    b.resize(nf * m + (m + sizeof(double) - 1) / sizeof(double));
    for (std::size_t c = 0; c < nf; ++c) {  // column c of every particle of the block
      const double* src = p.ptr(static_cast<Field>(fields[c]));
      double* dst = b.data() + c * m;
      for (std::size_t k = 0; k < m; ++k) dst[k] = src[idx[k]];
    }
    auto* st = reinterpret_cast<ParticleState*>(b.data() + nf * m);
    const ParticleState* from = p.states().data();
    for (std::size_t k = 0; k < m; ++k) st[k] = from[idx[k]];
    std::vector<MPI_Aint> at(nf + 1);
    for (std::size_t c = 0; c <= nf; ++c) at[c] = static_cast<MPI_Aint>(c * m * sizeof(double));
    made.push_back(layout(m, at));
    MPI_Isend(b.data(), 1, made.back(), r, 71, d.comm(), &req.emplace_back());
  }
  MPI_Waitall(static_cast<int>(req.size()), req.data(), MPI_STATUSES_IGNORE);
  for (auto& t : made) MPI_Type_free(&t);
}

void wrap_periodic(ParticleStore& p, const Decomposition& d, const std::array<bool, 3>& periodic) {
  const std::size_t n = p.size();
  for (int a = 0; a < 3; ++a) {
    if (!periodic[a]) continue;
    double* x = p.ptr(a == 0 ? Field::px : a == 1 ? Field::py : Field::pz);
    const double lo = d.lo()[a], hi = d.hi()[a], len = hi - lo;
    // blocks of a branch-free (vectorised) test; only a block with a particle outside is wrapped
    // particle by particle
    for (std::size_t b = 0; b < n; b += 512) {
      const std::size_t e = std::min(n, b + 512);
      if (!any_lane(x + b, e - b, [=](double v) { return !(v >= lo && v < hi); })) continue;
      for (std::size_t i = b; i < e; ++i) {
        if (x[i] >= hi)
          x[i] -= len * std::floor((x[i] - lo) / len);
        else if (x[i] < lo)
          x[i] += len * std::ceil((lo - x[i]) / len);
        if (x[i] >= hi) x[i] = lo;  // round-off of a particle just below lo
      }
    }
  }
}

}  // namespace mps
