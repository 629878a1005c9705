package io.simplekv.command;

import io.simplekv.keyspace.FieldTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HRANDFIELD / SRANDMEMBER with a count, Redis's rules: a positive count gives distinct entries (all of them when
 * it is at least the size), a negative count gives exactly |count| entries that may repeat.
 */
public final class RandomPick {
    private RandomPick() {}

    /**
     * The entries to draw a negative count's repeats from: every entry, read once, when the count is at least the
     * size (picking from an array costs nanoseconds; a table's random() decodes a record each time), else null
     * (fewer picks than entries: pick from the table itself).
     */
    public static List<byte[][]> drawPool(FieldTable t, long picks) {
        if (picks < t.size()) return null;
        List<byte[][]> all = new ArrayList<>((int) t.size());
        t.forEach((f, v) -> all.add(new byte[][] {f, v}));
        return all;
    }

    /**
     * About the bytes of a reply of {@code picks} entries drawn from the pool: the pool's mean RESP size per entry
     * (field and, with values, value), from at most 64 of them. Nothing when there is no pool.
     */
    public static long expectedBytes(List<byte[][]> pool, long picks, boolean withValues) {
        if (pool == null || pool.isEmpty()) return 0;
        int n = Math.min(pool.size(), 64);
        long sum = 0;
        for (int i = 0; i < n; i++) {
            byte[][] e = pool.get(i);
            sum += bulkSize(e[0].length) + (withValues ? bulkSize(e[1].length) : 0);
        }
        return sum / n * picks;
    }

    /** "$len\r\n" + the bytes + "\r\n". */
    public static long bulkSize(int len) {
        return 1 + Long.toString(len).length() + 2 + len + 2;
    }

    /** One random entry: from the pool when there is one, else from the table. */
    public static byte[][] draw(FieldTable t, List<byte[][]> pool, ThreadLocalRandom rnd) {
        return pool == null ? t.random(rnd) : pool.get(rnd.nextInt(pool.size()));
    }

    public static List<byte[][]> pick(FieldTable t, long count) {
        List<byte[][]> out = new ArrayList<>();
        if (t == null || count == 0) return out;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (count < 0) {
            for (long i = 0; i < -count; i++) out.add(t.random(rnd));
            return out;
        }
        if (count >= t.size()) {
            t.forEach((f, v) -> out.add(new byte[][] {f, v}));
            return out;
        }
        int k = (int) count;
        if (count * 3 < t.size()) {
            // Few of many: random picks with duplicates skipped cost O(count), not a pass over the whole collection.
            java.util.Set<java.nio.ByteBuffer> taken = new java.util.HashSet<>();
            while (out.size() < k) {
                byte[][] e = t.random(rnd);
                if (taken.add(java.nio.ByteBuffer.wrap(e[0]))) out.add(e);
            }
            return out;
        }
        // Reservoir sampling: distinct entries, each equally likely, in one pass.
        long[] seen = {0};
        t.forEach((f, v) -> {
            long i = seen[0]++;
            if (i < k) {
                out.add(new byte[][] {f, v});
            } else {
                long j = rnd.nextLong(i + 1);
                if (j < k) out.set((int) j, new byte[][] {f, v});
            }
        });
        Collections.shuffle(out, rnd);
        return out;
    }
}
