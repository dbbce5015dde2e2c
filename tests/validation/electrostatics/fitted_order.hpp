// Observed order of convergence of the electrostatics validations.
#pragma once

#include <cmath>
#include <vector>

namespace mps {

// Least-squares slope of log(error) against log(h): the fitted order of an error that falls as
// C h^p over the refinement sequence.
inline double fitted_order(const std::vector<double>& h, const std::vector<double>& err) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  const double n = static_cast<double>(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) {
    const double x = std::log(h[i]), y = std::log(err[i]);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

}  // namespace mps
