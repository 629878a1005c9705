"""Restart times, memory and disk for simplekv-chronicle vs redis-server (RDB, AOF). Driven by scripts/bench-restart.sh."""
import os, shutil, signal, socket, subprocess, sys, time
from resp import Conn, RespError, free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.environ.get("BENCH_DIR", "/tmp/skv-bench-restart")
VALUE = b"v" * 20




def resp_file(n):
    """key:0..key:n-1 -> 20-byte value, plus n/100 hashes of 10 fields, as RESP, made once per count."""
    path = os.path.join(WORK, "load-%d.resp" % n)
    if os.path.exists(path):
        return path
    tmp = path + ".tmp"
    with open(tmp, "wb", buffering=1 << 22) as f:
        head = b"*3\r\n$3\r\nSET\r\n"
        val = b"$20\r\n" + VALUE + b"\r\n"
        for lo in range(0, n, 100000):
            out = []
            for i in range(lo, min(n, lo + 100000)):
                k = b"key:%d" % i
                out.append(b"%s$%d\r\n%s\r\n%s" % (head, len(k), k, val))
            f.write(b"".join(out))
        for h in range(n // 100):
            k = b"hash:%d" % h
            parts = [b"*22\r\n$4\r\nHSET\r\n$%d\r\n%s\r\n" % (len(k), k)]
            for j in range(10):
                fld = b"field%d" % j
                parts.append(b"$%d\r\n%s\r\n$10\r\nvalue-%04d\r\n" % (len(fld), fld, j))
            f.write(b"".join(parts))
    os.rename(tmp, path)
    return path


class Target:
    def __init__(self, name, n):
        self.name, self.n = name, n
        self.dir = os.path.join(WORK, name)
        self.port = free_port()
        self.proc = None
        self.log = open(os.path.join(WORK, name + ".log"), "ab")

    def cmd(self):
        if self.name == "simplekv":
            return [os.path.join(ROOT, "scripts/simplekv-server"), "--port", str(self.port), "--dir", self.dir,
                    "--storage", "chronicle", "--chronicle-entries", str(max(self.n, 1000000)),
                    "--chronicle-average-key-size", "12", "--chronicle-average-value-size", "24"]
        base = ["redis-server", "--port", str(self.port), "--dir", self.dir, "--save", "", "--daemonize", "no"]
        if self.name == "redis-aof":
            return base + ["--appendonly", "yes", "--appendfsync", "everysec"]
        return base + ["--appendonly", "no"]

    def start(self, probe=b"key:1"):
        """Starts the server; returns seconds from process start to the first successful GET of `probe`."""
        os.makedirs(self.dir, exist_ok=True)
        t0 = time.time()
        self.proc = subprocess.Popen(self.cmd(), stdout=self.log, stderr=subprocess.STDOUT)
        c = None
        while True:
            try:
                if c is None:
                    c = Conn(self.port, timeout=600)
                r = c.call("GET", probe)
                if r is not None or self.n == 0:
                    took = time.time() - t0
                    c.close()
                    return took
            except (OSError, ConnectionError):
                c = None
                if self.proc.poll() is not None:
                    raise SystemExit("%s exited (%s)" % (self.name, self.proc.returncode))
            except RespError:
                pass  # -LOADING while Redis reads its file
            time.sleep(0.002)

    def conn(self):
        return Conn(self.port, timeout=600)

    def shutdown(self):
        c = self.conn()
        c.send(Conn.encode("SHUTDOWN", "SAVE") if self.name == "redis-rdb" else Conn.encode("SHUTDOWN"))
        try:
            c.reply()
        except (OSError, ConnectionError):
            pass
        self.proc.wait(600)

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def rss(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024

    def disk(self):
        return int(subprocess.check_output(["du", "-sb", self.dir]).split()[0])

    def disk_allocated(self):
        return int(subprocess.check_output(["du", "-sB1", self.dir]).split()[0])


def mb(b):
    return "%.0f MB" % (b / 1e6)


def main():
    counts = [int(x) for x in sys.argv[1:]] or [1000000, 10000000]
    os.makedirs(WORK, exist_ok=True)
    rows = []
    # The empty store: what a restart costs with nothing in it.
    empty = Target("simplekv", 0)
    shutil.rmtree(empty.dir, ignore_errors=True)
    empty.start()
    empty.shutdown()
    empty_clean = empty.start()
    empty.shutdown()
    shutil.rmtree(empty.dir, ignore_errors=True)
    print("simplekv-chronicle, empty store: first GET %.2fs after process start" % empty_clean, flush=True)
    for n in counts:
        t = time.time()
        path = resp_file(n)
        print("%d keys: RESP file %s (%s) ready in %.0fs" % (n, path, mb(os.path.getsize(path)), time.time() - t), flush=True)
        for name in ["simplekv", "redis-rdb", "redis-aof"]:
            tg = Target(name, n)
            shutil.rmtree(tg.dir, ignore_errors=True)
            tg.n = 0
            tg.start()
            tg.n = n
            t = time.time()
            with open(path, "rb") as f:
                out = subprocess.run(["redis-cli", "-p", str(tg.port), "--pipe"], stdin=f, capture_output=True)
            load = time.time() - t
            c = tg.conn()
            keys = c.call("DBSIZE")
            used = None
            if name.startswith("redis"):
                info = c.call("INFO", "memory").decode()
                used = int([l for l in info.split("\r\n") if l.startswith("used_memory:")][0].split(":")[1])
            c.close()
            rss = tg.rss()
            tg.shutdown()
            disk = tg.disk()
            alloc = tg.disk_allocated()
            clean = tg.start()
            rss_after = tg.rss()
            tg.kill9()
            killed = tg.start()
            c = tg.conn()
            ok = c.call("DBSIZE") == keys and c.call("GET", "key:%d" % (n - 1)) == VALUE \
                and c.call("HGET", "hash:%d" % (n // 100 - 1), "field9") == b"value-0009"
            c.close()
            tg.shutdown()
            row = dict(name=name, n=n, keys=keys, load=load, rss=rss, used=used, disk=disk, alloc=alloc,
                       clean=clean, killed=killed, rss_after=rss_after, ok=ok, pipe=out.stdout.decode().strip().splitlines()[-1:])
            rows.append(row)
            print("  %-9s loaded %d keys in %.1fs (%s); RSS %s%s; on disk %s (allocated %s); first GET after SHUTDOWN %.2fs, "
                  "after kill -9 %.2fs; RSS right after restart %s; data intact: %s" % (
                      name, keys, load, row["pipe"], mb(rss), "" if used is None else ", used_memory " + mb(used),
                      mb(disk), mb(alloc), clean, killed, mb(rss_after), ok), flush=True)
            shutil.rmtree(tg.dir, ignore_errors=True)
    print()
    print("| keys | | simplekv-chronicle | Redis RDB | Redis AOF everysec |")
    print("|---|---|---|---|---|")
    for n in counts:
        r = {x["name"]: x for x in rows if x["n"] == n}
        s, d, a = r["simplekv"], r["redis-rdb"], r["redis-aof"]
        print("| %s | first GET after SHUTDOWN | %.2f s | %.2f s | %.2f s |" % ("{:,}".format(n), s["clean"], d["clean"], a["clean"]))
        print("| | first GET after kill -9 | %.2f s | %.2f s | %.2f s |" % (s["killed"], d["killed"], a["killed"]))
        print("| | load via redis-cli --pipe | %.1f s | %.1f s | %.1f s |" % (s["load"], d["load"], a["load"]))
        print("| | RSS after load | %s | %s | %s |" % (mb(s["rss"]), mb(d["rss"]), mb(a["rss"])))
        print("| | Redis used_memory | | %s | %s |" % (mb(d["used"]), mb(a["used"])))
        print("| | on disk (du, allocated) | %s | %s | %s |" % (mb(s["alloc"]), mb(d["alloc"]), mb(a["alloc"])))
    print("\nsimplekv empty store: first GET %.2f s" % empty_clean)


if __name__ == "__main__":
    main()
