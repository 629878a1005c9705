-- The sandbox a script runs in, as Redis 7.0 builds it: only the base, table, string, math libraries (and cjson,
-- cmsgpack, struct, bit), a protected global table (reading a missing name or writing any raises), read-only
-- library tables, Redis's error handler, and the `redis` table. Stock Lua 5.1 has no read-only tables (Redis patches
-- its Lua for that), so scripts run in an empty proxy environment over the real globals, library tables are
-- replaced by empty read-only views, and the raw accessors see through views. Called once, with the Java
-- functions, the extra libraries and whether this state runs FUNCTION libraries (then it also returns the
-- libraries' environment and the functions that open and close a FUNCTION LOAD). Returns the error handler, the
-- environment, and the hook setter.
local J, LIBS, FUNCTIONS = ...
local G, dbg = _G, debug
local type, error, tostring, tonumber, select = type, error, tostring, tonumber, select
local raw_rawset, raw_rawget, raw_next, raw_ipairs, raw_unpack = rawset, rawget, next, ipairs, unpack
local raw_getmetatable, raw_setmetatable, raw_loadstring, setfenv = getmetatable, setmetatable, loadstring, setfenv
local raw_pcall = pcall
local t_insert, t_remove, t_sort, t_concat, t_maxn, t_foreach, t_foreachi, t_getn =
      table.insert, table.remove, table.sort, table.concat, table.maxn, table.foreach, table.foreachi, table.getn
local co_create, co_resume = coroutine.create, coroutine.resume
local READONLY = 'Attempt to modify a readonly table'

-- What an extra library sees as it loads (on first use, once the sandbox is built): the globals as they were
-- before it, and copies of the library tables as they were, so a library captures the stock functions.
local LIBENV = {}
for k, v in raw_next, G do
  if type(v) == 'table' and v ~= G then
    local c = {}
    for k2, v2 in raw_next, v do c[k2] = v2 end
    v = c
  end
  LIBENV[k] = v
end
LIBENV._G = LIBENV

for _, k in raw_ipairs{'java', 'print', 'dofile', 'loadfile', 'getfenv', 'setfenv', 'newproxy',
                       'module', 'require', 'package', 'io', 'os', 'debug'} do G[k] = nil end


-- LuaJava's Java functions are C closures (their Java object is an upvalue, out of reach without debug), so
-- like Redis's C functions they keep the caller's frame, which the error handler reports, on a tail call.
local jkill = J.kill

local function err_table(msg) return {err = msg} end
-- luaPushErrorBuff: "-CODE msg" keeps its code, a bare message gets ERR; trailing CR/LF go
local function redis_error(e)
  if e:sub(1, 1) == '-' then
    local sp = e:find(' ', 1, true)
    if sp then e = e:sub(2, sp - 1) .. ' ' .. e:sub(sp + 1) else e = 'ERR ' .. e:sub(2) end
  else
    e = 'ERR ' .. e
  end
  return err_table((e:gsub('[\r\n]+$', '')))
end

G.redis = {
  call = J.call,
  pcall = J.pcall,
  sha1hex = J.sha1hex,
  acl_check_cmd = J.acl_check_cmd,
  log = J.log,
  setresp = J.setresp,
  set_repl = J.set_repl,
  error_reply = function(...)
    local e = ...
    if select('#', ...) ~= 1 or type(e) ~= 'string' then return err_table('ERR wrong number or type of arguments') end
    if e:sub(1, 1) ~= '-' then e = '-' .. e end
    return redis_error(e)
  end,
  status_reply = function(...)
    local s = ...
    if select('#', ...) ~= 1 or type(s) ~= 'string' then return err_table('ERR wrong number or type of arguments') end
    return {ok = s}
  end,
  replicate_commands = function() return true end,
  breakpoint = function() return false end,
  debug = function() end,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REPL_NONE = 0, REPL_AOF = 1, REPL_SLAVE = 2, REPL_REPLICA = 2, REPL_ALL = 3,
  REDIS_VERSION = '7.0.15', REDIS_VERSION_NUM = 458767,
}
math.random = J.random
math.randomseed = J.randomseed

-- Redis 7's pcall: an error raised as a table {err=...} reaches the script as its message
local function pcall_result(ok, ...)
  if ok then return ok, ... end
  local e = ...
  if type(e) == 'table' then
    local m = raw_rawget(e, 'err')
    if type(m) == 'string' or type(m) == 'number' then return false, m end
  end
  return false, e
end
G.pcall = function(...) return pcall_result(raw_pcall(...)) end

-- Redis's __redis__err__handler, skipping frames of this file and of the libraries (they stand in for Redis's C code)
local INTERNAL = {['=sandbox'] = true, ['=cjson'] = true, ['=cmsgpack'] = true, ['=struct'] = true, ['=bit'] = true}
local function errh(err)
  local lvl, i = 2, dbg.getinfo(2, 'nSl')
  while i and (i.what == 'C' or i.what == 'tail' or INTERNAL[i.source]) do lvl = lvl + 1; i = dbg.getinfo(lvl, 'nSl') end
  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end
  if i then err.source = i.source; err.line = i.currentline end
  return err
end

-- read-only views: empty tables whose __index is the real table; writes raise like Redis
local real = raw_setmetatable({}, {__mode = 'k'})          -- view -> real table
local NO_MT = {}                                            -- getmetatable(view) answers nil
local function ro_error() error(READONLY, 2) end
local function view(t, mt_answer)
  local v = {}
  real[v] = t
  raw_setmetatable(v, {__index = t, __newindex = ro_error, __metatable = mt_answer or NO_MT})
  return v
end
-- argument errors name the function the way the caller called it, at the caller's position
local function tab(t, n, d)
  if type(t) == 'table' then return t end
  d = d or 0
  local name = dbg.getinfo(2 + d, 'n').name or '?'
  local got = n == 0 and 'no value' or type(t)
  error("bad argument #1 to '" .. name .. "' (table expected, got " .. got .. ")", 3 + d)
end
-- The extra libraries (cjson, cmsgpack, struct, bit) are compiled on first use: their Lua source costs a fresh
-- state about 140 KB that most scripts never touch (Redis's are C, and cost nothing until called). Until then each
-- is a view without its table; the first read through it, or through the raw accessors, loads it (J.loadlib).
local lazy = raw_setmetatable({}, {__mode = 'k'})           -- view -> its loader, until first use
local function lazy_view(name)
  local v, mt = {}, {__newindex = ro_error, __metatable = NO_MT}
  local function resolve()
    local t = setfenv(J.loadlib(name), LIBENV)()
    real[v], lazy[v], mt.__index = t, nil, t
    return t
  end
  mt.__index = function(_, k) return resolve()[k] end
  lazy[v] = resolve
  return raw_setmetatable(v, mt)
end
local function realof(t) local load = lazy[t] if load then return load() end return real[t] end
local function unview(t, n) tab(t, n, 1) return realof(t) or t end
local function check_rw(t, n) tab(t, n, 1) if real[t] or lazy[t] then error(READONLY, 0) end return t end

G.rawset = function(...) local t, k, v = ... return raw_rawset(check_rw(t, select('#', ...)), k, v) end
G.rawget = function(...) local t, k = ... return raw_rawget(unview(t, select('#', ...)), k) end
G.next = function(...) local t, k = ... return raw_next(unview(t, select('#', ...)), k) end
local g_next = G.next
G.pairs = function(...) return g_next, tab((...), select('#', ...)), nil end
G.ipairs = function(t) return raw_ipairs(realof(t) or t) end
-- stock 5.1.5's unpack overflows on huge ranges and crashes the process (Redis fixed it: CVE-2025-46817)
G.unpack = function(...)
  local t, i, j = ...
  t = unview(t, select('#', ...))
  local a, b = tonumber(i or 1), tonumber(j or t_getn(t))
  if a and b and b - a >= 8000 then error('too many results to unpack', 2) end
  if real[(...)] then return raw_unpack(t, select(2, ...)) end
  return raw_unpack(...)
end
G.setmetatable = function(...) local t, mt = ... return raw_setmetatable(check_rw(t, select('#', ...)), mt) end
G.getmetatable = function(o)
  local m = raw_getmetatable(o)
  if m == NO_MT or type(o) == 'userdata' then return nil end
  return m
end
table.insert = function(...)
  local t = check_rw((...), select('#', ...))
  local n = select('#', ...)
  if n ~= 2 and n ~= 3 then error("wrong number of arguments to 'insert'", 2) end
  return t_insert(t, select(2, ...))
end
-- A C function's error carries its caller's position, which would be this file's ("sandbox:141: invalid value...").
-- Called under pcall it has none, and is raised again at the first frame outside this file: it reads as Redis's,
-- the script's position, or none when a C function (pcall) called the wrapper. A script that tail-calls the wrapper
-- has no frame left to name. An error that has a position (a comparator of the script's) passes as it is.
local s_find = string.find
local function rethrow(ok, ...)
  if ok then return ... end
  local e = ...
  if type(e) ~= 'string' or s_find(e, '^[^%s:]+:%d+: ') then error(e, 0) end
  local lvl, i = 2, dbg.getinfo(2, 'S')
  while i and i.what ~= 'C' and (i.what == 'tail' or INTERNAL[i.source]) do lvl = lvl + 1; i = dbg.getinfo(lvl, 'S') end
  if i and i.what ~= 'C' then error(e, lvl) end
  error(e, 0)
end
table.remove = function(...) return rethrow(raw_pcall(t_remove, check_rw((...), select('#', ...)), select(2, ...))) end
table.sort = function(...) return rethrow(raw_pcall(t_sort, check_rw((...), select('#', ...)), select(2, ...))) end
table.concat = function(...) return rethrow(raw_pcall(t_concat, unview((...), select('#', ...)), select(2, ...))) end
table.maxn = function(...) return rethrow(raw_pcall(t_maxn, unview((...), select('#', ...)))) end
table.getn = function(...) return rethrow(raw_pcall(t_getn, unview((...), select('#', ...)))) end
table.foreach = function(...) return rethrow(raw_pcall(t_foreach, unview((...), select('#', ...)), select(2, ...))) end
table.foreachi = function(...) return rethrow(raw_pcall(t_foreachi, unview((...), select('#', ...)), select(2, ...))) end

-- the kill hook (Redis's luaMaskCountHook); after a kill it fires on every line so pcall can't hide it
local hook_count = 0
-- jkill answers whether to stop, and with what error (SCRIPT KILL's, or FUNCTION LOAD's time limit)
local kill_message = 'ERR Script killed by user with SCRIPT KILL...'
local function kill_error() error({err = kill_message}) end
local function hook()
  local stop, message = jkill()
  if stop then
    kill_message = message or kill_message
    dbg.sethook(hook, 'l')
    kill_error()
  end
end
local function sethook(n)
  hook_count = n
  if n > 0 then dbg.sethook(hook, '', n) else dbg.sethook() end
end
local function hooked(co) if hook_count > 0 then dbg.sethook(co, hook, '', hook_count) end return co end
coroutine.create = function(f) if hook_count > 0 and jkill() then kill_error() end return hooked(co_create(f)) end
coroutine.wrap = function(f)
  local co = coroutine.create(f)
  local function finish(ok, ...)
    if not ok then local e = ...; error(e, 2) end
    return ...
  end
  return function(...) return finish(co_resume(co, ...)) end
end

-- globals: missing names raise; the scripts' environment P is an empty view of G
local function missing(_, k)
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end
for _, name in raw_ipairs(LIBS) do G[name] = lazy_view(name) end
raw_setmetatable(G, {__index = missing})
for _, lib in raw_ipairs{'string', 'table', 'math', 'coroutine', 'redis'} do
  if raw_rawget(G, lib) then G[lib] = view(G[lib]) end
end
local P = view(G, view({__index = missing}))
G._G = P
raw_getmetatable('').__metatable = view({__index = G.string})

-- loadstring/load: 5.1 API, chunks get the sandbox environment, and (like Redis's patched parser) a chunk
-- starting with ESC is parsed as text instead of being undumped
local function error_arg(what, got)
  local name = dbg.getinfo(2, 'n').name or '?'
  error("bad argument #1 to '" .. name .. "' (" .. what .. " expected, got " .. got .. ")", 3)
end
local function compile(s, name)
  if #s >= 2^30 then return nil, 'chunk too large' end   -- stock 5.1.5's lexer overflows (CVE-2025-46819)
  local f, e = raw_loadstring(s:byte(1) == 27 and ' ' .. s or s, name)
  if f then setfenv(f, P) end
  return f, e
end
G.loadstring = function(...)
  local s, name = ...
  local ts = type(s)
  if ts ~= 'string' and ts ~= 'number' then error_arg('string', select('#', ...) == 0 and 'no value' or ts) end
  s = tostring(s)
  return compile(s, name or s)
end
G.load = function(f, name)
  if type(f) ~= 'function' then error_arg('function', type(f)) end
  local parts = {}
  while true do
    local piece = f()
    if piece == nil or piece == '' then break end
    if type(piece) ~= 'string' then return nil, 'reader function must return a string' end
    parts[#parts + 1] = piece
  end
  return compile(t_concat(parts), name or '=(load)')
end
if not FUNCTIONS then return errh, P, sethook end

-- FUNCTION libraries: their chunks run in F, whose globals are only the load API while FUNCTION LOAD runs them
-- (Redis swaps the globals' __index the same way), and the full environment when their functions are called.
local loading, pending = false, nil
local function load_error(msg) error({err = 'ERR ' .. msg}) end
local function read_flags(t)
  local flags, j = {}, 1
  while true do
    local f = t[j]
    if f == nil then break end
    if type(f) ~= 'string' and type(f) ~= 'number' then return nil end
    local lf = tostring(f):lower()
    if lf ~= 'no-writes' and lf ~= 'allow-oom' and lf ~= 'allow-stale' and lf ~= 'no-cluster'
        and lf ~= 'allow-cross-slot-keys' then return nil end
    flags[#flags + 1] = lf
    j = j + 1
  end
  return flags
end
local function register(...)
  if not loading then load_error('redis.register_function can only be called on FUNCTION LOAD command') end
  local n = select('#', ...)
  if n < 1 or n > 2 then load_error('wrong number of arguments to redis.register_function') end
  local name, desc, callback, flags
  if n == 1 then
    local args = ...
    if type(args) ~= 'table' then
      load_error('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).')
    end
    for k, v in raw_next, args do
      if type(k) ~= 'string' and type(k) ~= 'number' then load_error('named argument key given to redis.register_function is not a string') end
      local lk = tostring(k):lower()
      if lk == 'function_name' then
        if type(v) ~= 'string' and type(v) ~= 'number' then load_error('function_name argument given to redis.register_function must be a string') end
        name = tostring(v)
      elseif lk == 'description' then
        if type(v) ~= 'string' and type(v) ~= 'number' then load_error('description argument given to redis.register_function must be a string') end
        desc = tostring(v)
      elseif lk == 'callback' then
        if type(v) ~= 'function' then load_error('callback argument given to redis.register_function must be a function') end
        callback = v
      elseif lk == 'flags' then
        if type(v) ~= 'table' then load_error('flags argument to redis.register_function must be a table representing function flags') end
        flags = read_flags(v)
        if not flags then load_error('unknown flag given') end
      else
        load_error('unknown argument given to redis.register_function')
      end
    end
    if not name then load_error('redis.register_function must get a function name argument') end
    if not callback then load_error('redis.register_function must get a callback argument') end
  else
    name, callback = ...
    if type(name) ~= 'string' and type(name) ~= 'number' then load_error('first argument to redis.register_function must be a string') end
    name = tostring(name)
    if type(callback) ~= 'function' then load_error('second argument to redis.register_function must be a function') end
  end
  pending[#pending + 1] = {name = name, desc = desc, callback = callback, flags = flags or {}}
end
local load_redis = {register_function = register, log = J.log,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REDIS_VERSION = '7.0.15', REDIS_VERSION_NUM = 458767}
raw_setmetatable(load_redis, {__index = missing})
local LOADG = raw_setmetatable({redis = view(load_redis)}, {__index = missing})
local F_mt = {__index = P, __newindex = ro_error, __metatable = NO_MT}
local F = raw_setmetatable({}, F_mt)
local function begin_load() pending = {} loading = true F_mt.__index = LOADG end
local function end_load() local p = pending pending = nil loading = false F_mt.__index = P return p end
return errh, F, sethook, begin_load, end_load
