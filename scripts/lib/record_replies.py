"""Records Redis 7.0.15's exact reply bytes for the command cases in scripts/tools/replies/*.cases, in RESP2 and in
RESP3; see scripts/tools/record-replies.sh. The unit tests replay them against simplekv on both engines
(src/test/java/io/simplekv/command/ReplyReferenceTest.java).

A cases file holds cases, each starting with a line
    == <name>
followed by one command per line, split as a POSIX shell would (quotes, backslash escapes). Each case starts on an
empty server: RESET, FLUSHALL, SCRIPT FLUSH, FUNCTION FLUSH, CONFIG RESETSTAT, SELECT 0, then HELLO <protocol>; those replies are
not recorded. A command line starting with '? ' runs, but its reply is not compared (it holds a client id, a time,
a random pick). Lines starting with '#' are comments.

Output (src/test/resources/redis-7.0.15/replies.<file>.resp2 and .resp3), after a first line starting with '#':
    case <name>\\n
    request <n>\\n<n bytes: the RESP array sent>\\n
    reply <m>\\n<m bytes: everything Redis wrote back for it>\\n      or "reply ?\\n" for a '? ' line
"""
import os
import shlex
import socket
import sys

MARKER = b"__reply_corpus_marker__"


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


class Raw:
    """Sends a command followed by PING <marker>, and returns every byte that came back before the marker's reply
    (RESP2 subscribed mode answers that PING as ["pong", marker]). After MULTI the marker would only be queued, so
    MULTI, and a command inside it other than EXEC, DISCARD or RESET, goes alone and its reply is its one line (+OK,
    +QUEUED or an error)."""

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
        subscribed = b"*2\r\n$4\r\npong\r\n" + plain
        while True:
            for end in (subscribed, plain):
                at = self.buf.find(end)
                if at >= 0:
                    reply, self.buf = self.buf[:at], self.buf[at + len(end):]
                    return reply
            self._receive()


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
            unchecked = line.startswith("? ")
            args = shlex.split(line[2:] if unchecked else line)
            request = encode(args)
            reply = conn.run(args)
            out.append(b"request %d\n%s\n" % (len(request), request))
            out.append(b"reply ?\n" if unchecked else b"reply %d\n%s\n" % (len(reply), reply))
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
