-- Lua CJSON 2.1.0 as Redis 7.0 preloads it ("cjson"), in plain Lua 5.1: the same JSON text out (%.14g numbers,
-- "\/" escapes, sparse array rules, {} for empty tables), the same values back, and the same errors and limits.
-- Each cjson.new() table has its own settings, like the C library's per-module configuration.
local type, tostring, tonumber, error, pcall, select = type, tostring, tonumber, error, pcall, select
local next, rawget, rawset, setmetatable, newproxy = next, rawget, rawset, setmetatable, newproxy
local floor = math.floor
local byte, char, sub, find, format, gsub, lower =
      string.byte, string.char, string.sub, string.find, string.format, string.gsub, string.lower
local concat = table.concat

local INT_MAX = 2147483647
local MAX_STACK = 8000               -- LUAI_MAXCSTACK: the C library's lua_checkstack calls fail past it

-- JSON null: the C library uses a NULL light userdata, which scripts see as type 'userdata'
local null = newproxy and newproxy(false) or setmetatable({}, {__metatable = false})

-- ---- errors -------------------------------------------------------------------------------------------------
local function fail(msg) error(msg, 0) end
local function argerror(fname, i, msg) fail("bad argument #" .. i .. " to '" .. fname .. "' (" .. msg .. ")") end

-- runs f in protected mode and re-raises its error at the caller's line, where luaL_error would put it
local function protect(f)
  return function(...)
    local ok, r = pcall(f, ...)
    if not ok then error(r, 2) end
    return r
  end
end

-- ---- encoding -------------------------------------------------------------------------------------------------
local ESCAPES = {['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b', ['\t'] = '\\t', ['\n'] = '\\n',
                 ['\f'] = '\\f', ['\r'] = '\\r', ['\127'] = '\\u007f'}
for c = 0, 31 do
  local ch = char(c)
  if not ESCAPES[ch] then ESCAPES[ch] = format('\\u%04x', c) end
end
local NEEDS_ESCAPE = '[%z\1-\31"/\\\127]'

local function quote(s)
  if find(s, NEEDS_ESCAPE) then s = gsub(s, NEEDS_ESCAPE, ESCAPES) end
  return '"' .. s .. '"'
end

local function cannot(what, reason) fail("Cannot serialise " .. what .. ": " .. reason) end

local function number_text(cfg, x)
  if x ~= x or x == 1 / 0 or x == -1 / 0 then
    local mode = cfg.encode_invalid_numbers
    if mode == 0 then cannot('number', "must not be NaN or Inf") end
    if mode == 2 then return 'null' end
    if x ~= x then return 'nan' end
  end
  return format(cfg.number_format, x)
end

-- the array length the C code settles on: > 0 for an array, else the table is written as an object
local function array_length(cfg, t)
  local max, items = 0, 0
  for k in next, t do
    if type(k) == 'number' and k ~= 0 and floor(k) == k and k >= 1 then
      if k > max then max = k <= INT_MAX and k or -INT_MAX - 1 end    -- kept in a C int
      items = items + 1
    else
      return -1
    end
  end
  local ratio = cfg.encode_sparse_ratio
  if ratio > 0 and max > items * ratio and max > cfg.encode_sparse_safe then
    if cfg.encode_sparse_convert == 0 then cannot('table', "excessively sparse array") end
    return -1
  end
  return max
end

local append_value

-- top: the stack slots the C encoder would be using when it reaches this table
local function append_table(cfg, t, buf, n, depth, top)
  depth = depth + 1
  if depth > cfg.encode_max_depth or top + 3 > MAX_STACK then
    fail("Cannot serialise, excessive nesting (" .. depth .. ")")
  end
  local len = array_length(cfg, t)
  if len > 0 then
    n = n + 1; buf[n] = '['
    for i = 1, len do
      if i > 1 then n = n + 1; buf[n] = ',' end
      n = append_value(cfg, rawget(t, i), buf, n, depth, top + 1)
    end
    n = n + 1; buf[n] = ']'
    return n
  end
  n = n + 1; buf[n] = '{'
  local comma = false
  for k, v in next, t do
    if comma then n = n + 1; buf[n] = ',' else comma = true end
    local kt = type(k)
    if kt == 'string' then
      n = n + 1; buf[n] = quote(k)
      n = n + 1; buf[n] = ':'
    elseif kt == 'number' then
      n = n + 1; buf[n] = '"' .. number_text(cfg, k) .. '":'
    else
      cannot(kt, "table key must be a number or string")
    end
    n = append_value(cfg, v, buf, n, depth, top + 2)
  end
  n = n + 1; buf[n] = '}'
  return n
end

function append_value(cfg, v, buf, n, depth, top)
  local t = type(v)
  if t == 'string' then
    n = n + 1; buf[n] = quote(v)
  elseif t == 'number' then
    n = n + 1; buf[n] = number_text(cfg, v)
  elseif t == 'table' then
    return append_table(cfg, v, buf, n, depth, top)
  elseif t == 'boolean' then
    n = n + 1; buf[n] = v and 'true' or 'false'
  elseif v == nil or v == null then
    n = n + 1; buf[n] = 'null'
  else
    cannot(t, "type not supported")
  end
  return n
end

-- ---- decoding -------------------------------------------------------------------------------------------------
-- next_token(d, p) returns kind, value, index (0-based, as in the C messages), next position. Kinds are the C
-- token names; an error token has kind 'T_ERROR' and its text as value.
local B_QUOTE, B_BACKSLASH, B_MINUS, B_PLUS, B_0, B_9 = 34, 92, 45, 43, 48, 57
local SINGLE = {[123] = 'T_OBJ_BEGIN', [125] = 'T_OBJ_END', [91] = 'T_ARR_BEGIN', [93] = 'T_ARR_END',
                [44] = 'T_COMMA', [58] = 'T_COLON'}
local UNKNOWN = {}                   -- bytes that may start a literal or a number
for _, c in ipairs{'f', 'i', 'I', 'n', 'N', 't', '"', '+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'} do
  UNKNOWN[byte(c)] = true
end
local UNESCAPE = {[34] = '"', [92] = '\\', [47] = '/', [98] = '\b', [116] = '\t', [110] = '\n', [102] = '\f',
                  [114] = '\r'}

-- JSON text that strtod() reads but JSON does not allow: '+', hex, leading zeros, inf, nan
local function is_invalid_number(s, p)
  local c = byte(s, p)
  if c == B_PLUS then return true end
  if c == B_MINUS then p = p + 1; c = byte(s, p) end
  if c == B_0 then
    local c2 = byte(s, p + 1)
    return c2 ~= nil and (c2 == 120 or c2 == 88 or (c2 >= B_0 and c2 <= B_9))
  end
  if c == nil or c <= B_9 or c >= 128 then return false end
  local word = lower(sub(s, p, p + 2))
  return word == 'inf' or word == 'nan'
end

-- the end of what glibc's strtod() would read from p (p itself when it reads nothing)
local function strtod_end(s, p)
  local q = p
  local c = byte(s, q)
  if c == B_PLUS or c == B_MINUS then q = q + 1 end
  local word = lower(sub(s, q, q + 2))
  if word == 'inf' then
    if lower(sub(s, q + 3, q + 7)) == 'inity' then return q + 8 end
    return q + 3
  end
  if word == 'nan' then
    local _, e = find(s, '^%([%w_]*%)', q + 3)       -- nan(chars)
    return (e or q + 2) + 1
  end
  if find(s, '^0[xX]%.?%x', q) then
    local _, e = find(s, '^0[xX]%x*', q)
    local e2 = select(2, find(s, '^%.%x*', e + 1))
    if e2 then e = e2 end
    local e3 = select(2, find(s, '^[pP][+-]?%d+', e + 1))
    return (e3 or e) + 1
  end
  local _, e = find(s, '^%d*', q)
  local digits = e >= q
  local e2 = select(2, find(s, '^%.%d*', e + 1))
  if e2 then
    if e2 > e + 1 then digits = true end
    e = e2
  end
  if not digits then return p end
  local e3 = select(2, find(s, '^[eE][+-]?%d+', e + 1))
  return (e3 or e) + 1
end

local function utf8(cp)
  if cp <= 0x7f then return char(cp) end
  if cp <= 0x7ff then return char(0xc0 + floor(cp / 64), 0x80 + cp % 64) end
  if cp <= 0xffff then return char(0xe0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64) end
  return char(0xf0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64, 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
end

local function hex4(s, p)
  local h = sub(s, p, p + 3)
  if not find(h, '^%x%x%x%x$') then return nil end
  return tonumber(h, 16)
end

-- a string token starting at the quote at p
local function string_token(s, p)
  local parts, n = nil, 0
  local from = p + 1
  while true do
    local q = find(s, '["\\]', from)
    if not q then return 'T_ERROR', "unexpected end of string", #s, #s + 1 end
    if byte(s, q) == B_QUOTE then
      if not parts then return 'T_STRING', sub(s, from, q - 1), p - 1, q + 1 end
      n = n + 1; parts[n] = sub(s, from, q - 1)
      return 'T_STRING', concat(parts, '', 1, n), p - 1, q + 1
    end
    parts = parts or {}
    n = n + 1; parts[n] = sub(s, from, q - 1)
    local e = byte(s, q + 1)
    if e == 117 then                                      -- \uXXXX, maybe a surrogate pair
      local cp = hex4(s, q + 2)
      local len = 6
      if cp and cp >= 0xd800 and cp <= 0xdfff then
        local low = cp < 0xdc00 and sub(s, q + 6, q + 7) == '\\u' and hex4(s, q + 8)
        if low and low >= 0xdc00 and low <= 0xdfff then
          cp, len = (cp - 0xd800) * 1024 + (low - 0xdc00) + 0x10000, 12
        else
          cp = nil
        end
      end
      if not cp then return 'T_ERROR', "invalid unicode escape code", q - 1, q end
      n = n + 1; parts[n] = utf8(cp)
      from = q + len
    else
      local ch = e and UNESCAPE[e]
      if not ch then return 'T_ERROR', "invalid escape code", q - 1, q end
      n = n + 1; parts[n] = ch
      from = q + 2
    end
  end
end

-- bytes that can follow a number in valid JSON: when one does, a plain decimal needs no strtod() analysis
local AFTER_NUMBER = {[44] = true, [93] = true, [125] = true, [32] = true, [9] = true, [10] = true, [13] = true}

local function number_token(s, p)
  local _, e = find(s, '^-?%d+', p)
  if e then
    local _, f = find(s, '^%.%d+', e + 1)
    if f then e = f end
    local after = byte(s, e + 1)
    if after == nil or AFTER_NUMBER[after] then return 'T_NUMBER', tonumber(sub(s, p, e)), p - 1, e + 1 end
  end
  e = strtod_end(s, p)
  if e == p then return 'T_ERROR', "invalid number", p - 1, p end
  return 'T_NUMBER', tonumber(sub(s, p, e - 1)), p - 1, e
end

local function next_token(cfg, s, p)
  local c = byte(s, p)
  if c == 32 or c == 9 or c == 10 or c == 13 then
    p = find(s, '[^ \t\n\r]', p)
    c = p and byte(s, p)
  end
  if not c then return 'T_END', nil, #s, #s + 1 end
  local kind = SINGLE[c]
  if kind then return kind, nil, p - 1, p + 1 end
  if not UNKNOWN[c] then return 'T_ERROR', "invalid token", p - 1, p end
  if c == B_QUOTE then return string_token(s, p) end
  if c == B_MINUS or (c >= B_0 and c <= B_9) then
    if cfg.decode_invalid_numbers == 0 and is_invalid_number(s, p) then
      return 'T_ERROR', "invalid number", p - 1, p
    end
    return number_token(s, p)
  end
  if sub(s, p, p + 3) == 'true' then return 'T_BOOLEAN', true, p - 1, p + 4 end
  if sub(s, p, p + 4) == 'false' then return 'T_BOOLEAN', false, p - 1, p + 5 end
  if sub(s, p, p + 3) == 'null' then return 'T_NULL', null, p - 1, p + 4 end
  if cfg.decode_invalid_numbers ~= 0 and is_invalid_number(s, p) then return number_token(s, p) end
  return 'T_ERROR', "invalid token", p - 1, p
end

local function unexpected(expected, kind, value, index)
  fail("Expected " .. expected .. " but found " .. (kind == 'T_ERROR' and value or kind) .. " at character " .. (index + 1))
end

local parse_value

-- depth check on entering a container; p is the position after its bracket, top the C stack slots in use
local function descend(cfg, depth, p, top, slots)
  depth = depth + 1
  if depth > cfg.decode_max_depth or top + slots > MAX_STACK then
    fail("Found too many nested data structures (" .. depth .. ") at character " .. (p - 1))
  end
  return depth
end

local function parse_object(cfg, s, p, depth, top)
  depth = descend(cfg, depth, p, top, 3)
  local t = {}
  local kind, value, index
  kind, value, index, p = next_token(cfg, s, p)
  if kind == 'T_OBJ_END' then return t, p end
  while true do
    if kind ~= 'T_STRING' then unexpected("object key string", kind, value, index) end
    local key = value
    kind, value, index, p = next_token(cfg, s, p)
    if kind ~= 'T_COLON' then unexpected("colon", kind, value, index) end
    kind, value, index, p = next_token(cfg, s, p)
    value, p = parse_value(cfg, s, p, depth, top + 2, kind, value, index)
    rawset(t, key, value)
    kind, value, index, p = next_token(cfg, s, p)
    if kind == 'T_OBJ_END' then return t, p end
    if kind ~= 'T_COMMA' then unexpected("comma or object end", kind, value, index) end
    kind, value, index, p = next_token(cfg, s, p)
  end
end

local function parse_array(cfg, s, p, depth, top)
  depth = descend(cfg, depth, p, top, 2)
  local t = {}
  local kind, value, index
  kind, value, index, p = next_token(cfg, s, p)
  if kind == 'T_ARR_END' then return t, p end
  local i = 0
  while true do
    i = i + 1
    value, p = parse_value(cfg, s, p, depth, top + 1, kind, value, index)
    t[i] = value
    kind, value, index, p = next_token(cfg, s, p)
    if kind == 'T_ARR_END' then return t, p end
    if kind ~= 'T_COMMA' then unexpected("comma or array end", kind, value, index) end
    kind, value, index, p = next_token(cfg, s, p)
  end
end

function parse_value(cfg, s, p, depth, top, kind, value, index)
  if kind == 'T_STRING' or kind == 'T_NUMBER' or kind == 'T_BOOLEAN' or kind == 'T_NULL' then return value, p end
  if kind == 'T_OBJ_BEGIN' then return parse_object(cfg, s, p, depth, top) end
  if kind == 'T_ARR_BEGIN' then return parse_array(cfg, s, p, depth, top) end
  unexpected("value", kind, value, index)
end

-- ---- configuration --------------------------------------------------------------------------------------------
local function int32(x)                                   -- lua_tointeger on x86-64, then a C int
  if x ~= x or x >= 2 ^ 63 or x < -2 ^ 63 then return 0 end
  x = x >= 0 and floor(x) or -floor(-x)
  x = x % 4294967296
  if x >= 2147483648 then x = x - 4294967296 end
  return x
end

local function check_args(fname, n, max)
  if n > max then argerror(fname, max + 1, "found too many arguments") end
end

local function integer_option(cfg, fname, i, v, field, min, max)
  if v ~= nil then
    local x = tonumber(v)
    if x == nil then argerror(fname, i, "number expected, got " .. type(v)) end
    x = int32(x)
    if x < min or x > max then argerror(fname, 1, "expected integer between " .. min .. " and " .. max) end
    cfg[field] = x
  end
  return cfg[field]
end

local BOOL_OPTIONS = {'off', 'on'}
local function enum_option(cfg, fname, i, v, field, options)
  options = options or BOOL_OPTIONS
  if v ~= nil then
    if type(v) == 'boolean' then
      cfg[field] = v and 1 or 0
    else
      local tv = type(v)
      if tv ~= 'string' and tv ~= 'number' then argerror(fname, i, "string expected, got " .. tv) end
      v = tostring(v)
      local found
      for k = 1, #options do if options[k] == v then found = k - 1 end end
      if not found then argerror(fname, i, "invalid option '" .. v .. "'") end
      cfg[field] = found
    end
  end
  local setting = cfg[field]
  if setting == 0 or setting == 1 then return setting == 1 end
  return options[setting + 1]
end

local new

new = function()
  local cfg = {
    encode_sparse_convert = 0, encode_sparse_ratio = 2, encode_sparse_safe = 10,
    encode_max_depth = 1000, decode_max_depth = 1000,
    encode_invalid_numbers = 0, decode_invalid_numbers = 1,
    encode_keep_buffer = 1, encode_number_precision = 14, number_format = '%.14g',
  }
  local M = {null = null, _NAME = 'cjson', _VERSION = '2.1.0'}

  M.encode = protect(function(...)
    if select('#', ...) ~= 1 then argerror('encode', 1, "expected 1 argument") end
    local buf = {}
    local n = append_value(cfg, (...), buf, 0, 0, 1)
    return concat(buf, '', 1, n)
  end)

  M.decode = protect(function(...)
    if select('#', ...) ~= 1 then argerror('decode', 1, "expected 1 argument") end
    local s = ...
    local ts = type(s)
    if ts == 'number' then s = tostring(s)
    elseif ts ~= 'string' then argerror('decode', 1, "string expected, got " .. ts) end
    if #s >= 2 and (byte(s, 1) == 0 or byte(s, 2) == 0) then fail("JSON parser does not support UTF-16 or UTF-32") end
    local z = find(s, '\0', 1, true)                      -- the C parser stops at the first NUL
    if z then s = sub(s, 1, z - 1) end
    local kind, value, index, p = next_token(cfg, s, 1)
    value, p = parse_value(cfg, s, p, 0, 1, kind, value, index)
    local k2, v2, i2 = next_token(cfg, s, p)
    if k2 ~= 'T_END' then unexpected("the end", k2, v2, i2) end
    return value
  end)

  local function sparse_array(...)
    check_args('encode_sparse_array', select('#', ...), 3)
    local convert, ratio, safe = ...
    return enum_option(cfg, 'encode_sparse_array', 1, convert, 'encode_sparse_convert'),
           integer_option(cfg, 'encode_sparse_array', 2, ratio, 'encode_sparse_ratio', 0, INT_MAX),
           integer_option(cfg, 'encode_sparse_array', 3, safe, 'encode_sparse_safe', 0, INT_MAX)
  end
  M.encode_sparse_array = function(...)
    local ok, a, b, c = pcall(sparse_array, ...)
    if not ok then error(a, 2) end
    return a, b, c
  end

  local function integer_setting(fname, field, min, max, after)
    M[fname] = protect(function(...)
      check_args(fname, select('#', ...), 1)
      local r = integer_option(cfg, fname, 1, (...), field, min, max)
      if after then after() end
      return r
    end)
  end
  integer_setting('encode_max_depth', 'encode_max_depth', 1, INT_MAX)
  integer_setting('decode_max_depth', 'decode_max_depth', 1, INT_MAX)
  integer_setting('encode_number_precision', 'encode_number_precision', 1, 14, function()
    cfg.number_format = '%.' .. cfg.encode_number_precision .. 'g'
  end)

  local function enum_setting(fname, field, options)
    M[fname] = protect(function(...)
      check_args(fname, select('#', ...), 1)
      return enum_option(cfg, fname, 1, (...), field, options)
    end)
  end
  -- keep_buffer only tunes memory use in C; the setting is kept so it reads back the same
  enum_setting('encode_keep_buffer', 'encode_keep_buffer')
  enum_setting('encode_invalid_numbers', 'encode_invalid_numbers', {'off', 'on', 'null'})
  enum_setting('decode_invalid_numbers', 'decode_invalid_numbers')

  M.new = new
  return M
end

return new()
