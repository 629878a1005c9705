#!/usr/bin/env bash
# Pub/sub fan-out, simplekv vs Debian's redis-server side by side: 1 publisher, 100 and 1,000 subscribers on one
# channel, 64-byte messages; delivered messages/s and p50/p99 delivery latency (µs), and the ratio simplekv÷Redis.
# Usage: scripts/bench-pubsub.sh [messages]   (default 20000). A script, not a test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
messages="${1:-20000}"
if ! command -v redis-server >/dev/null; then
  apt-get update -qq && apt-get install -y -qq redis-server redis-tools >/dev/null
fi
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)
source "$root/scripts/lib/servers.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ulimit -n 65536 2>/dev/null || true
load() { java "$root/scripts/tools/PubSubLoad.java" "$@"; }

# One server at a time, so neither competes with the other for the 2 cores; writes $work/<name>.<subscribers>.
measure() { # name start-command...
  local name="$1"; shift
  local port; port="$(free_port)"
  mkdir -p "$work/$name"
  "$@" "$port" "$work/$name" >"$work/$name.log" 2>&1
  wait_up "$port"
  # Warm-up (both servers alike): two million deliveries, so the JIT has compiled the delivery path before the
  # measured runs (a shorter one left C2 compiling through the first of them).
  load "$port" 100 20000 64 >/dev/null
  for n in 100 1000; do load "$port" "$n" $((messages * 100 / n)) 64 >"$work/$name.$n"; done
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  sleep 1
}
measure simplekv simplekv
measure redis redis

echo "| subscribers | simplekv msgs/s | redis msgs/s | ratio | simplekv p50/p99 µs | redis p50/p99 µs |"
echo "|---|---|---|---|---|---|"
for n in 100 1000; do
  read -r s_rate s_p50 s_p99 < "$work/simplekv.$n"
  read -r r_rate r_p50 r_p99 < "$work/redis.$n"
  printf '| %d | %d | %d | %s | %d / %d | %d / %d |\n' "$n" "$s_rate" "$r_rate" \
    "$(awk -v a="$s_rate" -v b="$r_rate" 'BEGIN { printf "%.2f", a / b }')" "$s_p50" "$s_p99" "$r_p50" "$r_p99"
done
echo
echo "1 publisher (64 messages in flight), $messages messages × 100 subscribers' worth per row, 64-byte payloads; one server at a time; $(nproc) cores"
