#!/usr/bin/env bash
# The test command: installs what the tests need, builds everything (the integration tests
# run the `schism` executable itself), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
