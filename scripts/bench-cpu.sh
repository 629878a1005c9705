#!/usr/bin/env bash
# Server CPU time per request, simplekv (memory and Chronicle engines) against Debian's redis-server (no
# persistence), one server at a time, under the same redis-benchmark run. On a 2-core machine redis-benchmark takes
# one core, so requests per second swing with whatever else runs there (and with Redis, the client is often the
# bottleneck: its server idles a third of the time); the server's own user + system CPU per request, read from
# /proc/<pid>/stat around each run, is the steadier measure of what a request costs the server.
# Usage: scripts/bench-cpu.sh [requests] [pipeline]   (defaults 2000000 16). Prints a markdown table.
# BENCH_TESTS picks redis-benchmark's tests (default set,get,incr,mset); BENCH_COMMAND runs one command instead,
# e.g. BENCH_COMMAND='XADD s * f v' scripts/bench-cpu.sh; with BENCH_SCRIPT, that script is loaded first and {sha}
# in BENCH_COMMAND stands for its SHA1, e.g. BENCH_SCRIPT="return redis.call('GET', KEYS[1])"
# BENCH_COMMAND='EVALSHA {sha} 1 k'. SIMPLEKV_LAUNCHER runs another build
# (e.g. a worktree's scripts/simplekv-server) in place of this one. Not part of the test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-2000000}"
pipeline="${2:-16}"
tests="${BENCH_TESTS:-set,get,incr,mset}"

if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  echo "Installing Debian's redis-server and redis-tools..." >&2
  apt-get update -qq >&2 && apt-get install -y -qq redis-server redis-tools >&2
fi
source "$root/scripts/lib/servers.sh"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

measure() { # name start-command... ; writes "TEST rps us_per_request" lines to $work/<name>
  local name="$1"; shift
  local port; port="$(free_port)"
  mkdir -p "$work/$name.dir"
  "$@" "$port" "$work/$name.dir" >"$work/$name.log" 2>&1
  wait_up "$port"
  pid="$(redis-cli -p "$port" info server | tr -d '\r' | sed -n 's/^process_id://p')"
  # Warm-up: the JVM compiles the hot paths in its first seconds.
  local what=(-t "$tests")
  [ -n "${BENCH_COMMAND:-}" ] && read -r -a what <<<"$BENCH_COMMAND"
  if [ -n "${BENCH_SCRIPT:-}" ]; then
    local sha; sha="$(redis-cli -p "$port" script load "$BENCH_SCRIPT")"
    what=("${what[@]//\{sha\}/$sha}")
  fi
  for _ in 1 2 3; do redis-benchmark -p "$port" -n 1000000 -c 50 -P "$pipeline" -q "${what[@]}" >/dev/null 2>&1; done
  : >"$work/$name"
  if [ -n "${BENCH_COMMAND:-}" ]; then
    cpu_per_request "$pid" "$requests" -p "$port" -n "$requests" -c 50 -P "$pipeline" -q "${what[@]}" >>"$work/$name"
  else
    for t in ${tests//,/ }; do
      cpu_per_request "$pid" "$requests" -p "$port" -n "$requests" -c 50 -P "$pipeline" -q -t "$t" >>"$work/$name"
    done
  fi
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  pid=""
}
memory() { simplekv "$1" "$2" memory; }
chronicle() { simplekv "$1" "$2" chronicle; }
measure memory memory
measure chronicle chronicle
measure redis redis

echo "| test | simplekv memory: req/s, µs CPU/req | chronicle: req/s, µs CPU/req | redis: req/s, µs CPU/req | memory ÷ redis CPU/req | chronicle ÷ redis CPU/req |"
echo "|---|---|---|---|---|---|"
paste -d' ' "$work/memory" "$work/chronicle" "$work/redis" | while read -r name m mc _ c cc _ r rc; do
  awk -v n="$name" -v m="$m" -v mc="$mc" -v c="$c" -v cc="$cc" -v r="$r" -v rc="$rc" 'BEGIN {
    printf "| %s | %.0f, %.2f | %.0f, %.2f | %.0f, %.2f | %.2f | %.2f |\n", n, m, mc, c, cc, r, rc, mc / rc, cc / rc }'
done
echo
echo "redis-benchmark -n $requests -c 50 -P $pipeline; $(nproc) cores; $(redis-server --version | cut -d' ' -f1-3); $(java -version 2>&1 | head -1)"
