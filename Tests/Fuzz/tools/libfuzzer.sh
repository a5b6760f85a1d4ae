#!/usr/bin/env bash
# Builds gonggu-fuzz for libFuzzer with AddressSanitizer and fuzzes one target (docs/FUZZING.md).
#   Tests/Fuzz/tools/libfuzzer.sh TARGET [SECONDS] [extra libFuzzer flags…]
# The working corpus grows in $GONGGU_FUZZ_WORK/TARGET (default /tmp/gonggu-fuzz-work, outside the
# repository), seeded from Tests/Fuzz/corpus/TARGET; crashing, hanging (-timeout) and out-of-memory
# inputs land in $GONGGU_FUZZ_WORK/findings.
# Set GONGGU_FUZZ_NO_BUILD=1 to skip the build (two targets fuzzing at once share one build).
set -euo pipefail
cd "$(dirname "$0")/../../.."
target="${1:?usage: libfuzzer.sh TARGET [SECONDS] [libFuzzer flags…]}"
seconds="${2:-600}"
shift $(( $# >= 2 ? 2 : 1 ))
if [ -z "${GONGGU_FUZZ_NO_BUILD:-}" ]; then
    swift build -c release --product gonggu-fuzz --build-path .build-fuzz \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DGONGGU_LIBFUZZER \
        2>&1 | grep -E 'error:|Build complete' || true
fi
work="${GONGGU_FUZZ_WORK:-/tmp/gonggu-fuzz-work}/$target"
findings="${GONGGU_FUZZ_WORK:-/tmp/gonggu-fuzz-work}/findings"
mkdir -p "$work" "$findings"
# ASan's leak checker is off: the Swift runtime keeps metadata caches for the life of the process.
ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" exec .build-fuzz/release/gonggu-fuzz --target="$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$findings/$target-" "$@" "$work" "Tests/Fuzz/corpus/$target"
