package io.simplekv.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chronicle table's cache of small values read or written lately: a read must never see a value replaced. */
class HotValuesTest {
    // Values up to 4 KB inline, so every value here fits one entry.
    private static final ChronicleEngine.Sizing SIZING = new ChronicleEngine.Sizing(20_000, 16, 32, 4096, 256);

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] v) {
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** Every way a key changes replaces what a read cached: a stale hit would return the value before it. */
    @Test
    void everyChangeOfAKeyIsSeenByTheNextRead() throws Exception {
        try (ChronicleEngine e = ChronicleEngine.open(dir, SIZING)) {
            Storage t = e.open("db0");
            ChronicleStorage table = ((StagingOverlay) t).table();
            byte[] k = b("k");
            t.put(k, b("1"));
            assertEquals("1", str(t.get(k)));
            t.patch(k, b("2"), 0, 1);
            assertEquals("2", str(t.get(k)));
            assertTrue(t.remove(k));
            assertNull(t.get(k));
            assertFalse(t.contains(k));
            t.put(k, b("3"));
            assertTrue(t.contains(k));

            e.begin();
            t.put(k, b("4"));
            e.commit();
            assertEquals("4", str(table.get(k)), "a batch applied whole");
            e.begin();
            byte[] v = t.get(k);
            v[0] = '5';
            t.patch(k, v, 0, 1);
            e.commit();
            assertEquals("5", str(table.get(k)), "a batch's patch applied in place");
            e.begin();
            t.remove(k);
            e.commit();
            assertNull(table.get(k), "a batch's removal");

            t.put(k, b("6"));
            assertEquals("6", str(t.get(k)));
            t.clear();
            assertNull(t.get(k), "cleared");

            byte[] big = new byte[HotValues.MAX_VALUE + 1];
            t.put(k, b("7"));
            assertEquals("7", str(t.get(k)));
            t.put(k, big);
            assertArrayEquals(big, t.get(k), "a value too big to keep replaces a kept one");
            t.put(k, b("8"));
            assertEquals("8", str(t.get(k)));
        }
    }

    /** A read hands out a copy: changing it changes neither what is stored nor what the next read returns. */
    @Test
    void aKeptValueIsHandedOutAsACopy() throws Exception {
        try (ChronicleEngine e = ChronicleEngine.open(dir, SIZING)) {
            Storage t = e.open("db0");
            byte[] k = b("k"), v = b("value");
            t.put(k, v);
            v[0] = 'X';
            byte[] read = t.get(k);
            assertEquals("value", str(read), "the written array is not kept either");
            read[0] = 'Y';
            assertEquals("value", str(t.get(k)));
        }
    }

    /**
     * Keys share slots (8,000 keys over 4,096 slots): threads each changing and reading keys of their own, as the
     * keyspace's shards keep a key to one thread at a time, always read back what they last wrote while the
     * others' keys take over the slots they share.
     */
    @Test
    void threadsWhoseKeysShareSlotsReadTheirOwnWrites() throws Exception {
        int threads = 4, keys = 2000, operations = 30_000;
        try (ChronicleEngine e = ChronicleEngine.open(dir, SIZING)) {
            Storage t = e.open("db0");
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int n = 0; n < threads; n++) {
                    int thread = n;
                    done.add(pool.submit(() -> {
                        Random random = new Random(thread);
                        Map<String, String> mine = new HashMap<>();
                        for (int i = 0; i < operations; i++) {
                            String key = thread + ":" + random.nextInt(keys);
                            switch (random.nextInt(4)) {
                                case 0 -> {
                                    String value = "v" + i;
                                    t.put(b(key), b(value));
                                    mine.put(key, value);
                                }
                                case 1 -> {
                                    t.remove(b(key));
                                    mine.remove(key);
                                }
                                default -> assertEquals(mine.get(key), str(t.get(b(key))), key);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get();
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
