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
        PageSpace first = new PageSpace(meta);
        assertFalse(first.anyPaged());
        long id = first.allocateId();
        long hash = first.fieldHash("field".getBytes());
        first.markPaged();

        PageSpace reopened = new PageSpace(meta);
        assertTrue(reopened.anyPaged(), "writes after a restart must still check for a big collection they replace");
        assertEquals(hash, reopened.fieldHash("field".getBytes()), "buckets must be found where they were written");
        assertNotEquals(id, reopened.allocateId(), "an id is never handed out twice");
    }
}
