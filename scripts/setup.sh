#!/usr/bin/env bash
# Installs the Debian packages Schism needs to build and to run its tests.
# Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail
packages=(
  pkg-config libssh-dev        # the SSH control layer
  openssh-server openssh-client iptables iproute2 util-linux procps  # the local cluster
  faketime libfaketime         # clock faults on the local cluster
  etcd-server etcd-client      # the default system under test
  redis-server redis-sentinel redis-tools  # Redis with replication and Sentinel
  postgresql                   # the postgres system (its server runs as the postgres user)
  chromium                     # browser tests of the HTML report and of schism serve
  python3                      # the bring-your-own example server and client (Workloads/examples)
  unzip                        # the test that unpacks schism serve's zip of a run
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts sshd/etcd services on install where an init system runs; Schism
# starts its own per-node daemons and needs none of the system ones.
echo "setup: done"
