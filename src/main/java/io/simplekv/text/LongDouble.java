package io.simplekv.text;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The x86 80-bit long double INCRBYFLOAT and HINCRBYFLOAT compute in (strtold, +, then ld2string's {@code %.17Lf}),
 * emulated exactly on BigDecimal so a result has Redis's digits to the last one: every value is rounded to a 64-bit
 * significand, half to even, and printed with 17 decimals, trailing zeros dropped. (Subnormals, below 2^-16382,
 * keep 64 bits here where the hardware keeps fewer.)
 */
public final class LongDouble {
    private LongDouble() {}

    private static final BigDecimal TWO_63 = new BigDecimal(BigInteger.ONE.shiftLeft(63));
    private static final BigDecimal TWO_64 = new BigDecimal(BigInteger.ONE.shiftLeft(64));
    private static final BigInteger FIVE = BigInteger.valueOf(5);
    private static final double LOG2_10 = Math.log(10) / Math.log(2);
    /** LDBL_MAX is just under 2^16384. */
    private static final int MAX_EXPONENT = 16384;

    /**
     * A number as strtold reads it, decimal or C99 hex ({@code 0x1.8p3}), correctly rounded; null if it is not one
     * or is beyond LDBL_MAX.
     */
    public static BigDecimal parse(byte[] text) {
        BigDecimal exact = isHex(text) ? parseHex(text) : RedisNumbers.parseDecimal(text);
        return exact == null ? null : round(exact);
    }

    private static boolean isHex(byte[] b) {
        int i = b.length > 0 && (b[0] == '+' || b[0] == '-') ? 1 : 0;
        return b.length > i + 1 && b[i] == '0' && (b[i + 1] | 0x20) == 'x';
    }

    /** [sign] 0x hexdigits [. hexdigits] [p [sign] decimal exponent], exactly; null when malformed. */
    private static BigDecimal parseHex(byte[] b) {
        int i = b[0] == '+' || b[0] == '-' ? 1 : 0;
        i += 2;
        BigInteger mantissa = BigInteger.ZERO;
        long exponent = 0;
        boolean digits = false, point = false;
        for (; i < b.length; i++) {
            int d = Character.digit(b[i], 16);
            if (d >= 0) {
                mantissa = mantissa.shiftLeft(4).add(BigInteger.valueOf(d));
                if (point) exponent -= 4;
                digits = true;
            } else if (b[i] == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (!digits) return null;
        if (i < b.length) {
            if ((b[i] | 0x20) != 'p' || i + 1 == b.length) return null;
            String e = new String(b, i + 1, b.length - i - 1, java.nio.charset.StandardCharsets.US_ASCII);
            if (!e.matches("[+-]?[0-9]{1,9}")) return null;
            exponent += Long.parseLong(e);
        }
        if (Math.abs(exponent) > 100_000) return null;
        BigDecimal v = timesPowerOfTwo(new BigDecimal(mantissa), exponent);
        return b[0] == '-' ? v.negate() : v;
    }

    /** x + y in long double, or null when the sum is infinite. */
    public static BigDecimal add(BigDecimal x, BigDecimal y) {
        return round(x.add(y));
    }

    /** ld2string(LD_STR_HUMAN): {@code %.17Lf} with the fraction's trailing zeros (and a bare point) dropped. */
    public static String human(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }

    /** The long double nearest an exact value, as an exact decimal; null past LDBL_MAX. */
    static BigDecimal round(BigDecimal exact) {
        if (exact.signum() == 0) return BigDecimal.ZERO;
        BigDecimal v = exact.abs();
        // v = scaled * 2^k with scaled in [2^63, 2^64): start from an estimate of log2(v), then settle it.
        long k = (long) Math.floor(v.unscaledValue().bitLength() - v.scale() * LOG2_10) - 63;
        BigDecimal scaled;
        while (true) {
            scaled = timesPowerOfTwo(v, -k);
            if (scaled.compareTo(TWO_64) >= 0) k++;
            else if (scaled.compareTo(TWO_63) < 0) k--;
            else break;
        }
        BigInteger m = scaled.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        if (m.bitLength() > 64) { // rounded up to 2^64
            m = m.shiftRight(1);
            k++;
        }
        if (k + 64 > MAX_EXPONENT) return null;
        BigDecimal r = timesPowerOfTwo(new BigDecimal(m), k);
        return exact.signum() < 0 ? r.negate() : r;
    }

    /** v * 2^k, exactly (v / 2^n is v * 5^n / 10^n). */
    private static BigDecimal timesPowerOfTwo(BigDecimal v, long k) {
        if (k >= 0) return v.multiply(new BigDecimal(BigInteger.ONE.shiftLeft((int) k)));
        int n = (int) -k;
        return new BigDecimal(v.unscaledValue().multiply(FIVE.pow(n)), v.scale() + n);
    }
}
