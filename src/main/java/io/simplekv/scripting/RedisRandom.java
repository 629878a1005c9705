package io.simplekv.scripting;

/**
 * Redis's math.random generator (rand.c's redisLrand48): the 48-bit lrand48 recurrence
 * {@code x = (0x5DEECE66D * x + 0xB) mod 2^48}, result {@code x >> 17}, so scripts draw the same sequence as on
 * redis-server. As in Redis 7, the state carries over from script to script unless a script seeds it.
 */
final class RedisRandom {
    private static final long MASK48 = (1L << 48) - 1;
    private static final int LRAND48_MAX = Integer.MAX_VALUE;
    private long x = (0x1234L << 32) | (0xABCDL << 16) | 0x330EL;

    /** redisSrand48: the high 32 bits come from the seed, the low 16 are 0x330E. */
    void seed(int s) {
        x = (((long) s & 0xFFFFFFFFL) << 16 | 0x330EL) & MASK48;
    }

    /** A number in [0, 1), as Lua's math.random with no argument computes it from the generator. */
    double next() {
        x = (0x5DEECE66DL * x + 0xBL) & MASK48;
        int r = (int) (x >>> 17);
        return (double) (r % LRAND48_MAX) / LRAND48_MAX;
    }
}
