package io.simplekv.text;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Redis reads floats with C's strtod, in two strictnesses: score ranges (ZRANGEBYSCORE's min/max) take whatever
 * strtod consumes whole, leading spaces and an empty string included; float arguments (ZADD's scores, timeouts,
 * INCRBYFLOAT's increment) go through getDoubleFromObject, which also refuses a leading space, overflow to
 * infinity and underflow to zero. Both refuse NaN. Hex floats are not accepted here (Redis would take them).
 */
public final class Strtod {
    private Strtod() {}

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NONZERO_MANTISSA = Pattern.compile("^[+-]?[0.]*[1-9]");

    /** strtod over the whole text, or NaN when it would stop before the end. */
    public static double parse(byte[] b, int off) {
        String s = new String(b, off, b.length - off, StandardCharsets.ISO_8859_1);
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) i++;
        if (i == s.length()) return i == 0 ? 0.0 : Double.NaN; // strtod("") consumes nothing and stops at the end
        return parseNumber(s.substring(i));
    }

    /** getDoubleFromObject's rules: a finite or infinite value written as such, nothing more. */
    public static double parseStrict(byte[] b) {
        if (b.length == 0 || isSpace((char) (b[0] & 0xff))) return Double.NaN;
        double whole = wholeNumber(b);
        if (!Double.isNaN(whole)) return whole;
        String s = new String(b, StandardCharsets.ISO_8859_1);
        double d = parseNumber(s);
        if (Double.isInfinite(d) && !isInfinitySpelling(s)) return Double.NaN; // ERANGE overflow
        if (d == 0 && NONZERO_MANTISSA.matcher(s).find()) return Double.NaN;   // ERANGE underflow to zero
        return d;
    }

    /**
     * An optional sign and 1 to 15 digits, the usual score or increment, as strtod reads it: exact, since such a
     * number is below 2^53, and without the pattern matching the general path needs (a tenth of a pipelined ZADD's
     * CPU went there). NaN for anything else.
     */
    private static double wholeNumber(byte[] b) {
        int i = b[0] == '-' || b[0] == '+' ? 1 : 0;
        int digits = b.length - i;
        if (digits < 1 || digits > 15) return Double.NaN;
        long v = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return Double.NaN;
            v = v * 10 + d;
        }
        if (b[0] != '-') return v;
        return v == 0 ? -0.0 : -v;
    }

    private static double parseNumber(String s) {
        if (isInfinitySpelling(s)) return s.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (!DECIMAL.matcher(s).matches()) return Double.NaN;
        return Double.parseDouble(s);
    }

    private static boolean isInfinitySpelling(String s) {
        String body = s.toLowerCase(Locale.ROOT);
        if (body.startsWith("+") || body.startsWith("-")) body = body.substring(1);
        return body.equals("inf") || body.equals("infinity");
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }
}
