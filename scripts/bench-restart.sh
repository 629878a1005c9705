#!/usr/bin/env bash
# Restart times after a clean SHUTDOWN and after kill -9, side by side: simplekv (chronicle engine, sized for the
# count) vs Debian's redis-server with RDB (SHUTDOWN SAVE) and with AOF everysec. Each store gets key:N -> 20-byte
# value plus N/100 hashes of 10 fields, loaded with redis-cli --pipe; the time is from process start to the first
# GET that returns the value. Also prints RSS, Redis's used_memory and on-disk size.
# Usage: scripts/bench-restart.sh [count ...]   (default: 1000000 10000000; BENCH_DIR sets the work dir)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
command -v redis-server >/dev/null || { echo "needs redis-server (apt-get install redis-server)" >&2; exit 1; }
PYTHONPATH="$root/scripts/lib" exec python3 "$root/scripts/lib/bench_restart.py" "$@"
