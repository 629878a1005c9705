-- Roberto Ierusalimschy's struct library as Redis 7.0 preloads it ("struct"), in plain Lua 5.1, with the sizes and
-- alignment of Redis's x86-64 build: short 2, int 4, long/size_t 8, default maximum alignment 8, native order little.
-- Where the C code leans on x86-64 behaviour (double to integer casts out of range, 64-bit shifts) the results here
-- are the ones that build gives.
local type, tostring, tonumber, error, pcall, select = type, tostring, tonumber, error, pcall, select
local unpack = unpack
local floor, frexp, ldexp = math.floor, math.frexp, math.ldexp
local byte, char, sub, find, rep = string.byte, string.char, string.sub, string.find, string.rep
local concat = table.concat

local TWO31, TWO32, TWO63, TWO64 = 2 ^ 31, 2 ^ 32, 2 ^ 63, 2 ^ 64
local INT_MAX = 2147483647
local MAXINTSIZE, MAXALIGN = 32, 8
local SIZES = {b = 1, B = 1, h = 2, H = 2, l = 8, L = 8, T = 8, f = 4, d = 8, x = 1}
local INTEGER = {b = true, B = true, h = true, H = true, l = true, L = true, T = true, i = true, I = true}
local SIGNED = {b = true, h = true, l = true, i = true}

-- NaN as x86 makes it (0/0 has the sign bit set; glibc prints it "-nan"), and the other one
local NAN = 0 / 0
local NEG_NAN, POS_NAN = NAN, -NAN
if sub(tostring(NAN), 1, 1) ~= '-' then NEG_NAN, POS_NAN = -NAN, NAN end

-- ---- errors -------------------------------------------------------------------------------------------------
-- Helpers raise plain messages; the public function re-raises them one level up, where luaL_error in a C function
-- would have put them (the script's line).
local function fail(msg) error(msg, 0) end
local function argerror(fname, i, msg) fail("bad argument #" .. i .. " to '" .. fname .. "' (" .. msg .. ")") end
local function typeerror(fname, i, expected, n, v)
  argerror(fname, i, expected .. " expected, got " .. (i > n and 'no value' or type(v)))
end
local function public(f)
  return function(...)
    local ok, r, count = pcall(f, ...)
    if not ok then error(r, 2) end
    if count == nil then return r end
    -- r holds count results; a C function can return a few more than unpack() lets us
    if count <= 7997 then return unpack(r, 1, count) end
    return r[1], r[2], unpack(r, 3, count)
  end
end

local function checkstring(fname, i, n, v)
  local t = type(v)
  if t == 'string' then return v end
  if t == 'number' then return tostring(v) end
  typeerror(fname, i, 'string', n, v)
end
local function checknumber(fname, i, n, v)
  local x = tonumber(v)
  if x == nil then typeerror(fname, i, 'number', n, v) end
  return x
end
local function trunc(x)
  if x >= 0 then return floor(x) end
  return -floor(-x)
end

-- ---- format parsing -------------------------------------------------------------------------------------------
local function isdigit(c) return c >= 48 and c <= 57 end

-- a decimal count at fmt[i..]; returns the number (or dflt when there is none) and the next index
local function getnum(fmt, i, dflt)
  local c = byte(fmt, i)
  if not c or not isdigit(c) then return dflt, i end
  local a = 0
  repeat
    local d = c - 48
    if a > floor(INT_MAX / 10) or a * 10 > INT_MAX - d then fail("integral size overflow") end
    a = a * 10 + d
    i = i + 1
    c = byte(fmt, i)
  until not c or not isdigit(c)
  return a, i
end

local function optsize(opt, fmt, i)
  local s = SIZES[opt]
  if s then return s, i end
  if opt == 'c' then return getnum(fmt, i, 1) end
  if opt == 'i' or opt == 'I' then
    local sz
    sz, i = getnum(fmt, i, 4)
    if sz > MAXINTSIZE then fail("integral size " .. sz .. " is larger than limit of " .. MAXINTSIZE) end
    return sz, i
  end
  return 0, i
end

-- low bits of a (a >= 0, may be huge) under mask m < 64
local function band_small(a, m)
  a = a % 64
  local r, bit = 0, 1
  while m > 0 do
    if m % 2 == 1 and a % 2 == 1 then r = r + bit end
    m, a, bit = floor(m / 2), floor(a / 2), bit * 2
  end
  return r
end

local function gettoalign(len, align, opt, size)
  if size == 0 or opt == 'c' then return 0 end
  if size > align then size = align end
  return band_small(size - band_small(len, size - 1), size - 1)
end

local function ispow2(x) return x > 0 and band_small(x, 63) == x % 64 and frexp(x) == 0.5 end

-- the endianness/alignment options; returns little, align, next index
local function control(fname, opt, fmt, i, little, align)
  if opt == ' ' then return little, align, i end
  if opt == '>' then return false, align, i end
  if opt == '<' then return true, align, i end
  if opt == '!' then
    local a
    a, i = getnum(fmt, i, MAXALIGN)
    if not ispow2(a) then fail("alignment " .. a .. " is not a power of 2") end
    return little, a, i
  end
  argerror(fname, 1, "invalid format option '" .. opt .. "'")
end

local function formatstring(fname, n, fmt)
  fmt = checkstring(fname, 1, n, fmt)
  local z = find(fmt, '\0', 1, true)        -- the C code stops at the first NUL
  if z then fmt = sub(fmt, 1, z - 1) end
  return fmt
end

-- ---- numbers to bytes -----------------------------------------------------------------------------------------
-- the 64-bit value a C cast of x to (unsigned) long gives on x86-64, as 8 bytes, least significant first
local function int64bytes(x)
  local v
  if x ~= x then v = -TWO63
  elseif x < 0 then v = trunc(x); if v < -TWO63 then v = -TWO63 end
  elseif x >= TWO64 then v = 0
  else v = floor(x) end
  local out = {}
  for k = 1, 8 do
    local b = v % 256
    out[k] = b
    v = (v - b) / 256
  end
  return out
end

local function round_even(y)
  local f = floor(y)
  local d = y - f
  if d > 0.5 or (d == 0.5 and f % 2 == 1) then return f + 1 end
  return f
end

-- IEEE 754 single bits of (float)x, as a 32-bit word
local function floatbits(x)
  if x ~= x then
    return (sub(tostring(x), 1, 1) == '-' and TWO31 or 0) + 0x7fc00000
  end
  local sign = 0
  if x < 0 or (x == 0 and 1 / x < 0) then sign, x = TWO31, -x end
  if x == 0 then return sign end
  if x == 1 / 0 then return sign + 0x7f800000 end
  local m, e = frexp(x)
  local w
  if e >= -125 then w = (e + 125) * 8388608 + round_even(m * 16777216)
  else w = round_even(ldexp(x, 149)) end
  if w >= 0x7f800000 then w = 0x7f800000 end
  return sign + w
end

-- IEEE 754 double bits of x, as two 32-bit words
local function doublebits(x)
  if x ~= x then
    return (sub(tostring(x), 1, 1) == '-' and TWO31 or 0) + 0x7ff80000, 0
  end
  local sign = 0
  if x < 0 or (x == 0 and 1 / x < 0) then sign, x = TWO31, -x end
  if x == 0 then return sign, 0 end
  if x == 1 / 0 then return sign + 0x7ff00000, 0 end
  local m, e = frexp(x)
  local mant, exp
  if e >= -1021 then mant, exp = m * 9007199254740992 - 4503599627370496, e + 1022
  else mant, exp = ldexp(x, 1074), 0 end
  local hi20 = floor(mant / TWO32)
  return sign + exp * 1048576 + hi20, mant - hi20 * TWO32
end

local function wordbytes(w, out, k)         -- big-endian bytes of a 32-bit word into out[k..k+3]
  out[k + 3] = w % 256; w = floor(w / 256)
  out[k + 2] = w % 256; w = floor(w / 256)
  out[k + 1] = w % 256
  out[k] = floor(w / 256)
end

local function bytestring(bs, little)        -- bs big-endian
  local n = #bs
  if little then
    local r = {}
    for k = 1, n do r[k] = bs[n + 1 - k] end
    bs = r
  end
  return char(unpack(bs, 1, n))
end

-- ---- bytes to numbers -----------------------------------------------------------------------------------------
local function word(b1, b2, b3, b4) return ((b1 * 256 + b2) * 256 + b3) * 256 + b4 end

local function floatvalue(w)
  local neg = w >= TWO31
  if neg then w = w - TWO31 end
  local e, f = floor(w / 8388608), w % 8388608
  local v
  if e == 255 then
    if f ~= 0 then return neg and NEG_NAN or POS_NAN end
    v = 1 / 0
  elseif e == 0 then v = ldexp(f, -149)
  else v = ldexp(f + 8388608, e - 150) end
  if neg then return -v end
  return v
end

local function doublevalue(hi, lo)
  local neg = hi >= TWO31
  if neg then hi = hi - TWO31 end
  local e, f = floor(hi / 1048576), (hi % 1048576) * TWO32 + lo
  local v
  if e == 2047 then
    if f ~= 0 then return neg and NEG_NAN or POS_NAN end
    v = 1 / 0
  elseif e == 0 then v = ldexp(f, -1074)
  else v = ldexp(f + 4503599627370496, e - 1075) end
  if neg then return -v end
  return v
end

-- getinteger: only the 8 least significant bytes fit the C code's 64-bit accumulator, and its sign mask is
-- ~0 << (size*8 - 1) with the shift count taken modulo 64, as x86 does
local function getinteger(data, pos, little, signed, size)
  local b = {0, 0, 0, 0, 0, 0, 0, 0}          -- least significant first
  for k = 1, size < 8 and size or 8 do
    local at = little and pos + k or pos + size + 1 - k
    b[k] = byte(data, at)
  end
  if signed then
    local s = (size * 8 - 1) % 64
    local kb, kr = floor(s / 8) + 1, s % 8
    local p = 2 ^ kr
    local neg = floor(b[kb] / p) > 0
    for k = kb + 1, 8 do if b[k] ~= 0 then neg = true end end
    if neg then
      b[kb] = b[kb] % p + (256 - p)
      for k = kb + 1, 8 do b[k] = 255 end
    end
  end
  local hi, lo = word(b[8], b[7], b[6], b[5]), word(b[4], b[3], b[2], b[1])
  if signed and hi >= TWO31 then hi = hi - TWO32 end
  return hi * TWO32 + lo
end

-- ---- the library ----------------------------------------------------------------------------------------------
local M = {}

M.pack = public(function(...)
  local args = {...}
  local fmt = formatstring('pack', select('#', ...), args[1])
  -- the C code pushes a nil right after the arguments: a missing one is reported as nil, not as no value
  local n = 1 / 0
  local little, align = true, 1
  local out, total, a = {}, 0, 2
  local i, len = 1, #fmt
  while i <= len do
    local opt = sub(fmt, i, i)
    local size
    size, i = optsize(opt, fmt, i + 1)
    local pad = gettoalign(total, align, opt, size)
    total = total + pad
    if pad > 0 then out[#out + 1] = rep('\0', pad) end
    if INTEGER[opt] then
      local bs = int64bytes(checknumber('pack', a, n, args[a]))
      a = a + 1
      local big = {}
      for k = 1, size do big[size + 1 - k] = bs[k] or 0 end
      out[#out + 1] = bytestring(big, little)
    elseif opt == 'x' then
      out[#out + 1] = '\0'
    elseif opt == 'f' then
      local bs = {}
      wordbytes(floatbits(checknumber('pack', a, n, args[a])), bs, 1)
      a = a + 1
      out[#out + 1] = bytestring(bs, little)
    elseif opt == 'd' then
      local bs = {}
      local hi, lo = doublebits(checknumber('pack', a, n, args[a]))
      a = a + 1
      wordbytes(hi, bs, 1)
      wordbytes(lo, bs, 5)
      out[#out + 1] = bytestring(bs, little)
    elseif opt == 'c' or opt == 's' then
      local s = checkstring('pack', a, n, args[a])
      a = a + 1
      if size == 0 then size = #s end
      if #s < size then argerror('pack', a, "string too short") end   -- a is already the next argument, as in C
      out[#out + 1] = sub(s, 1, size)
      if opt == 's' then
        out[#out + 1] = '\0'
        size = size + 1
      end
    else
      little, align, i = control('pack', opt, fmt, i, little, align)
    end
    total = total + size
  end
  return concat(out)
end)

M.unpack = public(function(...)
  local n = select('#', ...)
  local fmtarg, data, offset = ...
  local fmt = formatstring('unpack', n, fmtarg)
  data = checkstring('unpack', 2, n, data)
  local ld = #data
  local pos = 1
  if offset ~= nil then
    local x = tonumber(offset)
    if x == nil then typeerror('unpack', 3, 'number', n, offset) end
    pos = trunc(x)
  end
  if pos == 0 then argerror('unpack', 3, "offset must be 1 or greater") end
  -- a negative offset is a huge size_t in C: every option then finds the data too short
  local huge = pos < 0
  local given = pos
  pos = pos - 1
  local little, align = true, 1
  local res, count = {}, 0
  local i, len = 1, #fmt
  local function need(size)
    if huge or size > ld or pos > ld - size then argerror('unpack', 2, "data string too short") end
  end
  while i <= len do
    local opt = sub(fmt, i, i)
    local size
    size, i = optsize(opt, fmt, i + 1)
    if not huge then pos = pos + gettoalign(pos, align, opt, size) end
    need(size)
    if n + count + 2 > 8000 then fail("stack overflow (too many results)") end
    if INTEGER[opt] then
      count = count + 1
      res[count] = getinteger(data, pos, little, SIGNED[opt], size)
    elseif opt == 'x' then
      -- padding: nothing to return
    elseif opt == 'f' then
      local b1, b2, b3, b4 = byte(data, pos + 1, pos + 4)
      if little then b1, b2, b3, b4 = b4, b3, b2, b1 end
      count = count + 1
      res[count] = floatvalue(word(b1, b2, b3, b4))
    elseif opt == 'd' then
      local b = {byte(data, pos + 1, pos + 8)}
      if little then b = {b[8], b[7], b[6], b[5], b[4], b[3], b[2], b[1]} end
      count = count + 1
      res[count] = doublevalue(word(b[1], b[2], b[3], b[4]), word(b[5], b[6], b[7], b[8]))
    elseif opt == 'c' then
      if size == 0 then
        local prev = res[count]
        if count == 0 or tonumber(prev) == nil then fail("format 'c0' needs a previous size") end
        size = trunc(tonumber(prev))
        res[count] = nil
        count = count - 1
        if size < 0 then size = TWO64 end        -- a negative count is a huge size_t
        need(size)
      end
      count = count + 1
      res[count] = sub(data, pos + 1, pos + size)
    elseif opt == 's' then
      local z = find(data, '\0', pos + 1, true)
      if not z then fail("unfinished string in data") end
      size = z - pos
      count = count + 1
      res[count] = sub(data, pos + 1, z - 1)
    else
      little, align, i = control('unpack', opt, fmt, i, little, align)
    end
    pos = pos + size
  end
  count = count + 1
  res[count] = huge and given or pos + 1
  return res, count
end)

M.size = public(function(...)
  local fmt = formatstring('size', select('#', ...), (...))
  local little, align = true, 1
  local pos = 0
  local i, len = 1, #fmt
  while i <= len do
    local opt = sub(fmt, i, i)
    local size
    size, i = optsize(opt, fmt, i + 1)
    pos = pos + gettoalign(pos, align, opt, size)
    if opt == 's' then argerror('size', 1, "option 's' has no fixed size")
    elseif opt == 'c' and size == 0 then argerror('size', 1, "option 'c0' has no fixed size") end
    if not find(opt, '^%w') then little, align, i = control('size', opt, fmt, i, little, align) end
    pos = pos + size
  end
  return pos
end)

return M
