#!/usr/bin/env bash
# Profiles simplekv under redis-benchmark with async-profiler (tools.profiler:async-profiler from Maven Central),
# attached after a warm-up so start-up and the JIT's first compiles stay out of the picture.
# Usage: scripts/profile.sh [--storage memory|chronicle] [--event cpu|alloc|wall|lock] [--pipeline N]
#                           [--requests N] [--setup 'redis-cli args'] [--out FILE.html|FILE.collapsed]
#                           -- redis-benchmark arguments...
#   e.g. scripts/profile.sh --event cpu --out /tmp/set.html -- -t set
#        scripts/profile.sh --storage chronicle --event alloc --out /tmp/xadd.html -- XADD s '*' f v
#        scripts/profile.sh --setup "SCRIPT LOAD 'return 1'" -- -r 100000 EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0
# Prints redis-benchmark's line and, besides the profile, the server's CPU time per request (user + system, all of
# its threads), which varies less between runs than requests per second does on a shared 2-core machine.
# An .html output is an interactive flame graph (with FILE.collapsed beside it); .collapsed alone is one line per
# stack, for scripts/lib/profile_top.py.
# Not part of the test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
storage=memory event=cpu pipeline=16 requests=2000000 out="" setup=""
while [ $# -gt 0 ]; do
  case "$1" in
    --storage) storage="$2"; shift 2 ;;
    --event) event="$2"; shift 2 ;;
    --pipeline) pipeline="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --setup) setup="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || set -- -t set
out="${out:-$PWD/profile-$storage-$event.html}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

version=4.2
jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
[ -f "$jar" ] || mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$version" >&2
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
(cd "$work" && unzip -q "$jar" linux-x64/libasyncProfiler.so)
lib="$work/linux-x64/libasyncProfiler.so"
# Sampling interval: 1 ms of CPU for cpu/wall, 512 KB allocated for alloc.
interval=1ms; [ "$event" = alloc ] && interval=512k; [ "$event" = lock ] && interval=10us

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g}" "$root/scripts/simplekv-server" --port "$port" --dir "$work/data" \
  --storage "$storage" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
bench() { redis-benchmark -p "$port" -c 50 -P "$pipeline" -q "$@" 2>/dev/null | tr '\r' '\n' | grep "per second" || true; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
[ -z "$setup" ] || eval "redis-cli -p $port $setup" >/dev/null
bench -n 1000000 "$@" >/dev/null
bench -n 1000000 "$@" >/dev/null
# jcmd's option parser splits on '=', so the agent's option string is passed quoted.
jcmd "$pid" JVMTI.agent_load "$lib" "\"start,event=$event,interval=$interval\"" >/dev/null
before="$(cpu_ticks)"
bench -n "$requests" "$@"
after="$(cpu_ticks)"
# A flame graph also gets its stacks as text beside it (FILE.collapsed), for scripts/lib/profile_top.py.
case "$out" in *.html) jcmd "$pid" JVMTI.agent_load "$lib" "\"dump,file=${out%.html}.collapsed\"" >/dev/null ;; esac
jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,file=$out\"" >/dev/null
awk -v t="$((after - before))" -v n="$requests" -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "server CPU: %.2f us per request (profiler included)\n", t / hz * 1e6 / n }'
redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
wait "$pid" 2>/dev/null || true
pid=""
echo "profile: $out"
