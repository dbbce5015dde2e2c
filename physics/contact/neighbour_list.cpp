#include "physics/contact/neighbour_list.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mps::contact {

void NeighbourList::build(const double* const x[3], const double* r, const unsigned char* active,
                          const std::uint64_t* id, std::size_t n, double skin,
                          const PeriodicBox& box) {
  ++builds_;
  skin_ = skin;
  first_.clear();
  second_.clear();
  for (int a = 0; a < 3; ++a) ref_[a].assign(x[a], x[a] + n);
  double rmax = 0.0;
  std::array<double, 3> lo{1e300, 1e300, 1e300}, hi{-1e300, -1e300, -1e300};
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!active[i]) continue;
    ++count;
    rmax = std::max(rmax, r[i]);
    for (int a = 0; a < 3; ++a) {
      lo[a] = std::min(lo[a], x[a][i]);
      hi[a] = std::max(hi[a], x[a][i]);
    }
  }
  if (count < 2) return;
  const double range = 2.0 * rmax + skin;
  // Cells: periodic axes span the box exactly; open axes the particles' bounding box. Sparse
  // clouds get larger cells so the cell count stays O(n) (correct, only more candidates).
  std::array<double, 3> origin{}, extent{};
  for (int a = 0; a < 3; ++a) {
    origin[a] = box.periodic[a] ? box.lo[a] : lo[a];
    extent[a] = box.periodic[a] ? box.length[a] : std::max(hi[a] - lo[a], range);
  }
  double cell = range;
  std::array<long, 3> nc{};
  for (;;) {
    double total = 1.0;
    for (int a = 0; a < 3; ++a) {
      nc[a] = std::max(1L, static_cast<long>(std::floor(extent[a] / cell)));
      total *= static_cast<double>(nc[a]);
    }
    if (total <= 4.0 * static_cast<double>(count) + 64.0) break;
    cell *= 1.26;
  }
  std::array<double, 3> inv{};
  for (int a = 0; a < 3; ++a) {
    if (box.periodic[a] && nc[a] < 3)
      throw std::runtime_error("contact: periodic box shorter than 3 contact ranges along an axis");
    inv[a] = static_cast<double>(nc[a]) / extent[a];
  }
  const std::size_t ncells = static_cast<std::size_t>(nc[0] * nc[1] * nc[2]);
  auto cell_of = [&](std::size_t i) {
    long c[3];
    for (int a = 0; a < 3; ++a) {
      c[a] = static_cast<long>(std::floor((x[a][i] - origin[a]) * inv[a]));
      c[a] = std::clamp(c[a], 0L, nc[a] - 1);
    }
    return static_cast<std::size_t>((c[2] * nc[1] + c[1]) * nc[0] + c[0]);
  };
  // counting sort of particles by cell (cell_items_ is the cell-sorted order)
  cell_start_.assign(ncells + 1, 0);
  std::vector<std::uint32_t> cell_id(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!active[i]) continue;
    cell_id[i] = static_cast<std::uint32_t>(cell_of(i));
    ++cell_start_[cell_id[i] + 1];
  }
  for (std::size_t c = 0; c < ncells; ++c) cell_start_[c + 1] += cell_start_[c];
  cell_items_.resize(count);
  {
    std::vector<std::uint32_t> fill(cell_start_.begin(), cell_start_.end() - 1);
    for (std::size_t i = 0; i < n; ++i)
      if (active[i]) cell_items_[fill[cell_id[i]]++] = static_cast<std::uint32_t>(i);
  }
  // half stencil: the 13 neighbours with (dz, dy, dx) lexicographically after (0, 0, 0)
  static constexpr int kStencil[13][3] = {
      {1, 0, 0},  {-1, 1, 0}, {0, 1, 0}, {1, 1, 0},  {-1, -1, 1}, {0, -1, 1}, {1, -1, 1},
      {-1, 0, 1}, {0, 0, 1},  {1, 0, 1}, {-1, 1, 1}, {0, 1, 1},   {1, 1, 1}};
  first_.reserve(count * 4);
  second_.reserve(count * 4);
  auto try_pair = [&](std::uint32_t i, std::uint32_t j) {
    const double dx = box.image(0, x[0][i] - x[0][j]), dy = box.image(1, x[1][i] - x[1][j]),
                 dz = box.image(2, x[2][i] - x[2][j]);
    const double cut = r[i] + r[j] + skin;
    if (dx * dx + dy * dy + dz * dz < cut * cut) {
      first_.push_back(id[i] < id[j] ? i : j);
      second_.push_back(id[i] < id[j] ? j : i);
    }
  };
  for (long cz = 0; cz < nc[2]; ++cz)
    for (long cy = 0; cy < nc[1]; ++cy)
      for (long cx = 0; cx < nc[0]; ++cx) {
        const std::size_t c = static_cast<std::size_t>((cz * nc[1] + cy) * nc[0] + cx);
        const std::uint32_t b = cell_start_[c], e = cell_start_[c + 1];
        if (b == e) continue;
        for (std::uint32_t p = b; p < e; ++p)
          for (std::uint32_t q = p + 1; q < e; ++q) try_pair(cell_items_[p], cell_items_[q]);
        for (const auto& s : kStencil) {
          long o[3] = {cx + s[0], cy + s[1], cz + s[2]};
          bool skip = false;
          for (int a = 0; a < 3 && !skip; ++a) {
            if (o[a] >= 0 && o[a] < nc[a]) continue;
            // a periodic axis with fewer than 3 cells would visit a cell twice: not allowed above
            if (box.periodic[a])
              o[a] = (o[a] + nc[a]) % nc[a];
            else
              skip = true;
          }
          if (skip) continue;
          const std::size_t d = static_cast<std::size_t>((o[2] * nc[1] + o[1]) * nc[0] + o[0]);
          const std::uint32_t db = cell_start_[d], de = cell_start_[d + 1];
          for (std::uint32_t p = b; p < e; ++p)
            for (std::uint32_t q = db; q < de; ++q) try_pair(cell_items_[p], cell_items_[q]);
        }
      }
  // sort by (lower id, higher id): see the header
  struct Key {
    std::uint64_t a, b;
    std::uint32_t i, j;
  };
  std::vector<Key> keys(first_.size());
  for (std::size_t k = 0; k < keys.size(); ++k)
    keys[k] = {id[first_[k]], id[second_[k]], first_[k], second_[k]};
  std::sort(keys.begin(), keys.end(),
            [](const Key& u, const Key& v) { return u.a != v.a ? u.a < v.a : u.b < v.b; });
  for (std::size_t k = 0; k < keys.size(); ++k) {
    first_[k] = keys[k].i;
    second_[k] = keys[k].j;
  }
}

void NeighbourList::remap(const std::vector<std::int64_t>& index_map, const double* const x[3],
                          std::size_t n_new, std::vector<std::uint32_t>& kept) {
  std::array<std::vector<double>, 3> ref;
  for (int a = 0; a < 3; ++a) ref[a].assign(x[a], x[a] + n_new);
  for (std::size_t o = 0; o < index_map.size(); ++o) {
    if (index_map[o] < 0) continue;
    for (int a = 0; a < 3; ++a) ref[a][static_cast<std::size_t>(index_map[o])] = ref_[a][o];
  }
  for (int a = 0; a < 3; ++a) ref_[a].swap(ref[a]);
  kept.clear();
  std::size_t out = 0;
  for (std::size_t k = 0; k < first_.size(); ++k) {
    const std::int64_t i = index_map[first_[k]], j = index_map[second_[k]];
    if (i < 0 || j < 0) continue;
    first_[out] = static_cast<std::uint32_t>(i);
    second_[out] = static_cast<std::uint32_t>(j);
    kept.push_back(static_cast<std::uint32_t>(k));
    ++out;
  }
  first_.resize(out);
  second_.resize(out);
}

bool NeighbourList::needs_rebuild(const double* const x[3], std::size_t n,
                                  const PeriodicBox& box) const {
  if (builds_ == 0 || ref_[0].size() != n) return true;
  const double lim = 0.25 * skin_ * skin_;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = box.image(0, x[0][i] - ref_[0][i]), dy = box.image(1, x[1][i] - ref_[1][i]),
                 dz = box.image(2, x[2][i] - ref_[2][i]);
    if (dx * dx + dy * dy + dz * dz > lim) return true;
  }
  return false;
}

}  // namespace mps::contact
