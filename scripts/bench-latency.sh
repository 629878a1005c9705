#!/usr/bin/env bash
# Unpipelined latency side by side: redis-benchmark's p50 and p99 at -P 1 for simplekv (memory and chronicle) and
# Debian's redis-server (no persistence, and AOF with appendfsync everysec), one server at a time, the same run
# against each. Issue 20's target: p99 at -P 1 not above Redis's. Chronicle runs twice, with appendfsync everysec
# (its default) and no, and every server's minor page faults per 1,000 measured requests are printed: the once-a-
# second force of chronicle's mapped files write-protects the pages it cleans, and each refault lands on the event
# loop (docs/performance.md, section 11).
# Usage: scripts/bench-latency.sh [requests] [clients]   (defaults 200000 50). BENCH_TESTS as in bench.sh
# (default: set,get,incr,lpush,rpop,sadd,hset,zadd,mset). Prints a markdown table. A script, not a test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-200000}"
clients="${2:-50}"
tests="${BENCH_TESTS:-set,get,incr,lpush,rpop,sadd,hset,zadd,mset}"
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  apt-get update -qq >&2 && apt-get install -y -qq redis-server redis-tools >&2
fi
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)
source "$root/scripts/lib/servers.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# redis-benchmark --csv: "test","rps","avg","min","p50","p95","p99","max" (ms) -> "TEST p50 p99" lines
run() { # port
  redis-benchmark -p "$1" -n "$requests" -c "$clients" -P 1 -t "$tests" --csv 2>/dev/null | tail -n +2 | tr -d '"' \
    | awk -F, '{ split($1, name, " "); print toupper(name[1]), $5, $7 }'
}

measure() { # name start-command... (the command gets port and directory)
  local name="$1"; shift
  local port; port="$(free_port)"
  mkdir -p "$work/$name"
  "$@" "$port" "$work/$name" >"$work/$name.log" 2>&1
  wait_up "$port"
  # Warm-up, both servers alike: the JVM compiles the hot paths in its first seconds.
  redis-benchmark -p "$port" -n "$requests" -c "$clients" -P 16 -q -t "$tests" >/dev/null 2>&1
  run "$port" >/dev/null
  local pid faults
  pid="$(redis-cli -p "$port" info server | tr -d '\r' | sed -n 's/^process_id://p')"
  faults="$(awk '{ print $10 }' "/proc/$pid/stat")"
  run "$port" >"$work/$name.txt"
  faults=$(( $(awk '{ print $10 }' "/proc/$pid/stat") - faults ))
  echo "$name $faults" >>"$work/faults.txt"
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  sleep 1
}
memory() { simplekv "$1" "$2" memory; }
chronicle() { simplekv "$1" "$2" chronicle; }
chronicle_no() { SIMPLEKV_ARGS="--appendfsync no" simplekv "$1" "$2" chronicle; }
redis_aof() { redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync everysec --dir "$2" --daemonize yes; }
measure memory memory
measure chronicle chronicle
measure chronicle_no chronicle_no
measure redis redis
measure aof redis_aof

echo "| test | simplekv memory p50 / p99 ms | simplekv chronicle p50 / p99 | chronicle, appendfsync no | redis p50 / p99 | redis AOF p50 / p99 | memory p99 ÷ redis | chronicle p99 ÷ redis AOF |"
echo "|---|---|---|---|---|---|---|---|"
paste -d' ' "$work/memory.txt" "$work/chronicle.txt" "$work/chronicle_no.txt" "$work/redis.txt" "$work/aof.txt" \
  | while read -r name m50 m99 _ c50 c99 _ n50 n99 _ r50 r99 _ a50 a99; do
    printf '| %s | %s / %s | %s / %s | %s / %s | %s / %s | %s / %s | %s | %s |\n' "$name" "$m50" "$m99" "$c50" "$c99" \
      "$n50" "$n99" "$r50" "$r99" "$a50" "$a99" \
      "$(awk -v a="$m99" -v b="$r99" 'BEGIN { printf "%.2f", a / b }')" \
      "$(awk -v a="$c99" -v b="$a99" 'BEGIN { printf "%.2f", a / b }')"
  done
echo
tests_run=$(wc -l <"$work/memory.txt")
echo "Minor page faults per 1,000 measured requests: $(awk -v n="$((requests * tests_run))" \
  '{ printf "%s%s %.1f", sep, $1, $2 * 1000 / n; sep = ", " }' "$work/faults.txt")"
echo
echo "redis-benchmark -n $requests -c $clients -P 1 (second of two runs after a -P 16 warm-up); $(nproc) cores; $(redis-server --version | cut -d' ' -f1-3)"
