#!/usr/bin/env bash
# TLS side by side: simplekv (memory engine, OpenSSL through netty-tcnative) against Debian's redis-server, each
# listening with TLS only (port 0, tls-port N, tls-auth-clients yes) on the same freshly made certificates (a CA and
# one RSA-2048 certificate, as Redis's utils/gen-test-certs.sh makes them), one server at a time, under the same
# redis-benchmark --tls run (50 clients, presenting the certificate as the client's). Prints requests per second and
# the server's CPU per request (user + system from /proc/<pid>/stat, the steadier measure on 2 cores).
# Usage: scripts/bench-tls.sh [requests] [pipeline]   (defaults 500000 16); BENCH_TESTS (default set,get).
# Not part of the test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-500000}"
pipeline="${2:-16}"
tests="${BENCH_TESTS:-set,get}"
source "$root/scripts/lib/servers.sh"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

tls="$work/tls"
mkdir -p "$tls"
openssl genrsa -out "$tls/ca.key" 4096 2>/dev/null
openssl req -x509 -new -nodes -sha256 -key "$tls/ca.key" -days 2 -subj '/O=simplekv bench/CN=CA' -out "$tls/ca.crt"
openssl genrsa -out "$tls/redis.key" 2048 2>/dev/null
openssl req -new -sha256 -subj '/O=simplekv bench/CN=127.0.0.1' -key "$tls/redis.key" 2>/dev/null \
  | openssl x509 -req -sha256 -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 2 -out "$tls/redis.crt" 2>/dev/null
server_tls=(--tls-cert-file "$tls/redis.crt" --tls-key-file "$tls/redis.key" --tls-ca-cert-file "$tls/ca.crt")
client_tls=(--tls --cert "$tls/redis.crt" --key "$tls/redis.key" --cacert "$tls/ca.crt")

measure() { # name start-command... ; writes "TEST rps us_per_request" lines to $work/<name>
  local name="$1"; shift
  local port; port="$(free_port)"
  mkdir -p "$work/$name.dir"
  "$@" "$port" "$work/$name.dir" >"$work/$name.log" 2>&1
  for _ in $(seq 1 150); do redis-cli "${client_tls[@]}" -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  pid="$(redis-cli "${client_tls[@]}" -p "$port" info server | tr -d '\r' | sed -n 's/^process_id://p')"
  # Warm-up, pipelined whatever the measured depth: five million requests. The JIT compiles the TLS engine's paths
  # for longer than the plain ones: after one million, C2 was still half the server's CPU (a profile of the
  # measured run), and SET measured 0.76 of Redis's rate where, warm, it is level.
  for _ in 1 2 3 4 5; do
    redis-benchmark "${client_tls[@]}" -p "$port" -n 1000000 -c 50 -P 16 -q -t "$tests" >/dev/null 2>&1
  done
  : >"$work/$name"
  for t in ${tests//,/ }; do
    cpu_per_request "$pid" "$requests" "${client_tls[@]}" -p "$port" -n "$requests" -c 50 -P "$pipeline" -q \
      -t "$t" >>"$work/$name"
  done
  redis-cli "${client_tls[@]}" -p "$port" shutdown nosave >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  pid=""
}
simplekv_tls() {
  JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g}" "${SIMPLEKV_LAUNCHER:-$root/scripts/simplekv-server}" --port 0 \
    --tls-port "$1" --dir "$2" "${server_tls[@]}" &
}
redis_tls() {
  redis-server --port 0 --tls-port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$2" --daemonize yes \
    "${server_tls[@]}"
}
measure simplekv simplekv_tls
measure redis redis_tls

echo "| test | simplekv TLS: req/s, µs CPU/req | redis TLS: req/s, µs CPU/req | req/s simplekv ÷ redis | CPU/req simplekv ÷ redis |"
echo "|---|---|---|---|---|"
paste -d' ' "$work/simplekv" "$work/redis" | while read -r name s sc _ r rc; do
  awk -v n="$name" -v s="$s" -v sc="$sc" -v r="$r" -v rc="$rc" 'BEGIN {
    printf "| %s | %.0f, %.2f | %.0f, %.2f | %.2f | %.2f |\n", n, s, sc, r, rc, s / r, sc / rc }'
done
echo
echo "redis-benchmark --tls -n $requests -c 50 -P $pipeline; $(nproc) cores; $(redis-server --version | cut -d' ' -f1-3); $(java -version 2>&1 | head -1)"
