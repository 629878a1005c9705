"""Records a live Redis 7.0.15's answers about its commands (see scripts/tools/record-redis-commands.sh).

Raw reply files hold one entry per request, in the order asked:
    request <n>\\n<n bytes: the request as a RESP array>\\n
    reply <m>\\n<m bytes: the reply exactly as the server sent it>\\n
after a first line starting with '#' that says what the file holds. Files ending .resp2 were asked on a plain
connection, .resp3 after HELLO 3.

The JSON catalog is built from the RESP3 replies (their maps and sets say what is what). Beside what COMMAND INFO
and COMMAND DOCS tell, it names each command's getkeys procedure, which Redis keeps in its source (commands.c) and
does not report: key positions fall back to it where the key specs can't tell (see CommandKeys in simplekv).
"""
import json
import os
import sys

from resp import Conn

# commands.c at tag 7.0.15: the commands that have a getkeys_proc, and which one.
GETKEYS_PROCS = {
    "bitfield": "bitfieldGetKeys",
    "migrate": "migrateGetKeys",
    "sort": "sortGetKeys",
    "sort_ro": "sortROGetKeys",
    "georadius": "georadiusGetKeys",
    "georadiusbymember": "georadiusGetKeys",
    "blmpop": "blmpopGetKeys",
    "lmpop": "lmpopGetKeys",
    "eval": "evalGetKeys",
    "evalsha": "evalGetKeys",
    "evalsha_ro": "evalGetKeys",
    "eval_ro": "evalGetKeys",
    "fcall": "functionGetKeys",
    "fcall_ro": "functionGetKeys",
    "sintercard": "sintercardGetKeys",
    "bzmpop": "blmpopGetKeys",
    "zdiff": "zunionInterDiffGetKeys",
    "zdiffstore": "zunionInterDiffStoreGetKeys",
    "zinter": "zunionInterDiffGetKeys",
    "zintercard": "zunionInterDiffGetKeys",
    "zinterstore": "zunionInterDiffStoreGetKeys",
    "zmpop": "zmpopGetKeys",
    "zunion": "zunionInterDiffGetKeys",
    "zunionstore": "zunionInterDiffStoreGetKeys",
    "xread": "xreadGetKeys",
    "xreadgroup": "xreadGetKeys",
    "set": "setGetKeys",
}

# Requests for COMMAND GETKEYS and GETKEYSANDFLAGS: every getkeys procedure, every kind of key spec, and the errors.
GETKEYS_SAMPLES = """
get k
GET k
get
get a b
mget a b c
mset a 1 b 2
mset a 1 b
msetnx a 1 b 2
set k v
set k v nx ex 10
set k v get
Set k v GET
set k v ex 10 get
set k
getex k ex 10
getdel k
getset k v
append k v
setrange k 0 v
incr k
strlen k
lcs a b
lcs a b idx minmatchlen 2
del a b c
unlink a b
exists a b
touch a
type k
expire k 10
pexpireat k 10 nx
ttl k
persist k
rename a b
renamenx a b
copy a b
copy a b db 1 replace
move k 1
dump k
restore k 0 payload
object encoding k
object freq k
object idletime k
object refcount k
object help
object nosuch k
object
memory usage k
memory usage k samples 5
memory doctor
config get maxmemory
client id
keys *
scan 0
randomkey
dbsize
flushall
swapdb 0 1
ping
ping x
echo x
publish ch msg
spublish ch msg
subscribe a b
ssubscribe a b
sunsubscribe a
pubsub numsub a
watch a b
multi
exec
hset h f v
hget h f
hgetall h
hincrbyfloat h f 1
hscan h 0
hrandfield h 2 withvalues
sadd s a b
smove a b m
sinter a b
sinterstore d a b
sunionstore d a b
sdiffstore d a b
smismember s a
sintercard 2 a b
sintercard 2 a b limit 1
sintercard 3 a b
sintercard x a b
sintercard 0 a
lpush l a
linsert l before p e
lmove a b left right
rpoplpush a b
blmove a b left right 0
brpoplpush a b 0
blpop a b 0
brpop a 0
lmpop 2 a b left
lmpop 1 a right count 2
lmpop x a left
lmpop 3 a b left
blmpop 0 2 a b left
blmpop 0 1 a right count 2
blmpop 0 x a left
zadd z 1 a
zrange z 0 -1
zrangestore d z 0 -1
zrangebyscore z 0 1
zunionstore d 2 a b
zunionstore d 2 a b weights 1 2 aggregate max
zunionstore d x a b
zunionstore d 5 a b
zunionstore d 0 a
zunionstore d -1 a
zinterstore d 1 a
zdiffstore d 2 a b
zunion 2 a b withscores
zunion 0 a
zinter 1 a
zdiff 2 a b
zintercard 2 a b limit 1
zintercard 3 a b
zmpop 1 a min
zmpop 2 a b max count 3
zmpop 5 a min
bzmpop 0 2 a b max count 2
bzmpop 0 1 a min
bzpopmin a b 0
bzpopmax a 0
zrandmember z 2
sort k
sort k store d
sort k by w get # limit 0 10 store d
sort k STORE d1 STORE d2
sort k limit 0 10 alpha desc
sort k store
sort k get store
sort k by store store d
sort_ro k
sort_ro k by w get g
eval "return 1" 2 a b x
eval "return 1" 0
eval "return 1" x a
eval "return 1" 3 a b
evalsha abc 1 a
eval_ro "return 1" 1 a
evalsha_ro abc 2 a b
fcall f 2 a b
fcall f 0
fcall_ro f 1 a
migrate host 6379 k 0 1000
migrate host 6379 k 0 1000 copy replace
migrate host 6379 "" 0 1000 KEYS a b
migrate host 6379 "" 0 1000 copy replace auth pw keys a b
migrate host 6379 "" 0 1000 auth2 u p keys a
migrate host 6379 k 0 1000 keys a b
migrate host 6379 "" 0 1000
geoadd g 1 2 m
geopos g m
geodist g a b
georadius g 0 0 1 km
georadius g 0 0 1 km withdist count 1 asc
georadius g 0 0 1 km store d
georadius g 0 0 1 km storedist d
georadius g 0 0 1 km store d1 storedist d2
georadius g 0 0 1 km store
georadiusbymember g m 1 km store d
georadius_ro g 0 0 1 km
georadiusbymember_ro g m 1 km
geosearch g frommember m byradius 1 km
geosearchstore d g frommember m byradius 1 km storedist
xadd s * f v
xadd s nomkstream maxlen 1 * f v
xrange s - +
xread streams a b 0 0
xread count 1 block 0 streams a 0
xread streams a b 0
xread streams a
xread foo streams a 0
xread streams streams streams 0 0
xreadgroup group g c streams a 0
xreadgroup group g c count 1 noack streams a b 0 0
xreadgroup group g c streams a b 0
xgroup create s g $
xgroup createconsumer s g c
xinfo stream s
xinfo groups s
xautoclaim s g c 0 0
xclaim s g c 0 1-1
xack s g 1-1
pfadd h a
pfcount a b
pfmerge d a b
bitfield k get u8 0
bitfield k set u8 0 1
bitfield k incrby u8 0 1
bitfield k overflow sat get u8 0
bitfield k get u8 0 set u8 0 1
bitfield k get u8
bitfield k foo
bitfield k
bitfield_ro k get u8 0
bitop and d a b
bitcount k
bitpos k 1
setbit k 0 1
getbit k 0
nosuch a
""".strip().splitlines()

MISC_REQUESTS = [
    ["COMMAND", "HELP"],
    ["COMMAND", "help"],
    ["COMMAND", "HELP", "x"],
    ["COMMAND", "FOO"],
    ["COMMAND", "COUNT", "x"],
    ["COMMAND", "GETKEYS"],
    ["COMMAND", "GETKEYS", "get"],
    ["COMMAND", "GETKEYSANDFLAGS"],
    ["COMMAND", "LIST", "FOO"],
    ["COMMAND", "LIST", "FILTERBY"],
    ["COMMAND", "LIST", "FILTERBY", "PATTERN"],
    ["COMMAND", "LIST", "FILTERBY", "FOO", "x"],
    ["COMMAND", "LIST", "FILTERBY", "PATTERN", "x", "y"],
    ["COMMAND", "LIST", "FILTERBY", "PATTERN", "xx*"],
    ["COMMAND", "LIST", "FILTERBY", "PATTERN", "config|g*"],
    ["COMMAND", "LIST", "FILTERBY", "pattern", "ECHO"],
    ["COMMAND", "LIST", "FILTERBY", "MODULE", "nosuch"],
    ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"],
    ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "hyperloglog"],
    ["COMMAND", "INFO", "nosuch"],
    ["COMMAND", "INFO", "get", "nosuch", "MGET"],
    ["COMMAND", "INFO", "GET"],
    ["COMMAND", "INFO", "CONFIG|GET"],
    ["COMMAND", "INFO", "config|nosuch"],
    ["COMMAND", "INFO", "config|"],
    ["COMMAND", "INFO", "get|x"],
    ["COMMAND", "INFO", "config|get|x"],
    ["COMMAND", "INFO", "|get"],
    ["COMMAND", "DOCS", "nosuch"],
    ["COMMAND", "DOCS", "get", "nosuch", "Config|Get"],
    ["COMMAND", "DOCS", "get|x"],
]


def encode(args):
    return Conn.encode(*[a.encode() if isinstance(a, str) else a for a in args])


class Recorder:
    """A connection that keeps every reply's raw bytes beside its parsed value (RESP2 and RESP3 types)."""

    def __init__(self, port, protocol):
        self.conn = Conn(port)
        if protocol == 3:
            self.ask(["HELLO", "3"])

    def ask(self, args):
        self.conn.send(encode(args))
        self.taken = []
        value = self._value()
        return value, b"".join(self.taken)

    def _line(self):
        line = self.conn._line()
        self.taken.append(line + b"\r\n")
        return line

    def _exact(self, n):
        data = self.conn._exact(n)
        self.taken.append(data + b"\r\n")
        return data

    def _value(self):
        line = self._line()
        t, rest = line[:1], line[1:]
        if t in (b"+", b"("):
            return rest.decode()
        if t == b"-":
            return {"error": rest.decode()}
        if t == b":":
            return int(rest)
        if t == b",":
            return float(rest)
        if t == b"#":
            return rest == b"t"
        if t == b"_":
            return None
        if t in (b"$", b"="):
            n = int(rest)
            return None if n < 0 else self._exact(n).decode()
        if t in (b"*", b"~", b">"):
            n = int(rest)
            return None if n < 0 else [self._value() for _ in range(n)]
        if t == b"%":
            n = int(rest)
            pairs = [(self._value(), self._value()) for _ in range(n)]
            return dict(pairs)
        raise ValueError("bad reply line %r" % line)


def split_words(line):
    """A sample line's words; "..." groups one argument ("" is the empty one)."""
    words, cur, quoted = [], None, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
            cur = cur or ""
        elif ch == " " and not quoted:
            if cur is not None:
                words.append(cur)
            cur = None
        else:
            cur = (cur or "") + ch
    if cur is not None:
        words.append(cur)
    return words


def write_entries(path, header, entries):
    with open(path, "wb") as f:
        f.write(("# " + header + "\n").encode())
        for request, reply in entries:
            req = encode(request)
            f.write(b"request %d\n%s\nreply %d\n%s\n" % (len(req), req, len(reply), reply))


def info_json(info, docs, protocol_names):
    """One command's catalog object from its RESP3 COMMAND INFO entry and COMMAND DOCS map."""
    (name, arity, flags, first, last, step, cats, tips, key_specs, subs) = info
    o = {"name": name, "arity": arity, "flags": flags, "acl_categories": cats,
         "first_key": first, "last_key": last, "key_step": step, "tips": tips, "key_specs": key_specs}
    if name in protocol_names:
        o["getkeys_proc"] = protocol_names[name]
    d = dict(docs)
    d.pop("subcommands", None)
    o["docs"] = d
    if subs:
        sub_docs = docs.get("subcommands", {})
        o["subcommands"] = sorted((info_json(s, sub_docs[s[0]], protocol_names) for s in subs), key=lambda x: x["name"])
    return o


def main(port, test_dir, catalog_path):
    os.makedirs(test_dir, exist_ok=True)
    os.makedirs(os.path.dirname(catalog_path), exist_ok=True)
    probe = Recorder(port, 2)
    server_info = probe.ask(["INFO", "server"])[0]
    assert "redis_version:7.0.15" in server_info, "the reference server must be Redis 7.0.15"
    names = sorted(probe.ask(["COMMAND", "LIST"])[0])
    top = [n for n in names if "|" not in n]
    samples = [split_words(s) for s in GETKEYS_SAMPLES]
    header = "Redis 7.0.15, RESP%d: %s. Entries: 'request <n>' + RESP request, 'reply <m>' + raw reply."
    for protocol in (2, 3):
        r = Recorder(port, protocol)
        ext = ".resp%d" % protocol
        write_entries(os.path.join(test_dir, "command-info" + ext), header % (protocol, "COMMAND INFO <name>"),
                      [(req, r.ask(req)[1]) for req in (["COMMAND", "INFO", n] for n in names)])
        write_entries(os.path.join(test_dir, "command-docs" + ext), header % (protocol, "COMMAND DOCS <name>"),
                      [(req, r.ask(req)[1]) for req in (["COMMAND", "DOCS", n] for n in names)])
        getkeys = []
        for words in samples:
            for sub in ("GETKEYS", "GETKEYSANDFLAGS"):
                req = ["COMMAND", sub] + words
                getkeys.append((req, r.ask(req)[1]))
        write_entries(os.path.join(test_dir, "command-getkeys" + ext),
                      header % (protocol, "COMMAND GETKEYS / GETKEYSANDFLAGS <sample request>"), getkeys)
        write_entries(os.path.join(test_dir, "command-misc" + ext), header % (protocol, "other COMMAND forms"),
                      [(req, r.ask(req)[1]) for req in MISC_REQUESTS])
    r3 = Recorder(port, 3)
    catalog = []
    for n in top:
        info = r3.ask(["COMMAND", "INFO", n])[0][0]
        docs = r3.ask(["COMMAND", "DOCS", n])[0][n]
        catalog.append(info_json(info, docs, GETKEYS_PROCS))
    missing = set(GETKEYS_PROCS) - set(top)
    assert not missing, "getkeys procedures for unknown commands: %s" % missing
    with open(catalog_path, "w") as f:
        json.dump(catalog, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("recorded %d commands (%d with subcommands), %d getkeys samples" % (len(top), len(names), len(samples)))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
