package io.simplekv.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hash with a caller's seed places records the chronicle engine keeps on disk, so its values must never change:
 * these were computed by the first version (a little-endian long view of the array, then a byte tail).
 */
class ByteHashTest {
    private static long hash(String latin1, long seed) {
        return ByteHash.hash(latin1.getBytes(StandardCharsets.ISO_8859_1), seed);
    }

    @Test
    void seededHashesAreTheFirstVersionsForShortLongAndHighBytes() {
        assertEquals(0x0000000000000000L, hash("", 0));
        assertEquals(0xb456bcfc34c2cb2cL, hash("", 1));
        assertEquals(0x427a4c7add3f4b3cL, hash("a", 1));
        assertEquals(0x7d3880aedbe148f0L, hash("a", -7));
        assertEquals(0x27c6060acba57695L, hash("key:000000000001", 1));
        assertEquals(0xfe900443f79758deL, hash("key:000000000001", 0x5eed5eed5eedL));
        assertEquals(0x7f6c84d4b521715dL, hash("0123456789abcdef0", 1));
        assertEquals(0xeacd86e3711205beL, hash("0123456789abcdef0", -7));
        String high = "\u00ff\u00fe\u0080\u0000\u0001\u007f\u00c3\u00a9x"; // bytes from 0x80 must not sign-extend
        assertEquals(0xdf135fbc09003061L, hash(high, 1));
        assertEquals(0xdcc65b92ff544ce1L, hash(high, 0x5eed5eed5eedL));
    }
}
