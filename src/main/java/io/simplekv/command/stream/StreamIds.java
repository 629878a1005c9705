package io.simplekv.command.stream;

import io.simplekv.keyspace.StreamId;
import io.simplekv.protocol.RedisError;

/**
 * Stream IDs as clients write them, parsed as Redis's streamGenericParseIDOrReply does: {@code ms-seq}, {@code ms}
 * (the sequence the caller supplies), {@code -} and {@code +}, {@code ms-*} where XADD allows it, and the
 * {@code (} prefix of an exclusive range bound. Each part is read by Redis's string2ull, whose strtoull fallback
 * takes leading blanks, a sign and leading zeros.
 */
public final class StreamIds {
    private StreamIds() {}

    public static final RedisError INVALID = RedisError.err("Invalid stream ID specified as stream command argument");

    /** An ID and whether its sequence was given (false for XADD's {@code ms-*}). */
    public record Parsed(StreamId id, boolean seqGiven) {}

    /** An ID where {@code -} and {@code +} are allowed (Redis's streamParseIDOrReply). */
    public static StreamId parse(byte[] arg, long missingSeq) {
        return parse(arg, 0, missingSeq, false, false).id();
    }

    /** An ID where {@code -} and {@code +} are invalid (streamParseStrictIDOrReply without {@code ms-*}). */
    public static StreamId strict(byte[] arg, long missingSeq) {
        return parse(arg, 0, missingSeq, true, false).id();
    }

    /** XADD's ID: strict, and {@code ms-*} leaves the sequence to the stream. */
    public static Parsed forAdd(byte[] arg) {
        return parse(arg, 0, 0, true, true);
    }

    /** A range bound and whether it is exclusive: the {@code (} prefix makes it strict. */
    public record Bound(StreamId id, boolean exclusive) {}

    public static Bound interval(byte[] arg, long missingSeq) {
        if (arg.length > 1 && arg[0] == '(') return new Bound(parse(arg, 1, missingSeq, true, false).id(), true);
        return new Bound(parse(arg, missingSeq), false);
    }

    private static Parsed parse(byte[] arg, int from, long missingSeq, boolean strict, boolean seqStar) {
        if (arg.length - from > 127) throw INVALID;
        // Redis copies the argument into a C string: it ends at the first NUL.
        int end = from;
        while (end < arg.length && arg[end] != 0) end++;
        int len = end - from;
        if (len == 1 && (arg[from] == '-' || arg[from] == '+')) {
            if (strict) throw INVALID;
            return new Parsed(arg[from] == '-' ? StreamId.MIN : StreamId.MAX, true);
        }
        int dash = -1;
        for (int i = from; i < end; i++) {
            if (arg[i] == '-') {
                dash = i;
                break;
            }
        }
        long ms = string2ull(arg, from, dash < 0 ? end : dash);
        if (dash < 0) return new Parsed(new StreamId(ms, missingSeq), true);
        if (seqStar && end - dash == 2 && arg[dash + 1] == '*') return new Parsed(new StreamId(ms, 0), false);
        return new Parsed(new StreamId(ms, string2ull(arg, dash + 1, end)), true);
    }

    /** Redis's string2ull: string2ll when it succeeds (a negative is invalid), else strtoull's rules, in full. */
    static long string2ull(byte[] s, int from, int to) {
        Long strict = string2ll(s, from, to);
        if (strict != null) {
            if (strict < 0) throw INVALID;
            return strict;
        }
        int i = from;
        while (i < to && isSpace(s[i])) i++;
        boolean negative = false;
        if (i < to && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        int digits = i;
        long v = 0;
        for (; i < to && s[i] >= '0' && s[i] <= '9'; i++) {
            int d = s[i] - '0';
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) throw INVALID; // ERANGE
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) throw INVALID;
            v = next;
        }
        if (i == digits || i != to) throw INVALID;
        return negative ? -v : v;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** Redis's string2ll: an optional '-', no leading zero, no blank; null when it does not parse or overflows. */
    private static Long string2ll(byte[] s, int from, int to) {
        int n = to - from;
        if (n == 0) return null;
        if (n == 1 && s[from] == '0') return 0L;
        int i = from;
        boolean negative = s[i] == '-';
        if (negative && ++i == to) return null;
        if (s[i] < '1' || s[i] > '9') return null;
        long v = 0;
        for (; i < to; i++) {
            if (s[i] < '0' || s[i] > '9') return null;
            int d = s[i] - '0';
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) return null;
            v *= 10;
            if (Long.compareUnsigned(v, -1L - d) > 0) return null;
            v += d;
        }
        if (negative) {
            if (Long.compareUnsigned(v, Long.MIN_VALUE) > 0) return null;
            return -v;
        }
        return v < 0 ? null : v;
    }
}
