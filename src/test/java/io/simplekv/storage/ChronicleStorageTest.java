package io.simplekv.storage;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertSame;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Chronicle engine with deliberately tiny maps, so growth and chunking happen after a few hundred keys: what
 * only this engine promises (recovery, the journal's replay, staging, files), and the storage contract over each way
 * a chronicle table is used.
 */
class ChronicleStorageTest {
    // 64 entries per first map and 64-byte chunks: a few hundred keys need several generations.
    private static final ChronicleEngine.Sizing TINY = new ChronicleEngine.Sizing(64, 8, 8, 64, 64);
    // The shared suites' sizing (EngineKind): values over 4 KB are chunked.
    private static final ChronicleEngine.Sizing SMALL = new ChronicleEngine.Sizing(4096, 16, 32, 4096, 256);

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
        journal.record(journal.slot(), WriteBatches.encode(List.of(new WriteBatches.Replayed("db0.chronicle", b("k"), rec),
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

    /**
     * A kill after a batch's chunked record was stored but before the journal entry was cleared: the replay stores
     * the same record again, and must not take it for a replaced one and drop the chunks it points at (the value
     * was lost this way: "chunk 0 of a 17570-byte value is missing" after a restart).
     */
    @Test
    void replayingAChunkedRecordAlreadyStoredKeepsItsChunks() throws Exception {
        ChronicleEngine crashed = engine();
        Storage s = crashed.open("db0");
        byte[] old = new byte[300], value = new byte[500];
        new Random(1).nextBytes(old);
        new Random(2).nextBytes(value);
        s.put(b("k"), old);
        ChronicleStorage table = chronicle(s);
        byte[] rec = table.chunkedRecord(b("k"), value);
        assertFalse(RecordFormat.isInline(rec), "500 bytes over 64-byte chunks are chunked");
        RedoJournal journal = new RedoJournal(dir.resolve(ChronicleEngine.JOURNAL_DIR));
        journal.record(journal.slot(), WriteBatches.encode(List.of(new WriteBatches.Replayed("db0.chronicle", b("k"), rec))));
        journal.close();
        table.applyRecord(b("k"), rec); // the batch was applied; the kill came before its journal entry was cleared
        s.close();
        releaseLockOnly(crashed);
        CrashWindow.open(dir).enter();
        try (ChronicleEngine e = engine()) {
            assertArrayEquals(value, e.open("db0").get(b("k")));
        }
        try (ChronicleEngine e = engine()) {
            assertArrayEquals(value, e.open("db0").get(b("k")));
        }
    }

    /**
     * A kill between a command's writing a new value's chunks and its commit leaves chunks no record points at; the
     * next start after an unclean stop drops them, and only them.
     */
    @Test
    void chunksNoRecordPointsAtAreDroppedAfterAnUncleanStop() throws Exception {
        byte[] kept = new byte[700], other = new byte[900];
        new Random(3).nextBytes(kept);
        long stored;
        ChronicleEngine crashed = engine();
        Storage s = crashed.open("db0");
        s.put(b("k"), kept);
        s.put(b("small"), b("inline"));
        stored = chronicle(s).usedBytes();
        ChronicleStorage table = chronicle(s);
        table.chunkedRecord(b("k"), other); // the command's new value, written, never committed
        table.chunkedRecord(b("gone"), other);
        assertTrue(table.usedBytes() > stored);
        s.close();
        releaseLockOnly(crashed);
        try (ChronicleEngine e = engine()) {
            Storage r = e.open("db0");
            assertEquals(stored, chronicle(r).usedBytes());
            assertArrayEquals(kept, r.get(b("k")));
            assertEquals("inline", str(r.get(b("small"))));
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
     * A value staged inline comes back from a read in the same batch as the array staged, not a copy (a pipelined
     * XADD or LPUSH rereads the page the command before it wrote); its patches reach the maps at commit.
     */
    @Test
    void aStagedValueIsReadBackWithoutACopyAndItsPatchesAreApplied() throws Exception {
        try (ChronicleEngine e = engine()) {
            Storage t = e.open("db0");
            t.put(b("k"), b("abcdef"));
            e.begin();
            byte[] read = t.get(b("k"));
            assertNotSame(read, t.get(b("k")), "not staged yet: a copy of the stored value");
            read[1] = 'X';
            t.patch(b("k"), read, 1, 2);
            byte[] again = t.get(b("k"));
            assertSame(read, again);
            again[2] = 'Y';
            t.patch(b("k"), again, 2, 3);
            assertEquals("abcdef", str(chronicle(t).get(b("k"))), "staged, not applied");
            byte[] whole = b("whole");
            t.put(b("w"), whole);
            assertSame(whole, t.get(b("w")));
            e.commit();
            assertEquals("aXYdef", str(t.get(b("k"))));
            assertEquals("whole", str(t.get(b("w"))));
            assertNotSame(whole, t.get(b("w")), "applied: reads are copies again");
        }
    }

    /**
     * A command that rewrites a chunked value several times (a script, an EXEC, a list page pushed to again) writes
     * chunks for each version as it stages them; the versions a later write in the same batch replaced are never
     * stored, so their chunks must go, or the files grow by every such write for good.
     */
    @Test
    void chunksOfAVersionReplacedInsideTheSameBatchAreDropped() throws Exception {
        try (ChronicleEngine e = engine()) {
            Storage t = e.open("db0");
            byte[] value = new byte[1000];
            t.put(b("k"), value);
            long once = chronicle(t).usedBytes();
            for (int round = 0; round < 3; round++) {
                e.begin();
                for (int i = 0; i < 20; i++) {
                    value[0] = (byte) i;
                    if (i % 5 == 4) t.remove(b("k"));
                    else t.put(b("k"), value);
                }
                t.patch(b("k"), value, 0, 1);
                e.commit();
            }
            assertArrayEquals(value, t.get(b("k")));
            assertEquals(once, chronicle(t).usedBytes(), "one version's chunks, as after a single put");
        }
    }

    /**
     * A walk reads the maps, which do not show staged writes, so it is refused until the engine applies them; the
     * command's batch stays open after that flush.
     */
    @Test
    void aWalkAppliesWhatTheThreadStagedFirst() throws Exception {
        try (ChronicleEngine e = engine()) {
            Storage t = e.open("db0"), other = e.open("db1");
            t.put(b("before"), b("0"));
            e.begin();
            assertEquals(1, t.size(), "nothing staged yet");
            other.put(b("a"), b("1"));
            t.put(b("b"), b("2"));
            assertNull(chronicle(t).get(b("b")), "staged");
            assertEquals(2, t.size(), "the walk applied the staged writes first");
            assertEquals("1", str(chronicle(other).get(b("a"))), "every table's, in one batch");
            t.remove(b("before"));
            assertNotNull(chronicle(t).get(b("before")), "staged again after the walk");
            assertEquals(java.util.Set.of("b"), keys(t));
            t.put(b("c"), b("3"));
            assertNotNull(t.randomKey());
            assertEquals("3", str(chronicle(t).get(b("c"))));
            t.put(b("d"), b("4"));
            t.clear();
            e.commit();
            assertEquals(0, t.size(), "a write staged before the clear does not come back after it");
            assertEquals(1, other.size());
        }
    }

    private static java.util.Set<String> keys(Storage t) {
        java.util.Set<String> out = new java.util.HashSet<>();
        long cursor = 0;
        do {
            cursor = t.scan(cursor, 100, k -> out.add(str(k)));
        } while (cursor != 0);
        return out;
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

    /** The storage contract over a chronicle table, in a fresh engine for each test. */
    abstract class ChronicleContract extends StorageContractTest {
        ChronicleEngine engine;

        ChronicleEngine.Sizing sizing() {
            return SMALL;
        }

        @Override
        Storage open() throws Exception {
            engine = ChronicleEngine.open(dir, sizing());
            return engine.open("db0");
        }

        @Override
        void close() throws Exception {
            table.close();
            engine.close();
        }

        /** SCAN 0 on an empty database answers cursor 0 at once, as Redis does. */
        @Test
        void scanOfAnEmptyTableEndsAtOnce() {
            assertEquals(0, scan(0, 10, k -> fail("visited " + str(k))));
        }
    }

    /** The table itself, without the staging overlay: every write reaches the maps at once. */
    @Nested
    class UsedDirectly extends ChronicleContract {
        @Override
        Storage open() throws Exception {
            return chronicle(super.open());
        }
    }

    /** The overlay the keyspace gets, outside a command: it passes every call through. */
    @Nested
    class OutsideACommand extends ChronicleContract {}

    /** The overlay inside a command: writes are staged and read back, and walks need the engine's flush. */
    @Nested
    class InsideACommand extends ChronicleContract {
        @Override
        Storage open() throws Exception {
            Storage t = super.open();
            engine.begin();
            return t;
        }

        @Override
        void applyStaged() {
            engine.flush();
        }

        @Override
        void close() throws Exception {
            engine.commit();
            super.close();
        }
    }

    /** A table that already outgrew its first map: reads walk two generations, writes go to the second. */
    @Nested
    class ChainedToASecondMap extends ChronicleContract {
        @Override
        ChronicleEngine.Sizing sizing() {
            return TINY;
        }

        @Override
        Storage open() throws Exception {
            Storage t = super.open();
            int ballast = 0;
            while (chronicle(t).generations() < 2) {
                assertTrue(ballast < 100_000, "the first map never filled");
                t.put(b("ballast:" + ballast++), b("b"));
            }
            for (int i = 0; i < ballast; i++) assertTrue(t.remove(b("ballast:" + i)));
            assertEquals(0, t.size());
            return t;
        }
    }

    /** A table with the default 16 KB chunks whose every value is larger, so each one is split over chunks. */
    @Nested
    class HoldingChunkedValues extends ChronicleContract {
        @Override
        ChronicleEngine.Sizing sizing() {
            return new ChronicleEngine.Sizing(4096, 16, 32, ChronicleEngine.Sizing.DEFAULT_CHUNK_SIZE, 256);
        }

        @Override
        byte[] value(String text) {
            byte[] t = b(text);
            byte[] v = java.util.Arrays.copyOf(t, t.length + ChronicleEngine.Sizing.DEFAULT_CHUNK_SIZE + 1000);
            for (int i = t.length; i < v.length; i++) v[i] = (byte) (i * 31 + t.length);
            return v;
        }
    }
}
