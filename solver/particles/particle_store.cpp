#include "solver/particles/particle_store.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <numeric>
#include <utility>

namespace mps {

std::string_view to_string(ParticleState s) {
  switch (s) {
    case ParticleState::feeding:
      return "feeding";
    case ParticleState::in_rotor:
      return "in_rotor";
    case ParticleState::flying:
      return "flying";
    case ParticleState::captured:
      return "captured";
    case ParticleState::escaped:
      return "escaped";
  }
  return "unknown";
}

const std::array<FieldInfo, kFieldCount>& field_table() {
  static const std::array<FieldInfo, kFieldCount> t = [] {
    std::array<FieldInfo, kFieldCount> a{};
    int i = 0;
#define MPS_X(f, out, flags) a[i++] = FieldInfo{#f, out, flags, 1};
    MPS_PARTICLE_FIELDS(MPS_X)
#undef MPS_X
    // consecutive fields with the same output name form a 3-vector
    for (int k = 0; k + 2 < kFieldCount; ++k) {
      if (a[k].components == 1 && a[k].output_name == a[k + 1].output_name &&
          a[k].output_name == a[k + 2].output_name) {
        a[k].components = 3;
        a[k + 1].components = 0;
        a[k + 2].components = 0;
      }
    }
    return a;
  }();
  return t;
}

void ParticleStore::changed() {
  static std::atomic<std::uint64_t> last{0};  // shared by all stores: a value is never reused
  generation_ = ++last;
}

std::size_t ParticleStore::push_back(std::uint64_t id, ParticleState s) {
  drop_ghosts();
  changed();
  for (auto& v : data_) v.push_back(0.0);
  id_.push_back(id);
  state_.push_back(s);
  lag_.push_back(0);
  return id_.size() - 1;
}

void ParticleStore::reserve(std::size_t n) {
  for (auto& v : data_) v.reserve(n);
  id_.reserve(n);
  state_.reserve(n);
  lag_.reserve(n);
}

void ParticleStore::resize(std::size_t n) {
  drop_ghosts();
  changed();
  for (auto& v : data_) v.resize(n, 0.0);
  id_.resize(n, 0);
  state_.resize(n, ParticleState::feeding);
  lag_.resize(n, 0);
}

void ParticleStore::clear() {
  for (auto& v : data_) v.clear();
  id_.clear();
  state_.clear();
  lag_.clear();
  ghosts_ = 0;
  changed();
}

void ParticleStore::drop_ghosts() {
  if (ghosts_ == 0) return;
  const std::size_t n = size();
  for (auto& v : data_) v.resize(n);
  id_.resize(n);
  state_.resize(n);
  lag_.resize(n);
  ghosts_ = 0;
}

void ParticleStore::compact(const std::vector<char>& keep) {
  drop_ghosts();
  const std::size_t n = id_.size();
  std::size_t first = 0;  // nothing moves before the first removed particle
  while (first < n && keep[first]) ++first;
  if (first == n) return;
  changed();
  // The runs of kept particles behind it, found once; then each column moves run by run (a
  // memmove each). Migrations remove a few particles out of many: the runs are long, and a
  // test per element and column would cost several times the copy.
  std::vector<std::pair<std::size_t, std::size_t>> runs;  // [begin, end)
  for (std::size_t i = first; i < n;) {
    while (i < n && !keep[i]) ++i;
    const std::size_t b = i;
    while (i < n && keep[i]) ++i;
    if (i > b) runs.emplace_back(b, i);
  }
  std::size_t kept = first;
  for (const auto& [b, e] : runs) kept += e - b;
  auto squeeze = [&](auto& v) {
    auto to = v.begin() + static_cast<std::ptrdiff_t>(first);
    for (const auto& [b, e] : runs)  // each run moves towards the front (to < its begin)
      to = std::copy(v.begin() + static_cast<std::ptrdiff_t>(b),
                     v.begin() + static_cast<std::ptrdiff_t>(e), to);
    v.resize(kept);
  };
  for (auto& v : data_) squeeze(v);
  squeeze(id_);
  squeeze(state_);
  squeeze(lag_);
}

void ParticleStore::sort_by_id() {
  drop_ghosts();
  changed();
  const std::size_t n = size();
  if (std::is_sorted(id_.begin(), id_.end())) return;  // (one rank's gathered particles)
  std::vector<std::pair<std::uint64_t, std::size_t>> keys(n);
  std::vector<std::size_t> runs{0};  // starts of the ascending runs (a gather: one per rank)
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = {id_[i], i};
    if (i > 0 && id_[i] < id_[i - 1]) runs.push_back(i);
  }
  if (runs.size() <= 16) {  // merged pairwise, n log(runs)
    runs.push_back(n);
    for (std::size_t width = 1; width + 1 < runs.size(); width *= 2)
      for (std::size_t r = 0; r + width + 1 < runs.size(); r += 2 * width) {
        const auto b = keys.begin();
        const std::size_t end = runs[std::min(r + 2 * width, runs.size() - 1)];
        std::inplace_merge(b + static_cast<std::ptrdiff_t>(runs[r]),
                           b + static_cast<std::ptrdiff_t>(runs[r + width]),
                           b + static_cast<std::ptrdiff_t>(end));
      }
  } else {
    std::sort(keys.begin(), keys.end());
  }
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = keys[i].second;
  std::vector<double> tmp(n);
  for (auto& v : data_) {
    for (std::size_t i = 0; i < n; ++i) tmp[i] = v[order[i]];
    std::copy(tmp.begin(), tmp.end(), v.begin());
  }
  std::vector<std::uint64_t> ids(n);
  std::vector<ParticleState> st(n);
  std::vector<std::uint8_t> lags(n);
  for (std::size_t i = 0; i < n; ++i) {
    ids[i] = id_[order[i]];
    st[i] = state_[order[i]];
    lags[i] = lag_[order[i]];
  }
  id_.swap(ids);
  state_.swap(st);
  lag_.swap(lags);
}

std::size_t ParticleStore::packed_size(unsigned mask) {
  std::size_t n = 2;  // id, state
  for (const auto& f : field_table())
    if (f.flags & mask) ++n;
  return n;
}

void ParticleStore::pack(std::size_t i, unsigned mask, double* out) const {
  *out++ = std::bit_cast<double>(id_[i]);
  // (state in the low byte, lag in the next: one word, so the record size is unchanged)
  *out++ = std::bit_cast<double>(static_cast<std::uint64_t>(state_[i]) |
                                 static_cast<std::uint64_t>(lag_[i]) << 8);
  const auto& t = field_table();
  for (int k = 0; k < kFieldCount; ++k)
    if (t[k].flags & mask) *out++ = data_[k][i];
}

std::size_t ParticleStore::unpack_append(const double* in, unsigned mask) {
  unpack_append_all(in, 1, mask);
  return size() - 1;
}

void ParticleStore::unpack_append_all(const double* in, std::size_t count, unsigned mask) {
  drop_ghosts();
  changed();
  const std::size_t n0 = size(), stride = packed_size(mask);
  id_.resize(n0 + count);
  state_.resize(n0 + count);
  lag_.resize(n0 + count);
  const auto& t = field_table();
  std::array<double*, kFieldCount> to{};  // the columns of the records' fields, in their order
  std::size_t m = 0;
  for (int k = 0; k < kFieldCount; ++k) {
    data_[k].resize(n0 + count);
    if (t[k].flags & mask) to[m++] = data_[k].data() + n0;
  }
  // record by record: each record is read once, each column written in sequence
  for (std::size_t j = 0; j < count; ++j, in += stride) {
    id_[n0 + j] = std::bit_cast<std::uint64_t>(in[0]);
    const auto word = std::bit_cast<std::uint64_t>(in[1]);
    state_[n0 + j] = static_cast<ParticleState>(word & 0xffu);
    lag_[n0 + j] = static_cast<std::uint8_t>(word >> 8 & 0xffu);
    for (std::size_t f = 0; f < m; ++f) to[f][j] = in[2 + f];
  }
}

std::size_t ParticleStore::bytes_per_particle() const {
  return kFieldCount * sizeof(double) + sizeof(std::uint64_t) + sizeof(ParticleState) +
         sizeof(std::uint8_t);
}

}  // namespace mps
