package io.simplekv.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoubleTextTest {

    /** Input → what redis-server 7.0.15 replied to ZADD z input m; ZSCORE z m. */
    private static final String[][] REDIS = {
        {"1.1", "1.1000000000000001"}, {"0.1", "0.10000000000000001"}, {"3", "3"}, {"-2.5", "-2.5"},
        {"1e20", "1e+20"}, {"1.5e-5", "1.5e-05"}, {"0.0001", "0.0001"},
        {"123456789012345678", "1.2345678901234568e+17"}, {"1e16", "10000000000000000"}, {"1e17", "1e+17"},
        {"3.14159", "3.1415899999999999"}, {"2.2250738585072014e-308", "2.2250738585072014e-308"},
        {"1.7976931348623157e308", "1.7976931348623157e+308"}, {"0.3", "0.29999999999999999"},
        {"100.5", "100.5"}, {"-1e-10", "-1e-10"}, {"12345.678", "12345.678"}, {"1e15", "1000000000000000"},
        {"9007199254740993", "9007199254740992"}, {"inf", "inf"}, {"-inf", "-inf"},
    };

    @Test
    void formatsScoresAsRedisDoes() {
        for (String[] c : REDIS) {
            double d = Strtod.parseStrict(c[0].getBytes(StandardCharsets.US_ASCII));
            assertEquals(c[1], DoubleText.format(d), c[0]);
        }
    }

    /** printf shows a NaN's sign bit: C's 0.0/0.0 on x86 (and Lua's 0/0) is negative, Java's is not. */
    @Test
    void nanKeepsItsSign() {
        assertEquals("-nan", DoubleText.format(Double.longBitsToDouble(0xfff8000000000000L)));
        assertEquals("nan", DoubleText.format(Double.NaN));
    }

    @Test
    void strictParsingRefusesWhatGetDoubleFromObjectRefuses() {
        for (String bad : new String[] {"", " 1", "1 ", "abc", "nan", "1e400", "1e-400", "0x10", "1d", "1f", "--1"}) {
            assertTrue(Double.isNaN(Strtod.parseStrict(bad.getBytes(StandardCharsets.US_ASCII))), bad);
        }
        assertEquals(Double.POSITIVE_INFINITY, Strtod.parseStrict("+Infinity".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0.5, Strtod.parseStrict(".5".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(5.0, Strtod.parseStrict("5.".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void rangeParsingIsPlainStrtod() {
        assertEquals(0.0, Strtod.parse("(".getBytes(StandardCharsets.US_ASCII), 1));
        assertEquals(2.0, Strtod.parse(" 2".getBytes(StandardCharsets.US_ASCII), 0));
        assertEquals(Double.POSITIVE_INFINITY, Strtod.parse("1e400".getBytes(StandardCharsets.US_ASCII), 0));
        assertTrue(Double.isNaN(Strtod.parse("2 ".getBytes(StandardCharsets.US_ASCII), 0)));
        assertTrue(Double.isNaN(Strtod.parse(" ".getBytes(StandardCharsets.US_ASCII), 0)));
    }
}
