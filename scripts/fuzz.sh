#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with -fsanitize=fuzzer,address,undefined) and runs each
# for a bounded time (docs/fuzzing.md). Exits non-zero if any target found a crash, a leak,
# undefined behaviour, an exception other than brainweave::error, a timeout or excessive memory;
# the inputs are left in build-fuzz/findings/<target>/.
#   scripts/fuzz.sh [--seconds N] [--update-corpus] [target ...]
#     --seconds N        time per target (default 30)
#     --update-corpus    merge the new interesting inputs into fuzz/corpus/<target> (to commit)
#     target ...         some targets only (default: all; `build-fuzz/fuzz/brainweave_fuzz` lists them)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=30
update=0
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --update-corpus) update=1; shift ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
bash scripts/install-deps.sh --fuzz
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DBRAINWEAVE_BUILD_FUZZERS=ON \
      -DBRAINWEAVE_BUILD_TESTS=OFF -DBRAINWEAVE_BUILD_TOOLS=OFF -DBRAINWEAVE_BUILD_EXAMPLES=OFF \
      -DBRAINWEAVE_BUILD_BENCHMARKS=OFF -DBRAINWEAVE_INSTALL=OFF -DBRAINWEAVE_WITH_MPI=OFF -DBRAINWEAVE_WITH_HDF5=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target brainweave_fuzz
fuzzer=build-fuzz/fuzz/brainweave_fuzz
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(ls fuzz/corpus)
fi
failed=()
for t in "${targets[@]}"; do
  [ -d "fuzz/corpus/$t" ] || { echo "fuzz.sh: no corpus fuzz/corpus/$t (unknown target?)" >&2; exit 2; }
  work="build-fuzz/corpus/$t"
  findings="build-fuzz/findings/$t"
  mkdir -p "$work" "$findings"
  echo "== $t: ${seconds} s"
  # New inputs go to the first folder (the work copy); the committed corpus is only read.
  # -rss_limit_mb / -malloc_limit_mb: a loader must not allocate gigabytes because a header says so.
  if ! UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 BRAINWEAVE_FUZZ_TARGET="$t" "$fuzzer" "$work" "fuzz/corpus/$t" -max_total_time="$seconds" \
         -max_len=65536 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -artifact_prefix="$findings/" \
         -print_final_stats=1 >"$findings/log.txt" 2>&1; then
    failed+=("$t")
    echo "   FINDING: see $findings/ (log.txt and the crash input)"
    grep -E "ERROR|runtime error|not a brainweave::error|SUMMARY" "$findings/log.txt" | head -5 || true
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$findings/log.txt" | tr -s ' \n' ' ' | sed 's/stat:://g'
    echo
  fi
  if ((update)); then
    BRAINWEAVE_FUZZ_TARGET="$t" "$fuzzer" -merge=1 "fuzz/corpus/$t" "$work" >/dev/null 2>&1
  fi
done
if ((${#failed[@]})); then
  echo "fuzz.sh: findings in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets ran ${seconds} s each without a finding"
