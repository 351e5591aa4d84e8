#!/usr/bin/env bash
# Builds a libFuzzer target with clang, ASan and UBSan, and runs it for a bounded time from its
# seed corpus: scripts/fuzz.sh TARGET SECONDS [BUILD_DIR]. Exits non-zero on any crash, leak or
# undefined behaviour; the reproducer is left in the build dir. Loopback-free: no network use.
# Several targets may share one build dir (ctest runs each target's test with the same one):
# configuring and building take a lock on it, so parallel runs build one at a time. Set
# CMAKE_BUILD_PARALLEL_LEVEL to bound the build's jobs (Ninja's default is every core + 2).
set -euo pipefail
target=${1:?target, e.g. message_parser_fuzz}
seconds=${2:-60}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${3:-$src/build-fuzz}

mkdir -p "$build"
(
  flock 9
  CC=clang CXX=clang++ cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSB_FUZZ=ON -DSB_BUILD_TESTS=OFF -DSB_BUILD_BENCH=OFF >/dev/null
  cmake --build "$build" --target "$target" >/dev/null
) 9>"$build/.fuzz-build.lock"

# The seed corpus lives beside the code: src/<module>/corpus/<name>/ for <name>_fuzz.
name=${target%_fuzz}
seeds=$(find "$src/src" -type d -path "*/corpus/$name" | head -n 1)
work="$build/corpus-$name"
mkdir -p "$work"
cd "$build"
echo "fuzzing $target for ${seconds}s from ${seeds:-no seeds}"
"$build/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  "$work" ${seeds:+"$seeds"} 2>&1 | tail -n 25
exit "${PIPESTATUS[0]}"
