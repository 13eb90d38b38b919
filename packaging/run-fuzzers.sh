#!/usr/bin/env bash
# Builds every libFuzzer target (CMake preset `fuzz`, clang) and runs each for SECONDS.
#   corpus (kept between runs):  build/fuzz/corpus/<target>/
#   findings (crash-*, leak-*, timeout-*, oom-*): build/fuzz/findings/<target>/
#   libFuzzer's log:             build/fuzz/logs/<target>.log
# Usage: packaging/run-fuzzers.sh SECONDS [TARGET...]
# Exit status: 0 when no target found anything new, 1 when one did, 2 on a usage or build error.
# FUZZ_JOBS (default 1) sets the build parallelism; everything runs under `nice`.
set -euo pipefail

usage() { echo "usage: $0 SECONDS [TARGET...]" >&2; exit 2; }
[[ $# -ge 1 && "$1" =~ ^[1-9][0-9]*$ ]] || usage
seconds=$1
shift

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/fuzz"
cd "$root"

echo "== configuring (preset fuzz)"
mkdir -p "$build"
if ! cmake --preset fuzz >"$build/configure.log" 2>&1; then
    cat "$build/configure.log" >&2
    echo "configure failed" >&2
    exit 2
fi

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    # Every fuzz_* target CMake generated (tests/fuzz/CMakeLists.txt).
    mapfile -t targets < <(ninja -C "$build" -t targets all 2>/dev/null |
        sed -n 's/^\(fuzz_[A-Za-z0-9_]*\): phony$/\1/p' | sort -u)
fi
if [[ ${#targets[@]} -eq 0 ]]; then
    echo "no fuzz_* targets found in $build" >&2
    exit 2
fi

echo "== building ${targets[*]}"
nice -n 10 cmake --build "$build" -j "${FUZZ_JOBS:-1}" --target "${targets[@]}" || exit 2

status=0
mkdir -p "$build/logs"
for target in "${targets[@]}"; do
    binary=$(find "$build" -type f -name "$target" -perm -u+x | head -n 1)
    [[ -n "$binary" ]] || { echo "$target: executable not found" >&2; status=2; continue; }
    corpus="$build/corpus/$target"
    findings="$build/findings/$target"
    log="$build/logs/$target.log"
    mkdir -p "$corpus" "$findings"
    seeds=()
    [[ -d "$root/tests/fuzz/seeds/$target" ]] && seeds=("$root/tests/fuzz/seeds/$target")
    stamp=$(mktemp)

    echo "== $target: ${seconds}s"
    rc=0
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
        nice -n 10 "$binary" "$corpus" "${seeds[@]}" -max_total_time="$seconds" -timeout=30 \
        -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1 || rc=$?

    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [[ -z "$execs" ]]; then  # killed before the final stats: take the last progress line
        execs=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
    fi
    new=$(find "$findings" -type f -newer "$stamp" | sort)
    rm -f "$stamp"
    count=$(printf '%s' "$new" | grep -c . || true)
    echo "$target: ${execs:-0} executions, $(find "$corpus" -type f | wc -l) corpus inputs," \
        "$count new findings (exit $rc)"
    if [[ $count -gt 0 || $rc -ne 0 ]]; then
        status=1
        [[ -n "$new" ]] && while IFS= read -r file; do echo "  $file"; done <<<"$new"
        grep -m 5 -E '^(==[0-9]+==ERROR|SUMMARY|invariant violated)' "$log" | sed 's/^/  /' || true
        echo "  log: $log"
    fi
done
exit $status
