#!/usr/bin/env bash
# Memory per key: N small keys (16-byte key, 20-byte value, as issue 20 asks) loaded with redis-cli --pipe into
# simplekv (memory engine) and Debian's redis-server, one at a time. For each: the growth of the process's RSS from
# empty to loaded, per key, and the data's own size: Redis's used_memory growth, and for simplekv the JVM heap in
# use after a full collection (jcmd GC.run, then GC.heap_info) growth. simplekv runs without -XX:+AlwaysPreTouch
# (as the launcher now does; with it RSS would be the committed heap, not what the data uses) and with -Xmx4g;
# BENCH_JAVA_OPTS adds JVM options (e.g. -XX:MaxHeapFreeRatio=20, to see what the heap's slack costs).
# Usage: scripts/bench-memory.sh [keys]   (default 1000000). Prints a markdown table. Not part of the test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
keys="${1:-1000000}"
command -v jcmd >/dev/null || { echo "jcmd (the JDK's) is needed for the heap figures" >&2; exit 1; }
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)
source "$root/scripts/lib/servers.sh"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# key:000000000001 is 16 bytes, the value 20.
python3 - "$keys" >"$work/load.resp" <<'EOF'
import sys
n = int(sys.argv[1])
out = sys.stdout.buffer
for i in range(n):
    k = b"key:%012d" % i
    v = b"v" * 20
    out.write(b"*3\r\n$3\r\nSET\r\n$16\r\n" + k + b"\r\n$20\r\n" + v + b"\r\n")
EOF

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
heap_used_kb() { # after a full collection
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | sed -n 's/.*garbage-first heap.*used \([0-9]*\)K.*/\1/p' | head -1
}
used_memory() { redis-cli -p "$1" info memory | tr -d '\r' | sed -n 's/^used_memory://p'; }

port="$(free_port)"
JAVA_OPTS="-Xms256m -Xmx4g -XX:-AlwaysPreTouch ${BENCH_JAVA_OPTS:-}" "$root/scripts/simplekv-server" --port "$port" --dir "$work/s" \
  >"$work/s.log" 2>&1 &
pid=$!
wait_up "$port"
pid="$(redis-cli -p "$port" info server | tr -d '\r' | sed -n 's/^process_id://p')"
s_rss0="$(rss_kb "$pid")"; s_heap0="$(heap_used_kb "$pid")"
redis-cli -p "$port" --pipe <"$work/load.resp" >/dev/null
[ "$(redis-cli -p "$port" dbsize)" = "$keys" ] || { echo "simplekv did not load every key" >&2; exit 1; }
s_heap1="$(heap_used_kb "$pid")"; s_rss1="$(rss_kb "$pid")"
redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
pid=""

port="$(free_port)"
mkdir -p "$work/r"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work/r" --daemonize yes >/dev/null
wait_up "$port"
pid="$(redis-cli -p "$port" info server | tr -d '\r' | sed -n 's/^process_id://p')"
r_rss0="$(rss_kb "$pid")"; r_used0="$(used_memory "$port")"
redis-cli -p "$port" --pipe <"$work/load.resp" >/dev/null
r_rss1="$(rss_kb "$pid")"; r_used1="$(used_memory "$port")"
redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
pid=""

awk -v n="$keys" -v sr0="$s_rss0" -v sr1="$s_rss1" -v sh0="$s_heap0" -v sh1="$s_heap1" \
    -v rr0="$r_rss0" -v rr1="$r_rss1" -v ru0="$r_used0" -v ru1="$r_used1" 'BEGIN {
  srss = (sr1 - sr0) * 1024 / n; rrss = (rr1 - rr0) * 1024 / n
  sdata = (sh1 - sh0) * 1024 / n; rdata = (ru1 - ru0) / n
  print "| bytes per key | simplekv memory engine | redis-server | simplekv ÷ redis |"
  print "|---|---|---|---|"
  printf "| RSS growth | %.0f | %.0f | %.2f |\n", srss, rrss, srss / rrss
  printf "| data (heap after full GC / used_memory) growth | %.0f | %.0f | %.2f |\n", sdata, rdata, sdata / rdata
}'
echo
echo "$keys keys (16-byte key, 20-byte value) via redis-cli --pipe; $(redis-server --version | cut -d' ' -f1-3); $(java -version 2>&1 | head -1)"
