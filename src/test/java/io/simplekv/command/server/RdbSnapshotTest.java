package io.simplekv.command.server;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DEBUG RELOAD through an RDB file on both engines, and SAVE/BGSAVE writing dump.rdb on the memory engine. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class RdbSnapshotTest extends ServerTestBase {
    @Override
    protected Map<String, String> config() {
        return Map.of("enable-debug-command", "yes");
    }

    private void fill() {
        r.call("SET", "s", "hello");
        r.call("SET", "n", "12345", "PX", "100000");
        for (int i = 0; i < 300; i++) {
            r.call("RPUSH", "l", "e" + i);
            r.call("SADD", "set", "m" + i);
            r.call("HSET", "h", "f" + i, "v" + i);
            r.call("ZADD", "z", Integer.toString(i), "m" + i);
            r.call("XADD", "x", "*", "f", "v" + i);
        }
        r.call("XGROUP", "CREATE", "x", "g", "0");
        r.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "3", "STREAMS", "x", ">");
        r.call("SELECT", "7");
        r.call("SET", "in7", "v");
        r.call("SELECT", "0");
    }

    @Test
    void debugReloadKeepsEveryTypeTtlAndDatabase() {
        fill();
        String digest = r.call("DEBUG", "DIGEST");
        assertNotEquals("+" + "0".repeat(40) + "\r\n", digest);
        assertEquals("+OK\r\n", r.call("DEBUG", "RELOAD"));
        assertEquals(digest, r.call("DEBUG", "DIGEST"));
        if (engine == EngineKind.MEMORY) { // what was just loaded is on disk, not changes still to save
            assertTrue(r.call("INFO", "persistence").contains("rdb_changes_since_last_save:0\r\n"));
        }
        long pttl = Long.parseLong(r.call("PTTL", "n").substring(1).trim());
        assertTrue(pttl > 90_000 && pttl <= 100_000, "PTTL " + pttl);
        r.call("SELECT", "7");
        assertEquals(bulk("v"), r.call("GET", "in7"));
    }

    @Test
    void reloadWithoutSaveGoesBackToTheLastFile() {
        r.call("SET", "k", "saved");
        assertEquals("+OK\r\n", r.call("DEBUG", "RELOAD"));
        r.call("SET", "k", "changed");
        r.call("SET", "other", "new");
        assertEquals("+OK\r\n", r.call("DEBUG", "RELOAD", "NOSAVE"));
        assertEquals(bulk("saved"), r.call("GET", "k"));
        assertEquals(integer(0), r.call("EXISTS", "other"));
        assertEquals(error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."),
                r.call("DEBUG", "RELOAD", "BOGUS"));
    }

    @Test
    void aCorruptFileIsRefusedWithRedisText() throws IOException {
        r.call("SET", "k", "v");
        assertEquals("+OK\r\n", r.call("DEBUG", "RELOAD"));
        Path file = dir.resolve("dump.rdb");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 12] ^= 0x55; // inside the last value: the checksum no longer matches
        Files.write(file, bytes);
        // redis-server exits on a corrupt file; the reply is the one its DEBUG RELOAD gives for a failed load.
        assertEquals(error("ERR Error trying to load the RDB dump"), r.call("DEBUG", "RELOAD", "NOSAVE"));
    }

    @Test
    void functionLibrariesGoThroughTheFileAndANoflushReloadRefusesADuplicateUnlessMerging() {
        String code = "#!lua name=lib\nredis.register_function('f', function() return 'hello' end)";
        assertEquals("$3\r\nlib\r\n", r.call("FUNCTION", "LOAD", code));
        r.call("SET", "k", "v");
        assertEquals("+OK\r\n", r.call("DEBUG", "RELOAD"));
        assertEquals("$5\r\nhello\r\n", r.call("FCALL", "f", "0"), "the library came back from the file");
        // As redis-server 7.0.15: the library is still loaded, so loading the file's copy is a duplicate.
        assertEquals(error("ERR Error trying to load the RDB dump"), r.call("DEBUG", "RELOAD", "NOFLUSH"));
        assertEquals("+OK\r\n", r.call("DEBUG", "RELOAD", "NOFLUSH", "MERGE"));
        assertEquals("$5\r\nhello\r\n", r.call("FCALL", "f", "0"));
        assertEquals("+OK\r\n", r.call("FUNCTION", "FLUSH"));
        assertEquals("+OK\r\n", r.call("DEBUG", "RELOAD", "NOSAVE"));
        assertEquals("$5\r\nhello\r\n", r.call("FCALL", "f", "0"), "a reload without saving takes the file's libraries");
        assertEquals("+OK\r\n", r.call("FUNCTION", "FLUSH"));
        assertEquals("+OK\r\n", r.call("DEBUG", "RELOAD"));
        assertEquals(error("ERR Function not found"), r.call("FCALL", "f", "0"), "a file saved without libraries");
        assertEquals(bulk("v"), r.call("GET", "k"));
    }

    @Test
    void saveAndBgsaveWriteTheFileOnTheMemoryEngine() throws IOException {
        if (engine != EngineKind.MEMORY) return; // chronicle's SAVE forces its own files: PersistenceTest
        fill();
        assertEquals("+OK\r\n", r.call("SAVE"));
        Path file = dir.resolve("dump.rdb");
        assertTrue(Files.size(file) > 1000);
        assertTrue(new String(Files.readAllBytes(file), 0, 9, java.nio.charset.StandardCharsets.US_ASCII).equals("REDIS0010"));
        assertTrue(r.call("INFO", "persistence").contains("rdb_changes_since_last_save:0\r\n"));
        Files.delete(file);
        assertEquals("+Background saving started\r\n", r.call("BGSAVE"));
        awaitBgsave();
        assertTrue(Files.exists(file));
        assertTrue(r.call("INFO", "persistence").contains("rdb_last_bgsave_status:ok\r\n"));
    }

    private void awaitBgsave() {
        long deadline = System.currentTimeMillis() + 10_000;
        while (r.call("INFO", "persistence").contains("rdb_bgsave_in_progress:1")) {
            assertTrue(System.currentTimeMillis() < deadline, "the background save never ended");
            Thread.onSpinWait();
        }
    }

    @Test
    void bgsaveWritesTheDataAsItWasWhenTheCommandRanWhateverChangesAfter() {
        if (engine != EngineKind.MEMORY) return;
        fill();
        for (int i = 0; i < 5000; i++) r.call("HSET", "big", "f" + i, "v" + i); // paged: its pages are copied too
        r.call("SET", "counter", "10");
        String digest = r.call("DEBUG", "DIGEST");
        assertEquals("+Background saving started\r\n", r.call("BGSAVE"));
        // Each of these changes stored arrays in place or replaces them, while the file is being written.
        r.call("APPEND", "s", "-more");
        r.call("SETRANGE", "s", "0", "J");
        r.call("INCR", "counter");
        r.call("SETBIT", "s", "3", "1");
        r.call("HSET", "big", "f1", "changed");
        r.call("HDEL", "big", "f2");
        r.call("RPUSH", "l", "new");
        r.call("ZADD", "z", "999", "m0");
        r.call("DEL", "set");
        r.call("SET", "fresh", "v");
        assertNotEquals(digest, r.call("DEBUG", "DIGEST"));
        awaitBgsave();
        assertEquals("+OK\r\n", r.call("DEBUG", "RELOAD", "NOSAVE"));
        assertEquals(digest, r.call("DEBUG", "DIGEST"), "the file holds the data of the BGSAVE's moment");
    }

    @Test
    void saveRefusesWhileABackgroundSaveRunsAndBgsaveScheduleWaits() {
        if (engine != EngineKind.MEMORY) return;
        for (int i = 0; i < 20000; i++) r.call("SET", "k" + i, "v".repeat(100));
        assertEquals("+Background saving started\r\n", r.call("BGSAVE"));
        String again = r.call("BGSAVE");
        String scheduled = r.call("BGSAVE", "SCHEDULE");
        String save = r.call("SAVE");
        if (r.call("INFO", "persistence").contains("rdb_bgsave_in_progress:1")) {
            // Still writing when asked (usual: 20,000 keys): Redis's answers.
            assertEquals(error("ERR Background save already in progress"), again);
            assertEquals("+Background saving scheduled\r\n", scheduled);
        }
        assertTrue(save.equals("+OK\r\n") || save.equals(error("ERR Background save already in progress")), save);
        awaitBgsave();
    }

    @Test
    void flushallWithSavePointsSavesTheEmptyDatasetAtOnce() {
        if (engine != EngineKind.MEMORY) return;
        r.call("SET", "k", "v");
        assertEquals("+OK\r\n", r.call("SAVE"));
        assertEquals("+OK\r\n", r.call("FLUSHALL"));
        String info = r.call("INFO", "persistence");
        assertTrue(info.contains("rdb_changes_since_last_save:0\r\n"), info); // as redis-server 7.0.15
        assertEquals("+OK\r\n", r.call("DEBUG", "RELOAD", "NOSAVE"));
        assertEquals(integer(0), r.call("DBSIZE"), "the flushed key did not come back from the older file");

        r.call("CONFIG", "SET", "save", "");
        r.call("SET", "k", "v");
        assertEquals("+OK\r\n", r.call("SAVE"));
        assertEquals("+OK\r\n", r.call("FLUSHALL"));
        assertEquals("+OK\r\n", r.call("DEBUG", "RELOAD", "NOSAVE"));
        assertEquals(integer(1), r.call("DBSIZE"), "without save points FLUSHALL leaves the file alone, as Redis");
    }

    @Test
    void savePointsAreCheckedAsRedisChecksThem() {
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
                r.call("CONFIG", "SET", "save", "100"));
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
                r.call("CONFIG", "SET", "save", "0 1"));
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
                r.call("CONFIG", "SET", "save", "10 x"));
        assertEquals("+OK\r\n", r.call("CONFIG", "SET", "save", "10 0 20 5"));
        assertEquals("*2\r\n$4\r\nsave\r\n$9\r\n10 0 20 5\r\n", r.call("CONFIG", "GET", "save"));
        var points = server.context().persistence().savePoints();
        assertEquals(null, points.due(4, 10));
        assertEquals(new io.simplekv.persistence.SavePoints.Point(10, 0), points.due(0, 11));
        assertEquals(null, points.due(100, 10), "more than the seconds, as serverCron compares");
        assertEquals(new io.simplekv.persistence.SavePoints.Point(20, 5), io.simplekv.persistence.SavePoints
                .parse("20 5 10 100").due(5, 21));
    }
}
