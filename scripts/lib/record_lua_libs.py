"""Records Redis 7.0.15's answers to Lua snippets that use the libraries it preloads for scripts (cjson, cmsgpack,
struct, bit); see scripts/tools/record-lua-libs.sh.

A snippet file (scripts/tools/lua-libs/<lib>.snippets) holds snippets, each starting with a line
    -- snippet: <name>
followed by the body of a Lua function. Each body runs as EVAL inside pcall, and a describe() function (below)
turns what pcall returned into one printable string: strings quoted with bytes outside printable ASCII written as
\\ddd, numbers with %.17g, tables with their entries sorted, so the reply shows types and exact bytes. The same
script text runs under simplekv's libraries in the unit tests (chunk name @user_script, as in Redis), so error
positions count too.

Output (src/test/resources/redis-7.0.15/lua-libs.<lib>.replies), after a first line starting with '#':
    snippet <name>\\n
    script <n>\\n<n bytes: the EVAL script>\\n
    reply <m>\\n<m bytes: the bulk string Redis returned>\\n
"""
import os
import sys

from resp import Conn, RespError

DESCRIBE = r"""local function describe(...)
  local function str(v, depth)
    local t = type(v)
    if t == 'string' then
      return '"' .. string.gsub(v, '[%c\128-\255\\"]', function(c) return '\\' .. string.byte(c) end) .. '"'
    elseif t == 'number' then
      return string.format('%.17g', v)
    elseif t == 'table' then
      if depth > 20 then return '{...}' end
      local items = {}
      for k, x in pairs(v) do items[#items + 1] = str(k, depth + 1) .. '=' .. str(x, depth + 1) end
      table.sort(items)
      return '{' .. table.concat(items, ',') .. '}'
    elseif t == 'userdata' and v == cjson.null then
      return 'cjson.null'
    elseif t == 'nil' or t == 'boolean' then
      return tostring(v)
    end
    return t
  end
  local n = select('#', ...)
  local out = {'#' .. n}
  for i = 1, n do out[#out + 1] = str((select(i, ...)), 0) end
  return table.concat(out, ' ')
end
"""


def read_snippets(path):
    snippets, name, body = [], None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("-- snippet: "):
                if name is not None:
                    snippets.append((name, "".join(body)))
                name, body = line[len("-- snippet: "):].strip(), []
            elif name is not None:
                body.append(line)
    if name is not None:
        snippets.append((name, "".join(body)))
    return snippets


def script_for(body):
    return DESCRIBE + "return describe(pcall(function()\n" + body.rstrip("\n") + "\nend))\n"


def main(port, snippet_dir, out_dir):
    conn = Conn(int(port))
    for fname in sorted(os.listdir(snippet_dir)):
        if not fname.endswith(".snippets"):
            continue
        lib = fname[: -len(".snippets")]
        snippets = read_snippets(os.path.join(snippet_dir, fname))
        names = [n for n, _ in snippets]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            sys.exit("%s: duplicate snippet names %s" % (fname, sorted(dupes)))
        out = [b"# Redis 7.0.15: Lua snippets using the '%s' library, run with EVAL <script> 0. "
               b"Entries: 'snippet <name>', 'script <n>' + script, 'reply <m>' + the bulk string returned.\n"
               % lib.encode()]
        for name, body in snippets:
            script = script_for(body).encode()
            conn.send(Conn.encode("EVAL", script, "0"))
            reply = conn.reply()
            if isinstance(reply, RespError) or not isinstance(reply, bytes):
                sys.exit("%s/%s: expected a bulk string, got %r" % (lib, name, reply))
            out.append(b"snippet %s\n" % name.encode())
            out.append(b"script %d\n%s\n" % (len(script), script))
            out.append(b"reply %d\n%s\n" % (len(reply), reply))
        with open(os.path.join(out_dir, "lua-libs.%s.replies" % lib), "wb") as f:
            f.write(b"".join(out))
        print("%s: %d snippets" % (lib, len(snippets)))
    conn.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
