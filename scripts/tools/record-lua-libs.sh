#!/usr/bin/env bash
# Records Redis 7.0.15's replies to the Lua snippets in scripts/tools/lua-libs/*.snippets, the reference the
# scripting libraries (src/main/resources/io/simplekv/scripting/lib) are tested against without a redis-server:
# starts Debian's redis-server on a free loopback port (no persistence), runs every snippet with EVAL, stops it.
# Writes src/test/resources/redis-7.0.15/lua-libs.<lib>.replies (format: see scripts/lib/record_lua_libs.py).
# Usage: scripts/tools/record-lua-libs.sh   (REDIS_SERVER overrides /usr/bin/redis-server)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
server=${REDIS_SERVER:-/usr/bin/redis-server}
[ -x "$server" ] || { echo "needs $server (apt-get install redis-server)" >&2; exit 1; }
version=$("$server" --version | sed -n 's/.* v=\([0-9.]*\) .*/\1/p')
[ "$version" = "7.0.15" ] || { echo "$server is $version, the reference is 7.0.15" >&2; exit 1; }

port=$(PYTHONPATH="$root/scripts/lib" python3 -c 'import resp; print(resp.free_port())')
work=$(mktemp -d)
"$server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.1
done

PYTHONPATH="$root/scripts/lib" python3 "$root/scripts/lib/record_lua_libs.py" "$port" \
    "$root/scripts/tools/lua-libs" "$root/src/test/resources/redis-7.0.15"
