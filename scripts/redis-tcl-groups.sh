#!/usr/bin/env bash
# Runs the groups of Redis 7.0.15's unit/acl, unit/auth and unit/maxmemory that need no restart and no replica
# against simplekv. Upstream tags every group of these units external:skip, so scripts/redis-tcl-units.sh (external
# mode) skips them all. Here each group is copied, with only that tag lifted, into a temporary copy of the test tree
# and run in external mode against a fresh server started with the settings the group's start_server overrides ask
# for.
#
# Usage: scripts/redis-tcl-groups.sh [acl] [maxmemory]   (default both; needs target/simplekv.jar; REDIS_SRC as for
# redis-tcl-tests.sh)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${REDIS_SRC:-/work/redis-src}/redis-7.0.15"
[ -f "$src/tests/unit/acl.tcl" ] || { echo "no Redis 7.0.15 test tree under $src" >&2; exit 2; }
[ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)
work="$(mktemp -d)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cp -r "$src" "$work/tree"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# group NAME FILE FIRST LAST [server flags...]: lines FIRST..LAST of FILE, the first start_server line untagged.
group() {
  local name=$1 file=$2 first=$3 last=$4; shift 4
  sed -n "${first},${last}p" "$src/tests/unit/$file" \
    | sed -E "1s/^( *)start_server .*\\{\$/\\1start_server {tags {\"${file%.tcl}\"}} {/" >"$work/tree/tests/unit/$name.tcl"
  local port dir="$work/$name"
  port="$(free_port)"
  mkdir -p "$dir"
  [ -n "${GROUP_FILES:-}" ] && cp $GROUP_FILES "$dir/"
  # Started directly (no subshell), so $! is the server itself and the kill below reaches it.
  "$root/scripts/simplekv-server" --port "$port" --dir "$dir" --enable-protected-configs yes "$@" \
      >"$dir.server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  (cd "$work/tree" && timeout 600 tclsh tests/test_helper.tcl --host 127.0.0.1 --port "$port" --durable \
      --timeout 120 --single "unit/$name") 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >"$dir.tcl.log"
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  printf '| %s | %s | %s | %s |\n' "$name" "$(grep -c '^\[ok\]' "$dir.tcl.log")" \
      "$(grep -c '^\[err\]' "$dir.tcl.log")" "$(grep -c '^\[exception\]' "$dir.tcl.log")"
  grep -E '^\[(err|exception)\]' "$dir.tcl.log" >&2
}

wanted="${*:-acl maxmemory}"
printf '| group | passed | failed | exceptions |\n|---|---|---|---|\n'
if [[ " $wanted " == *" maxmemory "* ]]; then
  # unit/maxmemory: client-buffer eviction, the policies (limit honoured, which keys go), rehashing, and tracking's
  # feedback loop; its replica-buffer and propagation groups need a replica and are left out.
  group maxmemory-clients maxmemory.tcl 1 144
  group maxmemory-policies maxmemory.tcl 146 289
  group maxmemory-rehash maxmemory.tcl 417 436
  group maxmemory-tracking maxmemory.tcl 438 501
fi
[[ " $wanted " == *" acl "* ]] || exit 0
# unit/acl: the first group (a default server) and the aclfile group (user.acl, acl-pubsub-default allchannels).
group acl-main acl.tcl 1 747 --enable-debug-command yes
GROUP_FILES="$src/tests/assets/user.acl" group acl-aclfile acl.tcl 749 832 --aclfile user.acl --acl-pubsub-default allchannels
# unit/auth: no password configured, and the binary password set by CONFIG SET (its nested replication group left out).
# Found by their start lines, not by line numbers: Debian's security patches add tests to this file.
auth="$src/tests/unit/auth.tcl"
{ sed -n '1,/^}$/p' "$auth"
  sed -n '/^start_server {tags {"auth_binary_password/,/^    start_server {tags {"masterauth"}}/p' "$auth" | sed '$d'
  echo '}'; } >"$work/auth-groups.tcl"
sed -E 's/^start_server \{tags \{"(auth|auth_binary_password) external:skip"\}\} \{$/start_server {tags {"\1"}} {/' \
    "$work/auth-groups.tcl" >"$work/tree/tests/unit/auth-groups.tcl"
port="$(free_port)"; mkdir -p "$work/auth"
"$root/scripts/simplekv-server" --port "$port" --dir "$work/auth" >"$work/auth.server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
(cd "$work/tree" && timeout 600 tclsh tests/test_helper.tcl --host 127.0.0.1 --port "$port" --durable --timeout 120 \
    --single unit/auth-groups) 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >"$work/auth.tcl.log"
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
printf '| auth-groups | %s | %s | %s |\n' "$(grep -c '^\[ok\]' "$work/auth.tcl.log")" \
    "$(grep -c '^\[err\]' "$work/auth.tcl.log")" "$(grep -c '^\[exception\]' "$work/auth.tcl.log")"
