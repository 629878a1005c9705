package io.simplekv.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** string2ll strictness; accepted and refused texts were checked with INCRBY against redis-server 7.0.15. */
class RedisNumbersTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "1, 1",
            "-1, -1",
            "7, 7",
            "123, 123",
            "-123, -123",
            "1000000, 1000000",
            "9223372036854775807, 9223372036854775807",
            "-9223372036854775808, -9223372036854775808",
            "9223372036854775806, 9223372036854775806",
            "-9223372036854775807, -9223372036854775807"})
    void acceptsCanonicalIntegers(String text, long expected) {
        assertEquals(expected, RedisNumbers.parseLong(b(text)));
        assertTrue(RedisNumbers.isLong(b(text), 0, text.length()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", "+0", " 1", "1 ", "01", "00", "-0", "-01", "1e3", "1.0", "0x10", "1a", "a1",
            "--1", "1-", "9223372036854775808", "-9223372036854775809", "9223372036854775817",
            "-9223372036854775818", "10000000000000000000", "99999999999999999999", "18446744073709551616",
            "000000000000000000001", "123456789012345678901", "\u0000", "1\u0000"})
    void refusesEverythingElse(String text) {
        assertThrows(RedisNumbers.NotAnInteger.class, () -> RedisNumbers.parseLong(b(text)), "'" + text + "'");
        assertFalse(RedisNumbers.isLong(b(text), 0, text.length()), "'" + text + "'");
    }

    @Test
    void overflowByOneAtBothEnds() {
        assertEquals(Long.MAX_VALUE, RedisNumbers.parseLong(b(Long.toString(Long.MAX_VALUE))));
        assertEquals(Long.MIN_VALUE, RedisNumbers.parseLong(b(Long.toString(Long.MIN_VALUE))));
        assertThrows(RedisNumbers.NotAnInteger.class, () -> RedisNumbers.parseLong(b("9223372036854775808")));
        assertThrows(RedisNumbers.NotAnInteger.class, () -> RedisNumbers.parseLong(b("-9223372036854775809")));
    }

    @Test
    void parsesASliceOfTheArray() {
        byte[] buf = b("x-42y");
        assertEquals(-42, RedisNumbers.parseLong(buf, 1, 3));
        assertTrue(RedisNumbers.isLong(buf, 1, 3));
        assertFalse(RedisNumbers.isLong(buf, 0, 4));
        assertFalse(RedisNumbers.isLong(buf, 1, 0));
        assertEquals(4, RedisNumbers.parseLong(b("1234"), 3, 1));
    }


    @Test
    void toBytesCoversTheWholeRange() {
        assertArrayEquals(b("-9223372036854775808"), RedisNumbers.toBytes(Long.MIN_VALUE));
        assertArrayEquals(b("0"), RedisNumbers.toBytes(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "+0", "7", "-7", "+7", "007", "-000", "123456789012345", "-999999999999999",
            "1234567890123456", "99999999999999999999", "0.5", "1e3", "-1.5e-3"})
    void wholeNumbersAndTheRestParseAsStrtodReadsThem(String text) {
        double got = RedisNumbers.parseDouble(b(text));
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(got), text);
    }

    @Test
    void minusZeroKeepsItsSignAndNonNumbersAreRefused() {
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(RedisNumbers.parseDouble(b("-0"))));
        for (String bad : new String[] {"", "-", "+", "12a", "1 ", " 1", "--1", "+-1", "0x10", "1_000"}) {
            assertTrue(Double.isNaN(RedisNumbers.parseDouble(b(bad))), bad);
        }
    }
}
