#!/usr/bin/env bash
# GC pauses of the chronicle engine with many keys and a small heap: loads COUNT keys (key:N -> 20-byte value, plus
# COUNT/100 hashes) with redis-cli --pipe, then runs redis-benchmark SET/GET over the whole key range, with the JVM
# logging every collection (-Xlog:gc). Prints the pauses (count, max, total), RSS, heap in use and disk size.
# Usage: scripts/bench-gc.sh [count, default 10000000] [heap, default 256m] [requests, default 2000000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-10000000}"; heap="${2:-256m}"; requests="${3:-2000000}"
work="${BENCH_DIR:-/tmp/skv-bench-restart}"; mkdir -p "$work"
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
resp="$(cd "$root/scripts/lib" && python3 -c "import os, bench_restart as b; os.makedirs(b.WORK, exist_ok=True); print(b.resp_file($count))")"
data="$work/gc-data"; log="$work/gc.log"; rm -rf "$data" "$log"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
JAVA_OPTS="-Xmx$heap -Xlog:gc:file=$log:uptime" "$root/scripts/simplekv-server" --port "$port" --dir "$data" \
  --storage chronicle --chronicle-entries "$count" --chronicle-average-key-size 12 --chronicle-average-value-size 24 \
  >"$work/gc-server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 300); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
t0=$(date +%s.%N)
redis-cli -p "$port" --pipe <"$resp" | tail -1
echo "loaded $(redis-cli -p "$port" dbsize) keys in $(echo "$(date +%s.%N) - $t0" | bc) s"
mark=$(wc -l <"$log")
echo "after load: RSS $(($(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024)) MB"
redis-benchmark -p "$port" -t set,get -r "$count" -n "$requests" -c 50 -P 16 -d 20 -q | tr '\r' '\n' | grep 'requests per second' 
redis-cli -p "$port" info memory | grep -E '^(used_memory|used_memory_rss|jvm_heap_max):' | tr -d '\r'
echo "on disk: $(du -sh "$data" | cut -f1)"
python3 - "$log" "$mark" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
def pauses(ls):
    return [float(m.group(1)) for l in ls if "Pause" in l for m in [re.search(r"([\d.]+)ms$", l)] if m]
for label, ls in (("whole run", lines), ("under redis-benchmark", lines[int(sys.argv[2]):])):
    p = pauses(ls)
    if p:
        print("GC %-22s %4d pauses, max %.1f ms, total %.0f ms" % (label + ":", len(p), max(p), sum(p)))
    else:
        print("GC %-22s no pauses" % (label + ":"))
worst = sorted(lines, key=lambda l: -(pauses([l]) or [0])[0])[:3]
print("longest:"); [print("  " + l) for l in worst]
PY
redis-cli -p "$port" shutdown >/dev/null 2>&1 || true
wait $pid 2>/dev/null || true
