#!/usr/bin/env bash
# Run units of the upstream Redis Tcl test suite (from Debian's `redis`
# source package) against an already running server, in external-server mode.
#
# Usage: scripts/redis-tcl-tests.sh PORT UNIT [UNIT...]
#   e.g. scripts/redis-tcl-tests.sh 7390 unit/type/string unit/keyspace
#
# Environment (all optional):
#   REDIS_SRC          where the Debian source package lives (default /work/redis-src);
#                      fetched with `apt-get source redis` if missing.
#   REDIS_TCL_HOST     server address (default 127.0.0.1)
#   REDIS_TCL_TAGS     tag filter passed as --tags (default "-needs:debug": Debian's
#                      redis-server ships with DEBUG disabled, and denying needs:debug
#                      also turns DEBUG DIGEST checks into no-ops). Set it to "" to run
#                      everything, or e.g. "-needs:debug -needs:repl -needs:save".
#   REDIS_TCL_TIMEOUT  abort if no test progress for this many seconds (default 300)
#   REDIS_TCL_DURABLE  1 (default) passes --durable; 0 runs as the plain external-mode command
#                      does, where the first Tcl exception ends the unit (what a user running
#                      `tclsh tests/test_helper.tcl --host H --port P --single U` sees)
#   REDIS_TCL_ARGS     extra raw args for test_helper.tcl, e.g. "--only /GETEX --verbose",
#                      "--ignore-encoding" (skip OBJECT ENCODING asserts), "--singledb"
#   REDIS_TCL_TLS      1: the server listens with TLS, and the suite connects with --tls and the
#                      certificates of the tree's tests/tls (made by Redis's utils/gen-test-certs.sh
#                      when missing, as its own TLS runs do)
#
# `scripts/redis-tcl-tests.sh --prepare` only fetches the tree (and, with REDIS_TCL_TLS=1, makes the
# certificates) and prints its path.
#
# WARNING: the suite runs FLUSHALL, FUNCTION FLUSH and CONFIG SET on the target
# server, and a failing test may leave a changed config behind: point it only at a
# throwaway server and restart that server between runs.
#
# External mode (--host) never starts a redis-server: the suite connects to
# HOST:PORT, runs SELECT 9, FLUSHALL and FUNCTION FLUSH before each test group,
# and skips tests tagged external:skip. --durable makes a Tcl exception (e.g. an
# unexpected error reply) count as a failed test instead of aborting the run.
# Exit code: 0 if no test failed, 1 otherwise, 2 on usage/setup errors.
set -euo pipefail

usage() { echo "usage: $0 PORT UNIT [UNIT...]   (UNIT like unit/type/string)" >&2; exit 2; }
PREPARE=0
if [[ ${1:-} == --prepare ]]; then PREPARE=1; PORT=0; else
    [[ $# -ge 2 ]] || usage
    PORT=$1; shift
    [[ $PORT =~ ^[0-9]+$ ]] || usage
fi
HOST=${REDIS_TCL_HOST:-127.0.0.1}
REDIS_SRC=${REDIS_SRC:-/work/redis-src}
TIMEOUT=${REDIS_TCL_TIMEOUT:-300}

SUDO=""
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi

apt_updated=0
apt_update() { if [[ $apt_updated -eq 0 ]]; then $SUDO apt-get update -qq; apt_updated=1; fi; }

# Debian tree layout after `apt-get source`: $REDIS_SRC/redis-<ver>/tests/test_helper.tcl
find_tree() {
    if [[ -f $REDIS_SRC/tests/test_helper.tcl ]]; then echo "$REDIS_SRC"; return 0; fi
    local d
    for d in $(ls -d "$REDIS_SRC"/redis-*/ 2>/dev/null | sort -V -r); do
        if [[ -f $d/tests/test_helper.tcl ]]; then echo "${d%/}"; return 0; fi
    done
    return 1
}

ensure_deb_src() {
    if grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
        /etc/apt/sources.list /etc/apt/sources.list.d/; then
        return 0
    fi
    local out=/etc/apt/sources.list.d/debian-src.sources
    echo "adding deb-src entries in $out" >&2
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        sed -E 's/^Types:.*$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
            | $SUDO tee "$out" >/dev/null
    else
        $SUDO tee "$out" >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    fi
    apt_updated=0
}

if ! command -v tclsh >/dev/null 2>&1; then
    apt_update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tcl >/dev/null
fi

if ! TREE=$(find_tree); then
    echo "redis source tree not found under $REDIS_SRC; fetching Debian source package" >&2
    ensure_deb_src
    if ! command -v dpkg-source >/dev/null 2>&1; then
        apt_update
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq dpkg-dev >/dev/null
    fi
    apt_update
    mkdir -p "$REDIS_SRC"
    (cd "$REDIS_SRC" && $SUDO apt-get source -qq redis 2>&1 | grep -v 'unsandboxed' >&2 || true)
    TREE=$(find_tree) || { echo "apt-get source redis failed" >&2; exit 2; }
fi

TLS=${REDIS_TCL_TLS:-0}
if [[ $TLS == 1 && ! -f $TREE/tests/tls/ca.crt ]]; then
    command -v openssl >/dev/null 2>&1 || { apt_update; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openssl >/dev/null; }
    (cd "$TREE" && bash utils/gen-test-certs.sh >/dev/null 2>&1) || { echo "gen-test-certs.sh failed" >&2; exit 2; }
fi
if [[ $PREPARE == 1 ]]; then echo "$TREE"; exit 0; fi

UNIT_ARGS=()
for u in "$@"; do
    u=${u%.tcl}; u=${u#tests/}
    [[ -f $TREE/tests/$u.tcl ]] || { echo "no such unit: $TREE/tests/$u.tcl" >&2; exit 2; }
    UNIT_ARGS+=(--single "$u")
done

# Fail fast if nothing listens there (the suite would otherwise die with a Tcl trace).
if ! (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
    echo "nothing listening on $HOST:$PORT" >&2; exit 2
fi

ARGS=(--host "$HOST" --port "$PORT" --timeout "$TIMEOUT" "${UNIT_ARGS[@]}")
[[ ${REDIS_TCL_DURABLE:-1} == 1 ]] && ARGS+=(--durable)
[[ $TLS == 1 ]] && ARGS+=(--tls)
TAGS=${REDIS_TCL_TAGS--needs:debug}
[[ -n $TAGS ]] && ARGS+=(--tags "$TAGS")
# shellcheck disable=SC2206
[[ -n ${REDIS_TCL_ARGS:-} ]] && ARGS+=($REDIS_TCL_ARGS)

LOG=$(mktemp /tmp/redis-tcl-tests.XXXXXX.log)
echo "+ cd $TREE && tclsh tests/test_helper.tcl ${ARGS[*]}" >&2
start=$(date +%s)
set +e
(cd "$TREE" && TERM=dumb tclsh tests/test_helper.tcl "${ARGS[@]}") 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
elapsed=$(( $(date +%s) - start ))

plain=$(sed -E 's/\x1b\[[0-9;]*m//g' "$LOG")
count() { grep -cE "^\[$1\]:" <<<"$plain" || true; }
ok=$(count ok); err=$(count err); skip=$(count skip); ign=$(count ignore); exc=$(count exception)
timeout_hit=$(grep -c 'TIMEOUT\]' <<<"$plain" || true)
failed=$((err + exc))
echo
echo "=== redis tcl tests on $HOST:$PORT: $* ==="
echo "ignored (tags/external:skip): $ign, skipped: $skip, exceptions: $exc, timeouts: $timeout_hit"
echo "elapsed: ${elapsed}s, test_helper exit code: $rc, log: $LOG"
echo "$ok passed, $failed failed, $((ign + skip)) skipped"
if [[ $rc -ne 0 || $failed -ne 0 ]]; then exit 1; fi
exit 0
