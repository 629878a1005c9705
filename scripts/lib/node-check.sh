# Shared by the Node.js client checks (scripts/*-check.sh): installs npm packages into a temporary directory,
# starts simplekv (memory engine) or Debian's redis-server on a free loopback port, and runs a check script there.
# Source it after setting: name (the check's name, for messages), packages (npm package specs).
# Then: node_check_setup TARGET; write "$work/check.mjs"; node_check_run ARGS... (exits with the check's status).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

node_check_setup() {
  local target=$1
  command -v node >/dev/null && command -v npm >/dev/null || { echo "$name: needs node and npm" >&2; exit 2; }
  [ -f "$root/target/simplekv.jar" ] || (cd "$root" && mvn -B -q -DskipTests package >&2)
  echo "$name: installing ${packages[*]} into $work" >&2
  (cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "${packages[@]}" >&2)
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
  mkdir -p "$work/data"
  case "$target" in
    simplekv) "$root/scripts/simplekv-server" --port "$port" --dir "$work/data" >"$work/server.log" 2>&1 & pid=$! ;;
    redis) redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work/data" \
             --daemonize no >"$work/server.log" 2>&1 & pid=$! ;;
    *) echo "$name: unknown target $target (simplekv or redis)" >&2; exit 2 ;;
  esac
  for _ in $(seq 1 300); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  echo "$name: $target on port $port" >&2
}

node_check_run() {
  local status=0
  (cd "$work" && node check.mjs "$port" "$@") || status=$?
  if [ "$status" -ne 0 ]; then
    echo "$name: last lines of the server's log:" >&2
    tail -20 "$work/server.log" >&2
  fi
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait "$pid" 2>/dev/null || true
  pid=""
  exit "$status"
}
