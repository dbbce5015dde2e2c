#include "solver/io/vtk_particles.hpp"

#include <vtkCellArray.h>
#include <vtkDoubleArray.h>
#include <vtkIdTypeArray.h>
#include <vtkMPI.h>
#include <vtkMPICommunicator.h>
#include <vtkMPIController.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkUnsignedCharArray.h>
#include <vtkXMLPPolyDataWriter.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "solver/base/errors.hpp"

namespace mps {

namespace {

vtkMPIController* controller_for(MPI_Comm comm) {
  // One controller per communicator for the life of the program (VTK keeps global state).
  static vtkMPIController* ctrl = nullptr;
  static MPI_Comm made_for = MPI_COMM_NULL;
  if (ctrl && made_for == comm) return ctrl;
  if (ctrl) ctrl->Delete();
  ctrl = vtkMPIController::New();
  MPI_Comm dup = comm;
  vtkMPICommunicatorOpaqueComm opaque(&dup);
  vtkNew<vtkMPICommunicator> c;
  c->InitializeExternal(&opaque);
  ctrl->SetCommunicator(c);
  made_for = comm;
  return ctrl;
}

}  // namespace

void write_particles_vtk(MPI_Comm comm, const std::string& path, const ParticleStore& p) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  const std::size_t n = p.size();
  vtkNew<vtkPolyData> poly;
  vtkNew<vtkPoints> pts;
  pts->SetDataTypeToDouble();
  pts->SetNumberOfPoints(static_cast<vtkIdType>(n));
  for (std::size_t i = 0; i < n; ++i)
    pts->SetPoint(static_cast<vtkIdType>(i), p[Field::px][i], p[Field::py][i], p[Field::pz][i]);
  poly->SetPoints(pts);
  vtkNew<vtkCellArray> verts;
  for (std::size_t i = 0; i < n; ++i) {
    vtkIdType id = static_cast<vtkIdType>(i);
    verts->InsertNextCell(1, &id);
  }
  poly->SetVerts(verts);

  vtkNew<vtkIdTypeArray> ids;
  ids->SetName("id");
  ids->SetNumberOfTuples(static_cast<vtkIdType>(n));
  for (std::size_t i = 0; i < n; ++i) ids->SetValue(static_cast<vtkIdType>(i), static_cast<vtkIdType>(p.ids()[i]));
  poly->GetPointData()->AddArray(ids);
  vtkNew<vtkUnsignedCharArray> state;
  state->SetName("state");
  state->SetNumberOfTuples(static_cast<vtkIdType>(n));
  for (std::size_t i = 0; i < n; ++i) state->SetValue(static_cast<vtkIdType>(i), static_cast<unsigned char>(p.states()[i]));
  poly->GetPointData()->AddArray(state);
  vtkNew<vtkIdTypeArray> owner;
  owner->SetName("rank");
  owner->SetNumberOfTuples(static_cast<vtkIdType>(n));
  for (std::size_t i = 0; i < n; ++i) owner->SetValue(static_cast<vtkIdType>(i), rank);
  poly->GetPointData()->AddArray(owner);

  const auto& table = field_table();
  for (int k = 0; k < kFieldCount; ++k) {
    const auto& f = table[k];
    if (!(f.flags & kOutput) || f.components == 0 || f.output_name == "position_m") continue;
    vtkNew<vtkDoubleArray> a;
    a->SetName(std::string(f.output_name).c_str());
    a->SetNumberOfComponents(f.components);
    a->SetNumberOfTuples(static_cast<vtkIdType>(n));
    for (int c = 0; c < f.components; ++c) {
      const auto& v = p[static_cast<Field>(k + c)];
      for (std::size_t i = 0; i < n; ++i) a->SetComponent(static_cast<vtkIdType>(i), c, v[i]);
    }
    poly->GetPointData()->AddArray(a);
  }

  vtkNew<vtkXMLPPolyDataWriter> w;
  w->SetController(controller_for(comm));
  w->SetFileName(path.c_str());
  w->SetInputData(poly);
  w->SetNumberOfPieces(size);
  w->SetStartPiece(rank);
  w->SetEndPiece(rank);
  w->SetDataModeToAppended();
  w->SetCompressorTypeToZLib();
  if (w->Write() != 1) throw RuntimeError("cannot write " + path);
}

void PvdIndex::load_existing(double up_to_time) {
  entries_.clear();
  std::ifstream in(path_);
  if (!in) return;
  const std::regex re(R"re(timestep="([^"]+)"\s+group="[^"]*"\s+part="(\d+)"\s+file="([^"]+)")re");
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, re)) {
      double t = std::stod(m[1]);
      if (t <= up_to_time * (1 + 1e-12)) entries_.push_back({t, m[3], std::stoi(m[2])});
    }
  }
}

void PvdIndex::add(double time, const std::string& file, int part) { entries_.push_back({time, file, part}); }

void PvdIndex::write() const {
  const std::string tmp = path_ + ".tmp";
  {
    std::ofstream out(tmp);
    out << "<?xml version=\"1.0\"?>\n<VTKFile type=\"Collection\" version=\"1.0\" byte_order=\"LittleEndian\">\n  <Collection>\n";
    out.precision(17);
    for (const auto& e : entries_)
      out << "    <DataSet timestep=\"" << e.time << "\" group=\"\" part=\"" << e.part << "\" file=\""
          << e.file << "\"/>\n";
    out << "  </Collection>\n</VTKFile>\n";
  }
  std::filesystem::rename(tmp, path_);
}

}  // namespace mps
