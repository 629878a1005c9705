package io.simplekv.keyspace;

import io.simplekv.storage.MemoryStorage;
import io.simplekv.storage.Storage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What PageSpace keeps in the meta table must survive a reopen over the same table (a restart, for a disk engine). */
class PageSpaceTest {

    @Test
    void bigCollectionFlagSeedAndIdsSurviveAReopen() {
        Storage meta = new MemoryStorage();
        PageSpace first = new PageSpace(meta, new java.util.concurrent.atomic.LongAdder());
        assertFalse(first.anyPaged());
        long id = first.allocateId();
        long hash = first.fieldHash("field".getBytes());
        first.markPaged();

        PageSpace reopened = new PageSpace(meta, new java.util.concurrent.atomic.LongAdder());
        assertTrue(reopened.anyPaged(), "writes after a restart must still check for a big collection they replace");
        assertEquals(hash, reopened.fieldHash("field".getBytes()), "buckets must be found where they were written");
        assertNotEquals(id, reopened.allocateId(), "an id is never handed out twice");
    }

    /** The command that dropped a collection may still hold its writes in a batch: its pages outlive that. */
    @Test
    void pagesAreFreedOnlyAfterTheGracePeriod() {
        Storage meta = new MemoryStorage(), pages = new MemoryStorage();
        java.util.concurrent.atomic.LongAdder freed = new java.util.concurrent.atomic.LongAdder();
        PageSpace space = new PageSpace(meta, freed);
        byte[] k = new byte[16];
        Records.putLong(k, 0, 7);
        pages.put(k, new byte[] {1});
        long now = System.currentTimeMillis();
        space.release(pages, 7, 1);
        space.reclaim(now);
        assertEquals(1, space.pending(), "not yet");
        assertEquals(1, space.pendingCollections());
        space.reclaim(now + 2_000);
        assertEquals(0, space.pending());
        assertEquals(0, space.pendingCollections(), "INFO lazyfree_pending_objects");
        assertEquals(0, freed.sum(), "lazyfreed_objects counts UNLINKed values (Database.unlink), not page runs");
        assertEquals(null, pages.get(k));
    }
}
