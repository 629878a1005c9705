#!/usr/bin/env bash
# Lua scripting on loopback: simplekv (memory engine, and Chronicle engine) against Debian's redis-server (no
# persistence), one server at a time. Measures, for each:
#  - redis-benchmark of EVALSHA <sha> 1 key:__rand_int__ v, a script doing one GET and one SET, at -P 1 and -P 16
#    (SET key:__rand_int__ v beside it, the same write without a script);
#  - the first EVAL of a new script: 1000 EVALs of bodies never seen before against 1000 of one cached body, one at
#    a time (scripts/lib/script_costs.py), in microseconds per call; the difference is compiling and caching one;
#  - memory after SCRIPT LOAD of 10,000 distinct bodies: the JVM heap in use after a full GC (jcmd GC.run, then
#    GC.heap_info) for simplekv, the process RSS, and INFO memory's used_memory_lua and used_memory_scripts_eval
#    for both (simplekv's Lua heap is native memory, outside the JVM heap, so it shows in RSS and used_memory_lua).
# Usage: scripts/bench-scripts.sh [requests] [clients] [keyspace]   (defaults 200000 50 100000). Prints markdown.
# BENCH_COMPILES and BENCH_LOADS change the 1000 and 10,000 (small ones make a quick check of the script itself).
# Not part of the test suite: numbers depend on the machine, so they belong in docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-200000}"
clients="${2:-50}"
keyspace="${3:-100000}"
compiles="${BENCH_COMPILES:-1000}"
loads="${BENCH_LOADS:-10000}"
script="local v = redis.call('GET', KEYS[1]) return redis.call('SET', KEYS[1], ARGV[1])"

if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  echo "Installing Debian's redis-server and redis-tools..." >&2
  apt-get update -qq >&2 && apt-get install -y -qq redis-server redis-tools >&2
fi
command -v jcmd >/dev/null || { echo "jcmd (the JDK's) is needed for the heap figures" >&2; exit 1; }
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

rps() { # port pipeline command... -> requests per second
  local port="$1" pipeline="$2"; shift 2
  redis-benchmark -p "$port" -n "$requests" -c "$clients" -P "$pipeline" -r "$keyspace" -q "$@" 2>/dev/null \
    | tr '\r' '\n' | grep "requests per second" | tail -1 | sed -E 's/.*: ([0-9.]+) requests per second.*/\1/'
}
info() { # port field -> its value in INFO memory, or n/a where the server does not report it
  redis-cli -p "$1" info memory | tr -d '\r' | awk -F: -v f="$2" '$1 == f { v = $2 } END { print (v == "" ? "n/a" : v) }'
}
rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
heap_kb() { # java pid -> KB of heap in use after a full collection
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | grep -oE 'heap +total [0-9]+K, used [0-9]+K' | grep -oE 'used [0-9]+' | grep -oE '[0-9]+'
}

# One server at a time, so none competes with another for the cores: start, warm up (the JVM compiles hot paths in
# its first seconds), measure, stop. Writes $work/<name>.* files.
measure() { # name kind(java|redis) start-command...
  local name="$1" kind="$2"; shift 2
  local port; port="$(free_port)"
  mkdir -p "$work/$name"
  "$@" "$port" "$work/$name" >"$work/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  local sha; sha="$(redis-cli -p "$port" script load "$script")"
  rps "$port" 16 EVALSHA "$sha" 1 key:__rand_int__ v >/dev/null
  rps "$port" 16 SET key:__rand_int__ v >/dev/null
  rps "$port" 1 EVALSHA "$sha" 1 key:__rand_int__ v >"$work/$name.evalsha.P1"
  rps "$port" 16 EVALSHA "$sha" 1 key:__rand_int__ v >"$work/$name.evalsha.P16"
  rps "$port" 1 SET key:__rand_int__ v >"$work/$name.set.P1"
  rps "$port" 16 SET key:__rand_int__ v >"$work/$name.set.P16"
  (cd "$root/scripts/lib" && python3 script_costs.py compile "$port" "$compiles") >"$work/$name.compile"
  local heap_before="n/a" heap_after="n/a"
  [ "$kind" = java ] && heap_before="$(heap_kb "$pid")"
  local rss_before lua_before
  rss_before="$(rss_kb "$pid")"; lua_before="$(info "$port" used_memory_lua)"
  (cd "$root/scripts/lib" && python3 script_costs.py load "$port" "$loads") >"$work/$name.load"
  [ "$kind" = java ] && heap_after="$(heap_kb "$pid")"
  echo "$heap_before $heap_after $rss_before $(rss_kb "$pid") $lua_before $(info "$port" used_memory_lua)" \
    "$(info "$port" used_memory_scripts_eval) $(info "$port" number_of_cached_scripts)" >"$work/$name.memory"
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
simplekv() { # engine port dir
  JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g}" exec "$root/scripts/simplekv-server" --port "$2" --dir "$3" --storage "$1"
}
redis() { # port dir
  exec redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$2" --daemonize no
}
measure memory java simplekv memory
measure chronicle java simplekv chronicle
measure redis redis redis

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mb() { [ "$1" = n/a ] && echo n/a || awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
mbytes() { [ "$1" = n/a ] && echo n/a || awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
echo "| command | pipeline | simplekv memory | simplekv chronicle | redis | memory ÷ redis | chronicle ÷ redis |"
echo "|---|---|---|---|---|---|---|"
for cmd in evalsha set; do
  for pipeline in P1 P16; do
    m="$(cat "$work/memory.$cmd.$pipeline")"; c="$(cat "$work/chronicle.$cmd.$pipeline")"; r="$(cat "$work/redis.$cmd.$pipeline")"
    label="EVALSHA (GET + SET)"; [ "$cmd" = set ] && label="SET (no script)"
    printf '| %s | %s | %.0f | %.0f | %.0f | %s | %s |\n' "$label" "${pipeline#P}" "$m" "$c" "$r" \
      "$(ratio "$m" "$r")" "$(ratio "$c" "$r")"
  done
done
echo
echo "| server | EVAL of a new body, µs/call | EVAL of a cached body, µs/call | difference (compile + cache), µs |"
echo "|---|---|---|---|"
for name in memory chronicle redis; do
  read -r _ fresh cached diff <"$work/$name.compile"
  echo "| $name | $fresh | $cached | $diff |"
done
echo
echo "| server | SCRIPT LOAD ×$loads, s | JVM heap after GC, MB before → after | RSS, MB before → after | used_memory_lua, MB before → after | used_memory_scripts_eval, MB | number_of_cached_scripts |"
echo "|---|---|---|---|---|---|---|"
for name in memory chronicle redis; do
  read -r hb ha rb ra lb la se n <"$work/$name.memory"
  read -r _ secs <"$work/$name.load"
  echo "| $name | $secs | $(mb "$hb") → $(mb "$ha") | $(mb "$rb") → $(mb "$ra") | $(mbytes "$lb") → $(mbytes "$la") | $(mbytes "$se") | $n |"
done
echo
echo "redis-benchmark -n $requests -c $clients -r $keyspace; script: $script"
echo "$(nproc) cores; $(redis-server --version | cut -d' ' -f1-3); $(java -version 2>&1 | head -1); simplekv JAVA_OPTS ${JAVA_OPTS:--Xms1g -Xmx1g}"
