#!/usr/bin/env bash
# Installs what is missing, builds and runs the main example: the multiscale flagship (a TVB-style
# whole-brain model in which two regions are spiking networks); outputs in build/multiscale_output.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)" --target example_multiscale
./build/examples/example_multiscale tests/data/connectivity/connectivity_76.zip build/multiscale_output 3000 1000 \
  --nwb build/multiscale_output/multiscale.nwb
