#!/usr/bin/env bash
# Side-by-side throughput: simplekv vs Debian's redis-server, same redis-benchmark run against each, on loopback.
# Usage: scripts/bench.sh [requests] [clients] [keyspace]   (defaults 200000 50 0). Prints a markdown table.
# keyspace > 0 passes -r keyspace to redis-benchmark (random keys; the default hits one key per test).
# Not part of the test suite: numbers depend on the machine, so they belong in docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-200000}"
clients="${2:-50}"
keyspace="${3:-0}"
random=(); [ "$keyspace" -gt 0 ] && random=(-r "$keyspace")
tests="ping,set,get,incr,mset"

if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  echo "Installing Debian's redis-server and redis-tools..." >&2
  apt-get update -qq >&2 && apt-get install -y -qq redis-server redis-tools >&2
fi
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
work="$(mktemp -d)"
sk_port="$(free_port)"; redis_port="$(free_port)"
cleanup() {
  redis-cli -p "$sk_port" shutdown >/dev/null 2>&1 || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g}" "$root/scripts/simplekv-server" --port "$sk_port" --dir "$work/sk" >"$work/sk.log" 2>&1 &
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --daemonize yes >/dev/null
for p in "$sk_port" "$redis_port"; do
  for _ in $(seq 1 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
done

run() { # port pipeline -> "TEST ops" lines
  redis-benchmark -p "$1" -t "$tests" -n "$requests" -c "$clients" -P "$2" "${random[@]}" -q 2>/dev/null \
    | tr '\r' '\n' | grep "requests per second" | sed -E 's/^([A-Z_]+)[^:]*: ([0-9.]+) requests per second.*/\1 \2/'
}
# Warm both up the same way (the JVM compiles hot paths during its first seconds).
run "$sk_port" 16 >/dev/null; run "$redis_port" 16 >/dev/null

echo "| test | pipeline | simplekv ops/s | redis ops/s | ratio |"
echo "|---|---|---|---|---|"
for pipeline in 1 16; do
  paste -d' ' <(run "$sk_port" "$pipeline") <(run "$redis_port" "$pipeline") | while read -r name sk _ rd; do
    ratio=$(awk -v a="$sk" -v b="$rd" 'BEGIN { printf "%.2f", a / b }')
    printf '| %s | %s | %.0f | %.0f | %s |\n' "$name" "$pipeline" "$sk" "$rd" "$ratio"
  done
done
echo
echo "redis-benchmark -n $requests -c $clients${random[*]:+ ${random[*]}}; $(nproc) cores; $(redis-server --version | cut -d' ' -f1-3); $(java -version 2>&1 | head -1)"
