package io.simplekv.command.bitmap;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Notify;
import io.simplekv.command.Session;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.Records;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.RedisNumbers;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/**
 * SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP and BITFIELD(_RO). Bit 0 is the most significant bit of the first
 * byte, as in Redis. Writes copy the string once, zero-padded to the highest byte they touch, keep the key's TTL
 * and store it as "raw", as Redis does when it unshares a string to change it in place.
 */
public final class BitCommands {
    private BitCommands() {}

    private static final RedisError BAD_OFFSET = RedisError.err("bit offset is not an integer or out of range");
    private static final RedisError BAD_BIT = RedisError.err("bit is not an integer or out of range");
    private static final RedisError BAD_TYPE = RedisError.err(
            "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    public static void register(CommandTable.Builder t) {
        t.add(command("setbit", BitCommands::setbit));
        t.add(command("getbit", BitCommands::getbit));
        t.add(command("bitcount", BitCommands::bitcount));
        t.add(command("bitpos", BitCommands::bitpos));
        t.add(command("bitop", BitCommands::bitop));
        t.add(command("bitfield", (c, a, o) -> bitfield(c, a, o, false)));
        t.add(command("bitfield_ro", (c, a, o) -> bitfield(c, a, o, true)));
    }

    // ---- offsets, reading and writing ------------------------------------------------------------------------

    /**
     * A bit offset argument. BITFIELD's "#N" form counts in fields of {@code fieldBits}. Offsets whose byte lies
     * past proto-max-bulk-len are refused up front, so the string a write grows to always fits an array.
     */
    private static long bitOffset(Session c, byte[] arg, int fieldBits) {
        boolean fields = fieldBits > 0 && arg.length > 0 && arg[0] == '#';
        int skip = fields ? 1 : 0;
        long offset;
        try {
            offset = RedisNumbers.parseLong(arg, skip, arg.length - skip);
            if (fields) offset = Math.multiplyExact(offset, fieldBits);
        } catch (RedisNumbers.NotAnInteger | ArithmeticException e) {
            throw BAD_OFFSET;
        }
        if (offset < 0 || (offset >>> 3) >= c.server().config().protoMaxBulkLen) throw BAD_OFFSET;
        return offset;
    }

    /** The string's bytes, copied and zero-padded to at least {@code minLength} so a write can change them. */
    private static byte[] writableCopy(byte[] rec, long minLength) {
        if (rec == null) return new byte[(int) minLength];
        int off = Records.payloadOffset(rec), len = rec.length - off;
        return Arrays.copyOfRange(rec, off, off + (int) Math.max(len, minLength));
    }

    /** Whether a write makes the string exist or longer (Redis's lookupStringForBitCommand "dirty"). */
    private static boolean grows(byte[] rec, byte[] value) {
        return rec == null || value.length > rec.length - Records.payloadOffset(rec);
    }

    private static void storeRaw(Database db, byte[] key, byte[] rec, byte[] value) {
        db.put(key, raw(rec, value));
    }

    /** The string record holding {@code value}, raw encoded, with the TTL of {@code rec} (if any). */
    private static byte[] raw(byte[] rec, byte[] value) {
        long expireAt = rec == null ? Records.NO_EXPIRY : Records.expireAt(rec);
        return Records.encode(KeyType.STRING, expireAt, value, 0, value.length, true);
    }

    /** The {@code bits} (1..64) bits from bit {@code offset} of p[from, from + len) as an unsigned number; zeros past the end. */
    private static long readField(byte[] p, int from, int len, long offset, int bits) {
        long v = 0;
        for (int i = 0; i < bits; i++, offset++) {
            long at = offset >>> 3;
            int bit = at < len ? (p[from + (int) at] >>> (7 - (int) (offset & 7))) & 1 : 0;
            v = (v << 1) | bit;
        }
        return v;
    }

    private static void writeField(byte[] p, long offset, int bits, long value) {
        for (int i = bits - 1; i >= 0; i--, offset++) {
            int at = (int) (offset >>> 3), mask = 0x80 >>> (int) (offset & 7);
            if (((value >>> i) & 1) != 0) p[at] |= (byte) mask;
            else p[at] &= (byte) ~mask;
        }
    }

    private static long signExtend(long v, int bits) {
        return bits == 64 ? v : (v << (64 - bits)) >> (64 - bits);
    }

    // ---- SETBIT, GETBIT --------------------------------------------------------------------------------------

    static void setbit(Session c, byte[][] a, ReplySink out) {
        long offset = bitOffset(c, a[2], 0);
        long on;
        try {
            on = RedisNumbers.parseLong(a[3]);
        } catch (RedisNumbers.NotAnInteger e) {
            throw BAD_BIT;
        }
        if (on != 0 && on != 1) throw BAD_BIT;
        Database db = c.db();
        byte[] rec = db.lookupString(a[1]);
        int at = (int) (offset >>> 3), mask = 0x80 >>> (int) (offset & 7);
        byte[] value = writableCopy(rec, at + 1L);
        boolean was = (value[at] & mask) != 0;
        // Redis's rule: a new or grown string, or a bit that flips, is a change; setting a bit to what it is, isn't.
        if (grows(rec, value) || was != (on == 1)) {
            if (on == 1) value[at] |= (byte) mask;
            else value[at] &= (byte) ~mask;
            storeRaw(db, a[1], rec, value);
            Notify.string(c, "setbit", a[1]);
        } else if (!Records.isRaw(rec)) {
            db.restate(a[1], raw(rec, value));
        }
        out.integer(was ? 1 : 0);
    }

    static void getbit(Session c, byte[][] a, ReplySink out) {
        long offset = bitOffset(c, a[2], 0);
        byte[] rec = c.db().readString(a[1]);
        if (rec == null) {
            out.integer(0);
            return;
        }
        int off = Records.payloadOffset(rec);
        out.integer(readField(rec, off, rec.length - off, offset, 1));
    }

    // ---- BITCOUNT, BITPOS ------------------------------------------------------------------------------------

    /** BYTE or BIT: true for BIT. */
    private static boolean bitUnit(byte[] arg) {
        if (Args.is(arg, "bit")) return true;
        if (Args.is(arg, "byte")) return false;
        throw RedisError.SYNTAX;
    }

    /** GETRANGE-style index normalisation: negatives count from the end, then both are clamped into [0, total). */
    private static long[] clampRange(long start, long end, long total) {
        if (start < 0) start = Math.max(0, total + start);
        if (end < 0) end = Math.max(0, total + end);
        if (end >= total) end = total - 1;
        return new long[] {start, end};
    }

    static void bitcount(Session c, byte[][] a, ReplySink out) {
        // Redis answers 0 for a missing key before it looks at the range arguments at all.
        byte[] rec = c.db().readString(a[1]);
        if (rec == null) {
            out.integer(0);
            return;
        }
        if (a.length == 3 || a.length > 5) throw RedisError.SYNTAX;
        int off = Records.payloadOffset(rec);
        long len = rec.length - off, first = 0, last = len * 8 - 1;
        if (a.length > 2) {
            long start = Args.toLong(a[2]), end = Args.toLong(a[3]);
            if (start < 0 && end < 0 && start > end) {
                out.integer(0);
                return;
            }
            boolean bits = a.length == 5 && bitUnit(a[4]);
            long[] r = clampRange(start, end, bits ? len * 8 : len);
            first = bits ? r[0] : r[0] * 8;
            last = bits ? r[1] : r[1] * 8 + 7;
        }
        out.integer(countBits(rec, off, first, last));
    }

    /** Set bits in the inclusive bit range [first, last] of the bytes starting at p[from]. */
    private static long countBits(byte[] p, int from, long first, long last) {
        if (first > last) return 0;
        int fb = from + (int) (first >>> 3), lb = from + (int) (last >>> 3);
        int firstMask = 0xff >>> (int) (first & 7), lastMask = (0xff << (7 - (int) (last & 7))) & 0xff;
        if (fb == lb) return Integer.bitCount(p[fb] & firstMask & lastMask);
        long n = Integer.bitCount(p[fb] & firstMask) + Integer.bitCount(p[lb] & lastMask);
        int i = fb + 1;
        // Eight bytes at a time: bitmaps can be hundreds of megabytes.
        for (; i + 8 <= lb; i += 8) n += Long.bitCount((long) LONGS.get(p, i));
        for (; i < lb; i++) n += Integer.bitCount(p[i] & 0xff);
        return n;
    }

    static void bitpos(Session c, byte[][] a, ReplySink out) {
        long bit = Args.toLong(a[2]);
        if (bit != 0 && bit != 1) throw RedisError.err("The bit argument must be 1 or 0.");
        byte[] rec = c.db().readString(a[1]);
        // A missing key is an endless run of zeros.
        if (rec == null) {
            out.integer(bit == 1 ? -1 : 0);
            return;
        }
        if (a.length > 6) throw RedisError.SYNTAX;
        int off = Records.payloadOffset(rec);
        long len = rec.length - off, first = 0, last = len * 8 - 1;
        boolean endGiven = a.length >= 5;
        if (a.length > 3) {
            long start = Args.toLong(a[3]);
            boolean bits = a.length == 6 && bitUnit(a[5]);
            long end = endGiven ? Args.toLong(a[4]) : len - 1;
            long[] r = clampRange(start, end, bits ? len * 8 : len);
            first = bits ? r[0] : r[0] * 8;
            last = bits ? r[1] : r[1] * 8 + 7;
        }
        if (first > last) {
            out.integer(-1);
            return;
        }
        long pos = findBit(rec, off, first, last, bit == 1);
        // Without an explicit end the string counts as zero-padded, so a clear bit is found just past it.
        if (pos < 0 && bit == 0 && !endGiven) pos = last + 1;
        out.integer(pos);
    }

    /** The first bit equal to {@code one} in the inclusive bit range [first, last] of p[from...], or -1. */
    private static long findBit(byte[] p, int from, long first, long last, boolean one) {
        long fb = first >>> 3, lb = last >>> 3;
        for (long b = fb; b <= lb; b++) {
            int v = p[from + (int) b] & 0xff;
            if (!one) v = ~v & 0xff;
            if (b == fb) v &= 0xff >>> (int) (first & 7);
            if (b == lb) v &= 0xff << (7 - (int) (last & 7));
            if (v != 0) return b * 8 + Integer.numberOfLeadingZeros(v) - 24;
        }
        return -1;
    }

    // ---- BITOP -----------------------------------------------------------------------------------------------

    static void bitop(Session c, byte[][] a, ReplySink out) {
        char op;
        if (Args.is(a[1], "and")) op = '&';
        else if (Args.is(a[1], "or")) op = '|';
        else if (Args.is(a[1], "xor")) op = '^';
        else if (Args.is(a[1], "not")) op = '~';
        else throw RedisError.SYNTAX;
        if (op == '~' && a.length != 4) throw RedisError.err("BITOP NOT must be called with a single source key.");
        Database db = c.db();
        byte[][] sources = new byte[a.length - 3][];
        int maxLen = 0;
        for (int i = 3; i < a.length; i++) {
            byte[] rec = db.readString(a[i]);
            sources[i - 3] = rec == null ? new byte[0] : Records.payload(rec);
            maxLen = Math.max(maxLen, sources[i - 3].length);
        }
        // An empty result deletes the destination, as Redis never stores an empty bitmap here.
        if (maxLen == 0) {
            if (db.delete(a[2])) Notify.generic(c, "del", a[2]);
            out.integer(0);
            return;
        }
        byte[] result = Arrays.copyOf(sources[0], maxLen);
        if (op == '~') {
            for (int i = 0; i < maxLen; i++) result[i] = (byte) ~result[i];
        }
        for (int s = 1; s < sources.length; s++) {
            byte[] src = sources[s];
            for (int i = 0; i < maxLen; i++) {
                byte b = i < src.length ? src[i] : 0;
                result[i] = (byte) (op == '&' ? result[i] & b : op == '|' ? result[i] | b : result[i] ^ b);
            }
        }
        // The destination is replaced whatever its type, and loses its TTL, like SET.
        db.put(a[2], Records.encode(KeyType.STRING, Records.NO_EXPIRY, result, 0, maxLen, true));
        Notify.string(c, "set", a[2]);
        out.integer(maxLen);
    }

    // ---- BITFIELD --------------------------------------------------------------------------------------------

    private enum Overflow { WRAP, SAT, FAIL }

    private enum FieldOp { GET, SET, INCRBY }

    private record Field(FieldOp op, boolean signed, int bits, long offset, long value, Overflow overflow) {}

    static void bitfield(Session c, byte[][] a, ReplySink out, boolean readOnlyCommand) {
        List<Field> fields = new ArrayList<>();
        Overflow overflow = Overflow.WRAP;
        long highestBit = -1;
        // Everything is parsed before the key is touched: one bad argument fails the whole command.
        for (int j = 2; j < a.length; j++) {
            int more = a.length - j - 1;
            FieldOp op;
            if (Args.is(a[j], "get") && more >= 2) op = FieldOp.GET;
            else if (Args.is(a[j], "set") && more >= 3) op = FieldOp.SET;
            else if (Args.is(a[j], "incrby") && more >= 3) op = FieldOp.INCRBY;
            else if (Args.is(a[j], "overflow") && more >= 1) {
                byte[] kind = a[++j];
                if (Args.is(kind, "wrap")) overflow = Overflow.WRAP;
                else if (Args.is(kind, "sat")) overflow = Overflow.SAT;
                else if (Args.is(kind, "fail")) overflow = Overflow.FAIL;
                else throw RedisError.err("Invalid OVERFLOW type specified");
                continue;
            } else {
                throw RedisError.SYNTAX;
            }
            byte[] type = a[j + 1];
            boolean signed = type.length > 0 && type[0] == 'i';
            if (!signed && (type.length == 0 || type[0] != 'u')) throw BAD_TYPE;
            int bits;
            try {
                long b = RedisNumbers.parseLong(type, 1, type.length - 1);
                if (b < 1 || b > (signed ? 64 : 63)) throw BAD_TYPE;
                bits = (int) b;
            } catch (RedisNumbers.NotAnInteger e) {
                throw BAD_TYPE;
            }
            long offset = bitOffset(c, a[j + 2], bits);
            long value = 0;
            if (op != FieldOp.GET) {
                highestBit = Math.max(highestBit, offset + bits - 1);
                value = Args.toLong(a[j + 3]);
            }
            fields.add(new Field(op, signed, bits, offset, value, overflow));
            j += op == FieldOp.GET ? 2 : 3;
        }

        Database db = c.db();
        if (highestBit < 0) {
            byte[] rec = db.readString(a[1]);
            out.array(fields.size());
            int off = rec == null ? 0 : Records.payloadOffset(rec);
            int len = rec == null ? 0 : rec.length - off;
            for (Field f : fields) {
                long v = readField(rec, off, len, f.offset, f.bits);
                out.integer(f.signed ? signExtend(v, f.bits) : v);
            }
            return;
        }
        if (readOnlyCommand) throw RedisError.err("BITFIELD_RO only supports the GET subcommand");
        byte[] rec = db.lookupString(a[1]);
        // The key is created (or grown) to the farthest field written even if every write then fails.
        byte[] value = writableCopy(rec, (highestBit >>> 3) + 1);
        boolean grows = grows(rec, value);
        int changes = 0;
        out.array(fields.size());
        for (Field f : fields) {
            long old = readField(value, 0, value.length, f.offset, f.bits);
            if (f.signed) old = signExtend(old, f.bits);
            if (f.op == FieldOp.GET) {
                out.integer(old);
                continue;
            }
            Long next = f.op == FieldOp.SET ? fit(f.value, 0, f) : fit(old, f.value, f);
            if (next == null) {
                out.nullBulk();
                continue;
            }
            writeField(value, f.offset, f.bits, next);
            if (grows || next != old) changes++;
            out.integer(f.op == FieldOp.SET ? old : next);
        }
        if (changes > 0) {
            storeRaw(db, a[1], rec, value);
            Notify.string(c, "setbit", a[1]);
        } else if (grows || !Records.isRaw(rec)) {
            // Redis makes the key (or unshares its value) before it knows whether any write will go through.
            db.restate(a[1], raw(rec, value));
        }
    }

    /** value + incr as the field's type holds it under the field's overflow rule; null when FAIL refuses it. */
    private static Long fit(long value, long incr, Field f) {
        long max, min;
        int direction;
        if (f.signed) {
            max = f.bits == 64 ? Long.MAX_VALUE : (1L << (f.bits - 1)) - 1;
            min = -max - 1;
            try {
                long sum = Math.addExact(value, incr);
                direction = sum > max ? 1 : sum < min ? -1 : 0;
            } catch (ArithmeticException e) {
                direction = incr > 0 ? 1 : -1;
            }
        } else {
            max = (1L << f.bits) - 1;
            min = 0;
            // A negative SET value is a huge unsigned one, as in Redis's uint64 arithmetic.
            if (value < 0 || value > max || (incr > 0 && incr > max - value)) direction = 1;
            else if (incr < 0 && incr < -value) direction = -1;
            else direction = 0;
        }
        if (direction == 0) return value + incr;
        return switch (f.overflow) {
            case WRAP -> f.signed ? signExtend(value + incr, f.bits) : (value + incr) & max;
            case SAT -> direction > 0 ? max : min;
            case FAIL -> null;
        };
    }
}
