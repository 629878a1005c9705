"""DUMP on one server, RESTORE on the other, both ways (see scripts/dump-cross-check.sh): every value read back
from the restored key must equal the original's. Exits 1 on any difference."""
import sys

from resp import Conn, RespError

KEYS = ["str", "int", "neg", "lzf", "big", "list", "biglist", "iset", "set", "bigset", "zset", "bigzset",
        "hash", "bighash", "stream", "emptystream"]


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
    for i in range(1, 351):  # several nodes, fields that differ from the node's master entry, negative seq deltas
        if i % 7 == 0:
            c.call("XADD", "stream", "%d-%d" % (i, i % 3), "other", str(i), "x", "y" * (i % 70))
        else:
            c.call("XADD", "stream", "%d-%d" % (i, i % 3), "f", str(i * 1000 - 5000), "g", "v%d" % i)
    c.call("XDEL", "stream", "14-2", "100-1")
    c.call("XGROUP", "CREATE", "stream", "g1", "0")
    c.call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "stream", ">")
    c.call("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "stream", ">")
    c.call("XACK", "stream", "g1", "2-2")
    c.call("XGROUP", "CREATE", "stream", "g2", "$", "ENTRIESREAD", "350")
    c.call("XGROUP", "CREATECONSUMER", "stream", "g2", "carol")
    c.call("XADD", "emptystream", "1-1", "a", "b")
    c.call("XDEL", "emptystream", "1-1")
    c.call("XGROUP", "CREATE", "emptystream", "ge", "0")


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
    if t == "stream":
        full = c.call("XINFO", "STREAM", k, "FULL")
        # How many rax nodes hold the keys depends on how the tree was built (redis-server reports another number
        # for its own restored copy too): the one field that is not the stream's content.
        i = full.index(b"radix-tree-nodes")
        return [c.call("XRANGE", k, "-", "+"), full[:i] + full[i + 2:]]
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


if __name__ == "__main__":
    main()
