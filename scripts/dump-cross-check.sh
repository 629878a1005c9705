#!/usr/bin/env bash
# DUMP/RESTORE between simplekv and Debian's redis-server 7.0.15, both ways: starts both on free loopback ports,
# fills each with the same values in every encoding (small and big collections, integer and long strings), and
# restores each side's DUMP on the other (scripts/lib/dump_cross_check.py). Exits 1 on any difference.
# Usage: scripts/dump-cross-check.sh [--storage memory|chronicle]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
storage=memory
if [[ ${1:-} == --storage ]]; then storage=$2; shift 2; fi
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
redis_port=$(free_port) skv_port=$(free_port)
work=$(mktemp -d)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" &
redis_pid=$!
"$root/scripts/simplekv-server" --port "$skv_port" --dir "$work/skv" --storage "$storage" >"$work/skv.log" 2>&1 &
skv_pid=$!
trap 'kill "$redis_pid" "$skv_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for p in "$redis_port" "$skv_port"; do
  for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
PYTHONPATH="$root/scripts/lib" python3 "$root/scripts/lib/dump_cross_check.py" "$redis_port" "$skv_port"
