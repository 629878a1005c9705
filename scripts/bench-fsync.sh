#!/usr/bin/env bash
# What each appendfsync policy costs: redis-benchmark SET (one request at a time, and pipelined -P 16) against
# simplekv's chronicle engine with appendfsync no / everysec / always, and against redis-server with AOF
# appendfsync everysec / always, one server at a time. Prints requests per second.
# Usage: scripts/bench-fsync.sh [requests, default 200000] [clients, default 50] [keyspace, default 100000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-200000}"; clients="${2:-50}"; keys="${3:-100000}"
work="$(mktemp -d /tmp/skv-bench-fsync.XXXXXX)"
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
rps() { redis-benchmark -p "$port" -t set -n "$n" -c "$clients" -r "$keys" -d 20 -P "$1" -q | tr '\r' '\n' | grep -o '[0-9.]* requests per second' | tail -1 | cut -d' ' -f1 || echo failed; }
run() { # name, command...
  local name="$1"; shift
  rm -rf "$work/data"; mkdir -p "$work/data"
  "$@" >"$work/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$port" ping >/dev/null 2>&1 || { echo "$name did not start:"; tail -5 "$work/$name.log"; return; }
  rps 1 >/dev/null # warm-up (JIT, map files)
  local p1 p16 fs
  p1=$(rps 1); p16=$(rps 16)
  fs=$(redis-cli -p "$port" info persistence | tr -d '\r' | grep -E '^storage_(fsyncs|max_fsync_usec):' | tr '\n' ' ' || true)
  printf "| %-28s | %10s | %10s | %s\n" "$name" "$p1" "$p16" "$fs"
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait $pid 2>/dev/null || true
  pid=""
}
echo "SET, $n requests, $clients clients, $keys random keys, 20-byte values (requests/s)"
printf "| %-28s | %10s | %10s |\n" "server" "-P 1" "-P 16"
only="${ONLY:-}" # e.g. ONLY=redis runs just the rows whose name contains it
for p in no everysec always; do
  [[ "simplekv chronicle $p" == *"$only"* ]] || continue
  run "simplekv chronicle $p" "$root/scripts/simplekv-server" --port "$port" --dir "$work/data" --storage chronicle --appendfsync "$p"
done
for p in everysec always; do
  [[ "redis AOF $p" == *"$only"* ]] || continue
  run "redis AOF $p" redis-server --port "$port" --dir "$work/data" --save "" --appendonly yes --appendfsync "$p"
done
