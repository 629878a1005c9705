#!/usr/bin/env bash
# Differential fuzzing of streams: starts Debian's redis-server 7.0.15 and simplekv (target/simplekv.jar) on free
# loopback ports, runs scripts/lib/stream_diff_fuzz.py for each seed (random stream and consumer-group commands,
# every reply compared), and stops both. A test, not a benchmark; exits 1 on any difference.
# Usage: scripts/stream-diff-fuzz.sh [--storage memory|chronicle] [SEEDS, default 10] [STEPS per seed, default 3000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
storage=memory
if [[ ${1:-} == --storage ]]; then storage=$2; shift 2; fi
seeds="${1:-10}" steps="${2:-3000}"
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
redis_port=$(free_port) skv_port=$(free_port)
work=$(mktemp -d)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" &
redis_pid=$!
"$root/scripts/simplekv-server" --port "$skv_port" --dir "$work/skv" --storage "$storage" >"$work/skv.log" 2>&1 &
skv_pid=$!
trap 'kill "$redis_pid" "$skv_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for p in "$redis_port" "$skv_port"; do
  for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
status=0
for seed in $(seq 1 "$seeds"); do
  python3 "$root/scripts/lib/stream_diff_fuzz.py" "$redis_port" "$skv_port" "$seed" "$steps" || status=1
done
echo "stream-diff-fuzz: $seeds seeds x $steps steps on $storage: $([ $status = 0 ] && echo 'no difference' || echo 'DIFFERENCES')"
exit $status
