-- lua-cmsgpack 0.4.0 as Redis 7.0 preloads it ("cmsgpack"), in plain Lua 5.1: MessagePack pack/unpack with the
-- same type choices (integers vs float vs double, str8/16/32, array vs map, nil past 16 nested tables) and the
-- same limits and errors, including the Lua C stack limit (8000 slots) the C decoder runs into.
local type, tostring, tonumber, error, pcall, select = type, tostring, tonumber, error, pcall, select
local next, unpack, setmetatable, getmetatable = next, unpack, setmetatable, getmetatable
local floor, frexp, ldexp = math.floor, math.frexp, math.ldexp
local byte, char, sub = string.byte, string.char, string.sub
local concat = table.concat

local TWO31, TWO32, TWO63 = 2 ^ 31, 2 ^ 32, 2 ^ 63
local MAX_NESTING = 16
local MAX_STACK = 8000                                  -- LUAI_MAXCSTACK: what lua_checkstack allows a C function

local NAN = 0 / 0
local NEG_NAN, POS_NAN = NAN, -NAN                       -- x86's 0/0 has the sign bit set
if sub(tostring(NAN), 1, 1) ~= '-' then NEG_NAN, POS_NAN = -NAN, NAN end

-- ---- errors -------------------------------------------------------------------------------------------------
-- luaL_error in the C library names the script's line; Lua's own "table index is nil" does not.
local NOPOS = {}
local function fail(msg) error(msg, 0) end
local function fail_nopos(msg) error(setmetatable({msg}, NOPOS), 0) end

local function raise(e)                                  -- called by the public functions, not tail-called
  if type(e) == 'table' and getmetatable(e) == NOPOS then error(e[1], 0) end
  error(e, 3)
end

local function spread(r, count)
  if count == 0 then return end
  -- a C function may return a few more values than unpack() lets a Lua function return
  if count <= 7997 then return unpack(r, 1, count) end
  return r[1], r[2], unpack(r, 3, count)
end

-- lua_tointeger on x86-64: truncation, and the "integer indefinite" value when out of range
local function tointeger(x)
  if x ~= x or x >= TWO63 or x < -TWO63 then return -TWO63 end
  if x >= 0 then return floor(x) end
  return -floor(-x)
end
local function int32(v)                                  -- a C (int) cast of a 64-bit integer
  v = v % TWO32
  if v >= TWO31 then v = v - TWO32 end
  return v
end

-- ---- encoding -------------------------------------------------------------------------------------------------
local function be16(n) return char(floor(n / 256), n % 256) end
local function be32(n)
  local b4 = n % 256; n = (n - b4) / 256
  local b3 = n % 256; n = (n - b3) / 256
  local b2 = n % 256
  return char((n - b2) / 256, b2, b3, b4)
end
local function be64(n)                                   -- integer-valued n in [-2^63, 2^64), two's complement
  local b = {}
  for k = 8, 1, -1 do
    local x = n % 256
    b[k] = x
    n = (n - x) / 256
  end
  return char(b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8])
end

local function encode_int(n)
  if n >= 0 then
    if n <= 127 then return char(n) end
    if n <= 0xff then return char(0xcc, n) end
    if n <= 0xffff then return char(0xcd) .. be16(n) end
    if n <= 0xffffffff then return char(0xce) .. be32(n) end
    return char(0xcf) .. be64(n)
  end
  if n >= -32 then return char(256 + n) end
  if n >= -128 then return char(0xd0, 256 + n) end
  if n >= -32768 then return char(0xd1) .. be16(65536 + n) end
  if n >= -2147483648 then return char(0xd2) .. be32(TWO32 + n) end
  return char(0xd3) .. be64(n)
end

local function sign_of(x)
  if x ~= x then return sub(tostring(x), 1, 1) == '-' end
  return x < 0 or (x == 0 and 1 / x < 0)
end

-- float when converting to float and back gives the same double, as the C code checks
local function encode_float_or_double(x)
  local neg = sign_of(x)
  if x ~= x then return char(0xcb, neg and 0xff or 0x7f, 0xf8, 0, 0, 0, 0, 0, 0) end
  local a = neg and -x or x
  if a == 1 / 0 then return char(0xca, neg and 0xff or 0x7f, 0x80, 0, 0) end
  local m, e = frexp(a)
  local w
  if e > 128 then w = nil
  elseif e >= -125 then
    local f = m * 16777216
    if f == floor(f) then w = (e + 125) * 8388608 + f end
  else
    local f = ldexp(a, 149)
    if f == floor(f) then w = f end
  end
  if w then return char(0xca) .. be32((neg and TWO31 or 0) + w) end
  local mant, exp
  if e >= -1021 then mant, exp = m * 9007199254740992 - 4503599627370496, e + 1022
  else mant, exp = ldexp(a, 1074), 0 end
  local hi20 = floor(mant / TWO32)
  return char(0xcb) .. be32((neg and TWO31 or 0) + exp * 1048576 + hi20) .. be32(mant - hi20 * TWO32)
end

local function encode_number(x)
  if x == floor(x) and x >= -TWO63 and x < TWO63 then return encode_int(x) end
  return encode_float_or_double(x)
end

local FIXSTR = {}
for n = 0, 31 do FIXSTR[n] = char(0xa0 + n) end

local function string_header(n)
  if n < 32 then return FIXSTR[n] end
  if n <= 0xff then return char(0xd9, n) end
  if n <= 0xffff then return char(0xda) .. be16(n) end
  return char(0xdb) .. be32(n)
end

-- keys exactly 1..n (positive numbers that fit a C int, as many as the largest)
local function is_array(t)
  local count, max = 0, 0
  for k in next, t do
    if type(k) ~= 'number' or k <= 0 or k ~= floor(k) or k > 2147483647 then return false end
    if k > max then max = k end
    count = count + 1
  end
  return max == count
end

local encode_value

local function encode_table(t, level, out)
  if is_array(t) then
    local n = #t
    if n <= 15 then out[#out + 1] = char(0x90 + n)
    elseif n <= 0xffff then out[#out + 1] = char(0xdc) .. be16(n)
    else out[#out + 1] = char(0xdd) .. be32(n) end
    for j = 1, n do encode_value(t[j], level + 1, out) end
  else
    local n = 0
    for _ in next, t do n = n + 1 end
    if n <= 15 then out[#out + 1] = char(0x80 + n)
    elseif n <= 0xffff then out[#out + 1] = char(0xde) .. be16(n)
    else out[#out + 1] = char(0xdf) .. be32(n) end
    for k, v in next, t do
      encode_value(k, level + 1, out)
      encode_value(v, level + 1, out)
    end
  end
end

function encode_value(v, level, out)
  local t = type(v)
  if t == 'string' then
    local n = #out
    out[n + 1] = string_header(#v)
    out[n + 2] = v
  elseif t == 'number' then out[#out + 1] = encode_number(v)
  elseif t == 'boolean' then out[#out + 1] = v and '\195' or '\194'
  elseif t == 'table' and level < MAX_NESTING then encode_table(v, level, out)
  else out[#out + 1] = '\192' end                        -- nil, functions, userdata, and tables nested too deep
end

-- ---- decoding -------------------------------------------------------------------------------------------------
-- Decoders take the input, the position of the next byte and the number of stack slots the C decoder would be
-- using; they return the value and the next position, or raise.
local EOF, BADFMT = "Missing bytes in input.", "Bad data format in input."

local function word(s, p) local b1, b2, b3, b4 = byte(s, p, p + 3) return ((b1 * 256 + b2) * 256 + b3) * 256 + b4 end

local function float_value(w)
  local neg = w >= TWO31
  if neg then w = w - TWO31 end
  local e, f = floor(w / 8388608), w % 8388608
  local v
  if e == 255 then
    if f ~= 0 then return neg and NEG_NAN or POS_NAN end
    v = 1 / 0
  elseif e == 0 then v = ldexp(f, -149)
  else v = ldexp(f + 8388608, e - 150) end
  return neg and -v or v
end

local function double_value(hi, lo)
  local neg = hi >= TWO31
  if neg then hi = hi - TWO31 end
  local e, f = floor(hi / 1048576), (hi % 1048576) * TWO32 + lo
  local v
  if e == 2047 then
    if f ~= 0 then return neg and NEG_NAN or POS_NAN end
    v = 1 / 0
  elseif e == 0 then v = ldexp(f, -1074)
  else v = ldexp(f + 4503599627370496, e - 1075) end
  return neg and -v or v
end

local decode_value

local function decode_array(s, p, len, top, n)
  local t = {}
  if top + 2 > MAX_STACK then fail("stack overflow (in function mp_decode_to_lua_array)") end
  for i = 1, n do
    local v
    v, p = decode_value(s, p, len, top + 2)
    t[i] = v
  end
  return t, p
end

local function decode_map(s, p, len, top, n)
  local t = {}
  for _ = 1, n do
    local k, v
    k, p = decode_value(s, p, len, top + 1)
    v, p = decode_value(s, p, len, top + 2)
    if k == nil then fail_nopos("table index is nil") end
    if k ~= k then fail_nopos("table index is NaN") end
    t[k] = v
  end
  return t, p
end

local function need(p, k, len) if p + k - 1 > len then fail(EOF) end end

local function decode_string(s, p, len, hdr, n)
  local from = p + hdr
  need(from, n, len)
  return sub(s, from, from + n - 1), from + n
end

-- 64-bit integers, signed or not, become a C lua_Integer (signed) and then a double, rounded once
local function int64(s, p)
  local hi, lo = word(s, p), word(s, p + 4)
  if hi >= TWO31 then hi = hi - TWO32 end
  return hi * TWO32 + lo
end

function decode_value(s, p, len, top)
  if p > len then fail(EOF) end
  if top + 1 > MAX_STACK then
    fail("stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)")
  end
  local c = byte(s, p)
  if c < 0x80 then return c, p + 1 end
  if c >= 0xe0 then return c - 256, p + 1 end
  if c < 0x90 then return decode_map(s, p + 1, len, top, c - 0x80) end
  if c < 0xa0 then return decode_array(s, p + 1, len, top, c - 0x90) end
  if c < 0xc0 then return decode_string(s, p, len, 1, c - 0xa0) end
  if c == 0xc0 then return nil, p + 1 end
  if c == 0xc2 then return false, p + 1 end
  if c == 0xc3 then return true, p + 1 end
  if c == 0xcc then need(p, 2, len) return byte(s, p + 1), p + 2 end
  if c == 0xcd then need(p, 3, len) local a, b = byte(s, p + 1, p + 2) return a * 256 + b, p + 3 end
  if c == 0xce then need(p, 5, len) return word(s, p + 1), p + 5 end
  if c == 0xcf or c == 0xd3 then need(p, 9, len) return int64(s, p + 1), p + 9 end
  if c == 0xd0 then
    need(p, 2, len)
    local v = byte(s, p + 1)
    return v >= 128 and v - 256 or v, p + 2
  end
  if c == 0xd1 then
    need(p, 3, len)
    local a, b = byte(s, p + 1, p + 2)
    local v = a * 256 + b
    return v >= 32768 and v - 65536 or v, p + 3
  end
  if c == 0xd2 then
    need(p, 5, len)
    local v = word(s, p + 1)
    return v >= TWO31 and v - TWO32 or v, p + 5
  end
  if c == 0xca then need(p, 5, len) return float_value(word(s, p + 1)), p + 5 end
  if c == 0xcb then need(p, 9, len) return double_value(word(s, p + 1), word(s, p + 5)), p + 9 end
  if c == 0xd9 then need(p, 2, len) return decode_string(s, p, len, 2, byte(s, p + 1)) end
  if c == 0xda then
    need(p, 3, len)
    local a, b = byte(s, p + 1, p + 2)
    return decode_string(s, p, len, 3, a * 256 + b)
  end
  if c == 0xdb then need(p, 5, len) return decode_string(s, p, len, 5, word(s, p + 1)) end
  if c == 0xdc then
    need(p, 3, len)
    local a, b = byte(s, p + 1, p + 2)
    return decode_array(s, p + 3, len, top, a * 256 + b)
  end
  if c == 0xdd then need(p, 5, len) return decode_array(s, p + 5, len, top, word(s, p + 1)) end
  if c == 0xde then
    need(p, 3, len)
    local a, b = byte(s, p + 1, p + 2)
    return decode_map(s, p + 3, len, top, a * 256 + b)
  end
  if c == 0xdf then need(p, 5, len) return decode_map(s, p + 5, len, top, word(s, p + 1)) end
  fail(BADFMT)                                           -- 0xc1, bin, ext and fixext types
end

local function typename(i, n, v) return i > n and 'no value' or type(v) end

local function checkstring(fname, n, s)
  local t = type(s)
  if t == 'string' then return s end
  if t == 'number' then return tostring(s) end
  fail("bad argument #1 to '" .. fname .. "' (string expected, got " .. typename(1, n, s) .. ")")
end

local function checkinteger(fname, i, n, v)
  local x = tonumber(v)
  if x == nil then fail("bad argument #" .. i .. " to '" .. fname .. "' (number expected, got " .. typename(i, n, v) .. ")") end
  return tointeger(x)
end

-- mp_unpack_full: limit 0 with offset 0 decodes everything and returns no offset
local function unpack_full(s, limit, offset, top)
  local len = #s
  if offset < 0 or limit < 0 then
    fail("Invalid request to unpack with offset of " .. int32(offset) .. " and limit of " .. int32(len) .. ".")
  elseif offset > len then
    fail("Start offset " .. int32(offset) .. " greater than input length " .. int32(len) .. ".")
  end
  local all = limit == 0 and offset == 0
  if all then limit = 2147483647 end
  local out, count, p = {}, 0, offset + 1
  while p <= len and count < limit do
    local v
    v, p = decode_value(s, p, len, top + count)
    count = count + 1
    out[count] = v
  end
  if all then return out, count end
  if top + count + 1 > MAX_STACK then fail("stack overflow (in function mp_unpack_full)") end
  for i = count, 1, -1 do out[i + 1] = out[i] end
  out[1] = p > len and -1 or p - 1
  return out, count + 1
end

local M = {
  _NAME = 'cmsgpack',
  _VERSION = 'lua-cmsgpack 0.4.0',
  _COPYRIGHT = 'Copyright (C) 2012, Salvatore Sanfilippo',
  _DESCRIPTION = 'MessagePack C implementation for Lua',
}

local function pack(...)
  local n = select('#', ...)
  if n == 0 then fail("bad argument #0 to 'pack' (MessagePack pack needs input.)") end
  local out = {}
  for i = 1, n do encode_value((select(i, ...)), 0, out) end
  return {concat(out)}, 1
end

local function unpack_all(...)
  local n = select('#', ...)
  return unpack_full(checkstring('unpack', n, (...)), 0, 0, n)
end

local function unpack_one(...)
  local n = select('#', ...)
  local s, offset = ...
  offset = offset == nil and 0 or checkinteger('unpack_one', 2, n, offset)
  return unpack_full(checkstring('unpack_one', n, s), 1, offset, 1)
end

local function unpack_limit(...)
  local n = select('#', ...)
  local s, limit, offset = ...
  limit = checkinteger('unpack_limit', 2, n, limit)
  offset = offset == nil and 0 or checkinteger('unpack_limit', 3, n, offset)
  return unpack_full(checkstring('unpack_limit', n, s), limit, offset, 1)
end

local function public(f)
  return function(...)
    local ok, r, count = pcall(f, ...)
    if not ok then raise(r) end
    return spread(r, count)
  end
end
M.pack = public(pack)
M.unpack = public(unpack_all)
M.unpack_one = public(unpack_one)
M.unpack_limit = public(unpack_limit)

return M
