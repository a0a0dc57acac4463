#!/usr/bin/env bash
# Installs Debian's redis-server and redis-tools when they are missing: the @starshard/redis tests
# start their own servers (a single node and a three-node cluster) on free loopback ports.
# Idempotent and quick when both are already installed. Runs as root or through sudo.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "ensure-redis: installing redis-server and redis-tools from Debian's packages" >&2
if ! $SUDO apt-get install -y -q --no-install-recommends redis-server redis-tools >/dev/null; then
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends redis-server redis-tools >/dev/null
fi
command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1
