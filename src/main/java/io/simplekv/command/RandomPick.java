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
