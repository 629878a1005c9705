package io.simplekv.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The on-heap table behind every database, including SCAN's guarantee across resizes. */
class MemoryStorageTest {
    private final MemoryStorage s = new MemoryStorage();

    private static byte[] b(String v) {
        return v.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] v) {
        return new String(v, StandardCharsets.UTF_8);
    }

    @Test
    void putGetRemoveSize() {
        assertEquals(0, s.size());
        assertNull(s.get(b("k")));
        s.put(b("k"), b("v1"));
        assertEquals(1, s.size());
        assertArrayEquals(b("v1"), s.get(b("k")));
        // Keys compare by content, not identity.
        s.put(b("k"), b("v2"));
        assertEquals(1, s.size());
        assertArrayEquals(b("v2"), s.get(new byte[] {'k'}));
        assertTrue(s.contains(b("k")));
        assertFalse(s.contains(b("K")));
        s.put(b("other"), b("x"));
        assertEquals(2, s.size());
        assertTrue(s.remove(b("k")));
        assertFalse(s.remove(b("k")));
        assertNull(s.get(b("k")));
        assertEquals(1, s.size());
        assertArrayEquals(b("x"), s.get(b("other")));
    }

    @Test
    void binaryAndEmptyKeys() {
        byte[] empty = new byte[0], zeros = new byte[] {0, 0, 0}, zeros2 = new byte[] {0, 0}, high = new byte[] {(byte) 0xff};
        s.put(empty, b("e"));
        s.put(zeros, b("z3"));
        s.put(zeros2, b("z2"));
        s.put(high, b("h"));
        assertEquals(4, s.size());
        assertArrayEquals(b("e"), s.get(new byte[0]));
        assertArrayEquals(b("z3"), s.get(new byte[3]));
        assertArrayEquals(b("z2"), s.get(new byte[2]));
        assertNull(s.get(new byte[1]));
        assertArrayEquals(b("h"), s.get(new byte[] {(byte) 0xff}));
        // Keys longer than one 8-byte word that differ only in the tail.
        s.put(b("0123456789abcdef-1"), b("1"));
        s.put(b("0123456789abcdef-2"), b("2"));
        assertArrayEquals(b("1"), s.get(b("0123456789abcdef-1")));
        assertArrayEquals(b("2"), s.get(b("0123456789abcdef-2")));
    }

    @Test
    void manyKeysGrowAndShrink() {
        Map<String, String> model = new HashMap<>();
        Random rnd = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            String k = "k" + rnd.nextInt(5_000);
            if (rnd.nextInt(3) == 0) {
                assertEquals(model.remove(k) != null, s.remove(b(k)), k);
            } else {
                String v = "v" + i;
                model.put(k, v);
                s.put(b(k), b(v));
            }
            if (i % 1000 == 0) assertEquals(model.size(), s.size());
        }
        assertEquals(model.size(), s.size());
        for (Map.Entry<String, String> e : model.entrySet()) assertArrayEquals(b(e.getValue()), s.get(b(e.getKey())));
        for (String k : new ArrayList<>(model.keySet())) assertTrue(s.remove(b(k)));
        assertEquals(0, s.size());
        assertEquals(Set.of(), scanAll(10));
    }

    private Set<String> scanAll(int count) {
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = s.scan(cursor, count, k -> seen.add(str(k)));
            assertTrue(++calls < 1_000_000, "scan does not end");
        } while (cursor != 0);
        return seen;
    }

    @Test
    void scanOfEmptyTableEndsAtOnce() {
        List<byte[]> seen = new ArrayList<>();
        assertEquals(0, s.scan(0, 10, seen::add));
        assertTrue(seen.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100, 100_000})
    void scanVisitsEveryKey(int count) {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            all.add("key:" + i);
            s.put(b("key:" + i), b("v"));
        }
        assertEquals(all, scanAll(count));
    }

    @Test
    void scanCallsAreBoundedByCount() {
        for (int i = 0; i < 3000; i++) s.put(b("key:" + i), b("v"));
        List<byte[]> first = new ArrayList<>();
        long cursor = s.scan(0, 10, first::add);
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
            s.put(b("stable:" + i), b("v"));
        }
        List<String> churn = new ArrayList<>();
        int next = 0;
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int round = 0;
        do {
            cursor = s.scan(cursor, 1 + rnd.nextInt(10), k -> seen.add(str(k)));
            // Alternate phases: grow by thousands of keys (forcing resizes up), then drop them (resizes down).
            if ((round / 5) % 2 == 0) {
                for (int i = 0; i < 3000; i++) {
                    String k = "churn:" + next++;
                    churn.add(k);
                    s.put(b(k), b("c"));
                }
            } else {
                for (int i = 0; i < 3000 && !churn.isEmpty(); i++) {
                    assertTrue(s.remove(b(churn.remove(rnd.nextInt(churn.size())))));
                }
            }
            round++;
        } while (cursor != 0);
        Set<String> missing = new TreeSet<>(stable);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing, "stable keys missed by the scan (rounds " + round + ")");
        assertEquals(stable.size() + churn.size(), s.size());
    }

    @Test
    void randomKey() {
        assertNull(s.randomKey());
        s.put(b("only"), b("v"));
        assertArrayEquals(b("only"), s.randomKey());
        s.put(b("a"), b("v"));
        s.put(b("b"), b("v"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) seen.add(str(s.randomKey()));
        assertEquals(Set.of("only", "a", "b"), seen);
        s.remove(b("only"));
        s.remove(b("a"));
        s.remove(b("b"));
        assertNull(s.randomKey());
    }

    @Test
    void randomKeyInALargeTableIsAlwaysPresent() {
        for (int i = 0; i < 5000; i++) s.put(b("k" + i), b("v"));
        for (int i = 0; i < 4990; i++) s.remove(b("k" + i));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            byte[] k = s.randomKey();
            assertTrue(s.contains(k), str(k));
            seen.add(str(k));
        }
        assertEquals(10, seen.size());
    }

    @Test
    void clear() {
        for (int i = 0; i < 1000; i++) s.put(b("k" + i), b("v"));
        s.clear();
        assertEquals(0, s.size());
        assertNull(s.get(b("k1")));
        assertNull(s.randomKey());
        assertEquals(Set.of(), scanAll(10));
        s.put(b("again"), b("v"));
        assertEquals(1, s.size());
        assertArrayEquals(b("v"), s.get(b("again")));
        assertEquals(Set.of("again"), scanAll(10));
    }

    @Test
    void randomKeyIsFairEvenForKeysInNeighbouringSegments() {
        // Two keys in adjacent segments: choosing "the first non-empty segment after a random one" picked the second
        // only 1 time in 64; every key must be about equally likely.
        byte[] first = null, second = null;
        for (int i = 0; second == null; i++) {
            byte[] k = ("k" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            long seg = ByteHash.hash(k) & 63;
            if (first == null && seg == 10) first = k;
            else if (first != null && seg == 11) second = k;
        }
        MemoryStorage s = new MemoryStorage();
        s.put(first, new byte[] {1});
        s.put(second, new byte[] {2});
        int seen = 0;
        for (int i = 0; i < 640; i++) if (java.util.Arrays.equals(s.randomKey(), second)) seen++;
        assertTrue(seen > 200 && seen < 440, "second key picked " + seen + " times of 640");
    }
}
