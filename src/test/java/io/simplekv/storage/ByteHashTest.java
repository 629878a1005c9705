package io.simplekv.storage;

import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hash with a caller's seed places records the chronicle engine keeps on disk: it must never change. */
class ByteHashTest {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long M = 0x9E3779B97F4A7C15L;

    /** The function as first written (with a little-endian view of the array), which stored layouts were made with. */
    private static long reference(byte[] b, long seed) {
        long h = seed ^ (b.length * M);
        int i = 0, n = b.length;
        for (; i + 8 <= n; i += 8) h = Long.rotateLeft(h ^ mix((long) LONGS.get(b, i)), 27) * M;
        long tail = 0;
        for (int shift = 0; i < n; i++, shift += 8) tail |= (b[i] & 0xffL) << shift;
        h ^= mix(tail);
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    @Test
    void hashesAsTheFirstVersionDidForEveryLengthAndByte() {
        Random random = new Random(42);
        for (int length = 0; length <= 70; length++) {
            for (int round = 0; round < 20; round++) {
                byte[] b = new byte[length];
                random.nextBytes(b);
                long seed = random.nextLong();
                assertEquals(reference(b, seed), ByteHash.hash(b, seed), "length " + length);
            }
        }
        byte[] high = new byte[16];
        java.util.Arrays.fill(high, (byte) 0xff);
        assertEquals(reference(high, 1), ByteHash.hash(high, 1), "bytes from 0x80 are not sign-extended");
    }
}
