package io.simplekv.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/** A fast 64-bit hash of a byte array, seeded per process so clients cannot craft colliding keys. */
public final class ByteHash {
    private ByteHash() {}

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = ThreadLocalRandom.current().nextLong() | 1;
    private static final long M = 0x9E3779B97F4A7C15L;

    public static long hash(byte[] b) {
        return hash(b, SEED);
    }

    /** The same hash with a caller's seed, for layouts that must be the same after a restart. */
    public static long hash(byte[] b, long seed) {
        long h = seed ^ (b.length * M);
        int i = 0, n = b.length;
        for (; i + 8 <= n; i += 8) {
            h = Long.rotateLeft(h ^ mix((long) LONGS.get(b, i)), 27) * M;
        }
        long tail = 0;
        for (int shift = 0; i < n; i++, shift += 8) {
            tail |= (b[i] & 0xffL) << shift;
        }
        h ^= mix(tail);
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
