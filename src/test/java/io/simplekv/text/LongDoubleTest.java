package io.simplekv.text;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LongDoubleTest {

    /** Value, increment → what redis-server 7.0.15 replied to SET k value; INCRBYFLOAT k increment. */
    private static final String[][] REDIS = {
        {"0", "1e30", "1000000000000000000024696061952"},
        {"1.5", "0.1", "1.6"},
        {"0", "1.23456789012345678901", "1.23456789012345679"},
        {"1.23456789012345679", "100000000000000000000", "100000000000000000000"},
        {"0", "0.000003814697265625", "0.00000381469726562"},
        {"0", "1e-30", "0"},
        {"12345678.9", "-12345678.9", "0"},
        {"0.1", "0.2", "0.3"},
        {"10.5", "1e-17", "10.50000000000000001"},
        {"3.0e3", "1", "3001"},
        {"0", "0x1.8p3", "12"},
        {"-5", "5", "0"},
        {"0", "-0.0", "0"},
        {"1e20", "0.1", "100000000000000000000"},
        {"0", "9007199254740993", "9007199254740993"},
        {"-1.1", "0.1", "-1"},
    };

    @Test
    void addsAndPrintsAsRedisDoes() {
        for (String[] c : REDIS) {
            BigDecimal sum = LongDouble.add(parse(c[0]), parse(c[1]));
            assertEquals(c[2], LongDouble.human(sum), c[0] + " + " + c[1]);
        }
    }

    @Test
    void beyondLongDoubleRangeIsInfinite() {
        assertNull(parse("1e4933"));
        assertNull(LongDouble.add(parse("1e4932"), parse("1e4932")));
    }

    @Test
    void readsHexFloatsAsStrtoldDoes() {
        assertEquals("-0.5", LongDouble.human(parse("-0x.8")));
        assertEquals("16", LongDouble.human(parse("0X1P+4")));
        assertNull(parse("0xp1"));
        assertNull(parse("0x1p"));
        assertNull(parse("0x1g"));
    }

    private static BigDecimal parse(String s) {
        return LongDouble.parse(s.getBytes(StandardCharsets.US_ASCII));
    }
}
