package io.simplekv.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The on-heap table behind every database: the storage contract, and what its own layout promises (SCAN's guarantee
 * across resizes, COUNT bounding a call, a fair random key).
 */
class MemoryStorageTest extends StorageContractTest {

    @Override
    Storage open() {
        return new MemoryStorage();
    }

    private static byte[] b(String v) {
        return v.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] v) {
        return new String(v, StandardCharsets.UTF_8);
    }

    /** SCAN 0 on an empty database answers cursor 0 at once, as Redis does (the page table may take several calls). */
    @Test
    void scanOfAnEmptyTableEndsAtOnce() {
        List<byte[]> seen = new ArrayList<>();
        assertEquals(0, scan(0, 10, seen::add));
        assertTrue(seen.isEmpty());
    }

    @Test
    void scanCallsAreBoundedByCount() {
        for (int i = 0; i < 3000; i++) table.put(b("key:" + i), b("v"));
        List<byte[]> first = new ArrayList<>();
        long cursor = table.scan(0, 10, first::add);
        assertNotEquals(0, cursor);
        assertFalse(first.isEmpty());
        assertTrue(first.size() < 3000, "one call with COUNT 10 returned " + first.size());
    }

    /**
     * SCAN's guarantee: a key present for the whole walk is visited at least once, even when the table grows and
     * shrinks (rehashing every segment) between calls. Few stable keys and big batches of others make each segment's
     * table double several times and halve again while the walk is inside it; a plain linear bucket cursor misses
     * keys here when a table halves.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void scanSeesStableKeysWhileTheTableGrowsAndShrinks(int seed) {
        Random rnd = new Random(seed);
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            stable.add("stable:" + i);
            table.put(b("stable:" + i), b("v"));
        }
        List<String> churn = new ArrayList<>();
        int next = 0;
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int round = 0;
        do {
            cursor = table.scan(cursor, 1 + rnd.nextInt(10), k -> seen.add(str(k)));
            // Alternate phases: grow by thousands of keys (forcing resizes up), then drop them (resizes down).
            if ((round / 5) % 2 == 0) {
                for (int i = 0; i < 3000; i++) {
                    String k = "churn:" + next++;
                    churn.add(k);
                    table.put(b(k), b("c"));
                }
            } else {
                for (int i = 0; i < 3000 && !churn.isEmpty(); i++) {
                    assertTrue(table.remove(b(churn.remove(rnd.nextInt(churn.size())))));
                }
            }
            round++;
        } while (cursor != 0);
        Set<String> missing = new TreeSet<>(stable);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing, "stable keys missed by the scan (rounds " + round + ")");
        assertEquals(stable.size() + churn.size(), table.size());
    }

    @Test
    void randomKeyIsFairEvenForKeysInNeighbouringSegments() {
        // Two keys in adjacent segments: choosing "the first non-empty segment after a random one" picked the second
        // only 1 time in 64; every key must be about equally likely.
        byte[] first = null, second = null;
        for (int i = 0; second == null; i++) {
            byte[] k = ("k" + i).getBytes(StandardCharsets.US_ASCII);
            long seg = ByteHash.hash(k) & 63;
            if (first == null && seg == 10) first = k;
            else if (first != null && seg == 11) second = k;
        }
        table.put(first, new byte[] {1});
        table.put(second, new byte[] {2});
        int seen = 0;
        for (int i = 0; i < 640; i++) if (java.util.Arrays.equals(table.randomKey(), second)) seen++;
        assertTrue(seen > 200 && seen < 440, "second key picked " + seen + " times of 640");
    }
}
