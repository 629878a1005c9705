#!/usr/bin/env bash
# Fills a real (small tmpfs) disk under a chronicle server and checks what a user sees: writes get a clear
# "-ERR disk full: ..." reply, the server stays up, everything stored before stays readable, and writes work
# again once space is freed. Needs root (mount). Usage: scripts/disk-full-test.sh [tmpfs-size, default 64m]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size="${1:-64m}"
mnt="$(mktemp -d /tmp/skv-diskfull.XXXXXX)"
port=$((20000 + RANDOM % 20000))
mount -t tmpfs -o size="$size" tmpfs "$mnt"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  umount "$mnt" 2>/dev/null || true
  rmdir "$mnt" 2>/dev/null || true
}
trap cleanup EXIT
# A filler the script deletes later, to free space; small first maps so the data dir grows in steps.
dd if=/dev/zero of="$mnt/filler" bs=1M count=8 status=none
mkdir "$mnt/data"
"$root/scripts/simplekv-server" --port "$port" --dir "$mnt/data" --storage chronicle \
  --chronicle-entries 20000 >"$mnt/../skv-diskfull-$port.log" 2>&1 &
pid=$!
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
PYTHONPATH="$root/scripts/lib" python3 - "$port" "$mnt" <<'PY'
import os, sys, time
from resp import Conn, RespError
port, mnt = int(sys.argv[1]), sys.argv[2]
c = Conn(port)
acked, first_error, i = 0, None, 0
value = b"v" * 100
while first_error is None and i < 5_000_000:
    batch = range(i, i + 1000)
    c.send(b"".join(Conn.encode("SET", "key:%d" % n, value) for n in batch) + Conn.encode("HSET", "h:%d" % i, "f", i))
    for n in batch:
        r = c.reply()
        if isinstance(r, RespError):
            first_error = first_error or (n, str(r))
        elif first_error is None:
            acked = n + 1
    c.reply()
    i += 1000
st = os.statvfs(mnt)
print("acknowledged SETs before the disk filled:", acked, "| free bytes:", st.f_bavail * st.f_frsize)
assert first_error, "the disk never filled"
print("first error reply:", first_error[1])
assert first_error[1].startswith("ERR disk full: "), first_error
c.send(Conn.encode("SET", "another", "x")); r = c.reply()
print("next write:", r)
assert isinstance(r, RespError) and str(r).startswith("ERR disk full")
assert c.call("PING") == "PONG"
missing = 0
for lo in range(0, acked, 5000):
    keys = ["key:%d" % n for n in range(lo, min(acked, lo + 5000))]
    got = c.call("MGET", *keys)
    missing += sum(1 for v in got if v != value)
print("acknowledged keys missing or wrong:", missing, "| DBSIZE:", c.call("DBSIZE"))
assert missing == 0
assert c.call("DEL", "key:0") == 1, "a delete still works"
info = c.call("INFO", "persistence").decode()
print([l for l in info.split("\r\n") if l.startswith("storage_")])
os.remove(os.path.join(mnt, "filler"))
time.sleep(1.2)
ok = None
for attempt in range(50):
    c.send(Conn.encode("SET", "after-free", "y")); ok = c.reply()
    if ok == "OK":
        break
    time.sleep(0.2)
print("after freeing 8 MB:", ok)
assert ok == "OK" and c.call("GET", "after-free") == b"y"
print("disk-full test: PASS")
PY
redis-cli -p "$port" shutdown >/dev/null 2>&1 || true
wait "$pid" 2>/dev/null || true
pid=""
grep -c "refused by the storage engine" "$mnt/../skv-diskfull-$port.log" | sed 's/^/log lines for refused writes: /'
grep -i "exception\|error" "$mnt/../skv-diskfull-$port.log" | grep -v "refused by the storage engine" | head -5 || true
