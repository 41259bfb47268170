#!/usr/bin/env bash
# Builds and runs the benchmarks; prints the table that docs/performance.md keeps.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)" --target bench_region bench_spiking bench_cosim
./build/benchmarks/bench_region "${1:-7}"
./build/benchmarks/bench_spiking "${1:-7}"
./build/benchmarks/bench_cosim "${1:-7}"
