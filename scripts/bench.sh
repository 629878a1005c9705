#!/usr/bin/env bash
# Side-by-side throughput on loopback: simplekv (memory engine, and Chronicle engine) against Debian's redis-server
# (no persistence, and AOF with appendfsync everysec), the same redis-benchmark run against each.
# Usage: scripts/bench.sh [requests] [clients] [keyspace]   (defaults 200000 50 0). Prints a markdown table.
# keyspace > 0 passes -r keyspace to redis-benchmark (random keys; the default hits one key per test).
# BENCH_TESTS picks redis-benchmark's tests, e.g. the collection ones:
#   BENCH_TESTS=hset,lpush,rpush,lpop,rpop,sadd,spop,zadd,zpopmin,lrange_100 scripts/bench.sh
# BENCH_RESP=3 runs every connection in RESP3 (redis-benchmark -3).
# BENCH_COMMAND runs one command instead of the tests, e.g. BENCH_COMMAND='XADD s * f v' scripts/bench.sh
# Not part of the test suite: numbers depend on the machine, so they belong in docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-200000}"
clients="${2:-50}"
keyspace="${3:-0}"
random=(); [ "$keyspace" -gt 0 ] && random=(-r "$keyspace")
tests="${BENCH_TESTS:-ping,set,get,incr,mset}"
protocol=(); [ "${BENCH_RESP:-2}" = 3 ] && protocol=(-3)

if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  echo "Installing Debian's redis-server and redis-tools..." >&2
  apt-get update -qq >&2 && apt-get install -y -qq redis-server redis-tools >&2
fi
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

run() { # port pipeline -> "TEST ops" lines
  local what=(-t "$tests")
  [ -n "${BENCH_COMMAND:-}" ] && read -r -a what <<<"$BENCH_COMMAND"
  redis-benchmark -p "$1" -n "$requests" -c "$clients" -P "$2" "${random[@]}" "${protocol[@]}" -q "${what[@]}" 2>/dev/null \
    | tr '\r' '\n' | grep "requests per second" \
    | sed -E 's/^([A-Za-z0-9_]+)[^:]*: ([0-9.]+) requests per second.*/\1 \2/' | tr a-z A-Z
}

# One server at a time, so none competes with another for the 2 cores: start, warm up the same way (the JVM
# compiles hot paths in its first seconds), measure at -P 1 and -P 16, stop.
measure() { # name start-command... ; writes $work/<name>.P1 and .P16
  local name="$1"; shift
  local port; port="$(free_port)"
  mkdir -p "$work/$name"
  "$@" "$port" "$work/$name" >"$work/$name.log" 2>&1
  for _ in $(seq 1 150); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  run "$port" 16 >/dev/null
  run "$port" 1 >"$work/$name.P1"
  run "$port" 16 >"$work/$name.P16"
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  sleep 1
}
simplekv() { # engine port dir
  JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g}" "$root/scripts/simplekv-server" --port "$2" --dir "$3" --storage "$1" &
}
redis() { # appendonly port dir
  redis-server --port "$2" --bind 127.0.0.1 --save '' --appendonly "$1" --appendfsync everysec --dir "$3" --daemonize yes
}
measure memory simplekv memory
measure chronicle simplekv chronicle
measure redis redis no
measure aof redis yes

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "| test | pipeline | simplekv memory | simplekv chronicle | redis | redis AOF everysec | memory ÷ redis | chronicle ÷ redis | chronicle ÷ redis AOF |"
echo "|---|---|---|---|---|---|---|---|---|"
for pipeline in P1 P16; do
  paste -d' ' "$work/memory.$pipeline" "$work/chronicle.$pipeline" "$work/redis.$pipeline" "$work/aof.$pipeline" \
    | while read -r name m _ c _ r _ a; do
      printf '| %s | %s | %.0f | %.0f | %.0f | %.0f | %s | %s | %s |\n' "$name" "${pipeline#P}" "$m" "$c" "$r" "$a" \
        "$(ratio "$m" "$r")" "$(ratio "$c" "$r")" "$(ratio "$c" "$a")"
    done
done
echo
echo "redis-benchmark -n $requests -c $clients${random[*]:+ ${random[*]}}; $(nproc) cores; $(redis-server --version | cut -d' ' -f1-3); $(java -version 2>&1 | head -1)"
