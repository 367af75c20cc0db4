#!/usr/bin/env bash
# Installs the Debian peers that the interop, browser and database tests run against: Python
# Tornado (and Python's websockets client), curl, python3-h2 (hostile HTTP/2 frames),
# nghttp2-client (h2load, for bench/http2), headless Chromium, PostgreSQL (started for the
# tests by scripts/test-postgres.sh), redis-server (the @tornado/pubsub tests start their own
# on a free port), and ss (iproute2, to read a listen backlog). Needs root and apt-get; without
# them the tests that need a peer report as skipped.
set -euo pipefail
PEERS=(curl python3-tornado python3-websockets python3-h2 nghttp2-client chromium postgresql redis-server iproute2)
missing=()
for peer in "${PEERS[@]}"; do
  dpkg -s "$peer" >/dev/null 2>&1 || missing+=("$peer")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "peers present: ${PEERS[*]}"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "cannot install peers (${missing[*]}): not root or no apt-get; their tests will be skipped" >&2
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
