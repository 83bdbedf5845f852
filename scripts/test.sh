#!/usr/bin/env bash
# The test command: installs what the tests need, builds everything (the integration tests
# run the `schism` executable itself), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
# One test at a time: the integration suites bring up clusters and time real faults, and on
# two cores running them side by side only makes their timing noisy.
swift test --skip-build --no-parallel
