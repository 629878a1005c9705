#!/usr/bin/env bash
# DUMP/RESTORE between simplekv and Debian's redis-server 7.0.15, both ways: starts both on free loopback ports,
# fills each with the same values in every encoding (small and big collections, integer and long strings), and
# restores each side's DUMP on the other (scripts/lib/dump_cross_check.py); then, on the memory engine, the same
# data as RDB files both ways: simplekv's SAVE checked by redis-check-rdb and loaded by a fresh redis-server,
# redis-server's SAVE loaded by a fresh simplekv, compared by DEBUG DIGEST. Exits 1 on any difference.
# Usage: scripts/dump-cross-check.sh [--storage memory|chronicle]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
storage=memory
if [[ ${1:-} == --storage ]]; then storage=$2; shift 2; fi
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
redis_port=$(free_port) skv_port=$(free_port)
work=$(mktemp -d)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" \
  --enable-debug-command yes &
redis_pid=$!
"$root/scripts/simplekv-server" --port "$skv_port" --dir "$work/skv" --storage "$storage" --enable-debug-command yes \
  >"$work/skv.log" 2>&1 &
skv_pid=$!
more_pids=""
trap 'kill "$redis_pid" "$skv_pid" $more_pids 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for p in "$redis_port" "$skv_port"; do
  for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
PYTHONPATH="$root/scripts/lib" python3 "$root/scripts/lib/dump_cross_check.py" "$redis_port" "$skv_port"
[ "$storage" = memory ] || exit 0

wait_for() { for _ in $(seq 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.1; done; }
# simplekv's RDB file into a fresh redis-server.
redis-cli -p "$skv_port" save >/dev/null
redis-check-rdb "$work/skv/dump.rdb" | grep -q 'RDB looks OK' || { echo "dump-cross-check: redis-check-rdb refused simplekv's file"; exit 1; }
p1=$(free_port) p2=$(free_port)
mkdir -p "$work/r2" "$work/s2"
redis-server --port "$p1" --bind 127.0.0.1 --save '' --appendonly no --dir "$work/skv" --enable-debug-command yes \
  --logfile "$work/r2.log" &
more_pids="$!"
# redis-server's RDB file into a fresh simplekv.
redis-cli -p "$redis_port" save >/dev/null
cp "$work/dump.rdb" "$work/s2/dump.rdb"
"$root/scripts/simplekv-server" --port "$p2" --dir "$work/s2" --enable-debug-command yes >"$work/s2.log" 2>&1 &
more_pids="$more_pids $!"
wait_for "$p1"; wait_for "$p2"
status=0
for pair in "simplekv SAVE -> redis-server:$skv_port:$p1" "redis-server SAVE -> simplekv:$redis_port:$p2"; do
  IFS=: read -r what from to <<<"$pair"
  a=$(redis-cli -p "$from" debug digest) b=$(redis-cli -p "$to" debug digest)
  [ "$a" = "$b" ] && echo "dump-cross-check: RDB $what: same DEBUG DIGEST ($a)" \
    || { echo "dump-cross-check: RDB $what: digest $a became $b"; status=1; }
done
exit $status
