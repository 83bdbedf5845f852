#!/usr/bin/env bash
# Fuzzes the history readers and the checker with libFuzzer for a bounded time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Builds SchismFuzz with -sanitize=fuzzer,address into .build-fuzz, then runs each target (all by
# default: jsonl edn porcupine-log porcupine-kv detect roundtrip checker differential) for SECONDS
# (default 60).
# Each target keeps a corpus in .build-fuzz/corpus/TARGET, seeded from Fuzz/corpus/TARGET,
# Fuzz/regressions and ../shared/histories when present. A crash, hang (an input that takes over
# FUZZ_TIMEOUT s, default 10) or memory blow-up (over FUZZ_RSS_MB, default 2048) is copied to
# Fuzz/regressions/TARGET-KIND-HASH for a human to rename and turn into a regression test, and the
# script exits 1. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
all_targets=(jsonl edn porcupine-log porcupine-kv detect roundtrip checker differential)
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi
for t in "${targets[@]}"; do
    case " ${all_targets[*]} " in
        *" $t "*) ;;
        *) echo "fuzz.sh: unknown target '$t'; the targets are: ${all_targets[*]}" >&2; exit 64 ;;
    esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 64; }

max_len="${FUZZ_MAX_LEN:-4096}"
timeout_s="${FUZZ_TIMEOUT:-10}"
rss_mb="${FUZZ_RSS_MB:-2048}"
scratch=.build-fuzz
shared="${SCHISM_SHARED_HISTORIES:-../shared/histories}"

# The instrumented build. SwiftPM links the executable's own main (main.swift calls
# LLVMFuzzerRunDriver); lld, because gold fails on the sanitized link.
build_flags=(-c release --scratch-path "$scratch" --product SchismFuzz
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -D -Xswiftc SCHISM_LIBFUZZER
    -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)
echo "== building the fuzzer (.build-fuzz)"
build_start=$SECONDS
mkdir -p "$scratch/logs"
if ! swift build "${build_flags[@]}" > "$scratch/logs/build.log" 2>&1; then
    grep -v -e "which are unhandled" -e "CMakeLists.txt$" "$scratch/logs/build.log" | tail -40 >&2
    echo "fuzz.sh: the fuzzer did not build" >&2
    exit 1
fi
fuzzer="$scratch/release/SchismFuzz"
echo "   built in $((SECONDS - build_start)) s"

# The seeds of a target from ../shared/histories: the files of its format.
shared_seeds() {
    [ -d "$shared" ] || return 0
    case "$1" in
        edn) find "$shared/knossos" "$shared/malformed" -type f -size -64k ;;
        porcupine-kv) find "$shared/porcupine/kv" -type f -size -64k ;;
        porcupine-log) find "$shared/porcupine/etcd" -type f -size -64k | sort | awk 'NR <= 20' ;;
        detect) find "$shared" -type f -size -16k -not -name '*.md' -not -name '*.tsv' | sort | awk 'NR <= 40' ;;
    esac 2>/dev/null || true
}

# The dictionary flag of a target (none for differential, whose input is not text).
dictionary() {
    case "$1" in
        jsonl|roundtrip|checker) echo -dict=Fuzz/dictionaries/jsonl.dict ;;
        edn|porcupine-kv) echo -dict=Fuzz/dictionaries/edn.dict ;;
        porcupine-log) echo -dict=Fuzz/dictionaries/porcupine-log.dict ;;
        detect)
            cat Fuzz/dictionaries/*.dict > "$scratch/detect.dict"
            echo "-dict=$scratch/detect.dict" ;;
        *) echo -print_final_stats=1 ;;
    esac
}

found=()
summary=()
for t in "${targets[@]}"; do
    corpus="$scratch/corpus/$t"
    artifacts="$scratch/artifacts/$t"
    log="$scratch/logs/$t.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    rm -f "$artifacts"/*
    seeds=$(mktemp -d)
    [ -d "Fuzz/corpus/$t" ] && find "Fuzz/corpus/$t" -type f -exec cp {} "$seeds/" \;
    find Fuzz/regressions -type f -name "$t-*" -exec cp {} "$seeds/" \;
    shared_seeds "$t" | while read -r f; do cp "$f" "$seeds/$(echo "$f" | tr / _)"; done
    echo "== $t: ${seconds} s"
    status=0
    # The outer timeout is a last resort: libFuzzer stops itself after max_total_time.
    # Swift's own backtracer is off: libFuzzer and AddressSanitizer report the crash.
    SCHISM_FUZZ_TARGET="$t" SWIFT_BACKTRACE=enable=no timeout --kill-after=10 $((seconds + timeout_s + 60)) "$fuzzer" \
        -max_total_time="$seconds" -max_len="$max_len" -timeout="$timeout_s" -rss_limit_mb="$rss_mb" \
        -malloc_limit_mb="$rss_mb" -detect_leaks=0 -print_final_stats=1 "$(dictionary "$t")" \
        -artifact_prefix="$artifacts/" "$corpus" "$seeds" > "$log" 2>&1 || status=$?
    rm -rf "$seeds"
    runs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | awk '{print $2}' || true)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
    count=$(find "$corpus" -type f 2>/dev/null | wc -l || true)
    crashes=$(find "$artifacts" -type f 2>/dev/null | sort || true)
    if [ "$status" -eq 0 ] && [ -z "$crashes" ]; then
        summary+=("$t: ok, ${runs:-?} runs, coverage ${cov:-?}, corpus $count files")
        continue
    fi
    summary+=("$t: FAILED (status $status), ${runs:-?} runs; log $log")
    echo "-- $t: the fuzzer stopped with status $status; the end of its log:"
    grep -v '^#' "$log" | tail -40 || true
    for c in $crashes; do
        kind=$(basename "$c" | cut -d- -f1)
        hash=$(sha1sum "$c" | cut -c1-10)
        dest="Fuzz/regressions/$t-$kind-$hash"
        cp "$c" "$dest"
        found+=("$dest")
        echo "-- saved $dest (replay: swift run SchismFuzz $dest)"
    done
    [ -n "$crashes" ] || found+=("$t (no input saved; see $log)")
done

echo "== fuzzing: ${#targets[@]} target(s), ${seconds} s each"
for line in "${summary[@]}"; do echo "   $line"; done
failed=$(printf '%s\n' "${summary[@]}" | grep -c 'FAILED' || true)
echo "fuzzing: $(( ${#summary[@]} - failed )) passed, $failed failed"
if [ "${#found[@]}" -gt 0 ]; then
    echo "fuzz.sh: ${#found[@]} failure(s); rename each reproducer to TARGET-SHORT-DESCRIPTION and add it to the" >&2
    echo "regression tests (Tests/FuzzTests): ${found[*]}" >&2
    exit 1
fi
