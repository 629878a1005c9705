package io.simplekv.command;

import io.simplekv.protocol.RedisError;
import io.simplekv.text.RedisNumbers;

import java.nio.charset.StandardCharsets;

/** Argument parsing with Redis's error replies, shared by every command group. */
public final class Args {
    private Args() {}

    public static long toLong(byte[] arg) {
        try {
            return RedisNumbers.parseLong(arg);
        } catch (RedisNumbers.NotAnInteger e) {
            throw RedisError.NOT_INTEGER;
        }
    }

    private static final RedisError INT_RANGE =
            RedisError.err("value is out of range, value must between -2147483648 and 2147483647");

    /** An integer that must fit Redis's int range, with getIntFromObjectOrReply's errors (SELECT, MOVE). */
    public static int toInt(byte[] arg) {
        long v = toLong(arg);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw INT_RANGE;
        return (int) v;
    }

    private static final RedisError SYMMETRIC_LONG_RANGE = RedisError.err(
            "value is out of range, value must between -9223372036854775807 and 9223372036854775807");

    /**
     * The count of SRANDMEMBER, HRANDFIELD and ZRANDMEMBER: any long but LONG_MIN, whose negation (a count with
     * repeats) does not exist; Redis's getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX).
     */
    public static long randomCount(byte[] arg) {
        long v = toLong(arg);
        if (v == Long.MIN_VALUE) throw SYMMETRIC_LONG_RANGE;
        return v;
    }

    /** Redis's getPositiveLongFromObjectOrReply with a message: a non-number and a negative get the same error. */
    public static long nonNegative(byte[] arg, String message) {
        long v;
        try {
            v = RedisNumbers.parseLong(arg);
        } catch (RedisNumbers.NotAnInteger e) {
            throw RedisError.err(message);
        }
        if (v < 0) throw RedisError.err(message);
        return v;
    }

    public static double toDouble(byte[] arg) {
        double d = RedisNumbers.parseDouble(arg);
        if (Double.isNaN(d)) throw RedisError.NOT_FLOAT;
        return d;
    }

    public static boolean is(byte[] arg, String word) {
        if (arg.length != word.length()) return false;
        for (int i = 0; i < arg.length; i++) {
            int a = arg[i] & 0xff, w = word.charAt(i);
            if (a != w && (a | 0x20) != (w | 0x20)) return false;
            if (a != w && !Character.isLetter(w)) return false;
        }
        return true;
    }

    /**
     * Bytes as text, one char per byte (ISO-8859-1), so any argument echoed back in a reply or error comes out
     * byte for byte as it came in, as Redis's C strings do; ReplySink writes text the same way.
     */
    public static String text(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
