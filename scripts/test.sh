#!/usr/bin/env bash
# Installs what is missing, builds brainweave (Release) and runs all tests.
#   scripts/test.sh              all tests (unit, validation, runner, headers, package consumer)
#   scripts/test.sh --sanitize   address + undefined-behaviour sanitizer build, representative subset
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --tests
jobs=$(nproc)
if [ "${1:-}" = "--sanitize" ]; then
  # -O1 -g1: what the sanitizers' documentation recommends (fast enough, readable stack traces with
  # line tables), and cheaper to compile than -O2 -g on CI's two cores.
  cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
        -DBRAINWEAVE_SANITIZE=ON -DBRAINWEAVE_BUILD_BENCHMARKS=OFF -DBRAINWEAVE_BUILD_EXAMPLES=OFF
  cmake --build build-sanitize -j "$jobs" --target test_core test_models test_simulator test_spiking test_cosim test_lfp test_hdf5 brainweave-run brainweave_fuzz_replay
  (cd build-sanitize && ctest -L sanitize --output-on-failure -j "$jobs")
else
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
  cmake --build build -j "$jobs"
  (cd build && ctest --output-on-failure -j "$jobs")
fi
