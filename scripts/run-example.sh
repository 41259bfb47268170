#!/usr/bin/env bash
# Installs what is missing, builds and runs the main example (a TVB-style whole-brain simulation).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)" --target example_region_g2d
./build/examples/example_region_g2d tests/data/connectivity/connectivity_76.zip build/region_g2d_output
