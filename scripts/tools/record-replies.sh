#!/usr/bin/env bash
# Records Redis 7.0.15's exact replies, in RESP2 and RESP3, to the command cases in scripts/tools/replies/*.cases
# (format: scripts/lib/record_replies.py): starts Debian's redis-server on a free loopback port (no persistence,
# DEBUG enabled), runs every case, stops it. Writes src/test/resources/redis-7.0.15/replies.<group>.resp2/.resp3,
# which ReplyReferenceTest replays against simplekv on both engines.
# Usage: scripts/tools/record-replies.sh [GROUP...]   (REDIS_SERVER overrides /usr/bin/redis-server)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
server=${REDIS_SERVER:-/usr/bin/redis-server}
[ -x "$server" ] || { echo "needs $server (apt-get install redis-server)" >&2; exit 1; }
version=$("$server" --version | sed -n 's/.* v=\([0-9.]*\) .*/\1/p')
[ "$version" = "7.0.15" ] || { echo "$server is $version, the reference is 7.0.15" >&2; exit 1; }

port=$(PYTHONPATH="$root/scripts/lib" python3 -c 'import resp; print(resp.free_port())')
work=$(mktemp -d)
"$server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" \
    --enable-debug-command yes &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.1
done

python3 "$root/scripts/lib/record_replies.py" "$port" "$root/scripts/tools/replies" \
    "$root/src/test/resources/redis-7.0.15" "$@"
