package io.simplekv.text;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** Redis's rules for numbers in arguments and values: strict integers (string2ll) and float text. */
public final class RedisNumbers {
    private RedisNumbers() {}

    /** Redis prints INCRBYFLOAT results with 17 significant digits and no exponent. */

    /** Thrown for text that is not an integer; stackless because client typos are not server faults. */
    public static final class NotAnInteger extends RuntimeException {
        private static final NotAnInteger INSTANCE = new NotAnInteger();

        private NotAnInteger() {
            super("not an integer", null, false, false);
        }
    }

    public static boolean isLong(byte[] b, int off, int len) {
        try {
            parseLong(b, off, len);
            return true;
        } catch (NotAnInteger e) {
            return false;
        }
    }

    public static long parseLong(byte[] b) {
        return parseLong(b, 0, b.length);
    }

    /** Parses a long exactly as Redis's string2ll: optional '-', no '+', no spaces, no leading zeros. */
    public static long parseLong(byte[] b, int off, int len) {
        if (len == 0 || len > 20) throw NotAnInteger.INSTANCE;
        if (len == 1 && b[off] == '0') return 0;
        int i = off, end = off + len;
        boolean negative = b[i] == '-';
        if (negative && ++i == end) throw NotAnInteger.INSTANCE;
        if (b[i] < '1' || b[i] > '9') throw NotAnInteger.INSTANCE;
        // Accumulate negatively so Long.MIN_VALUE parses without overflow.
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) throw NotAnInteger.INSTANCE;
            if (v < (Long.MIN_VALUE + d) / 10) throw NotAnInteger.INSTANCE;
            v = v * 10 - d;
        }
        if (negative) return v;
        if (v == Long.MIN_VALUE) throw NotAnInteger.INSTANCE;
        return -v;
    }

    /** C's atoi: optional sign and leading digits, anything after them ignored, 0 when there are none. */
    public static long atoi(byte[] b) {
        int i = 0;
        while (i < b.length && Character.isWhitespace(b[i])) i++;
        boolean negative = i < b.length && b[i] == '-';
        if (i < b.length && (b[i] == '-' || b[i] == '+')) i++;
        long v = 0;
        for (; i < b.length && b[i] >= '0' && b[i] <= '9' && v < Integer.MAX_VALUE; i++) v = v * 10 + (b[i] - '0');
        return negative ? -v : v;
    }

    /** A strictly parsed decimal as Redis's strtold would accept it (no spaces, no NaN), or null. */
    public static BigDecimal parseDecimal(byte[] b) {
        if (b.length == 0 || b.length > 5000) return null;
        String s = new String(b, StandardCharsets.US_ASCII);
        char first = s.charAt(0), last = s.charAt(s.length() - 1);
        if (Character.isWhitespace(first) || Character.isWhitespace(last)) return null;
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** True for the spellings of infinity that strtold accepts, which INCRBYFLOAT must reject as a result. */
    public static boolean isInfinity(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII).toLowerCase();
        if (s.startsWith("+") || s.startsWith("-")) s = s.substring(1);
        return s.equals("inf") || s.equals("infinity");
    }

    /** A double as Redis's getDoubleFromObject accepts it (scores, float arguments), or NaN when invalid. */
    public static double parseDouble(byte[] b) {
        return Strtod.parseStrict(b);
    }

    public static byte[] toBytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
