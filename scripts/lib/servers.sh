# Shared by the side-by-side bench scripts (source it after setting $root): a free loopback port, waiting for a
# server to answer, and simplekv and Debian's redis-server started the same way each time.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# wait_up PORT: until the server answers PING (15 s at most).
wait_up() { for _ in $(seq 1 150); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.1; done; }

# simplekv PORT DIR [ENGINE]: in the background, through the launcher (SIMPLEKV_LAUNCHER runs another build's),
# with JAVA_OPTS (default -Xms1g -Xmx1g).
simplekv() {
  JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g}" "${SIMPLEKV_LAUNCHER:-$root/scripts/simplekv-server}" --port "$1" --dir "$2" \
    --storage "${3:-memory}" &
}

# redis PORT DIR: Debian's redis-server without persistence, daemonized.
redis() { redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$2" --daemonize yes; }
