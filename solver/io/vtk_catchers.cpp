#include "solver/io/vtk_catchers.hpp"

#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkDoubleArray.h>
#include <vtkFieldData.h>
#include <vtkIntArray.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkStringArray.h>
#include <vtkXMLPolyDataWriter.h>

#include "solver/base/errors.hpp"

namespace mps {

void write_catchers_vtp(const std::string& path, const std::vector<ReducedSurfaceMap>& maps) {
  vtkNew<vtkPolyData> poly;
  vtkNew<vtkPoints> pts;
  pts->SetDataTypeToDouble();
  vtkNew<vtkCellArray> cells;
  vtkNew<vtkIntArray> which;
  which->SetName("catcher_index");
  vtkNew<vtkDoubleArray> area;
  area->SetName("patch_area_m2");
  vtkNew<vtkStringArray> names;
  names->SetName("catcher_names");
  // arrays by name, in the order of the first map (all maps of a unit carry the same arrays)
  std::vector<std::string> array_names;
  for (const auto& m : maps)
    for (const auto& [nm, v] : m.cells)
      if (std::find(array_names.begin(), array_names.end(), nm) == array_names.end())
        array_names.push_back(nm);
  std::vector<vtkNew<vtkDoubleArray>> arrays(array_names.size());
  for (std::size_t k = 0; k < array_names.size(); ++k) arrays[k]->SetName(array_names[k].c_str());
  vtkNew<vtkDoubleArray> mass_density, heat_density;
  mass_density->SetName("deposited_mass_per_area_kg_per_m2");
  heat_density->SetName("thermal_energy_per_area_J_per_m2");
  for (std::size_t c = 0; c < maps.size(); ++c) {
    const auto& m = maps[c];
    names->InsertNextValue(m.name);
    const vtkIdType base = pts->GetNumberOfPoints();
    for (const auto& x : m.points) pts->InsertNextPoint(x[0], x[1], x[2]);
    for (std::size_t p = 0; p < m.polygons.size(); ++p) {
      std::vector<vtkIdType> ids;
      for (auto i : m.polygons[p]) ids.push_back(base + static_cast<vtkIdType>(i));
      cells->InsertNextCell(static_cast<vtkIdType>(ids.size()), ids.data());
      which->InsertNextValue(static_cast<int>(c));
      area->InsertNextValue(m.area[p]);
      double mass = 0.0, heat = 0.0;
      for (std::size_t k = 0; k < array_names.size(); ++k) {
        double val = 0.0;
        for (const auto& [nm, v] : m.cells)
          if (nm == array_names[k]) val = v.at(p);
        arrays[k]->InsertNextValue(val);
        if (array_names[k] == "deposited_mass_kg") mass = val;
        if (array_names[k] == "thermal_energy_J") heat = val;
      }
      mass_density->InsertNextValue(m.area[p] > 0 ? mass / m.area[p] : 0.0);
      heat_density->InsertNextValue(m.area[p] > 0 ? heat / m.area[p] : 0.0);
    }
  }
  poly->SetPoints(pts);
  poly->SetPolys(cells);
  poly->GetCellData()->AddArray(which);
  poly->GetCellData()->AddArray(area);
  for (auto& a : arrays) poly->GetCellData()->AddArray(a);
  poly->GetCellData()->AddArray(mass_density);
  poly->GetCellData()->AddArray(heat_density);
  poly->GetFieldData()->AddArray(names);
  vtkNew<vtkXMLPolyDataWriter> w;
  w->SetFileName(path.c_str());
  w->SetInputData(poly);
  w->SetDataModeToAppended();
  if (w->Write() != 1) throw RuntimeError("cannot write " + path);
}

}  // namespace mps
