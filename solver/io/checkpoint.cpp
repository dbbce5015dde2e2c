#include "solver/io/checkpoint.hpp"

#include <hdf5.h>

#include <filesystem>
#include <fstream>

#include "solver/base/errors.hpp"

namespace mps {

namespace {

constexpr int kFormat = 1;

void check(herr_t e, const char* what) {
  if (e < 0) throw RuntimeError(std::string("HDF5: ") + what);
}
hid_t checked(hid_t id, const char* what) {
  if (id < 0) throw RuntimeError(std::string("HDF5: ") + what);
  return id;
}

void write_attr_double(hid_t obj, const char* name, double v) {
  hid_t sp = H5Screate(H5S_SCALAR);
  hid_t a = checked(H5Acreate2(obj, name, H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT, H5P_DEFAULT), name);
  check(H5Awrite(a, H5T_NATIVE_DOUBLE, &v), name);
  H5Aclose(a);
  H5Sclose(sp);
}
void write_attr_u64(hid_t obj, const char* name, std::uint64_t v) {
  hid_t sp = H5Screate(H5S_SCALAR);
  hid_t a = checked(H5Acreate2(obj, name, H5T_NATIVE_UINT64, sp, H5P_DEFAULT, H5P_DEFAULT), name);
  check(H5Awrite(a, H5T_NATIVE_UINT64, &v), name);
  H5Aclose(a);
  H5Sclose(sp);
}
template <class T>
T read_attr(hid_t obj, const char* name, hid_t type) {
  T v{};
  hid_t a = checked(H5Aopen(obj, name, H5P_DEFAULT), name);
  check(H5Aread(a, type, &v), name);
  H5Aclose(a);
  return v;
}

// One collective transfer of `count` values at `offset` of a 1-D dataset (count may be 0 on some
// ranks: they take part with empty selections).
void transfer(hid_t ds, hid_t fspace, hid_t type, void* rdata, const void* wdata, hsize_t offset,
              hsize_t count, const char* name) {
  hid_t mspace = H5Screate_simple(1, &count, nullptr);
  if (count > 0) {
    check(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &offset, nullptr, &count, nullptr), name);
  } else {
    H5Sselect_none(fspace);
    H5Sselect_none(mspace);
  }
  hid_t xfer = H5Pcreate(H5P_DATASET_XFER);
  H5Pset_dxpl_mpio(xfer, H5FD_MPIO_COLLECTIVE);
  check(wdata ? H5Dwrite(ds, type, mspace, fspace, xfer, wdata)
              : H5Dread(ds, type, mspace, fspace, xfer, rdata),
        name);
  H5Pclose(xfer);
  H5Sclose(mspace);
}

// Collective write of a distributed 1-D array: this rank's `count` values at `offset`.
void write_distributed(hid_t group, const char* name, hid_t type, const void* data, hsize_t total,
                       hsize_t offset, hsize_t count) {
  hid_t fspace = H5Screate_simple(1, &total, nullptr);
  hid_t ds =
      checked(H5Dcreate2(group, name, type, fspace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), name);
  // nothing to write when every particle has left: the dataset stays empty
  if (total > 0) transfer(ds, fspace, type, nullptr, data, offset, count, name);
  H5Sclose(fspace);
  H5Dclose(ds);
}

void read_distributed(hid_t group, const char* name, hid_t type, void* data, hsize_t offset,
                      hsize_t count, hsize_t total) {
  hid_t ds = checked(H5Dopen2(group, name, H5P_DEFAULT), name);
  hid_t fspace = H5Dget_space(ds);
  if (total > 0) transfer(ds, fspace, type, data, nullptr, offset, count, name);
  H5Sclose(fspace);
  H5Dclose(ds);
}

// Small replicated arrays: every rank takes part, rank 0's data is written.
void write_small(hid_t group, const std::string& name, hid_t type, const void* data, hsize_t n,
                 int rank) {
  hid_t fspace = H5Screate_simple(1, &n, nullptr);
  hid_t ds =
      checked(H5Dcreate2(group, name.c_str(), type, fspace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
              name.c_str());
  if (n > 0) transfer(ds, fspace, type, nullptr, data, 0, rank == 0 ? n : 0, name.c_str());
  H5Sclose(fspace);
  H5Dclose(ds);
}

std::vector<std::string> member_names(hid_t group) {
  std::vector<std::string> names;
  H5G_info_t info;
  H5Gget_info(group, &info);
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    char buf[256];
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, buf, sizeof buf, H5P_DEFAULT);
    names.emplace_back(buf);
  }
  return names;
}

void write_xdmf(const std::string& h5path, std::uint64_t total, double time) {
  const std::string file = std::filesystem::path(h5path).filename().string();
  std::ofstream x(std::filesystem::path(h5path).replace_extension(".xdmf"));
  auto item = [&](const std::string& name) {
    return "<DataItem Dimensions=\"" + std::to_string(total) +
           "\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">" + file + ":/particles/" +
           name + "</DataItem>";
  };
  x << "<?xml version=\"1.0\"?>\n<Xdmf Version=\"3.0\">\n <Domain>\n  <Grid Name=\"particles\" "
       "GridType=\"Uniform\">\n";
  x << "   <Time Value=\"" << time << "\"/>\n";
  x << "   <Topology TopologyType=\"Polyvertex\" NumberOfElements=\"" << total << "\"/>\n";
  x << "   <Geometry GeometryType=\"X_Y_Z\">" << item("px") << item("py") << item("pz")
    << "</Geometry>\n";
  for (const auto& f : field_table()) {
    if (!(f.flags & kCheckpoint)) continue;
    x << "   <Attribute Name=\"" << f.name << "\" AttributeType=\"Scalar\" Center=\"Node\">"
      << item(std::string(f.name)) << "</Attribute>\n";
  }
  x << "  </Grid>\n </Domain>\n</Xdmf>\n";
}

}  // namespace

void write_checkpoint(MPI_Comm comm, const std::string& path, const ParticleStore& p,
                      const CheckpointData& meta) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  const std::string tmp = path + ".tmp";
  const auto n = static_cast<unsigned long long>(p.size());
  unsigned long long offset = 0, total = 0;
  MPI_Exscan(&n, &offset, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm);
  if (rank == 0) offset = 0;
  MPI_Allreduce(&n, &total, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm);

  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL);
  hid_t f = H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose(fapl);
  if (f < 0) throw RuntimeError("cannot create checkpoint " + tmp);
  int size = 1;
  MPI_Comm_size(comm, &size);
  write_attr_double(f, "time", meta.time);
  write_attr_u64(f, "step", meta.step);
  write_attr_u64(f, "seed", meta.seed);
  write_attr_u64(f, "ranks", static_cast<std::uint64_t>(size));
  write_attr_u64(f, "format", kFormat);

  hid_t g = H5Gcreate2(f, "particles", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  write_distributed(g, "id", H5T_NATIVE_UINT64, p.ids().data(), total, offset, n);
  write_distributed(g, "state", H5T_NATIVE_UINT8, p.states().data(), total, offset, n);
  // the multi-rate state clock's pending steps (state_clock.hpp): a restart goes on exactly
  write_distributed(g, "state_lag", H5T_NATIVE_UINT8, p.state_lags().data(), total, offset, n);
  const auto& table = field_table();
  for (int k = 0; k < kFieldCount; ++k)
    if (table[k].flags & kCheckpoint)
      write_distributed(g, std::string(table[k].name).c_str(), H5T_NATIVE_DOUBLE,
                        p[static_cast<Field>(k)].data(), total, offset, n);
  H5Gclose(g);

  hid_t t = H5Gcreate2(f, "tallies", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (const auto& [name, sum] : meta.tallies) {
    ExactSum s = sum;
    s.normalize();
    write_small(t, name, H5T_NATIVE_INT64, s.limbs(), ExactSum::kLimbs, rank);
  }
  H5Gclose(t);
  hid_t u = H5Gcreate2(f, "units", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (const auto& [unit, kv] : meta.unit_state) {
    hid_t ug = H5Gcreate2(u, unit.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    for (const auto& [key, v] : kv)
      write_small(ug, key, H5T_NATIVE_DOUBLE, v.data(), v.size(), rank);
    H5Gclose(ug);
  }
  H5Gclose(u);
  check(H5Fclose(f), "close checkpoint");
  MPI_Barrier(comm);
  if (rank == 0) {
    std::filesystem::rename(tmp, path);
    write_xdmf(path, total, meta.time);
  }
  MPI_Barrier(comm);
}

CheckpointData read_checkpoint(MPI_Comm comm, const std::string& path, ParticleStore& p) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  if (!std::filesystem::exists(path)) throw InputError(path + ": restart file not found");
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL);
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl);
  H5Pclose(fapl);
  if (f < 0) throw InputError(path + ": not a readable HDF5 checkpoint");
  CheckpointData meta;
  if (read_attr<std::uint64_t>(f, "format", H5T_NATIVE_UINT64) != kFormat)
    throw InputError(path + ": checkpoint format version not supported");
  meta.time = read_attr<double>(f, "time", H5T_NATIVE_DOUBLE);
  meta.step = read_attr<std::uint64_t>(f, "step", H5T_NATIVE_UINT64);
  meta.seed = read_attr<std::uint64_t>(f, "seed", H5T_NATIVE_UINT64);

  hid_t g = H5Gopen2(f, "particles", H5P_DEFAULT);
  hid_t ds = H5Dopen2(g, "id", H5P_DEFAULT);
  hid_t sp = H5Dget_space(ds);
  hsize_t total = 0;
  H5Sget_simple_extent_dims(sp, &total, nullptr);
  H5Sclose(sp);
  H5Dclose(ds);
  const hsize_t begin = total * static_cast<hsize_t>(rank) / static_cast<hsize_t>(size);
  const hsize_t end = total * static_cast<hsize_t>(rank + 1) / static_cast<hsize_t>(size);
  const hsize_t count = end - begin;
  p.clear();
  p.resize(count);
  read_distributed(g, "id", H5T_NATIVE_UINT64, p.ids().data(), begin, count, total);
  read_distributed(g, "state", H5T_NATIVE_UINT8, p.states().data(), begin, count, total);
  if (H5Lexists(g, "state_lag", H5P_DEFAULT) > 0)  // (older checkpoints: nothing pending)
    read_distributed(g, "state_lag", H5T_NATIVE_UINT8, p.state_lags().data(), begin, count, total);
  const auto& table = field_table();
  for (int k = 0; k < kFieldCount; ++k)
    if (table[k].flags & kCheckpoint)
      read_distributed(g, std::string(table[k].name).c_str(), H5T_NATIVE_DOUBLE,
                       p[static_cast<Field>(k)].data(), begin, count, total);
  H5Gclose(g);

  hid_t t = H5Gopen2(f, "tallies", H5P_DEFAULT);
  for (const auto& name : member_names(t)) {
    ExactSum s;
    hid_t d = H5Dopen2(t, name.c_str(), H5P_DEFAULT);
    check(H5Dread(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.limbs()), name.c_str());
    H5Dclose(d);
    meta.tallies[name] = s;
  }
  H5Gclose(t);
  hid_t u = H5Gopen2(f, "units", H5P_DEFAULT);
  for (const auto& unit : member_names(u)) {
    hid_t ug = H5Gopen2(u, unit.c_str(), H5P_DEFAULT);
    for (const auto& key : member_names(ug)) {
      hid_t d = H5Dopen2(ug, key.c_str(), H5P_DEFAULT);
      hid_t s = H5Dget_space(d);
      hsize_t n = 0;
      H5Sget_simple_extent_dims(s, &n, nullptr);
      std::vector<double> v(n);
      if (n)
        check(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), key.c_str());
      H5Sclose(s);
      H5Dclose(d);
      meta.unit_state[unit][key] = std::move(v);
    }
    H5Gclose(ug);
  }
  H5Gclose(u);
  H5Fclose(f);
  return meta;
}

}  // namespace mps
