package io.simplekv.command.server;

import io.simplekv.support.EngineKind;
import io.simplekv.support.RespParser;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashMap;
import java.util.Map;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SAVE, BGSAVE, LASTSAVE, SHUTDOWN's arguments and INFO persistence, on each engine. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class PersistenceCommandsTest extends ServerTestBase {
    static Map<String, String> persistence(Wire w) {
        Map<String, String> fields = new HashMap<>();
        for (String line : ((String) RespParser.parse(w.call("INFO", "persistence"))).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) fields.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return fields;
    }

    @Test
    void saveForcesTheChronicleFilesAndResetsTheChangeCount() throws Exception {
        r.call("SET", "a", "1");
        r.call("SET", "b", "2");
        assertEquals("2", persistence(r).get("rdb_changes_since_last_save"));
        long before = System.currentTimeMillis() / 1000;
        if (engine == EngineKind.MEMORY) { // an RDB snapshot, dump.rdb: RdbSnapshotTest
            assertEquals(OK, r.call("SAVE"));
            assertEquals("0", persistence(r).get("rdb_changes_since_last_save"));
            assertEquals("0", persistence(r).get("storage_persistent"));
            return;
        }
        Thread.sleep(1100); // so LASTSAVE, in whole seconds, must move
        assertEquals(OK, r.call("SAVE"));
        Map<String, String> p = persistence(r);
        assertEquals("0", p.get("rdb_changes_since_last_save"));
        assertEquals("1", p.get("rdb_saves"));
        long lastsave = Long.parseLong(p.get("rdb_last_save_time"));
        assertTrue(lastsave > before, lastsave + " vs " + before);
        assertEquals(":" + lastsave + "\r\n", r.call("LASTSAVE"));
        assertEquals("everysec", p.get("storage_fsync"));
        assertEquals("0", p.get("aof_enabled"));
    }

    @Test
    void bgsaveRunsInTheBackgroundAndReportsWhenDone() throws Exception {
        r.call("SET", "a", "1");
        if (engine == EngineKind.MEMORY) { // the snapshot is written before the reply: RdbSnapshotTest
            assertEquals(simple("Background saving started"), r.call("BGSAVE"));
            return;
        }
        assertEquals(simple("Background saving started"), r.call("BGSAVE"));
        for (int i = 0; i < 500 && !persistence(r).get("rdb_bgsave_in_progress").equals("0"); i++) Thread.sleep(10);
        Map<String, String> p = persistence(r);
        assertEquals("0", p.get("rdb_bgsave_in_progress"));
        assertEquals("ok", p.get("rdb_last_bgsave_status"));
        assertEquals("1", p.get("rdb_saves"));
        assertEquals("0", p.get("rdb_changes_since_last_save"));
        assertEquals(simple("Background saving started"), r.call("BGSAVE", "schedule"));
    }

    @Test
    void bgsaveTakesOnlySchedule() {
        assertEquals(SYNTAX, r.call("BGSAVE", "now"));
        assertEquals(SYNTAX, r.call("BGSAVE", "SCHEDULE", "SCHEDULE"));
        assertEquals(error("ERR wrong number of arguments for 'save' command"), r.call("SAVE", "x"));
    }

    @Test
    void shutdownParsesAsRedis70() {
        assertEquals(error("ERR No shutdown in progress."), r.call("SHUTDOWN", "ABORT"));
        assertEquals(SYNTAX, r.call("SHUTDOWN", "ABORT", "NOW"));
        assertEquals(SYNTAX, r.call("SHUTDOWN", "NOSAVE", "SAVE"));
        assertEquals(SYNTAX, r.call("SHUTDOWN", "LATER"));
        assertEquals(SYNTAX, r.call("SHUTDOWN", "NOW", "NOW", "NOW", "NOW", "NOW"));
        if (engine == EngineKind.MEMORY) { // SHUTDOWN SAVE writes the RDB snapshot first
            assertEquals("", r.call("SHUTDOWN", "SAVE"));
            assertTrue(java.nio.file.Files.exists(dir.resolve("dump.rdb")));
        }
        // Accepted: the fixture's shutdown hook does nothing, and a shutdown sends no reply.
        assertEquals("", r.call("SHUTDOWN", "nosave", "now", "force"));
        assertEquals("", r.call("SHUTDOWN", "SAVE", "FORCE"));
    }

    @Test
    void appendfsyncAlwaysForcesEachWritingBatchBeforeItsReplies() {
        if (engine == EngineKind.MEMORY) return; // nothing to force
        assertEquals(OK, r.call("CONFIG", "SET", "appendfsync", "always"));
        assertEquals("always", persistence(r).get("storage_fsync"));
        long before = Long.parseLong(persistence(r).get("storage_fsyncs"));
        assertEquals(OK, r.call("SET", "k", "v"));
        Map<String, String> p = persistence(r);
        assertEquals("0", p.get("rdb_changes_since_last_save"));
        assertEquals(before + 1, Long.parseLong(p.get("storage_fsyncs")));
        r.call("GET", "k");
        assertEquals(before + 1, Long.parseLong(persistence(r).get("storage_fsyncs")), "a read forces nothing");
        assertEquals(OK, r.call("CONFIG", "SET", "appendfsync", "no"));
        r.call("SET", "k", "w");
        assertEquals("1", persistence(r).get("rdb_changes_since_last_save"));
    }
}
