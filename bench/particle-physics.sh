#!/usr/bin/env bash
# Per-particle state units (thermal + charging) on 1e6 particles, one core: bench_particle_physics.
# Usage: bench/run particle-physics [particles, default 1e6]
# Last line: "particle-physics: <N> particle-updates/s per core" (target >= 2e7).
set -euo pipefail
root="${MPSTREAM_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
build="${MPSTREAM_BUILD:-$root/build}"
if [ ! -x "$build/bench/bench_particle_physics" ]; then
  cmake --build "$build" --target bench_particle_physics -j2 >/dev/null
fi
exec "$build/bench/bench_particle_physics" "${1:-1000000}"
