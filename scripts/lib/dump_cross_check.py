"""DUMP on one server, RESTORE on the other, both ways (see scripts/dump-cross-check.sh): every value read back
from the restored key must equal the original's. Exits 1 on any difference."""
import sys

from resp import Conn, RespError

KEYS = ["str", "int", "neg", "lzf", "big", "list", "biglist", "iset", "set", "bigset", "zset", "bigzset",
        "hash", "bighash"]


def fill(c):
    c.call("FLUSHALL")
    c.call("SET", "str", "hello")
    c.call("SET", "int", "12345")
    c.call("SET", "neg", "-7")
    c.call("SET", "lzf", "x" * 100)
    c.call("SET", "big", ("0123456789abcdef" * 65536)[:1000003])
    c.call("RPUSH", "list", "a", "b", "1", "-200", "70000", "9999999999")
    c.call("RPUSH", "biglist", *["element-%d" % i for i in range(5000)])
    c.call("SADD", "iset", "1", "2", "-3", "100000")
    c.call("SADD", "set", "a", "b", "c")
    c.call("SADD", "bigset", *["m%d" % i for i in range(2000)])
    c.call("ZADD", "zset", "1.5", "a", "-2", "b", "3", "c")
    args = []
    for i in range(2000):
        args += [str(i / 7), "m%d" % i]
    c.call("ZADD", "bigzset", "inf", "top", "-inf", "bottom", *args)
    c.call("HSET", "hash", "f1", "v1", "f2", "22")
    c.call("HSET", "bighash", *[x for i in range(2000) for x in ("f%d" % i, "v%d" % i * 3)])


def value(c, k):
    t = c.call("TYPE", k)
    if t == "string":
        return c.call("GET", k)
    if t == "list":
        return c.call("LRANGE", k, 0, -1)
    if t == "set":
        return sorted(c.call("SMEMBERS", k))
    if t == "zset":
        return c.call("ZRANGE", k, 0, -1, "WITHSCORES")
    if t == "hash":
        return sorted(c.call("HGETALL", k))
    return t


def cross(src, dst, name):
    bad = 0
    for k in KEYS:
        payload = src.call("DUMP", k)
        try:
            reply = dst.call("RESTORE", k + ":copy", 0, payload, "REPLACE")
        except RespError as e:
            reply = str(e)
        if reply not in ("OK", b"OK") or value(src, k) != value(dst, k + ":copy"):
            print("%s: %s differs (RESTORE said %r)" % (name, k, reply))
            bad += 1
    return bad


def main():
    redis, skv = Conn(int(sys.argv[1])), Conn(int(sys.argv[2]))
    fill(redis)
    fill(skv)
    bad = cross(redis, skv, "redis-server DUMP -> simplekv RESTORE") + cross(skv, redis, "simplekv DUMP -> redis-server RESTORE")
    print("dump-cross-check: %d keys each way, %d differences" % (len(KEYS), bad))
    sys.exit(1 if bad else 0)


main()
