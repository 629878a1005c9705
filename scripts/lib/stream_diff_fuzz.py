"""Stream commands at random against redis-server 7.0.15 and simplekv side by side, comparing every reply (XINFO
STREAM's radix-tree-nodes aside). Driven by scripts/stream-diff-fuzz.sh. Explicit and ms-* IDs, MAXLEN/MINID trims
with = and ~ and LIMIT, XDEL, ranges with exclusive bounds, consumer groups (XREADGROUP, XACK, XCLAIM and XAUTOCLAIM
with JUSTID, so no reply holds a time) and tiny stream-node-max-entries/-bytes, so pages split, empty and go as
Redis's listpack nodes do. Prints each differing reply; exits 1 if any.
Usage: stream_diff_fuzz.py REDIS_PORT SIMPLEKV_PORT SEED STEPS [verbose]"""
import random
import socket
import sys


def enc(args):
    return ("*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(str(a).encode()), a) for a in args)).encode()


class Incomplete(Exception):
    pass

def _parse(b, i):
    eol = b.find(b"\r\n", i)
    if eol < 0: raise Incomplete()
    t, line, j = b[i:i+1], b[i+1:eol], eol + 2
    if t in (b"+", b"-", b":", b"_", b",", b"#"):
        return t + line, j
    if t == b"$":
        n = int(line)
        if n < 0: return b"nil", j
        if len(b) < j + n + 2: raise Incomplete()
        return b[j:j+n], j + n + 2
    if t in (b"*", b"%", b"~"):
        n = int(line)
        if n < 0: return b"nilarr", j
        out = []
        for _ in range(n * (2 if t == b"%" else 1)):
            v, j = _parse(b, j)
            out.append(v)
        return out, j
    raise ValueError(b[i:i+50])

class C:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.settimeout(10)
        self.buf = b""
    def call(self, *a):
        self.s.sendall(enc(a))
        while True:
            try:
                v, j = _parse(self.buf, 0)
                self.buf = self.buf[j:]
                return v
            except Incomplete:
                self.buf += self.s.recv(65536)

def norm(cmd, v):
    c = cmd[0].upper()
    if c == "XPENDING" and len(cmd) > 3 and isinstance(v, list):
        v = [[e[0], e[1], b":?", e[3]] if isinstance(e, list) and len(e) == 4 else e for e in v]  # idle times
    if c == "XINFO" and isinstance(v, list):
        v = list(v)
        for k in range(0, len(v) - 1, 2):
            if v[k] == b"radix-tree-nodes": v[k + 1] = b":?"
    return v

VERBOSE = False


def main(p1, p2, seed, steps):
    rnd = random.Random(seed)
    a, b = C(p1), C(p2)
    entries, nbytes = str(rnd.choice([2, 3, 5, 100])), str(rnd.choice([60, 150, 4096]))
    for c in (a, b):
        c.call("FLUSHALL")
        c.call("CONFIG", "SET", "stream-node-max-entries", entries)
        c.call("CONFIG", "SET", "stream-node-max-bytes", nbytes)
    ms = 1
    keys = ["s1", "s2"]
    diffs = 0
    for step in range(steps):
        k = rnd.choice(keys)
        op = rnd.random()
        def rid():
            return "%d-%d" % (rnd.randint(0, ms + 1), rnd.randint(0, 3))
        if op < 0.35:
            ms += rnd.randint(0, 2)
            fields = []
            for f in range(rnd.randint(1, 3)):
                fields += [rnd.choice(["f", "g", "name", "f%d" % f]), rnd.choice(["v", "12", "-5", "x" * rnd.randint(0, 70), str(rnd.randint(0, 10**6))])]
            idform = rnd.choice(["%d-*" % ms, "%d-%d" % (ms, rnd.randint(0, 5)), "%d" % ms])
            trim = rnd.choice([[], [], ["MAXLEN", rnd.choice(["~", "="]), str(rnd.randint(0, 30))],
                               ["MINID", rnd.choice(["~", "="]), rid()],
                               ["MAXLEN", "~", str(rnd.randint(0, 30)), "LIMIT", str(rnd.randint(0, 12))]])
            cmd = ["XADD", k] + trim + [idform] + fields
        elif op < 0.45:
            cmd = ["XDEL", k] + [rid() for _ in range(rnd.randint(1, 3))]
        elif op < 0.52:
            cmd = ["XTRIM", k] + rnd.choice([["MAXLEN", rnd.choice(["~", "="]), str(rnd.randint(0, 30))],
                                              ["MINID", rnd.choice(["~", "="]), rid()],
                                              ["MINID", "~", rid(), "LIMIT", str(rnd.randint(0, 12))]])
        elif op < 0.62:
            lo, hi = rnd.choice(["-", rid(), "(" + rid()]), rnd.choice(["+", rid(), "(" + rid()])
            cmd = [rnd.choice(["XRANGE", "XREVRANGE"]), k, lo, hi] + rnd.choice([[], ["COUNT", str(rnd.randint(0, 6))]])
        elif op < 0.64:
            cmd = ["XLEN", k]
        elif op < 0.68:
            cmd = ["XINFO", "STREAM", k]
        elif op < 0.72:
            cmd = ["XGROUP", "CREATE", k, rnd.choice(["g1", "g2"]), rnd.choice(["$", "0", rid()])] + rnd.choice([[], ["MKSTREAM"], ["ENTRIESREAD", str(rnd.randint(0, 5))]])
        elif op < 0.75:
            cmd = ["XGROUP", "SETID", k, rnd.choice(["g1", "g2"]), rnd.choice(["$", "0", rid()])]
        elif op < 0.83:
            cmd = ["XREADGROUP", "GROUP", rnd.choice(["g1", "g2"]), rnd.choice(["c1", "c2", "c3"]), "COUNT", str(rnd.randint(1, 4))] + \
                  rnd.choice([[], ["NOACK"]]) + ["STREAMS", k, rnd.choice([">", ">", "0", rid()])]
        elif op < 0.88:
            cmd = ["XACK", k, rnd.choice(["g1", "g2"])] + [rid() for _ in range(rnd.randint(1, 3))]
        elif op < 0.91:
            cmd = ["XPENDING", k, rnd.choice(["g1", "g2"])]
        elif op < 0.94:
            cmd = ["XCLAIM", k, rnd.choice(["g1", "g2"]), rnd.choice(["c1", "c4"]), "0"] + [rid() for _ in range(rnd.randint(1, 3))] + \
                  ["JUSTID"] + rnd.choice([[], ["FORCE"], ["RETRYCOUNT", "3"]])
        elif op < 0.96:
            cmd = ["XAUTOCLAIM", k, rnd.choice(["g1", "g2"]), rnd.choice(["c1", "c5"]), "0", rnd.choice(["-", rid()]), "COUNT", str(rnd.randint(1, 4)), "JUSTID"]
        elif op < 0.965:
            cmd = rnd.choice([["XGROUP", "DELCONSUMER", k, "g1", rnd.choice(["c1", "c2"])],
                              ["XGROUP", "CREATECONSUMER", k, "g2", rnd.choice(["c1", "c9"])],
                              ["XGROUP", "DESTROY", k, rnd.choice(["g1", "g2"])],
                              ["XSETID", k, rid()] + rnd.choice([[], ["ENTRIESADDED", str(rnd.randint(0, 40))],
                                                                 ["MAXDELETEDID", rid()]])])
        elif op < 0.97:
            cmd = ["XPENDING", k, rnd.choice(["g1", "g2"]), rnd.choice(["-", rid()]), "+", str(rnd.randint(0, 5))] + \
                  rnd.choice([[], ["c1"], ["c2"]])
        elif op < 0.975:
            cmd = ["XCLAIM", k, rnd.choice(["g1", "g2"]), "c6", "0", rid(), rid()]
        elif op < 0.98:
            cmd = ["XINFO", "GROUPS", k]
        else:
            cmd = ["XREAD", "COUNT", str(rnd.randint(1, 5)), "STREAMS", "s1", "s2", rid(), rid()]
        if VERBOSE and k == "s1": print(step, " ".join(cmd))
        ra, rb = norm(cmd, a.call(*cmd)), norm(cmd, b.call(*cmd))
        if ra != rb:
            diffs += 1
            print("DIFF seed=%d step=%d: %s\n  redis:    %r\n  simplekv: %r" % (seed, step, " ".join(cmd), ra, rb))
            if diffs > 3: return 1
    return 1 if diffs else 0

if __name__ == "__main__":
    VERBOSE = len(sys.argv) > 5
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
