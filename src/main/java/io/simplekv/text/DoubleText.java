package io.simplekv.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * A double as Redis 7.0 replies with it (addReplyDouble): {@code inf}, {@code -inf}, else C's {@code %.17g},
 * so 1.1 comes out as 1.1000000000000001 and 3 as 3, exactly as redis-server writes scores.
 */
public final class DoubleText {
    private DoubleText() {}

    private static final MathContext SEVENTEEN = new MathContext(17, RoundingMode.HALF_EVEN);

    public static byte[] bytes(double d) {
        return format(d).getBytes(StandardCharsets.US_ASCII);
    }

    public static String format(double d) {
        if (d == Double.POSITIVE_INFINITY) return "inf";
        if (d == Double.NEGATIVE_INFINITY) return "-inf";
        // printf writes a NaN's sign: Lua's 0/0 is a negative NaN on x86, which Redis replies as -nan.
        if (Double.isNaN(d)) return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        if (d == 0) return 1 / d < 0 ? "-0" : "0";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        BigDecimal r = new BigDecimal(d).round(SEVENTEEN);
        String digits = r.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - r.scale();
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') end--;
        digits = digits.substring(0, end);
        StringBuilder sb = new StringBuilder(24);
        if (d < 0) sb.append('-');
        if (exponent < -4 || exponent >= 17) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int e = Math.abs(exponent);
            if (e < 10) sb.append('0');
            sb.append(e);
        } else if (exponent >= 0) {
            if (digits.length() <= exponent + 1) {
                sb.append(digits);
                for (int i = digits.length(); i <= exponent; i++) sb.append('0');
            } else {
                sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            }
        } else {
            sb.append("0.");
            for (int i = -1; i > exponent; i--) sb.append('0');
            sb.append(digits);
        }
        return sb.toString();
    }
}
