#!/usr/bin/env bash
# Transport benchmark: bulk W at 30/100/150/300 keV on one core (bench_transport), then the
# speed-up of `mpstream transport bulk --energy 150keV` from 1 to 2 ranks.
# Usage: bench/run transport [histories per energy, default 20000]
# Last line: "transport: <N> histories/s per core at 150 keV".
set -euo pipefail
root="${MPSTREAM_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
build="${MPSTREAM_BUILD:-$root/build}"
n="${1:-20000}"
if [ ! -x "$build/bench/bench_transport" ] || [ ! -x "$build/mpstream" ]; then
  cmake --build "$build" --target bench_transport mpstream -j2 >/dev/null
fi
out="$("$build/bench/bench_transport" "$n")"
grep -v '^transport:' <<<"$out"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
rate() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['histories_per_second'])" "$1"; }
mpiexec -n 1 "$build/mpstream" transport bulk --energy 150keV --histories "$((2 * n))" --out "$tmp/r1" >/dev/null
mpiexec -n 2 "$build/mpstream" transport bulk --energy 150keV --histories "$((2 * n))" --out "$tmp/r2" >/dev/null
r1="$(rate "$tmp/r1/summary.json")"; r2="$(rate "$tmp/r2/summary.json")"
python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'mpstream transport bulk 150 keV: {a:.0f} histories/s on 1 rank, {b:.0f} on 2 ranks, parallel efficiency {b/(2*a):.2f} (2 shared cores)')" "$r1" "$r2"
grep '^transport:' <<<"$out"
