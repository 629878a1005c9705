"""Records Redis 7.0.15's exact reply bytes for the command cases in scripts/tools/replies/*.cases, in RESP2 and in
RESP3; see scripts/tools/record-replies.sh. The unit tests replay them against simplekv on both engines
(src/test/java/io/simplekv/command/ReplyReferenceTest.java).

A cases file holds cases, each starting with a line
    == <name>
followed by one command per line, split as a POSIX shell would (quotes, backslash escapes). Each case starts on an
empty server: RESET, FLUSHALL, SCRIPT FLUSH, FUNCTION FLUSH, CONFIG RESETSTAT, SELECT 0, then HELLO <protocol>; those replies are
not recorded. A command line starting with '? ' runs, but its reply is not compared (it holds a client id, a time,
a random pick). Lines starting with '#' are comments. Two more prefixes keep what is stable of such a reply:
    '~ '  shape only: the reply's skeleton must match (aggregate types and lengths, each scalar's type, map keys
          exactly and in order) but scalar values are ignored (CONFIG GET in RESP3 is a map, MEMORY STATS has
          Redis's keys in Redis's order, whatever the numbers);
    '* '  unordered: values must match exactly, but the elements of every aggregate are compared as a multiset
          (map pairs by key), for replies Redis builds from a hash table in per-process order (CONFIG GET with
          a glob, PUBSUB CHANNELS, FUNCTION LIST of several libraries).

Output (src/test/resources/redis-7.0.15/replies.<file>.resp2 and .resp3), after a first line starting with '#':
    case <name>\\n
    request <n>\\n<n bytes: the RESP array sent>\\n
    reply <m>\\n<m bytes: everything Redis wrote back for it>\\n      or "reply ?\\n" for a '? ' line
    reply shape <m>\\n<m bytes>\\n  for a '~ ' line,   reply unordered <m>\\n<m bytes>\\n  for a '* ' line
"""
import os
import shlex
import socket
import sys

MARKER = b"__reply_corpus_marker__"
# A command line's prefix -> how its reply is recorded (see the docstring); no prefix: compared byte for byte.
PREFIXES = {"? ": b"?", "~ ": b"shape", "* ": b"unordered"}


def read_cases(path):
    cases, name, lines = [], None, []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("== "):
                if name is not None:
                    cases.append((name, lines))
                name, lines = line[3:].strip(), []
            elif line.strip() and not line.startswith("#"):
                if name is None:
                    sys.exit("%s: a command before the first '== name' line" % path)
                lines.append(line)
    if name is not None:
        cases.append((name, lines))
    names = [n for n, _ in cases]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        sys.exit("%s: duplicate case names %s" % (path, dupes))
    return cases


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else a.encode("latin-1")
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def frame_end(buf, pos=0):
    """The end of the whole RESP2/RESP3 value starting at buf[pos], or -1 when buf does not hold all of it yet."""
    eol = buf.find(b"\r\n", pos)
    if eol < 0:
        return -1
    kind, head, end = buf[pos:pos + 1], buf[pos + 1:eol], eol + 2
    if kind in b"$=!":
        n = int(head)
        return end if n < 0 else (end + n + 2 if len(buf) >= end + n + 2 else -1)
    if kind in b"*~>%|":
        n = int(head)
        for _ in range(2 * n if kind in b"%|" else max(n, 0)):
            end = frame_end(buf, end)
            if end < 0:
                return -1
        # An attribute describes the value after it: the two are one reply.
        return frame_end(buf, end) if kind == b"|" else end
    return end


class Raw:
    """Sends a command followed by PING <marker>, and returns every byte that came back before the marker's reply
    (RESP2 subscribed mode answers that PING as ["pong", marker]). Replies are read whole, value by value, so a
    reply that merely contains the marker (SLOWLOG GET lists the PINGs) does not end the command's reply early.
    After MULTI the marker would only be queued, so MULTI, and a command inside it other than EXEC, DISCARD or RESET,
    goes alone and its reply is its one line (+OK, +QUEUED or an error)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buf = b""
        self.in_multi = False

    def run(self, args):
        name = (args[0] if isinstance(args[0], bytes) else args[0].encode("latin-1")).upper() if args else b""
        if name == b"MULTI" or (self.in_multi and name not in (b"EXEC", b"DISCARD", b"RESET")):
            self.sock.sendall(encode(args))
            reply = self._line()
            self.in_multi = self.in_multi or reply == b"+OK\r\n"
            return reply
        reply = self._with_marker(args)
        if name in (b"EXEC", b"DISCARD", b"RESET"):
            self.in_multi = False
        return reply

    def _line(self):
        while b"\r\n" not in self.buf:
            self._receive()
        at = self.buf.index(b"\r\n") + 2
        reply, self.buf = self.buf[:at], self.buf[at:]
        return reply

    def _receive(self):
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("connection closed")
        self.buf += chunk

    def _with_marker(self, args):
        self.sock.sendall(encode(args) + encode([b"PING", MARKER]))
        plain = b"$%d\r\n%s\r\n" % (len(MARKER), MARKER)
        markers = (plain, b"*2\r\n$4\r\npong\r\n" + plain)
        at = 0
        while True:
            end = frame_end(self.buf, at) if at < len(self.buf) else -1
            if end < 0:
                self._receive()
                continue
            if self.buf[at:end] in markers:
                reply, self.buf = self.buf[:at], self.buf[end:]
                return reply
            at = end


def record(port, cases_path, out_path, proto):
    conn = Raw(port)
    out = [b"# Redis 7.0.15: the cases of scripts/tools/replies/%s in RESP%d (scripts/tools/record-replies.sh)\n"
           % (os.path.basename(cases_path).encode(), proto)]
    for name, lines in read_cases(cases_path):
        for setup in (["RESET"], ["FLUSHALL"], ["SCRIPT", "FLUSH"], ["FUNCTION", "FLUSH"],
                      ["CONFIG", "RESETSTAT"], ["SELECT", "0"], ["HELLO", str(proto)]):
            conn.run(setup)
        out.append(b"case %s\n" % name.encode())
        for line in lines:
            mode = PREFIXES.get(line[:2])
            args = shlex.split(line[2:] if mode is not None else line)
            request = encode(args)
            reply = conn.run(args)
            out.append(b"request %d\n%s\n" % (len(request), request))
            if mode == b"?":
                out.append(b"reply ?\n")
            else:
                out.append(b"reply %s%d\n%s\n" % (mode + b" " if mode else b"", len(reply), reply))
    with open(out_path, "wb") as f:
        f.write(b"".join(out))


def main(port, cases_dir, out_dir, only=None):
    for fname in sorted(os.listdir(cases_dir)):
        if not fname.endswith(".cases"):
            continue
        group = fname[: -len(".cases")]
        if only and group not in only:
            continue
        for proto in (2, 3):
            record(int(port), os.path.join(cases_dir, fname),
                   os.path.join(out_dir, "replies.%s.resp%d" % (group, proto)), proto)
        print("recorded", group)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], set(sys.argv[4:]))
