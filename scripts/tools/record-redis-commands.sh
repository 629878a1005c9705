#!/usr/bin/env bash
# Records Redis 7.0.15's own answers about its commands, the reference simplekv's COMMAND is built from and tested
# against: starts Debian's redis-server on a free loopback port (no persistence), asks it COMMAND INFO and COMMAND
# DOCS for every command and subcommand, COMMAND GETKEYS/GETKEYSANDFLAGS for a list of sample requests and a few
# other COMMAND forms, in RESP2 and RESP3, then stops it. Writes
#   src/test/resources/redis-7.0.15/*.resp2|*.resp3     the raw replies (see scripts/lib/record_commands.py)
#   src/main/resources/io/simplekv/command/redis-commands.json   the metadata of every command, sorted by name
# Usage: scripts/tools/record-redis-commands.sh   (REDIS_SERVER overrides /usr/bin/redis-server)
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

PYTHONPATH="$root/scripts/lib" python3 "$root/scripts/lib/record_commands.py" "$port" \
    "$root/src/test/resources/redis-7.0.15" "$root/src/main/resources/io/simplekv/command/redis-commands.json"
