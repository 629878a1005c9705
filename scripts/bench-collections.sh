#!/usr/bin/env bash
# Is one operation on a big collection as cheap as on a small one? For each command, redis-benchmark runs it
# against a 10-member and a 1,000,000-member collection (random members via __rand_int__) and the script prints
# ops/s for both and the cost ratio small÷big (1.0 = flat; a whole-collection rewrite shows up in the thousands).
# Usage: scripts/bench-collections.sh [engine] [members]   (defaults: memory 1000000). A script, not a test.
# Engine "redis" runs the same measurement against Debian's redis-server, for reference, and "redis-aof" against it
# with --appendonly yes --appendfsync everysec (chronicle's default durability). APPENDFSYNC=no (or always) runs the
# chronicle engine with that appendfsync instead of its default everysec. The last column is the server's minor page
# faults per big-side request (from /proc): a write to a page of a memory-mapped file the last fsync wrote back.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
engine="${1:-memory}"
big="${2:-1000000}"
command -v redis-benchmark >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-tools >/dev/null; }
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
work="$(mktemp -d)"
trap 'redis-cli -p "$port" shutdown >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
if [ "$engine" = redis ] || [ "$engine" = redis-aof ]; then
  command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }
  aof=no; [ "$engine" = redis ] || aof=yes
  redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save '' --appendonly "$aof" --appendfsync everysec \
    --daemonize yes >/dev/null
else
  JAVA_OPTS="${JAVA_OPTS:--Xms2g -Xmx2g}" "$root/scripts/simplekv-server" --port "$port" --dir "$work" --storage "$engine" \
    >"$work/server.log" 2>&1 &
fi
for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
[ -z "${APPENDFSYNC:-}" ] || redis-cli -p "$port" config set appendfsync "$APPENDFSYNC" >/dev/null
pid="$(redis-cli -p "$port" info server | tr -d '\r' | sed -n 's/^process_id://p')"
faults() { awk '{ print $10 }' "/proc/$pid/stat"; } # minflt: the field after the name, which has no spaces here

# Fill: key small:<type> gets 10 members, big:<type> gets $big, members m:0 .. m:N-1 (what __rand_int__ makes);
# sorted-set member i has score 10 * i.
fill() { # command key count
  python3 - "$1" "$2" "$3" <<'PY' | redis-cli -p "$port" --pipe >/dev/null
import sys
cmd, key, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = sys.stdout
def resp(*a):
    out.write("*%d\r\n" % len(a) + "".join("$%d\r\n%s\r\n" % (len(x), x) for x in a))
batch = 100
for start in range(0, n, batch):
    members = ["m:%012d" % i for i in range(start, min(n, start + batch))]
    if cmd == "XADD":  # entries 1-0 .. n-0, so __rand_int__-0 names one (strtoull reads its leading zeros)
        for i in range(start, min(n, start + batch)):
            resp("XADD", key, "%d-0" % (i + 1), "f", "v")
    elif cmd == "HSET":
        resp("HSET", key, *[x for m in members for x in (m, "v")])
    elif cmd == "ZADD":
        resp("ZADD", key, *[x for i, m in enumerate(members, start) for x in (str(10 * i), m)])
    else:
        resp(cmd, key, *members)
PY
}
fill HSET small:hash 10; fill HSET big:hash "$big"
fill SADD small:set 10; fill SADD big:set "$big"
fill RPUSH small:list 10; fill RPUSH big:list "$big"
fill ZADD small:zset 10; fill ZADD big:zset "$big"
fill XADD small:stream 10; fill XADD big:stream "$big"
for k in small:stream big:stream; do redis-cli -p "$port" xgroup create "$k" g 0 >/dev/null; done

rate() { # requests keyspace-size command...
  local n="$1" r="$2"; shift 2
  redis-benchmark -p "$port" -n "$n" -c 50 -P 16 -r "$r" -q "$@" 2>/dev/null | tr '\r' '\n' \
    | grep "requests per second" | tail -1 | sed -E 's/.*: ([0-9.]+) requests per second.*/\1/'
}
echo "| command | 10 members ops/s | $big members ops/s | cost ratio | big-side page faults per request |"
echo "|---|---|---|---|---|"
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; } # of three
row() { # name small-args big-args
  local name="$1" s=() b=() i
  # Unmeasured warm-up of both sides first: the JVM compiles a command's path over its first tens of thousands of
  # calls, and the big side's path (a rescore moving a member across the tree) is not the small side's. Then three
  # alternating runs of each side, and the medians: this VM's noise is about ±15% from one run to the next.
  # redis-benchmark seeds its random numbers with time ^ pid, which two runs a few seconds apart can share: the
  # second would then repeat the first's ZADDs and change nothing (measured: 180k ops/s instead of 75k). A score
  # written __rand_int__@RUN@ ends in a digit of its own in every run, so every run really rescores; the fill's
  # scores are 10 * i, so a new score is still a random place in the whole set, and still an integer.
  rate 50000 10 ${2//@RUN@/1} >/dev/null; rate 50000 "$big" ${3//@RUN@/2} >/dev/null
  local f0 f=0
  for i in 1 2 3; do
    s+=("$(rate 100000 10 ${2//@RUN@/$((2 * i + 1))})")
    f0=$(faults); b+=("$(rate 100000 "$big" ${3//@RUN@/$((2 * i + 2))})"); f=$((f + $(faults) - f0))
  done
  local sm bm
  sm=$(median "${s[@]}"); bm=$(median "${b[@]}")
  printf '| %s | %.0f | %.0f | %s | %s |\n' "$name" "$sm" "$bm" "$(awk -v s="$sm" -v b="$bm" 'BEGIN { printf "%.2f", s / b }')" \
    "$(awk -v f="$f" 'BEGIN { printf "%.3f", f / 300000 }')"
}
row "HSET (update)" "HSET small:hash m:__rand_int__ v" "HSET big:hash m:__rand_int__ v"
row "HGET" "HGET small:hash m:__rand_int__" "HGET big:hash m:__rand_int__"
row "SADD (existing)" "SADD small:set m:__rand_int__" "SADD big:set m:__rand_int__"
row "SISMEMBER" "SISMEMBER small:set m:__rand_int__" "SISMEMBER big:set m:__rand_int__"
row "LINDEX 0" "LINDEX small:list 0" "LINDEX big:list 0"
row "LINDEX -1" "LINDEX small:list -1" "LINDEX big:list -1"
row "LSET -1" "LSET small:list -1 v" "LSET big:list -1 v"
row "ZADD (update)" "ZADD small:zset __rand_int__@RUN@ m:__rand_int__" "ZADD big:zset __rand_int__@RUN@ m:__rand_int__"
row "ZSCORE" "ZSCORE small:zset m:__rand_int__" "ZSCORE big:zset m:__rand_int__"
row "ZRANK" "ZRANK small:zset m:__rand_int__" "ZRANK big:zset m:__rand_int__"
row "XRANGE - + COUNT 10" "XRANGE small:stream - + COUNT 10" "XRANGE big:stream - + COUNT 10"
row "XREVRANGE + - COUNT 10" "XREVRANGE small:stream + - COUNT 10" "XREVRANGE big:stream + - COUNT 10"
row "XRANGE from an ID COUNT 10" "XRANGE small:stream __rand_int__ + COUNT 10" "XRANGE big:stream __rand_int__ + COUNT 10"
# XADD grows both streams by 350,000 entries (globbing off: the row's words are expanded unquoted), so the
# XREADGROUPs after it, each handing out the group's next entry and making it pending, never run dry; XACK
# acknowledges a random entry, pending or not.
set -f
row "XADD" "XADD small:stream * f v" "XADD big:stream * f v"
set +f
row "XREADGROUP > COUNT 1" "XREADGROUP GROUP g c COUNT 1 STREAMS small:stream >" \
    "XREADGROUP GROUP g c COUNT 1 STREAMS big:stream >"
row "XACK" "XACK small:stream g __rand_int__-0" "XACK big:stream g __rand_int__-0"
# Last, as it grows both lists (by 350,000 each, warm-up included): the "small" one ends far from 10 members.
row "RPUSH" "RPUSH small:list v" "RPUSH big:list v"
echo
echo "engine $engine$([ -z "${APPENDFSYNC:-}" ] || echo " (appendfsync $APPENDFSYNC)"); HLEN big:hash = $(redis-cli -p "$port" hlen big:hash); SCARD big:set = $(redis-cli -p "$port" scard big:set); LLEN big:list = $(redis-cli -p "$port" llen big:list); ZCARD big:zset = $(redis-cli -p "$port" zcard big:zset); XLEN big:stream = $(redis-cli -p "$port" xlen big:stream); $(nproc) cores"
