"""What a script costs a server beyond running it, for scripts/bench-scripts.sh.

  compile PORT N   N EVALs of bodies the server has never seen, one at a time, against N EVALs of one cached
                   body: prints microseconds per call for each and the difference (compiling and caching a body).
  load PORT N      SCRIPT LOAD of N distinct bodies, pipelined; prints how long it took.

Every body has the same shape as the benchmark's script (one GET, one SET) and a nonce, so no earlier run's cache
can hold it.
"""
import os, sys, time
from resp import Conn, RespError

NONCE = os.urandom(4).hex()
KEY = "cost:key"


def body(tag, i):
    return ("local v = redis.call('GET', KEYS[1]) redis.call('SET', KEYS[1], ARGV[1]) return '%s-%s-%d'"
            % (NONCE, tag, i))


def timed_evals(conn, bodies):
    """Seconds for EVAL of each body in turn, each waiting for its reply, as a client without pipelining does."""
    start = time.perf_counter()
    for b in bodies:
        conn.call("EVAL", b, 1, KEY, "v")
    return time.perf_counter() - start


def compile_cost(port, n):
    conn = Conn(port)
    timed_evals(conn, [body("warm", i) for i in range(n // 2)])  # the server's compile path warmed up first
    fresh = timed_evals(conn, [body("new", i) for i in range(n)])
    cached = timed_evals(conn, [body("cached", 0)] * n)
    conn.close()
    per = lambda s: s / n * 1e6
    print("compile %.1f %.1f %.1f" % (per(fresh), per(cached), per(fresh) - per(cached)))


def load(port, n, batch=500):
    conn = Conn(port)
    start = time.perf_counter()
    for lo in range(0, n, batch):
        hi = min(n, lo + batch)
        conn.send(b"".join(Conn.encode("SCRIPT", "LOAD", body("load", i)) for i in range(lo, hi)))
        for _ in range(lo, hi):
            r = conn.reply()
            if isinstance(r, RespError):
                raise r
    print("load %.2f" % (time.perf_counter() - start))
    conn.close()


if __name__ == "__main__":
    what, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    {"compile": compile_cost, "load": load}[what](port, n)
