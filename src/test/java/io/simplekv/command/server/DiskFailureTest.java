package io.simplekv.command.server;

import io.simplekv.support.FailingEngine;
import io.simplekv.support.ServerFixture;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A full disk and a failing fsync, injected under the real command path. */
class DiskFailureTest {
    @TempDir
    Path dir;
    FailingEngine engine;
    ServerFixture server;
    Wire r;

    @BeforeEach
    void start() {
        engine = new FailingEngine(dir);
        server = new ServerFixture(engine, dir, Map.of());
        r = server.connect();
    }

    @AfterEach
    void stop() {
        r.close();
        server.close();
    }

    @Test
    void aFullDiskFailsTheWriteAndRefusesGrowingCommandsWhileReadsAndDeletesWork() {
        assertEquals(OK, r.call("SET", "kept", "v"));
        r.call("RPUSH", "list", "a", "b");
        engine.fillDisk();
        String reply = r.call("SET", "new", "v");
        assertTrue(reply.startsWith("-ERR disk full: the chronicle engine can't grow its files in "), reply);
        assertTrue(reply.contains("No space left on device") && reply.contains("writes are refused until space is freed"), reply);
        // Refused up front now, so a multi-key write is never half applied; MULTI is flagged as in Redis.
        assertTrue(r.call("MSET", "x", "1", "y", "2").startsWith("-ERR disk full"));
        r.call("MULTI");
        assertTrue(r.call("SET", "z", "1").startsWith("-ERR disk full"));
        assertTrue(r.call("EXEC").startsWith("-EXECABORT"));
        assertEquals(bulk("v"), r.call("GET", "kept"));
        assertEquals(integer(2), r.call("LLEN", "list"));
        assertEquals(integer(1), r.call("DEL", "kept"));
        assertEquals("1", PersistenceCommandsTest.persistence(r).get("storage_disk_full"));
        engine.freeDisk();
        assertEquals(OK, r.call("SET", "new", "v"));
        assertEquals(bulk("v"), r.call("GET", "new"));
        assertEquals("0", PersistenceCommandsTest.persistence(r).get("storage_disk_full"));
    }

    @Test
    void aFailedForceUnderAppendfsyncAlwaysClosesTheClientWithoutAcknowledging() {
        r.call("CONFIG", "SET", "appendfsync", "always");
        assertEquals(OK, r.call("SET", "a", "1"));
        assertTrue(engine.syncs.get() > 0, "the batch forced its tables");
        engine.failSyncs = true;
        assertEquals("", r.call("SET", "b", "2"));
        assertFalse(r.isOpen());
        try (Wire other = server.connect()) {
            assertEquals(bulk("1"), other.call("GET", "a"), "the server stays up");
            assertEquals("err", PersistenceCommandsTest.persistence(other).get("storage_last_fsync_status"));
            assertTrue(other.call("SAVE").startsWith("-ERR SAVE failed, the data could not be forced to disk: "));
            engine.failSyncs = false;
            assertEquals(OK, other.call("SAVE"));
            assertEquals("0", PersistenceCommandsTest.persistence(other).get("rdb_changes_since_last_save"));
        }
    }

    @Test
    void shutdownStopsWhenTheFinalForceFailsUnlessForced() {
        r.call("SET", "a", "1");
        engine.failSyncs = true;
        assertEquals("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", r.call("SHUTDOWN"));
        assertEquals("", r.call("SHUTDOWN", "FORCE"));
    }
}
