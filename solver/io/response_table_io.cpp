#include "solver/io/response_table_io.hpp"

#include <hdf5.h>

#include <filesystem>

#include "solver/base/errors.hpp"

namespace mps {

namespace {

void write_1d(hid_t f, const char* name, const std::vector<double>& v) {
  hsize_t n = v.size();
  hid_t sp = H5Screate_simple(1, &n, nullptr);
  hid_t d = H5Dcreate2(f, name, H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (n) H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  H5Dclose(d);
  H5Sclose(sp);
}

void write_2d(hid_t f, const char* name, const std::vector<std::vector<double>>& v) {
  hsize_t dims[2] = {v.size(), v.empty() ? 0 : v[0].size()};
  std::vector<double> flat;
  for (const auto& r : v) flat.insert(flat.end(), r.begin(), r.end());
  hid_t sp = H5Screate_simple(2, dims, nullptr);
  hid_t d = H5Dcreate2(f, name, H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (!flat.empty()) H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data());
  H5Dclose(d);
  H5Sclose(sp);
}

bool exists(hid_t f, const char* name) {
  return H5Lexists(f, name, H5P_DEFAULT) > 0;
}

std::vector<double> read_1d(hid_t f, const char* name, const std::string& path) {
  if (!exists(f, name)) throw InputError(path + ": response table lacks '" + name + "'");
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  hid_t sp = H5Dget_space(d);
  hsize_t n = static_cast<hsize_t>(H5Sget_simple_extent_npoints(sp));
  std::vector<double> v(n);
  if (n) H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  H5Sclose(sp);
  H5Dclose(d);
  return v;
}

std::vector<std::vector<double>> read_2d(hid_t f, const char* name, const std::string& path) {
  if (!exists(f, name)) throw InputError(path + ": response table lacks '" + name + "'");
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  hid_t sp = H5Dget_space(d);
  hsize_t dims[2] = {0, 0};
  if (H5Sget_simple_extent_ndims(sp) != 2) throw InputError(path + ": '" + name + "' is not 2-D");
  H5Sget_simple_extent_dims(sp, dims, nullptr);
  std::vector<double> flat(dims[0] * dims[1]);
  if (!flat.empty()) H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data());
  H5Sclose(sp);
  H5Dclose(d);
  std::vector<std::vector<double>> v(dims[0]);
  for (hsize_t i = 0; i < dims[0]; ++i)
    v[i].assign(flat.begin() + i * dims[1], flat.begin() + (i + 1) * dims[1]);
  return v;
}

}  // namespace

void write_response_table(const std::string& path, const ResponseTable& t) {
  t.validate(path);
  const std::string tmp = path + ".tmp";
  hid_t f = H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (f < 0) throw RuntimeError("cannot create " + tmp);
  write_1d(f, "density_kg_per_m3", {t.density});
  write_1d(f, "energies_eV", t.energies_eV);
  write_1d(f, "depths_m", t.depths_m);
  write_2d(f, "zeta_per_m", t.zeta_per_m);
  write_2d(f, "transmitted", t.transmitted);
  write_1d(f, "eta_number", t.eta_number);
  write_1d(f, "eta_energy", t.eta_energy);
  write_1d(f, "radiated_fraction", t.radiated_fraction);
  write_1d(f, "csda_range_m", t.csda_range_m);
  write_1d(f, "zeta_peak_per_m", t.zeta_peak_per_m);
  write_1d(f, "depth_peak_m", t.depth_peak_m);
  write_1d(f, "depth15_m", t.depth15_m);
  write_1d(f, "diameters_m", t.diameters_m);
  if (!t.diameters_m.empty()) {
    write_2d(f, "sphere_absorbed_fraction", t.sphere_absorbed_fraction);
    write_2d(f, "sphere_electrons_out", t.sphere_electrons_out);
    write_2d(f, "sphere_secondary_yield", t.sphere_secondary_yield);
  }
  H5Fclose(f);
  std::filesystem::rename(tmp, path);
}

ResponseTable read_response_table(const std::string& path) {
  if (!std::filesystem::exists(path))
    throw InputError(path + ": response table not found (make it with `mpstream transport table`)");
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw InputError(path + ": not an HDF5 response table");
  ResponseTable t;
  t.density = read_1d(f, "density_kg_per_m3", path).at(0);
  t.energies_eV = read_1d(f, "energies_eV", path);
  t.depths_m = read_1d(f, "depths_m", path);
  t.zeta_per_m = read_2d(f, "zeta_per_m", path);
  t.transmitted = read_2d(f, "transmitted", path);
  t.eta_number = read_1d(f, "eta_number", path);
  t.eta_energy = read_1d(f, "eta_energy", path);
  t.radiated_fraction = read_1d(f, "radiated_fraction", path);
  t.csda_range_m = read_1d(f, "csda_range_m", path);
  t.zeta_peak_per_m = read_1d(f, "zeta_peak_per_m", path);
  t.depth_peak_m = read_1d(f, "depth_peak_m", path);
  t.depth15_m = read_1d(f, "depth15_m", path);
  t.diameters_m = read_1d(f, "diameters_m", path);
  if (!t.diameters_m.empty()) {
    t.sphere_absorbed_fraction = read_2d(f, "sphere_absorbed_fraction", path);
    t.sphere_electrons_out = read_2d(f, "sphere_electrons_out", path);
    t.sphere_secondary_yield = read_2d(f, "sphere_secondary_yield", path);
  }
  H5Fclose(f);
  t.validate(path);
  return t;
}

}  // namespace mps
