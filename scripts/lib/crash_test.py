"""kill -9 under load, restart, and check every acknowledged write. Driven by scripts/crash-test.sh."""
import os, random, shutil, signal, socket, subprocess, sys, tempfile, threading, time
from resp import Conn, RespError, free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WRITERS = 6




def start(port, data, log):
    t0 = time.time()
    proc = subprocess.Popen([os.path.join(ROOT, "scripts/simplekv-server"), "--port", str(port), "--dir", data,
                             "--storage", "chronicle"], stdout=log, stderr=subprocess.STDOUT)
    while True:
        try:
            c = Conn(port, timeout=5)
            if c.call("PING") == "PONG":
                return proc, c, time.time() - t0
        except (OSError, RespError):
            if proc.poll() is not None:
                raise SystemExit("server exited with %s; see %s" % (proc.returncode, log.name))
            time.sleep(0.02)


class Writer(threading.Thread):
    """One client writing strings, a counter, a list, a hash, a sorted set and a stream with a consumer group, one
    command at a time (or, for odd writers, the first four in one pipelined packet), noting each
    acknowledgement. The sorted set grows past its packed form and has members rescored across it, so a kill lands
    while leaves split and members move (its order is rebuilt from the stored leaves at the restart)."""

    def __init__(self, port, run, w, stop):
        super().__init__(daemon=True)
        self.port, self.run_, self.w, self.stop = port, run, w, stop
        self.sets = {}            # key -> value, acknowledged
        self.incr_acked = 0       # last counter value acknowledged
        self.incr_sent = 0
        self.rpush_acked = 0      # list length acknowledged
        self.rpush_sent = 0
        self.hset_acked = 0       # fields f0..f(n-1) acknowledged
        self.hset_sent = 0
        self.zset = {}            # member -> score, acknowledged
        self.z_pending = None     # (member, score) sent and not acknowledged
        self.xadd_acked = 0       # stream entries 1-0..n-0 acknowledged
        self.xadd_sent = 0
        self.delivered = set()    # entry ids XREADGROUP handed out, acknowledged
        self.xacked = set()       # entry ids XACK acknowledged
        self.xack_pending = None  # the id of an XACK sent and not acknowledged
        self.group = False        # XGROUP CREATE acknowledged
        self.p = "r%d:w%d:" % (run, w)

    def run(self):
        try:
            c = Conn(self.port, timeout=10)
            i = 0
            while not self.stop.is_set():
                k, v = self.p + "k:%d" % i, ("v:%d:" % i) + ("x" * 20000 if i % 200 == 0 else "")
                if self.w % 2:
                    self.pipelined(c, i, k, v)
                else:
                    c.call("SET", k, v)
                    self.sets[k] = v
                    self.incr_sent += 1
                    self.incr_acked = c.call("INCR", self.p + "ctr")
                    self.rpush_sent += 1
                    self.rpush_acked = c.call("RPUSH", self.p + "list", i)
                    self.hset_sent += 1
                    c.call("HSET", self.p + "hash", "f%d" % i, i)
                    self.hset_acked = i + 1
                writes = [("m%d" % i, (i * 7919) % 10007)]
                if i % 2:
                    writes.append(("m%d" % (i // 2), i))  # an earlier member moves to another score
                for m, score in writes:
                    self.z_pending = (m, score)
                    c.call("ZADD", self.p + "zset", score, m)
                    self.zset[m] = score
                    self.z_pending = None
                self.stream_step(c, i)
                i += 1
        except (OSError, ConnectionError, RespError):
            pass  # the server was killed under us

    def pipelined(self, c, i, k, v):
        """Half the writers send SET, INCR, RPUSH and HSET in one packet: the server commits them as one batch, and
        none of the four replies may leave before all four writes are stored."""
        self.incr_sent += 1
        self.rpush_sent += 1
        self.hset_sent += 1
        c.send(Conn.encode("SET", k, v) + Conn.encode("INCR", self.p + "ctr")
               + Conn.encode("RPUSH", self.p + "list", i) + Conn.encode("HSET", self.p + "hash", "f%d" % i, i))
        replies = []
        for _ in range(4):
            r = c.reply()
            if isinstance(r, RespError):
                raise r
            replies.append(r)
            if len(replies) == 1:
                self.sets[k] = v
            elif len(replies) == 2:
                self.incr_acked = r
            elif len(replies) == 3:
                self.rpush_acked = r
            else:
                self.hset_acked = i + 1

    def stream_step(self, c, i):
        """XADD one entry; every third, a consumer reads up to two new entries and acknowledges the first, so a kill
        lands inside XADD, XREADGROUP (the group's last id and pending list) and XACK."""
        key = self.p + "stream"
        if not self.group:
            c.call("XGROUP", "CREATE", key, "g", "0", "MKSTREAM")
            self.group = True
        self.xadd_sent += 1
        c.call("XADD", key, "%d-0" % (i + 1), "f", i)
        self.xadd_acked = i + 1
        if i % 3:
            return
        got = c.call("XREADGROUP", "GROUP", "g", "c", "COUNT", 2, "STREAMS", key, ">")
        ids = [e[0].decode() for e in got[0][1]] if got else []
        self.delivered.update(ids)
        if ids:
            self.xack_pending = ids[0]
            c.call("XACK", key, "g", ids[0])
            self.xacked.add(ids[0])
            self.xack_pending = None


def verify_stream(c, wr):
    """Acknowledged XADDs are there in order; acknowledged XACKs are not pending; delivered, unacknowledged entries are."""
    key = wr.p + "stream"
    entries = c.call("XRANGE", key, "-", "+")
    ids = [e[0].decode() for e in entries]
    if ids != ["%d-0" % n for n in range(1, len(ids) + 1)] or not wr.xadd_acked <= len(ids) <= wr.xadd_sent:
        return ["stream %s: %d entries (acknowledged %d, sent %d), in order: %s" % (
            key, len(ids), wr.xadd_acked, wr.xadd_sent, ids == ["%d-0" % n for n in range(1, len(ids) + 1)])]
    if not wr.group:
        return []
    pending = {p[0].decode() for p in c.call("XPENDING", key, "g", "-", "+", 1000000)}
    if wr.xacked & pending:
        return ["stream %s: acknowledged XACK of %s, still pending" % (key, sorted(wr.xacked & pending)[:3])]
    lost = wr.delivered - wr.xacked - pending - {wr.xack_pending}
    if lost:
        return ["stream %s: delivered %s, not acknowledged, not pending" % (key, sorted(lost)[:3])]
    return []


def verify(c, writers):
    """Returns (acknowledged writes checked, problems)."""
    problems, checked = [], 0
    for wr in writers:
        keys = list(wr.sets)
        for lo in range(0, len(keys), 2000):
            batch = keys[lo:lo + 2000]
            got = c.call("MGET", *batch)
            for k, g in zip(batch, got):
                checked += 1
                if g is None or g.decode() != wr.sets[k]:
                    problems.append("SET %s: %r" % (k, None if g is None else g[:40]))
        ctr = int(c.call("GET", wr.p + "ctr") or 0)
        checked += wr.incr_acked
        if not wr.incr_acked <= ctr <= wr.incr_sent:
            problems.append("INCR %sctr = %d, acknowledged %d, sent %d" % (wr.p, ctr, wr.incr_acked, wr.incr_sent))
        items = c.call("LRANGE", wr.p + "list", 0, -1)
        checked += wr.rpush_acked
        if not wr.rpush_acked <= len(items) <= wr.rpush_sent or [int(x) for x in items] != list(range(len(items))):
            problems.append("list %slist: %d items (acknowledged %d), in order: %s" % (
                wr.p, len(items), wr.rpush_acked, [int(x) for x in items] == list(range(len(items)))))
        h = c.call("HGETALL", wr.p + "hash")
        fields = dict(zip(h[0::2], h[1::2]))
        checked += wr.hset_acked
        for n in range(wr.hset_acked):
            if fields.get(b"f%d" % n) != str(n).encode():
                problems.append("HSET %shash f%d missing" % (wr.p, n))
                break
        if not wr.hset_acked <= len(fields) <= wr.hset_sent:
            problems.append("hash %shash has %d fields, acknowledged %d" % (wr.p, len(fields), wr.hset_acked))
        checked += len(wr.zset)
        problems += verify_zset(c, wr)
        checked += wr.xadd_acked + len(wr.xacked)
        problems += verify_stream(c, wr)
    return checked, problems


def verify_zset(c, wr):
    """Every acknowledged ZADD is there (the one in flight at the kill may or may not be), in Redis's order."""
    got = c.call("ZRANGE", wr.p + "zset", 0, -1, "WITHSCORES")
    pairs = [(got[i], float(got[i + 1])) for i in range(0, len(got), 2)]
    actual = {m.decode(): score for m, score in pairs}
    for m in set(wr.zset) | set(actual):
        if actual.get(m) == wr.zset.get(m):
            continue
        if wr.z_pending and m == wr.z_pending[0] and actual.get(m) == wr.z_pending[1]:
            continue
        return ["ZADD %szset %s: score %s, acknowledged %s" % (wr.p, m, actual.get(m), wr.zset.get(m))]
    if pairs != sorted(pairs, key=lambda p: (p[1], p[0])):
        return ["zset %szset is out of order" % wr.p]
    for rank in range(0, len(pairs), 97):
        if c.call("ZRANK", wr.p + "zset", pairs[rank][0]) != rank:
            return ["zset %szset: ZRANK of %s is not %d" % (wr.p, pairs[rank][0].decode(), rank)]
    return []


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    work = tempfile.mkdtemp(prefix="skv-crash.")
    data = os.path.join(work, "data")
    log = open(os.path.join(work, "server.log"), "ab")
    port = free_port()
    all_writers, total_lost, t_all = [], 0, time.time()
    print("crash test: %d runs, %d writers, data in %s" % (runs, WRITERS, data))
    for run in range(runs + 1):
        proc, c, ready = start(port, data, log)
        checked, problems = verify(c, all_writers)
        total_lost += len(problems)
        if run > 0:
            print("run %2d: restart after kill -9 served PING in %.2fs; %d acknowledged writes checked, lost=%d%s" % (
                run, ready, checked, len(problems), "" if not problems else " " + "; ".join(problems[:5])), flush=True)
        if run == runs:
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)
            break
        stop = threading.Event()
        writers = [Writer(port, run, w, stop) for w in range(WRITERS)]
        for w in writers:
            w.start()
        time.sleep(random.uniform(1.0, 3.0))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        stop.set()
        for w in writers:
            w.join(15)
        all_writers.extend(writers)
        c.close()
    print("crash test: %d runs, lost=%d in total, %.0fs" % (runs, total_lost, time.time() - t_all))
    log.close()
    if total_lost == 0:
        shutil.rmtree(work)
    else:
        print("kept", work)
    sys.exit(1 if total_lost else 0)


if __name__ == "__main__":
    main()
