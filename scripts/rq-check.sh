#!/usr/bin/env bash
# RQ (Python job queue) against simplekv: Debian's python3-rq 1.13 and python3-redis (installed with apt when
# missing; PyPI is not needed), simplekv (memory engine) or Debian's redis-server on a free loopback port, then
# scripts/lib/rq_check.py: jobs through a worker with their results in RQ's result streams (XADD), a failing job,
# a scheduled job, Queue.empty(), and redis-py's Lock (acquire, extend, reacquire, release: Lua scripts). Not run by
# CI (it installs Debian packages).
# Usage: scripts/rq-check.sh [simplekv|redis] [JOBS, default 200]. Exits 0 when every check passed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-simplekv}" jobs="${2:-200}"
python=/usr/bin/python3 # Debian's, where apt puts python3-rq
if ! "$python" -c 'import rq' 2>/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-rq >/dev/null
fi
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
work="$(mktemp -d)"
case "$target" in
  simplekv) "$root/scripts/simplekv-server" --port "$port" --dir "$work/data" >"$work/server.log" 2>&1 & ;;
  redis) redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/server.log" 2>&1 & ;;
  *) echo "rq-check: unknown target $target (simplekv or redis)" >&2; exit 2 ;;
esac
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
status=0
(cd "$work" && PYTHONPATH="$root/scripts/lib" "$python" "$root/scripts/lib/rq_check.py" "$port" "$jobs" 2>"$work/rq.log") || status=$?
if [ "$status" -ne 0 ]; then tail -20 "$work/rq.log" >&2; tail -20 "$work/server.log" >&2; fi
exit "$status"
