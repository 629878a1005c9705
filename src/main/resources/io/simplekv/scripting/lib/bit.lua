-- LuaBitOp as Redis 7.0 preloads it ("bit"), in plain Lua 5.1: 32-bit operations on doubles.
-- Values are carried as unsigned integers in [0, 2^32) and returned signed, like the C library.
-- Errors are raised at level 2 so they name the script's line, as luaL_error does for a C function.
local type, tonumber, error, select, floor = type, tonumber, error, select, math.floor
local frexp, sub, concat = math.frexp, string.sub, table.concat

local TWO32, TWO31 = 4294967296, 2147483648
local MAGIC = 6755399441055744          -- 2^52 + 2^51: adding it rounds to an integer in the low mantissa bits

-- xor of two 4-bit values, for the byte-free bitwise helpers below
local XOR4 = {}
for a = 0, 15 do
  for b = 0, 15 do
    local r, bit, x, y = 0, 1, a, b
    for _ = 1, 4 do
      if x % 2 ~= y % 2 then r = r + bit end
      x, y, bit = floor(x / 2), floor(y / 2), bit * 2
    end
    XOR4[a * 16 + b] = r
  end
end

local function xor32(a, b)
  local r, scale = 0, 1
  for _ = 1, 8 do
    local x, y = a % 16, b % 16
    r = r + XOR4[x * 16 + y] * scale
    a, b, scale = (a - x) / 16, (b - y) / 16, scale * 16
  end
  return r
end
-- a + b = (a xor b) + 2 (a and b), so and/or follow from xor
local function and32(a, b) return (a + b - xor32(a, b)) / 2 end
local function or32(a, b) return (a + b + xor32(a, b)) / 2 end

local function typename(n, i, ...)
  if i > n then return 'no value' end
  return type((select(i, ...)))
end

-- The C library reads the low 32 bits of the double n + 2^52 + 2^51 (round half to even, wraps modulo 2^32).
local function tobits(x)
  local s = x + MAGIC
  if s >= 4503599627370496 and s < 9007199254740992 then return s % TWO32 end   -- [2^52, 2^53): s is the mantissa
  if s ~= s or s == 0 or s == 1 / 0 or s == -1 / 0 then return 0 end
  local m = frexp(s)
  if m < 0 then m = -m end
  return (m * 9007199254740992) % TWO32                                       -- low bits of the 53-bit mantissa
end

-- argument i of a call named fname, as unsigned 32 bits
local function barg(fname, i, n, ...)
  local v = select(i, ...)
  local x = tonumber(v)
  if x == nil then
    error("bad argument #" .. i .. " to '" .. fname .. "' (number expected, got " .. typename(n, i, ...) .. ")", 3)
  end
  return tobits(x)
end

local function signed(b)
  if b >= TWO31 then return b - TWO32 end
  return b
end

local M = {}

function M.tobit(...) return signed(barg('tobit', 1, select('#', ...), ...)) end

function M.bnot(...) return signed(TWO32 - 1 - barg('bnot', 1, select('#', ...), ...)) end

local function fold(name, op)
  return function(...)
    local n = select('#', ...)
    local b = barg(name, 1, n, ...)
    for i = n, 2, -1 do b = op(b, barg(name, i, n, ...)) end   -- same order as the C loop: last argument first
    return signed(b)
  end
end
M.band = fold('band', and32)
M.bor = fold('bor', or32)
M.bxor = fold('bxor', xor32)

local function shift(name, op)
  return function(...)
    local n = select('#', ...)
    local b = barg(name, 1, n, ...)
    local s = barg(name, 2, n, ...) % 32
    return signed(op(b, s))
  end
end
local POW = {}
for i = 0, 32 do POW[i] = 2 ^ i end
M.lshift = shift('lshift', function(b, s) return (b * POW[s]) % TWO32 end)
M.rshift = shift('rshift', function(b, s) return floor(b / POW[s]) end)
M.arshift = shift('arshift', function(b, s)
  local r = floor(signed(b) / POW[s])
  if r < 0 then r = r + TWO32 end
  return r
end)
-- rotations: the two halves have no bit in common, so + is |
M.rol = shift('rol', function(b, s)
  if s == 0 then return b end
  return (b * POW[s]) % TWO32 + floor(b / POW[32 - s])
end)
M.ror = shift('ror', function(b, s)
  if s == 0 then return b end
  return (b * POW[32 - s]) % TWO32 + floor(b / POW[s])
end)

function M.bswap(...)
  local b = barg('bswap', 1, select('#', ...), ...)
  local b0 = b % 256; b = (b - b0) / 256
  local b1 = b % 256; b = (b - b1) / 256
  local b2 = b % 256
  local b3 = (b - b2) / 256
  return signed(((b0 * 256 + b1) * 256 + b2) * 256 + b3)
end

local LOWER, UPPER = '0123456789abcdef', '0123456789ABCDEF'
function M.tohex(...)
  local n = select('#', ...)
  local b = barg('tohex', 1, n, ...)
  local digits, width = LOWER, 8
  if n >= 2 then
    width = signed(barg('tohex', 2, n, ...))
    if width == -TWO31 then width = -TWO31 + 1 end
    if width < 0 then width, digits = -width, UPPER end
    if width > 8 then width = 8 end
  end
  local out = {}
  for i = width, 1, -1 do
    local d = b % 16
    out[i] = sub(digits, d + 1, d + 1)
    b = (b - d) / 16
  end
  return concat(out, '', 1, width)
end

return M
