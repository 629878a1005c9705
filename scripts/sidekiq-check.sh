#!/usr/bin/env bash
# Sidekiq (Ruby job queue) against simplekv: Debian's ruby-sidekiq 6.4 (installed with apt when missing), simplekv
# (memory engine) or Debian's redis-server on a free loopback port, then scripts/lib/sidekiq_check.rb: JOBS jobs
# pushed and run by a `sidekiq` process, 5 more through the scheduled set, and one failing job that must land in
# the retry set. Not run by CI (it installs Debian packages).
# Usage: scripts/sidekiq-check.sh [simplekv|redis] [JOBS, default 100]. Exits 0 when every check passed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-simplekv}" jobs="${2:-100}"
if ! command -v sidekiq >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq ruby-sidekiq >/dev/null
fi
source "$root/scripts/lib/servers.sh"
port="$(free_port)"
work="$(mktemp -d)"
pids=""
case "$target" in
  simplekv) simplekv "$port" "$work/data" >"$work/server.log" 2>&1; pids="$!" ;;
  redis) redis "$port" "$work" >"$work/server.log" 2>&1 ;;
  *) echo "sidekiq-check: unknown target $target (simplekv or redis)" >&2; exit 2 ;;
esac
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; kill $pids 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT
wait_up "$port"
export SIDEKIQ_CHECK_PORT="$port" SIDEKIQ_CHECK_JOBS="$jobs"
check="$root/scripts/lib/sidekiq_check.rb"
SIDEKIQ_CHECK_CLIENT=1 ruby "$check" push
sidekiq -r "$check" -c 5 >"$work/sidekiq.log" 2>&1 &
pids="$pids $!"
status=0
SIDEKIQ_CHECK_CLIENT=1 ruby "$check" wait || status=$?
if [ "$status" -ne 0 ]; then tail -20 "$work/sidekiq.log" >&2; tail -20 "$work/server.log" >&2; fi
exit "$status"
