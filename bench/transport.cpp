// Transport Monte Carlo benchmark: bulk tungsten under a normal pencil beam at 30, 100, 150 and
// 300 keV (single core): backscatter, depth-dose figures and histories per second.
// Usage: bench_transport [histories_per_energy (default 20000)]
// Last line: "transport: <N> histories/s per core at 150 keV".
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "physics/transport/scenarios.hpp"

using namespace mps::transport;

int main(int argc, char** argv) {
  const std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20000;
  const Material w = tungsten();
  double rate150 = 0;
  std::printf("%8s %9s %9s %9s %9s %9s %11s %9s %9s %12s\n", "E_keV", "eta", "+-", "eta_E", "+-",
              "R_csda_um", "zeta_pk_1/m", "d_pk_um", "d15_um", "hist/s");
  for (double keV : {30.0, 100.0, 150.0, 300.0}) {
    const double E = keV * 1e3;
    TransportEngine engine(w, bulk_options(w, E));
    Slab bulk;
    PencilBeam beam(E);
    const auto t0 = std::chrono::steady_clock::now();
    Tallies t = engine.run_histories(bulk, beam, 0, n, 12345);
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const BulkFigures f = bulk_figures(t, w);
    const double rate = static_cast<double>(n) / sec;
    if (keV == 150.0) rate150 = rate;
    std::printf("%8.0f %9.4f %9.4f %9.4f %9.4f %9.3f %11.4g %9.3f %9.3f %12.0f\n", keV,
                f.backscatter_number, f.backscatter_number_stderr, f.backscatter_energy,
                f.backscatter_energy_stderr, f.csda_range_m * 1e6, f.depth.zeta_peak_per_m,
                f.depth.depth_peak_m * 1e6, f.depth.depth15_m * 1e6, rate);
  }
  std::printf("transport: %.0f histories/s per core at 150 keV\n", rate150);
  return 0;
}
