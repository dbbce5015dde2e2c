#include "physics/contact/neighbour_list.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace mps::contact {

void NeighbourList::rank_by_id(const unsigned char* active, const std::uint64_t* id,
                               std::size_t n) {
  keys_.clear();
  for (std::size_t i = 0; i < n; ++i)
    if (active[i]) keys_.emplace_back(id[i], static_cast<std::uint32_t>(i));
  // Natural merge sort: the local order is a few id-sorted runs (the owned particles keep their
  // order through migrations, arrivals and ghosts are appended as sorted blocks), so merging the
  // runs costs n log(runs), and nothing on one rank.
  std::vector<std::size_t> runs{0};
  for (std::size_t k = 1; k < keys_.size(); ++k)
    if (keys_[k].first < keys_[k - 1].first) runs.push_back(k);
  runs.push_back(keys_.size());
  if (runs.size() > keys_.size() / 8 + 2) {
    std::sort(keys_.begin(), keys_.end());
  } else {
    while (runs.size() > 2) {
      merge_.resize(keys_.size());
      std::vector<std::size_t> merged{0};
      for (std::size_t r = 0; r + 1 < runs.size(); r += 2) {
        const auto b = keys_.begin();
        if (r + 2 < runs.size()) {
          std::merge(b + static_cast<std::ptrdiff_t>(runs[r]),
                     b + static_cast<std::ptrdiff_t>(runs[r + 1]),
                     b + static_cast<std::ptrdiff_t>(runs[r + 1]),
                     b + static_cast<std::ptrdiff_t>(runs[r + 2]),
                     merge_.begin() + static_cast<std::ptrdiff_t>(runs[r]));
          merged.push_back(runs[r + 2]);
        } else {
          std::copy(b + static_cast<std::ptrdiff_t>(runs[r]),
                    b + static_cast<std::ptrdiff_t>(runs[r + 1]),
                    merge_.begin() + static_cast<std::ptrdiff_t>(runs[r]));
          merged.push_back(runs[r + 1]);
        }
      }
      keys_.swap(merge_);
      runs.swap(merged);
    }
  }
  order_.resize(keys_.size());
  rank_.assign(n, std::numeric_limits<std::uint32_t>::max());
  for (std::size_t s = 0; s < keys_.size(); ++s) {
    order_[s] = keys_[s].second;
    rank_[keys_[s].second] = static_cast<std::uint32_t>(s);
  }
}

void NeighbourList::build(const double* const x[3], const double* r, const unsigned char* active,
                          const std::uint64_t* id, std::size_t n, double skin,
                          const PeriodicBox& box, std::size_t first_ghost, bool skip_ghost_pairs) {
  ++builds_;
  skin_ = skin;
  first_.clear();
  second_.clear();
  pairs_.clear();
  for (int a = 0; a < 3; ++a) ref_[a].assign(x[a], x[a] + n);
  rank_by_id(active, id, n);
  const std::size_t count = order_.size();
  row_start_.assign(count + 1, 0);
  if (count < 2) return;
  double rmax = 0.0;
  std::array<double, 3> lo{1e300, 1e300, 1e300}, hi{-1e300, -1e300, -1e300};
  for (const auto i : order_) {
    rmax = std::max(rmax, r[i]);
    for (int a = 0; a < 3; ++a) {
      lo[a] = std::min(lo[a], x[a][i]);
      hi[a] = std::max(hi[a], x[a][i]);
    }
  }
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
  // neighbour coordinate along each axis for offsets -1, 0, +1 (wrapped, or -1: outside)
  std::array<std::vector<long>, 3> step;
  for (int a = 0; a < 3; ++a) {
    if (box.periodic[a] && nc[a] < 3)
      throw std::runtime_error("contact: periodic box shorter than 3 contact ranges along an axis");
    inv[a] = static_cast<double>(nc[a]) / extent[a];
    step[a].resize(static_cast<std::size_t>(3 * nc[a]));
    for (long c = 0; c < nc[a]; ++c)
      for (long d = -1; d <= 1; ++d) {
        long o = c + d;
        if (o < 0 || o >= nc[a]) o = box.periodic[a] ? (o + nc[a]) % nc[a] : -1;
        step[a][static_cast<std::size_t>(3 * c + d + 1)] = o;
      }
  }
  const std::size_t ncells = static_cast<std::size_t>(nc[0] * nc[1] * nc[2]);
  // counting sort of the particles by cell
  cell_start_.assign(ncells + 1, 0);
  cell_of_.resize(n);
  for (const auto i : order_) {
    long c[3];
    for (int a = 0; a < 3; ++a) {
      c[a] = static_cast<long>(std::floor((x[a][i] - origin[a]) * inv[a]));
      c[a] = std::clamp(c[a], 0L, nc[a] - 1);
    }
    cell_of_[i] = static_cast<std::uint32_t>((c[2] * nc[1] + c[1]) * nc[0] + c[0]);
    ++cell_start_[cell_of_[i] + 1];
  }
  for (std::size_t c = 0; c < ncells; ++c) cell_start_[c + 1] += cell_start_[c];
  cell_items_.resize(count);
  {
    std::vector<std::uint32_t> fill(cell_start_.begin(), cell_start_.end() - 1);
    for (const auto i : order_) cell_items_[fill[cell_of_[i]]++] = i;
  }
  pairs_.reserve(count * 4);
  // positions and radii in cell order: the candidate loops read contiguous memory
  cell_pos_.resize(4 * count);
  for (std::size_t c = 0; c < count; ++c) {
    const std::uint32_t i = cell_items_[c];
    cell_pos_[4 * c] = x[0][i];
    cell_pos_[4 * c + 1] = x[1][i];
    cell_pos_[4 * c + 2] = x[2][i];
    cell_pos_[4 * c + 3] = r[i];
  }
  const double* P = cell_pos_.data();
  const std::uint32_t* rk = rank_.data();
  const std::uint32_t* items = cell_items_.data();
  const std::uint32_t* start = cell_start_.data();
  // minimum image without branches (half = inf along open axes): the same test as image()
  double half[3], len[3];
  for (int a = 0; a < 3; ++a) {
    half[a] = box.periodic[a] ? 0.5 * box.length[a] : std::numeric_limits<double>::infinity();
    len[a] = box.periodic[a] ? box.length[a] : 0.0;
  }
  const double hx = half[0], hy = half[1], hz = half[2], lx = len[0], ly = len[1], lz = len[2];
  const bool drop_ghost_pairs = skip_ghost_pairs;
  // candidates q in [qb, qe) of the cell-ordered particle p
  auto scan = [&](std::uint32_t p, std::uint32_t qb, std::uint32_t qe) {
    const double xp = P[4 * p], yp = P[4 * p + 1], zp = P[4 * p + 2], rp = P[4 * p + 3] + skin;
    const std::uint32_t i = items[p];
    for (std::uint32_t q = qb; q < qe; ++q) {
      const double* b = P + 4 * static_cast<std::size_t>(q);
      double dx = xp - b[0], dy = yp - b[1], dz = zp - b[2];
      dx += (dx < -hx ? lx : 0.0) - (dx > hx ? lx : 0.0);
      dy += (dy < -hy ? ly : 0.0) - (dy > hy ? ly : 0.0);
      dz += (dz < -hz ? lz : 0.0) - (dz > hz ? lz : 0.0);
      const double cut = rp + b[3];
      if (dx * dx + dy * dy + dz * dz >= cut * cut) continue;
      const std::uint32_t j = items[q];
      if (drop_ghost_pairs && i >= first_ghost && j >= first_ghost) continue;
      const std::uint64_t u = rk[i], v = rk[j];
      pairs_.push_back(u < v ? (u << 32) | v : (v << 32) | u);
    }
  };
  // Half stencil: the 13 neighbours with (dz, dy, dx) lexicographically after (0, 0, 0). Cells
  // are numbered x fastest, so the three cells dx = -1, 0, 1 of a stencil row are one contiguous
  // range of the cell-ordered particles unless the row wraps or leaves the grid along x: five
  // ranges per particle (the rest of its own cell with the cell at dx = +1, the row dy = 1, and
  // the three rows dz = 1) instead of fourteen cells.
  static constexpr int kRows[4][2] = {{1, 0}, {-1, 1}, {0, 1}, {1, 1}};  // (dy, dz) of the rows
  for (long cz = 0; cz < nc[2]; ++cz)
    for (long cy = 0; cy < nc[1]; ++cy)
      for (long cx = 0; cx < nc[0]; ++cx) {
        const std::size_t c = static_cast<std::size_t>((cz * nc[1] + cy) * nc[0] + cx);
        const std::uint32_t b = start[c], e = start[c + 1];
        if (b == e) continue;
        const bool inner_x = cx >= 1 && cx + 1 < nc[0];
        // (a periodic axis with fewer than 3 cells would visit a cell twice: refused above)
        const long right = step[0][static_cast<std::size_t>(3 * cx + 2)];
        if (right == cx + 1) {  // own cell and the next one along x: contiguous
          for (std::uint32_t p = b; p < e; ++p) scan(p, p + 1, start[c + 2]);
        } else {
          for (std::uint32_t p = b; p < e; ++p) scan(p, p + 1, e);
          if (right >= 0) {
            const std::size_t d = static_cast<std::size_t>((cz * nc[1] + cy) * nc[0] + right);
            for (std::uint32_t p = b; p < e; ++p) scan(p, start[d], start[d + 1]);
          }
        }
        for (const auto& row : kRows) {
          const long oy = step[1][static_cast<std::size_t>(3 * cy + row[0] + 1)];
          const long oz = step[2][static_cast<std::size_t>(3 * cz + row[1] + 1)];
          if (oy < 0 || oz < 0) continue;
          const std::size_t base = static_cast<std::size_t>((oz * nc[1] + oy) * nc[0]);
          if (inner_x) {
            const std::uint32_t qb = start[base + static_cast<std::size_t>(cx - 1)],
                                qe = start[base + static_cast<std::size_t>(cx + 2)];
            if (qb == qe) continue;
            for (std::uint32_t p = b; p < e; ++p) scan(p, qb, qe);
          } else {
            for (long dx = -1; dx <= 1; ++dx) {
              const long ox = step[0][static_cast<std::size_t>(3 * cx + dx + 1)];
              if (ox < 0) continue;
              const std::size_t d = base + static_cast<std::size_t>(ox);
              for (std::uint32_t p = b; p < e; ++p) scan(p, start[d], start[d + 1]);
            }
          }
        }
      }
  // rows: counting sort by the rank of the lower id, then insertion sort of each short row
  for (const auto pr : pairs_) ++row_start_[(pr >> 32) + 1];
  for (std::size_t s = 0; s < count; ++s) row_start_[s + 1] += row_start_[s];
  second_.resize(pairs_.size());
  first_.resize(pairs_.size());
  {
    std::vector<std::uint32_t> fill(row_start_.begin(), row_start_.end() - 1);
    for (const auto pr : pairs_)
      second_[fill[pr >> 32]++] = static_cast<std::uint32_t>(pr & 0xffffffffu);
  }
  for (std::size_t s = 0; s < count; ++s) {
    const std::uint32_t b = row_start_[s], e = row_start_[s + 1];
    for (std::uint32_t k = b + 1; k < e; ++k) {
      const std::uint32_t v = second_[k];
      std::uint32_t m = k;
      for (; m > b && second_[m - 1] > v; --m) second_[m] = second_[m - 1];
      second_[m] = v;
    }
    for (std::uint32_t k = b; k < e; ++k) {
      first_[k] = order_[s];
      second_[k] = order_[second_[k]];
    }
  }
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
