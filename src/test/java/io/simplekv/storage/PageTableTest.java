package io.simplekv.storage;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory engine's page table: the storage contract over 16-byte page keys, and its open addressing checked
 * against a plain map through growth, shrinking and deletions.
 */
class PageTableTest extends StorageContractTest {
    private PageTable t;

    @Override
    Storage open() {
        return t = new PageTable();
    }

    private static byte[] key(long id, long page) {
        return ByteBuffer.allocate(16).putLong(id).putLong(page).array();
    }

    /** A collection id and a page number, as the keyspace writes them. */
    @Override
    byte[] key(int n) {
        return key(n % 7 + 1, n);
    }

    /** Page keys with zero bytes, high bytes and negative halves. */
    @Override
    List<byte[]> binaryKeys() {
        byte[] high = new byte[16];
        Arrays.fill(high, (byte) 0xff);
        byte[] lowTail = high.clone();
        lowTail[15] = 0;
        return List.of(new byte[16], key(0, 1), key(1, 0), key(0, Long.MIN_VALUE), key(Long.MIN_VALUE, 0), high, lowTail,
                key(-1, 0), key(0, -1));
    }

    @Test
    void behavesLikeAMapThroughRandomPutsAndRemoves() {
        Map<ByteBuffer, byte[]> model = new HashMap<>();
        Random rnd = new Random(7);
        // Few ids and clustered page numbers: long probe runs, so deletions must shift entries back correctly.
        for (int op = 0; op < 200_000; op++) {
            byte[] k = key(rnd.nextInt(4), rnd.nextInt(op < 100_000 ? 20_000 : 2_000));
            ByteBuffer mk = ByteBuffer.wrap(k);
            if (rnd.nextInt(3) == 0) {
                assertEquals(model.remove(mk) != null, t.remove(k));
            } else {
                byte[] v = {(byte) op};
                t.put(k, v);
                model.put(mk, v);
            }
            if (op % 1000 == 0) assertEquals(model.size(), t.size());
        }
        assertEquals(model.size(), t.size());
        for (Map.Entry<ByteBuffer, byte[]> e : model.entrySet()) assertArrayEquals(e.getValue(), t.get(e.getKey().array()));
        for (int page = 0; page < 20_000; page++) {
            byte[] k = key(1, page);
            assertEquals(model.containsKey(ByteBuffer.wrap(k)), t.get(k) != null, "page " + page);
        }
        // Emptied, every segment shrinks back and still finds what is left.
        for (ByteBuffer k : new HashSet<>(model.keySet())) {
            assertTrue(t.remove(k.array()));
            model.remove(k);
        }
        assertEquals(0, t.size());
        assertNull(t.get(key(1, 1)));
        assertNull(t.randomKey());
    }

    @Test
    void scanVisitsEveryKeyOnceAndRandomKeyIsOne() {
        Set<ByteBuffer> all = new HashSet<>();
        for (long id = 1; id <= 3; id++) {
            for (long page = 0; page < 500; page++) {
                t.put(key(id, page), new byte[] {1});
                all.add(ByteBuffer.wrap(key(id, page)));
            }
        }
        Set<ByteBuffer> seen = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = t.scan(cursor, 10, k -> assertTrue(seen.add(ByteBuffer.wrap(k)), "visited twice"));
            calls++;
        } while (cursor != 0);
        assertEquals(all, seen);
        assertTrue(calls > 1, "a walk in steps, not one call");
        assertTrue(all.contains(ByteBuffer.wrap(t.randomKey())));
        t.clear();
        assertEquals(0, t.size());
        assertFalse(t.contains(key(1, 0)));
    }

    @Test
    void onlyPageKeysFit() {
        assertThrows(IllegalArgumentException.class, () -> t.put(new byte[] {1, 2, 3}, new byte[] {1}));
    }

    @Test
    void theMemoryEngineUsesItForPagesOnly() {
        MemoryEngine engine = new MemoryEngine();
        assertTrue(engine.open("db0" + StorageEngine.PAGES_SUFFIX) instanceof PageTable);
        assertTrue(engine.open("db0.data") instanceof MemoryStorage);
    }
}
