#!/usr/bin/env bash
# PUBLISH with many subscriptions in place, simplekv vs Debian's redis-server, one server at a time: an idle client
# holds N channel subscriptions (SUBSCRIBE chan:0 ... chan:N-1) and N pattern subscriptions (PSUBSCRIBE news.<i>.*,
# none of which matches), then redis-benchmark publishes to chan:0 (one subscriber, so every PUBLISH also checks
# every pattern, as Redis's pubsubPublishMessage does) at -P 1 and -P 16. Issue 20 asks for 10,000 channels and
# patterns. Usage: scripts/bench-pubsub-patterns.sh [subscriptions] [requests]   (defaults 10000 200000).
# Prints a markdown table. A script, not a test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
subs="${1:-10000}"
requests="${2:-200000}"
if ! command -v redis-server >/dev/null; then
  apt-get update -qq && apt-get install -y -qq redis-server redis-tools >/dev/null
fi
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)
source "$root/scripts/lib/servers.sh"
work="$(mktemp -d)"
holder=""
trap '[ -n "$holder" ] && kill "$holder" 2>/dev/null; rm -rf "$work"' EXIT

# Subscribes, reads every confirmation, then stays connected (and drains what is published) until killed.
cat >"$work/hold.py" <<'EOF'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port))
def cmd(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out
batch = 1000
for first in range(0, n, batch):
    names = ["chan:%d" % i for i in range(first, min(n, first + batch))]
    s.sendall(cmd("SUBSCRIBE", *names))
    s.sendall(cmd("PSUBSCRIBE", *["news.%d.*" % i for i in range(first, min(n, first + batch))]))
expected, seen, buf = 2 * n, 0, b""
while seen < expected:
    buf += s.recv(1 << 16)
    seen = buf.count(b"subscribe\r\n")
print("subscribed", flush=True)
while s.recv(1 << 16):
    pass
EOF

measure() { # name start-command... ; writes $work/<name>.P1 and .P16 (requests per second)
  local name="$1"; shift
  local port; port="$(free_port)"
  mkdir -p "$work/$name"
  "$@" "$port" "$work/$name" >"$work/$name.log" 2>&1
  wait_up "$port"
  python3 "$work/hold.py" "$port" "$subs" >"$work/$name.hold" &
  holder=$!
  for _ in $(seq 1 600); do grep -q subscribed "$work/$name.hold" 2>/dev/null && break; sleep 0.1; done
  for p in 16 1 16; do # the first pass warms up
    redis-benchmark -p "$port" -n "$requests" -c 50 -P "$p" -q PUBLISH chan:0 hello 2>/dev/null | tr '\r' '\n' \
      | grep "per second" | tail -1 | sed -E 's/.*: ([0-9.]+) requests per second.*/\1/' >"$work/$name.P$p"
  done
  kill "$holder" 2>/dev/null || true
  holder=""
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  sleep 1
}
measure simplekv simplekv
measure redis redis

echo "| pipeline | simplekv PUBLISH/s | redis PUBLISH/s | ratio |"
echo "|---|---|---|---|"
for p in 1 16; do
  s="$(cat "$work/simplekv.P$p")"; r="$(cat "$work/redis.P$p")"
  awk -v p="$p" -v s="$s" -v r="$r" 'BEGIN { printf "| %s | %.0f | %.0f | %.2f |\n", p, s, r, s / r }'
done
echo
echo "$subs channels and $subs patterns subscribed by one idle client; PUBLISH chan:0 (one subscriber) with redis-benchmark -n $requests -c 50; $(redis-server --version | cut -d' ' -f1-3)"
