#include "solver/io/vtk_image.hpp"

#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkDoubleArray.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkXMLImageDataWriter.h>
#include <vtkXMLPolyDataWriter.h>

#include <fmt/format.h>
#include <filesystem>
#include <fstream>

#include "solver/base/errors.hpp"

namespace mps {

void write_grid_vtk(MPI_Comm comm, const std::string& path, const GridOutput& g) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  const std::filesystem::path pvti(path);
  const std::string stem = pvti.stem().string();
  const std::string piece = fmt::format("{}_{}.vti", stem, rank);

  // This rank's piece, written by VTK's serial image writer (appended, zlib).
  vtkNew<vtkImageData> img;
  img->SetExtent(g.lo[0], g.hi[0], g.lo[1], g.hi[1], g.lo[2], g.hi[2]);
  img->SetOrigin(g.origin[0], g.origin[1], g.origin[2]);
  img->SetSpacing(g.spacing[0], g.spacing[1], g.spacing[2]);
  const vtkIdType n = static_cast<vtkIdType>(g.hi[0] - g.lo[0] + 1) * (g.hi[1] - g.lo[1] + 1) *
                      (g.hi[2] - g.lo[2] + 1);
  for (const auto& a : g.arrays) {
    if (static_cast<vtkIdType>(a.values.size()) != n * a.components)
      throw RuntimeError("write_grid_vtk: array " + a.name + " has the wrong size");
    vtkNew<vtkDoubleArray> arr;
    arr->SetName(a.name.c_str());
    arr->SetNumberOfComponents(a.components);
    arr->SetNumberOfTuples(n);
    std::copy(a.values.begin(), a.values.end(), arr->GetPointer(0));
    img->GetPointData()->AddArray(arr);
  }
  vtkNew<vtkXMLImageDataWriter> w;
  w->SetFileName((pvti.parent_path() / piece).string().c_str());
  w->SetInputData(img);
  w->SetDataModeToAppended();
  w->SetCompressorTypeToZLib();
  if (w->Write() != 1) throw RuntimeError("cannot write " + piece);

  // The .pvti index on rank 0 lists every piece's extent.
  int ext[6] = {g.lo[0], g.hi[0], g.lo[1], g.hi[1], g.lo[2], g.hi[2]};
  std::vector<int> all(rank == 0 ? 6 * size : 0);
  MPI_Gather(ext, 6, MPI_INT, all.data(), 6, MPI_INT, 0, comm);
  if (rank != 0) return;
  std::ofstream o(path);
  o.precision(17);
  o << "<?xml version=\"1.0\"?>\n"
    << "<VTKFile type=\"PImageData\" version=\"1.0\" byte_order=\"LittleEndian\" "
       "header_type=\"UInt64\">\n"
    << "  <PImageData WholeExtent=\"0 " << g.nodes[0] - 1 << " 0 " << g.nodes[1] - 1 << " 0 "
    << g.nodes[2] - 1 << "\" GhostLevel=\"0\" Origin=\"" << g.origin[0] << ' ' << g.origin[1] << ' '
    << g.origin[2] << "\" Spacing=\"" << g.spacing[0] << ' ' << g.spacing[1] << ' ' << g.spacing[2]
    << "\">\n    <PPointData>\n";
  for (const auto& a : g.arrays)
    o << "      <PDataArray type=\"Float64\" Name=\"" << a.name << "\" NumberOfComponents=\""
      << a.components << "\"/>\n";
  o << "    </PPointData>\n";
  for (int r = 0; r < size; ++r)
    o << "    <Piece Extent=\"" << all[6 * r] << ' ' << all[6 * r + 1] << ' ' << all[6 * r + 2]
      << ' ' << all[6 * r + 3] << ' ' << all[6 * r + 4] << ' ' << all[6 * r + 5] << "\" Source=\""
      << fmt::format("{}_{}.vti", stem, r) << "\"/>\n";
  o << "  </PImageData>\n</VTKFile>\n";
  if (!o) throw RuntimeError("cannot write " + path);
}

void write_surfaces_vtp(MPI_Comm comm, const std::string& path, const GridOutput& g) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  if (rank != 0 || g.surface_triangles.empty()) return;
  vtkNew<vtkPolyData> poly;
  vtkNew<vtkPoints> pts;
  pts->SetDataTypeToDouble();
  for (const auto& p : g.surface_points) pts->InsertNextPoint(p[0], p[1], p[2]);
  poly->SetPoints(pts);
  vtkNew<vtkCellArray> tris;
  for (const auto& t : g.surface_triangles) {
    const vtkIdType ids[3] = {t[0], t[1], t[2]};
    tris->InsertNextCell(3, ids);
  }
  poly->SetPolys(tris);
  vtkNew<vtkDoubleArray> v;
  v->SetName(g.surface_value_name.c_str());
  for (double x : g.surface_value) v->InsertNextValue(x);
  poly->GetCellData()->AddArray(v);
  vtkNew<vtkXMLPolyDataWriter> w;
  w->SetFileName(path.c_str());
  w->SetInputData(poly);
  w->SetDataModeToAppended();
  w->SetCompressorTypeToZLib();
  if (w->Write() != 1) throw RuntimeError("cannot write " + path);
}

}  // namespace mps
