#!/usr/bin/env bash
# kill -9 the chronicle server under six writing clients, restart it, and check every acknowledged write
# (SET, INCR, RPUSH, HSET pipelined by half the clients; ZADD, XADD, XREADGROUP, XACK; some values large enough to be chunked, lists and hashes large enough to be paged).
# Each run's data stays, so every restart re-checks all earlier runs too. Prints lost=N per run; exit 1 if any.
# Usage: scripts/crash-test.sh [runs, default 20]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
PYTHONPATH="$root/scripts/lib" exec python3 "$root/scripts/lib/crash_test.py" "${1:-20}"
