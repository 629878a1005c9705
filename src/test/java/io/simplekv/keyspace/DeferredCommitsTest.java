package io.simplekv.keyspace;

import io.simplekv.observe.ServerStats;
import io.simplekv.storage.ChronicleEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit on the chronicle engine: deferrable units of one read batch share a write batch and keep their
 * shards until the batch ends, and everything else on the thread (a unit that may not defer, a busy shard) commits
 * the batch first. What other threads see is checked from another thread, through a unit of its own.
 */
class DeferredCommitsTest {
    @TempDir
    Path dir;
    private ChronicleEngine engine;
    private Keyspace ks;
    private final Object owner = new Object();

    @BeforeEach
    void open() throws Exception {
        engine = ChronicleEngine.open(dir, new ChronicleEngine.Sizing(4096, 16, 32, 4096, 256));
        ks = new Keyspace(engine, 1, new ServerStats());
    }

    @AfterEach
    void close() throws Exception {
        ks.endDeferral(owner);
        engine.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void set(String key, String value, boolean deferrable) {
        UnitOfWork u = ks.unit().key(b(key));
        if (deferrable) u.deferrable();
        try (UnitOfWork open = u.open()) {
            ks.db(0).dataTable().put(b(key), b(value));
        }
    }

    /** The value another thread reads through its own unit, or a timeout when it can't take the key's shard. */
    private String readElsewhere(String key, long millis) throws Exception {
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try (UnitOfWork u = ks.unit().key(b(key)).open()) {
                byte[] v = ks.db(0).dataTable().get(b(key));
                return v == null ? null : new String(v, StandardCharsets.UTF_8);
            }
        });
        return read.get(millis, TimeUnit.MILLISECONDS);
    }

    @Test
    void deferredUnitsKeepTheirShardsAndWritesUntilTheBatchEnds() throws Exception {
        ks.deferCommits(owner);
        set("a", "1", true);
        set("a", "2", true);
        set("b", "3", true);
        assertThrows(TimeoutException.class, () -> readElsewhere("a", 200), "another thread waits for the batch");
        assertEquals("2", new String(ks.db(0).dataTable().get(b("a")), StandardCharsets.UTF_8), "this thread sees it");
        assertTrue(ks.endDeferral(owner));
        assertEquals("2", readElsewhere("a", 5_000));
        assertEquals("3", readElsewhere("b", 5_000));
    }

    @Test
    void aUnitThatMayNotDeferCommitsTheBatchBeforeItOpens() throws Exception {
        ks.deferCommits(owner);
        set("a", "1", true);
        set("other", "x", false);
        assertEquals("1", readElsewhere("a", 5_000), "committed and released when the other unit opened");
        assertEquals("x", readElsewhere("other", 5_000));
        assertTrue(ks.endDeferral(owner));
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aShardBusyElsewhereCommitsTheBatchInsteadOfWaitingWhileHoldingIt() throws Exception {
        ks.deferCommits(owner);
        set("a", "1", true);
        byte[] busyKey = keyInAnotherShard("a");
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> {
            try (UnitOfWork u = ks.unit().key(busyKey).open()) {
                held.countDown();
                release.await();
                // Taken after this thread's shard: with "a" still held by the batch this would never return.
                return readElsewhere("a", 5_000);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertTrue(held.await(5, TimeUnit.SECONDS));
        release.countDown();
        // Joining needs busyKey's shard, which is busy: the batch commits (releasing "a"), then this unit waits.
        set(new String(busyKey, StandardCharsets.UTF_8), "2", true);
        assertEquals("1", other.get(5, TimeUnit.SECONDS));
        assertTrue(ks.endDeferral(owner));
    }

    @Test
    void withoutDeferralUnitsCommitAsTheyClose() throws Exception {
        set("a", "1", true);
        assertEquals("1", readElsewhere("a", 5_000));
    }

    @Test
    void anEverythingUnitIsNeverKeptOpen() throws Exception {
        ks.deferCommits(owner);
        try (UnitOfWork u = ks.unit().everything().deferrable().open()) {
            ks.db(0).dataTable().put(b("a"), b("1"));
        }
        assertEquals("1", readElsewhere("a", 5_000));
        assertTrue(ks.endDeferral(owner));
    }

    @Test
    void onlyTheOwnerEndsItsBatch() throws Exception {
        ks.deferCommits(owner);
        set("a", "1", true);
        assertTrue(ks.endDeferral(new Object()), "another connection's end (closed mid-batch) changes nothing");
        assertThrows(TimeoutException.class, () -> readElsewhere("a", 200));
        assertTrue(ks.endDeferral(owner));
        assertEquals("1", readElsewhere("a", 5_000));
        assertNull(readElsewhere("never", 5_000));
        assertFalse(ks.db(0).dataTable().get(b("a")) == null);
    }

    private static byte[] keyInAnotherShard(String key) {
        int shard = ShardLocks.shardOf(b(key));
        for (int i = 0; ; i++) {
            byte[] k = b("k" + i);
            if (ShardLocks.shardOf(k) != shard) return k;
        }
    }
}
