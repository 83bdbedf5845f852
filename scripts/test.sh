#!/usr/bin/env bash
# The test command: installs what the tests need, builds everything (the integration tests
# run the `schism` executable itself), fuzzes every fuzz target briefly, then runs every test (last,
# so that the test runner's summary closes the output).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
# A short fuzzing run (docs/fuzzing.md): every fuzz target for 6 s (SCHISM_FUZZ_SECONDS; 0 skips
# it); a crash, hang or memory blow-up fails the command and leaves its input in Fuzz/regressions.
# 6 s, not 10: with the instrumented build from scratch (about 2 minutes on two busy cores) the
# eight targets then stay near 3 minutes.
if [ "${SCHISM_FUZZ_SECONDS:-6}" != 0 ]; then
    bash scripts/fuzz.sh "${SCHISM_FUZZ_SECONDS:-6}"
fi
# One test at a time: the integration suites bring up clusters and time real faults, and on
# two cores running them side by side only makes their timing noisy.
swift test --skip-build --no-parallel
