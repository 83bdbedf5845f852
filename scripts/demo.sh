#!/usr/bin/env bash
# The main job on this machine, as root on Debian: install what is needed, bring up a local
# cluster of 3 namespace hosts, run etcd-register under faults for about a minute, and print the
# verdict and the report's path. Leaves the cluster up (`schism cluster down` removes it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product schism
schism=.build/release/schism
[ -x "$schism" ] || { echo "demo: the build failed" >&2; exit 70; }
"$schism" cluster up --nodes 3
status=0
"$schism" test Workloads/etcd-register.yml --time-limit "${SCHISM_DEMO_SECONDS:-60}" || status=$?
echo "demo: schism test exited with status $status (0 valid, 1 invalid, 2 unknown; see docs/cli.md)"
exit "$status"
