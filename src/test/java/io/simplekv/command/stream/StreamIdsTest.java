package io.simplekv.command.stream;

import io.simplekv.keyspace.StreamId;
import io.simplekv.protocol.RedisError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stream IDs parsed as Redis's streamGenericParseIDOrReply and string2ull read them. */
class StreamIdsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void invalid(String arg) {
        RedisError e = assertThrows(RedisError.class, () -> StreamIds.strict(b(arg), 0), arg);
        assertSame(StreamIds.INVALID, e);
    }

    @Test
    void plainAndPartialIds() {
        assertEquals(new StreamId(5, 3), StreamIds.strict(b("5-3"), 0));
        assertEquals(new StreamId(5, 0), StreamIds.strict(b("5"), 0));
        assertEquals(new StreamId(5, -1), StreamIds.parse(b("5"), -1));
        assertEquals(StreamId.MIN, StreamIds.parse(b("-"), 0));
        assertEquals(StreamId.MAX, StreamIds.parse(b("+"), 0));
        assertEquals(new StreamId(-1, -1), StreamIds.strict(b("18446744073709551615-18446744073709551615"), 0));
    }

    @Test
    void strtoullFallbackTakesBlanksSignsAndZeros() {
        assertEquals(new StreamId(7, 1), StreamIds.strict(b(" 7-1"), 0));
        assertEquals(new StreamId(8, 1), StreamIds.strict(b("+8-01"), 0));
        // Past LLONG_MAX string2ll overflows and strtoull reads the full unsigned range.
        assertEquals(new StreamId(-5, 0), StreamIds.strict(b("18446744073709551611"), 0));
    }

    @Test
    void invalidIds() {
        for (String s : new String[] {"", "-", "+", "abc", "1-", "-1", "1--1", "1-x", "9.5", "*", "1-*",
                "18446744073709551616", "1-18446744073709551616", " ", "0x10", "-0"}) {
            invalid(s);
        }
        invalid("1".repeat(128));
    }

    @Test
    void xaddTakesSequenceStar() {
        StreamIds.Parsed p = StreamIds.forAdd(b("5-*"));
        assertEquals(new StreamId(5, 0), p.id());
        assertFalse(p.seqGiven());
        assertTrue(StreamIds.forAdd(b("5-1")).seqGiven());
        assertThrows(RedisError.class, () -> StreamIds.forAdd(b("*-1")));
    }

    @Test
    void exclusiveBounds() {
        StreamIds.Bound b = StreamIds.interval(b("(5-1"), 0);
        assertTrue(b.exclusive());
        assertEquals(new StreamId(5, 1), b.id());
        assertThrows(RedisError.class, () -> StreamIds.interval(b("("), 0), "a lone ( is an ID, and not a valid one");
        assertThrows(RedisError.class, () -> StreamIds.interval(b("(-"), 0));
    }
}
