#!/usr/bin/env bash
# RDB save and load times side by side: simplekv's memory engine and Debian's redis-server, each given N string keys
# by DEBUG POPULATE (key:0..N-1 -> value:N), then SAVE timed, then a restart on the same directory timed from the
# process start to the first GET of the last key that answers its value (the file loaded). Also the file's size.
# One server at a time. simplekv runs with JAVA_OPTS (default -Xmx8g, enough heap for 10M keys).
# Usage: scripts/bench-rdb.sh [count ...]   (default 1000000 10000000). Prints a markdown table. Not part of the tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -eq 0 ]; then counts=(1000000 10000000); else counts=("$@"); fi
source "$root/scripts/lib/servers.sh"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"' EXIT
now() { date +%s.%N; }

start() { # start NAME PORT DIR: in the background, $pid set
  case "$1" in
    simplekv) JAVA_OPTS="${JAVA_OPTS:--Xmx8g}" "$root/scripts/simplekv-server" --port "$2" --dir "$3" \
                --enable-debug-command yes >>"$3.log" 2>&1 & ;;
    redis) redis-server --port "$2" --bind 127.0.0.1 --save '' --appendonly no --dir "$3" \
             --enable-debug-command yes >>"$3.log" 2>&1 & ;;
  esac
  pid=$!
}

until_value() { # until_value PORT KEY VALUE: waits (10 min at most) until GET KEY answers VALUE
  for _ in $(seq 1 60000); do [ "$(redis-cli -p "$1" get "$2" 2>/dev/null)" = "$3" ] && return; sleep 0.01; done
  echo "bench-rdb: GET $2 never answered $3" >&2; exit 1
}

echo "| keys | server | DEBUG POPULATE, s | SAVE, s | restart until loaded, s | dump.rdb, MB |"
echo "|---|---|---|---|---|---|"
for n in "${counts[@]}"; do
  last="key:$((n - 1))" value="value:$((n - 1))"
  for server in simplekv redis; do
    dir="$work/$server-$n"; mkdir -p "$dir"
    port="$(free_port)"
    start "$server" "$port" "$dir"
    wait_up "$port"
    t0=$(now); redis-cli -p "$port" debug populate "$n" >/dev/null; t1=$(now)
    redis-cli -p "$port" save >/dev/null; t2=$(now)
    size=$(du -m "$dir/dump.rdb" | cut -f1)
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    wait "$pid" 2>/dev/null || true
    t3=$(now); start "$server" "$port" "$dir"; until_value "$port" "$last" "$value"; t4=$(now)
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    wait "$pid" 2>/dev/null || true
    pid=""
    awk -v n="$n" -v s="$server" -v p="$(echo "$t1 - $t0" | bc)" -v v="$(echo "$t2 - $t1" | bc)" \
        -v l="$(echo "$t4 - $t3" | bc)" -v m="$size" \
        'BEGIN { printf "| %d | %s | %.1f | %.1f | %.1f | %d |\n", n, s, p, v, l, m }'
    rm -rf "$dir"
  done
done
echo
echo "$(nproc) cores; $(redis-server --version | cut -d' ' -f1-3); $(java -version 2>&1 | head -1); simplekv JAVA_OPTS ${JAVA_OPTS:--Xmx8g}"
