#!/usr/bin/env bash
# Runs units of Redis 7.0.15's TCL suite, each on a fresh simplekv server (its own port and data directory, started
# from target/simplekv.jar with enable-debug-command and enable-protected-configs yes, as Redis's own test config
# has them), unmodified: no tag filter. Prints one line of counts per unit and the totals.
#
# Usage: scripts/redis-tcl-units.sh [--storage memory|chronicle] [UNIT...]   (default: the units listed below)
# Environment: REDIS_SRC, REDIS_TCL_TIMEOUT and REDIS_TCL_DURABLE (0: the first Tcl exception ends a unit, as the
# plain external-mode command does) as for scripts/redis-tcl-tests.sh, which runs each unit.
# REDIS_TCL_TLS=1 runs the suite over TLS: each server listens with TLS only, on the certificates Redis's
# utils/gen-test-certs.sh makes in the tree's tests/tls, and the suite connects with --tls.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
storage=memory
if [[ ${1:-} == --storage ]]; then storage=$2; shift 2; fi
units=("$@")
if [[ ${#units[@]} -eq 0 ]]; then
  units=(unit/type/string unit/type/incr unit/type/list unit/type/list-2 unit/type/list-3 unit/type/set
         unit/type/hash unit/type/zset unit/keyspace unit/expire unit/protocol unit/introspection
         unit/introspection-2 unit/info-command unit/bitops unit/bitfield unit/sort unit/scan unit/pubsub
         unit/pubsubshard unit/multi unit/info unit/querybuf unit/lazyfree unit/auth unit/other unit/limits
         unit/scripting unit/functions unit/type/stream unit/type/stream-cgroups unit/acl unit/tracking unit/geo
         unit/hyperloglog unit/pause)
fi
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)
# REDIS_TCL_TLS=1: each server listens only with TLS (port 0), on the certificates of the Redis tree's tests/tls.
server_tls=() cli_tls=()
if [[ ${REDIS_TCL_TLS:-0} == 1 ]]; then
  tls="$("$root/scripts/redis-tcl-tests.sh" --prepare)/tests/tls"
  server_tls=(--tls-cert-file "$tls/redis.crt" --tls-key-file "$tls/redis.key" --tls-ca-cert-file "$tls/ca.crt")
  cli_tls=(--tls --cert "$tls/client.crt" --key "$tls/client.key" --cacert "$tls/ca.crt")
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
total_ok=0 total_fail=0 total_skip=0
printf '| unit | passed | failed | skipped | exceptions | seconds |\n|---|---|---|---|---|---|\n'
for unit in "${units[@]}"; do
  port="$(free_port)"
  dir="$work/$(echo "$unit" | tr / _)"
  if [[ ${#server_tls[@]} -gt 0 ]]; then listen=(--port 0 --tls-port "$port" "${server_tls[@]}"); else listen=(--port "$port"); fi
  "$root/scripts/simplekv-server" "${listen[@]}" --dir "$dir" --storage "$storage" --enable-debug-command yes \
      --enable-protected-configs yes \
      >"$dir.server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do redis-cli "${cli_tls[@]}" -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done # 30 s: a loaded machine starts the JVM slowly
  start=$(date +%s)
  REDIS_TCL_TAGS="" "$root/scripts/redis-tcl-tests.sh" "$port" "$unit" >"$dir.tcl.log" 2>&1
  seconds=$(( $(date +%s) - start ))
  line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$dir.tcl.log" | tail -1)
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  # A Tcl exception (an error reply the test did not expect): counted as a failure with --durable, else it ends
  # the unit there.
  [[ -n ${KEEP_LOGS:-} ]] && cp "$dir.tcl.log" "${KEEP_LOGS}/$(echo "$unit" | tr / _).log"
  exceptions=$(grep -ac '^\[exception\]' "$dir.tcl.log")
  if [[ -z $line ]]; then
    printf '| %s | - | aborted | - | %s | %s |\n' "$unit" "$exceptions" "$seconds"
    continue
  fi
  read -r ok _ fail _ skip _ <<<"$line"
  total_ok=$((total_ok + ok)) total_fail=$((total_fail + fail)) total_skip=$((total_skip + skip))
  printf '| %s | %s | %s | %s | %s | %s |\n' "$unit" "$ok" "$fail" "$skip" "$exceptions" "$seconds"
done
printf '| **total** | %s | %s | %s | | |\n' "$total_ok" "$total_fail" "$total_skip"
