#!/usr/bin/env bash
# Builds and runs the benchmarks; prints the table that docs/performance.md keeps.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# NEURON (the LFP benchmark's baseline); optional: bench_lfp says so when it is missing.
if ! /usr/bin/python3 -c "import neuron" 2>/dev/null && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-neuron >/dev/null || true
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)" --target bench_region bench_spiking bench_cosim bench_lfp bench_surface
./build/benchmarks/bench_region "${1:-7}"
./build/benchmarks/bench_spiking "${1:-7}"
./build/benchmarks/bench_cosim "${1:-7}"
./build/benchmarks/bench_lfp "${1:-7}"
./build/benchmarks/bench_surface "${1:-5}"
