#!/usr/bin/env bash
# CI's fuzz step (issue 12): builds every libFuzzer target (CMake preset `fuzz`, clang) and
# replays the committed seeds once each, so that the fuzz build cannot rot unnoticed (it did
# once: a new core source missing from tests/fuzz/CMakeLists.txt) and fixed findings, kept as
# seeds, stay fixed. No fuzzing time here; the ten-minute runs are packaging/run-fuzzers.sh.
# Leak checking is off: LeakSanitizer suspends threads with ptrace, which some CI containers
# refuse, and the long runs check leaks.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/fuzz"
cd "$root"

mkdir -p "$build"
cmake --preset fuzz >"$build/configure.log" 2>&1 || { cat "$build/configure.log" >&2; exit 1; }
mapfile -t targets < <(ninja -C "$build" -t targets all 2>/dev/null |
    sed -n 's/^\(fuzz_[A-Za-z0-9_]*\): phony$/\1/p' | sort -u)
[[ ${#targets[@]} -gt 0 ]] || { echo "no fuzz_* targets in $build" >&2; exit 1; }
cmake --build "$build" -j "${FUZZ_JOBS:-2}" --target "${targets[@]}"

for target in "${targets[@]}"; do
    binary=$(find "$build" -type f -name "$target" -perm -u+x | head -n 1)
    seeds="$root/tests/fuzz/seeds/$target"
    inputs=()
    [[ -d "$seeds" ]] && inputs=("$seeds")
    # -runs=0 with a folder: every input once, then stop (no mutation).
    if ! ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
        "$binary" -runs=0 "${inputs[@]}" >"$build/$target.smoke.log" 2>&1; then
        tail -n 30 "$build/$target.smoke.log" >&2
        echo "$target: a seed input fails (log: $build/$target.smoke.log)" >&2
        exit 1
    fi
    echo "$target: $(find -L "${inputs[@]:-/dev/null}" -type f 2>/dev/null | wc -l) seeds replayed"
done
