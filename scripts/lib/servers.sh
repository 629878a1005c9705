# Shared by the side-by-side bench scripts (source it after setting $root): a free loopback port, waiting for a
# server to answer, and simplekv and Debian's redis-server started the same way each time.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# wait_up PORT: until the server answers PING (15 s at most).
wait_up() { for _ in $(seq 1 150); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.1; done; }

# simplekv PORT DIR [ENGINE]: in the background, through the launcher (SIMPLEKV_LAUNCHER runs another build's),
# with JAVA_OPTS (default -Xms1g -Xmx1g) and SIMPLEKV_ARGS (more server flags, e.g. "--appendfsync no").
simplekv() {
  # shellcheck disable=SC2086 # SIMPLEKV_ARGS is a list of flags
  JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g}" "${SIMPLEKV_LAUNCHER:-$root/scripts/simplekv-server}" --port "$1" --dir "$2" \
    --storage "${3:-memory}" ${SIMPLEKV_ARGS:-} &
}

# redis PORT DIR: Debian's redis-server without persistence, daemonized.
redis() { redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$2" --daemonize yes; }

# cpu_per_request PID REQUESTS redis-benchmark-arguments...: runs one redis-benchmark test (its arguments given,
# -n REQUESTS among them) and prints "TEST requests/s µs-of-server-CPU-per-request", the CPU (user + system, every
# thread) read from /proc/PID/stat around the run.
cpu_per_request() {
  local pid="$1" requests="$2"; shift 2
  local before after line
  before="$(awk '{ print $14 + $15 }' "/proc/$pid/stat")"
  line="$(redis-benchmark "$@" 2>/dev/null | tr '\r' '\n' | grep "requests per second" | tail -1)"
  after="$(awk '{ print $14 + $15 }' "/proc/$pid/stat")"
  echo "$line" | sed -E 's/^([A-Za-z0-9_]+).*: ([0-9.]+) requests per second.*/\1 \2/' | tr -d '\n'
  awk -v t="$((after - before))" -v n="$requests" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf " %.2f\n", t / hz * 1e6 / n }'
}
