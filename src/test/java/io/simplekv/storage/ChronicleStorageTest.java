package io.simplekv.storage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertSame;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Chronicle engine with deliberately tiny maps, so growth and chunking happen after a few hundred keys. */
class ChronicleStorageTest {
    // 64 entries per first map and 64-byte chunks: a few hundred keys need several generations.
    private static final ChronicleEngine.Sizing TINY = new ChronicleEngine.Sizing(64, 8, 8, 64, 64);

    @TempDir
    Path dir;

    private static byte[] b(String v) {
        return v.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] v) {
        return new String(v, StandardCharsets.UTF_8);
    }

    private ChronicleEngine engine() throws IOException {
        return ChronicleEngine.open(dir, TINY);
    }

    /** Chronicle must find our precompiled header class: generating it runs javac, ~1 s of every start. */
    @Test
    void chronicleUsesThePrecompiledHeaderClass() {
        assertSame(net.openhft.chronicle.hash.VanillaGlobalMutableState$$Native.class,
                net.openhft.chronicle.values.Values.nativeClassFor(net.openhft.chronicle.hash.VanillaGlobalMutableState.class));
    }

    @Test
    void putGetRemoveSizeAndBinaryKeys() throws Exception {
        try (ChronicleEngine e = engine(); Storage s = e.open("db0")) {
            assertEquals(0, s.size());
            assertNull(s.get(b("k")));
            assertNull(s.randomKey());
            assertEquals(0, s.scan(0, 10, k -> {}));
            s.put(b("k"), b("v1"));
            s.put(b("k"), b("v2"));
            assertEquals(1, s.size());
            assertArrayEquals(b("v2"), s.get(b("k")));
            s.put(new byte[0], new byte[0]);
            s.put(new byte[] {0, 0}, new byte[] {(byte) 0xff});
            assertArrayEquals(new byte[0], s.get(new byte[0]));
            assertArrayEquals(new byte[] {(byte) 0xff}, s.get(new byte[2]));
            assertNull(s.get(new byte[1]));
            assertEquals(3, s.size());
            assertTrue(s.contains(b("k")));
            assertTrue(s.remove(b("k")));
            assertFalse(s.remove(b("k")));
            assertFalse(s.contains(b("k")));
            assertEquals(2, s.size());
        }
    }

    @Test
    void aKeyTooLargeForOneEntryIsRefusedWithAClearErrorAndNothingIsLost() throws Exception {
        try (ChronicleEngine e = engine(); Storage s = e.open("db0")) {
            s.put(b("kept"), b("v"));
            byte[] huge = new byte[4 * 1024 * 1024];
            StorageException refused = assertThrows(StorageException.class, () -> s.put(huge, b("v")));
            assertTrue(refused.getMessage().contains("too large for the chronicle engine"), refused.getMessage());
            assertArrayEquals(b("v"), s.get(b("kept")));
            assertNull(s.get(huge));
        }
    }

    @Test
    void growsPastInitialCapacityByChainingGenerations() throws Exception {
        Map<String, String> model = new HashMap<>();
        try (ChronicleEngine e = engine()) {
            ChronicleStorage s = chronicle(e.open("db0"));
            for (int i = 0; i < 3000; i++) {
                String k = "key:" + i, v = "value-" + i;
                s.put(b(k), b(v));
                model.put(k, v);
            }
            assertTrue(s.generations() > 1, "expected growth, got " + s.generations() + " generation(s)");
            // Overwrites and deletes reach keys in every generation.
            for (int i = 0; i < 3000; i += 3) {
                s.put(b("key:" + i), b("new-" + i));
                model.put("key:" + i, "new-" + i);
            }
            for (int i = 1; i < 3000; i += 7) {
                assertTrue(s.remove(b("key:" + i)));
                model.remove("key:" + i);
            }
            assertEquals(model.size(), s.size());
            for (Map.Entry<String, String> m : model.entrySet()) assertEquals(m.getValue(), str(s.get(b(m.getKey()))));
            assertNotNull(s.randomKey());
            s.close();
        }
    }

    @Test
    void valuesLargerThanAnEntryAreChunkedAndReplacedCleanly() throws Exception {
        Random rnd = new Random(1);
        try (ChronicleEngine e = engine(); Storage s = e.open("db0")) {
            byte[] big = new byte[1 << 20];
            rnd.nextBytes(big);
            s.put(b("big"), big);
            assertArrayEquals(big, s.get(b("big")));
            assertEquals(1, s.size());
            // Replacing chunked with chunked, with inline, and back again leaves only the newest value.
            byte[] other = new byte[70_001];
            rnd.nextBytes(other);
            s.put(b("big"), other);
            assertArrayEquals(other, s.get(b("big")));
            s.put(b("big"), b("small"));
            assertArrayEquals(b("small"), s.get(b("big")));
            s.put(b("big"), big);
            assertArrayEquals(big, s.get(b("big")));
            // Sizes around the chunk boundary.
            for (int n : new int[] {62, 63, 64, 65, 127, 128, 129}) {
                byte[] v = new byte[n];
                rnd.nextBytes(v);
                s.put(b("edge" + n), v);
                assertArrayEquals(v, s.get(b("edge" + n)), "size " + n);
            }
            assertTrue(s.remove(b("big")));
            assertNull(s.get(b("big")));
            assertEquals(7, s.size());
        }
    }

    @Test
    void scanVisitsEveryStableKeyWhileOtherKeysChurnAndTheTableGrows() throws Exception {
        try (ChronicleEngine e = engine(); Storage s = e.open("db0")) {
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                s.put(b("stable:" + i), b("v"));
                stable.add("stable:" + i);
            }
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int calls = 0, churn = 0;
            do {
                cursor = s.scan(cursor, 10, k -> seen.add(str(k)));
                // Between calls: add keys (forcing new generations), delete some, and rewrite stable keys,
                // which moves them to the newest generation.
                for (int j = 0; j < 40; j++, churn++) s.put(b("churn:" + churn), b("x"));
                for (int j = 0; j < 10; j++) s.remove(b("churn:" + (churn - 1 - 3 * j)));
                s.put(b("stable:" + (calls * 7 % 500)), b("rewritten"));
                calls++;
            } while (cursor != 0 && calls < 100_000);
            assertEquals(0, cursor);
            assertTrue(chronicle(s).generations() > 2);
            for (String k : stable) assertTrue(seen.contains(k), k);
        }
    }

    @Test
    void reopensAfterCleanCloseWithEveryKey() throws Exception {
        byte[] big = new byte[10_000];
        new Random(2).nextBytes(big);
        try (ChronicleEngine e = engine()) {
            Storage s = e.open("db0");
            for (int i = 0; i < 1000; i++) s.put(b("k" + i), b("v" + i));
            s.put(b("big"), big);
            s.close();
        }
        assertTrue(Files.exists(dir.resolve(ChronicleEngine.CLEAN_MARKER)));
        try (ChronicleEngine e = engine()) {
            assertFalse(e.recovering());
            assertFalse(Files.exists(dir.resolve(ChronicleEngine.CLEAN_MARKER)));
            Storage s = e.open("db0");
            assertEquals(1001, s.size());
            for (int i = 0; i < 1000; i++) assertEquals("v" + i, str(s.get(b("k" + i))));
            assertArrayEquals(big, s.get(b("big")));
            assertEquals(0, e.open("db1").size());
        }
    }

    /**
     * A kill between a command's journaled batch and its last write: the restart applies the whole batch again,
     * so the two records it changes agree (a hash's bucket and its size, say), and nothing the batch did not
     * touch changes.
     */
    @Test
    void aBatchCutShortIsReplayedByTheRestart() throws Exception {
        ChronicleEngine crashed = engine();
        Storage s = crashed.open("db0");
        s.put(b("k"), b("old value"));
        s.put(b("other"), b("stays"));
        byte[] rec = RecordFormat.inline(b("new value")), added = RecordFormat.inline(b("x"));
        RedoJournal journal = new RedoJournal(dir.resolve(ChronicleEngine.JOURNAL_DIR));
        journal.record(WriteBatches.encode(List.of(new WriteBatches.Replayed("db0.chronicle", b("k"), rec),
                new WriteBatches.Replayed("db0.chronicle", b("gone"), WriteBatches.DELETED),
                new WriteBatches.Replayed("db0.chronicle", b("added"), added))));
        journal.close();
        s.close();
        releaseLockOnly(crashed);
        CrashWindow.open(dir).enter(); // the process died inside the batch
        try (ChronicleEngine e = engine()) {
            assertTrue(e.recovering());
            Storage r = e.open("db0");
            assertEquals("new value", str(r.get(b("k"))));
            assertEquals("stays", str(r.get(b("other"))));
            assertNull(r.get(b("gone")));
            assertEquals("x", str(r.get(b("added"))));
        }
        try (ChronicleEngine e = engine()) {
            assertEquals("new value", str(e.open("db0").get(b("k"))), "replayed once, then the journal is empty");
        }
    }

    /** Inside a command, writes are staged: its own reads see them, the maps only at commit. */
    @Test
    void aCommandsWritesAreStagedUntilCommit() throws Exception {
        try (ChronicleEngine e = engine()) {
            Storage t = e.open("db0");
            t.put(b("a"), b("1"));
            e.begin();
            t.put(b("a"), b("2"));
            t.put(b("b"), b("3"));
            assertTrue(t.remove(b("a")));
            assertNull(t.get(b("a")));
            assertEquals("3", str(t.get(b("b"))));
            e.commit();
            assertNull(t.get(b("a")));
            assertEquals("3", str(t.get(b("b"))));
            assertEquals(1, t.size());
        }
    }

    /**
     * A walk reads the maps, which do not show staged writes, so it is refused until the engine applies them; the
     * command's batch stays open after that flush.
     */
    @Test
    void aWalkIsRefusedWhileWritesAreStagedUntilTheEngineFlushes() throws Exception {
        try (ChronicleEngine e = engine()) {
            Storage t = e.open("db0"), other = e.open("db1");
            t.put(b("before"), b("0"));
            e.begin();
            assertEquals(1, t.size(), "nothing staged yet");
            other.put(b("a"), b("1"));
            for (Runnable walk : List.<Runnable>of(t::size, () -> t.scan(0, 10, k -> {}), t::randomKey, t::clear)) {
                assertThrows(IllegalStateException.class, walk::run, "a write to another table is pending too");
            }
            e.flush();
            assertEquals(1, t.size());
            assertEquals("1", str(chronicle(other).get(b("a"))), "flushed to the maps");
            t.remove(b("before"));
            assertNotNull(chronicle(t).get(b("before")), "staged again after the flush");
            assertThrows(IllegalStateException.class, t::size);
            e.commit();
            assertEquals(0, t.size());
            assertEquals(1, other.size());
        }
    }

    @Test
    void withoutTheCleanMarkerAfterAKillInsideAnOperationTablesAreOpenedWithRecovery() throws Exception {
        // Chronicle's own file locks keep a map from being recovered inside the process that has it open, so this
        // closes the maps but skips the engine's close (no marker); ChronicleCrashIT covers a real kill -9.
        ChronicleEngine crashed = engine();
        Storage s = crashed.open("db0");
        for (int i = 0; i < 1000; i++) s.put(b("k" + i), b("v" + i));
        s.put(b("big"), new byte[5000]);
        s.close();
        releaseLockOnly(crashed);
        CrashWindow.open(dir).enter(); // the process died inside a map operation (CrashWindowTest covers the rest)
        try (ChronicleEngine e = engine()) {
            assertTrue(e.recovering());
            Storage r = e.open("db0");
            assertEquals(1001, r.size());
            for (int i = 0; i < 1000; i++) assertEquals("v" + i, str(r.get(b("k" + i))));
            assertArrayEquals(new byte[5000], r.get(b("big")));
        }
        // The next clean start after the recovery is a plain open again.
        try (ChronicleEngine e = engine()) {
            assertFalse(e.recovering());
        }
    }

    @Test
    void aSecondEngineOnTheSameDirectoryIsRefused() throws Exception {
        try (ChronicleEngine e = engine()) {
            assertThrows(ChronicleEngine.DirectoryLockedException.class, this::engine);
        }
        engine().close();
    }

    @Test
    void recreateEmptiesTheTableAndRemovesItsFiles() throws Exception {
        try (ChronicleEngine e = engine()) {
            Storage s = e.open("db0");
            for (int i = 0; i < 500; i++) s.put(b("k" + i), b("v"));
            s.put(b("big"), new byte[1000]);
            Storage fresh = e.recreate("db0", s);
            assertEquals(0, fresh.size());
            assertNull(fresh.get(b("k1")));
            // A read racing the flush on the old table sees it empty rather than failing.
            assertNull(s.get(b("k1")));
            assertEquals(0, s.scan(0, 10, k -> {}));
            fresh.put(b("after"), b("1"));
            try (var files = Files.list(dir)) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".trash")));
            }
        }
        try (ChronicleEngine e = engine()) {
            Storage s = e.open("db0");
            assertEquals(1, s.size());
            assertArrayEquals(b("1"), s.get(b("after")));
        }
    }

    /** The chronicle table under the staging overlay the engine hands out. */
    private static ChronicleStorage chronicle(Storage overlay) {
        return ((StagingOverlay) overlay).table();
    }

    /** Drops the directory lock the way process death would, leaving the maps as they are. */
    private static void releaseLockOnly(ChronicleEngine e) throws Exception {
        var lockField = ChronicleEngine.class.getDeclaredField("lock");
        lockField.setAccessible(true);
        ((java.nio.channels.FileLock) lockField.get(e)).release();
    }

    /** Kilobytes of the mapped file's pages that are dirty in this process (Linux smaps), or -1 elsewhere. */
    private static long dirtyKb(Path file) throws IOException {
        Path smaps = Path.of("/proc/self/smaps");
        if (!Files.exists(smaps)) return -1;
        long kb = 0;
        boolean in = false;
        for (String line : Files.readAllLines(smaps)) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) in = line.endsWith(file.toString());
            else if (in && (line.startsWith("Shared_Dirty:") || line.startsWith("Private_Dirty:"))) {
                kb += Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return kb;
    }

    @Test
    void syncWritesTheMappedPagesBackToTheFile() throws Exception {
        try (ChronicleEngine e = ChronicleEngine.open(dir, new ChronicleEngine.Sizing(20_000, 16, 16, 4096, 64));
             Storage s = e.open("db0")) {
            for (int i = 0; i < 5_000; i++) s.put(b("key:" + i), b("value:" + i));
            Path file = dir.resolve("db0.chronicle/records.g0.cmap").toRealPath();
            long before = dirtyKb(file);
            org.junit.jupiter.api.Assumptions.assumeTrue(before > 0, "needs Linux smaps, and pages not yet written back");
            s.sync();
            assertEquals(0, dirtyKb(file), "dirty KB after sync, was " + before);
        }
    }
}
