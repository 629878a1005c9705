package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory engine's RDB file as a user meets it: SAVE writes a file Debian's redis-check-rdb accepts (redis-tools,
 * which the test command installs), and a restart on the same directory loads it back with the same DEBUG DIGEST,
 * TTLs included, even after kill -9 (the file is only ever replaced whole).
 */
class RdbFileIT {
    @TempDir
    Path dir;

    private ServerProcess start(String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--port", "0", "--dir", dir.toString(), "--enable-debug-command", "yes"));
        args.addAll(List.of(more));
        return ServerProcess.start(args.toArray(String[]::new));
    }

    private static void shutdown(Jedis j, String... args) {
        try {
            j.sendCommand(redis.clients.jedis.Protocol.Command.SHUTDOWN, args);
        } catch (redis.clients.jedis.exceptions.JedisConnectionException closed) {
            // a successful SHUTDOWN closes the connection without a reply
        }
    }

    /**
     * The default save points ("3600 1 300 100 60 10000") make SHUTDOWN and SIGTERM write the final snapshot, as
     * Redis does, so a memory-engine server keeps its data across a clean restart; NOSAVE (and shutdown-on-sigterm
     * nosave) skip it.
     */
    @Test
    void shutdownAndSigtermSaveUnderTheDefaultSavePointsAndNosaveDoesNot() throws Exception {
        try (ServerProcess s = start(); Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("by-shutdown", "1");
            shutdown(j);
            assertEquals(0, s.awaitExit(30));
            assertTrue(s.output().contains("Saving the final RDB snapshot before exiting."), s.output());
        }
        try (ServerProcess s = start(); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("1", j.get("by-shutdown"));
            j.set("by-sigterm", "2");
        } // close(): SIGTERM
        try (ServerProcess s = start(); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("2", j.get("by-sigterm"));
            j.set("nosave", "3");
            shutdown(j, "NOSAVE");
            assertEquals(0, s.awaitExit(30));
        }
        try (ServerProcess s = start("--shutdown-on-sigterm", "nosave"); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(null, j.get("nosave"), "SHUTDOWN NOSAVE wrote nothing");
            assertEquals("2", j.get("by-sigterm"));
            j.set("sigterm-nosave", "4");
        }
        try (ServerProcess s = start("--save", ""); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(null, j.get("sigterm-nosave"), "shutdown-on-sigterm nosave wrote nothing");
            j.set("no-save-points", "5");
        }
        try (ServerProcess s = start(); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(null, j.get("no-save-points"), "without save points a SIGTERM saves nothing, as Redis");
        }
    }

    /** A save point reached saves in the background, so kill -9 afterwards loses nothing written before it. */
    @Test
    void aSavePointSavesInTheBackgroundAndTheFileOutlivesKill9() throws Exception {
        try (ServerProcess s = start("--save", "1 2"); Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("a", "1");
            j.set("b", "2");
            long deadline = System.currentTimeMillis() + 15_000;
            while (!j.info("persistence").contains("rdb_saves:1")) {
                assertTrue(System.currentTimeMillis() < deadline, j.info("persistence"));
                ServerProcess.sleep(100);
            }
            assertTrue(s.output().contains("2 changes in 1 seconds. Saving..."), s.output());
            assertTrue(s.output().contains("Background saving terminated with success"), s.output());
            assertTrue(j.info("persistence").contains("rdb_changes_since_last_save:0"));
            j.set("c", "only one change: no save point reached");
            ServerProcess.sleep(2500);
            s.kill9();
        }
        try (ServerProcess s = start(); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("1", j.get("a"));
            assertEquals("2", j.get("b"));
            assertEquals(null, j.get("c"));
        }
    }

    @Test
    void saveWritesAFileRedisCheckRdbAcceptsAndARestartLoadsIt() throws Exception {
        String digest;
        try (ServerProcess s = start(); Jedis j = new Jedis("127.0.0.1", s.port())) {
            digest = fillEveryType(j, 2000);
            assertEquals("OK", j.save());
            j.set("after-save", "lost by kill -9");
            s.kill9();
        }
        Path file = dir.resolve("dump.rdb");
        Process check = new ProcessBuilder("redis-check-rdb", file.toString()).redirectErrorStream(true).start();
        String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        check.waitFor();
        assertTrue(report.contains("RDB looks OK"), report);
        assertTrue(report.contains("[info] 8 keys read"), report);

        try (ServerProcess s = start(); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertTrue(s.output().contains("DB loaded from disk"), s.output());
            String again = new String((byte[]) j.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "DIGEST"),
                    StandardCharsets.US_ASCII);
            assertEquals(digest, again);
            long pttl = j.pttl("ttl");
            assertTrue(pttl > 0 && pttl <= 600_000, "PTTL " + pttl);
            assertEquals(null, j.get("after-save"), "written after the SAVE, before kill -9: not in the file");
            assertTrue(Files.size(file) > 10_000);
        }
    }

    /**
     * rdbcompression yes (the default): strings over 20 bytes go into the file and into DUMP payloads as LZF, and
     * Debian's redis-server reads both: it loads the file at startup and RESTOREs the payload.
     */
    @Test
    void redisServerLoadsTheCompressedFileAndRestoresTheCompressedDump() throws Exception {
        String compressible = "abcdefgh".repeat(5000);
        StringBuilder mixed = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 3000; i++) mixed.append(random.nextInt(1000)).append(i % 7 == 0 ? "-same-text-" : ",");
        byte[] dump;
        try (ServerProcess s = start(); Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("compressible", compressible);
            j.set("mixed", mixed.toString());
            j.set("short", "x".repeat(21));
            j.set("int", "-12345");
            j.hset("hash", Map.of("field", "value-value-value-value-value", "n", "7"));
            dump = j.dump("compressible");
            assertEquals((byte) 0xC3, dump[1], "DUMP of a compressible string is LZF");
            assertEquals("OK", j.save());
        }
        assertTrue(Files.size(dir.resolve("dump.rdb")) < 10_000, "the 40 KB string is compressed in the file");
        int port = ServerProcess.freePort();
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        try (Jedis j = ServerProcess.connectWhenUp(port, 10_000)) {
            assertEquals(compressible, j.get("compressible"));
            assertEquals(mixed.toString(), j.get("mixed"));
            assertEquals("x".repeat(21), j.get("short"));
            assertEquals("-12345", j.get("int"));
            assertEquals("value-value-value-value-value", j.hget("hash", "field"));
            assertEquals("OK", j.restore("restored", 0, dump));
            assertEquals(compressible, j.get("restored"));
        } finally {
            redis.destroyForcibly().waitFor();
        }
    }

    /**
     * A string, one with a TTL, a list, set, hash and zset of {@code members} each, a stream, and a key in database 3;
     * returns DEBUG DIGEST, with the client back on database 0.
     */
    private static String fillEveryType(Jedis j, int members) {
        j.set("s", "hello");
        j.set("ttl", "v", new redis.clients.jedis.params.SetParams().px(600_000));
        for (int i = 0; i < members; i++) {
            j.rpush("list", "e" + i);
            j.sadd("set", "m" + i);
            j.hset("hash", "f" + i, "v" + i);
            j.zadd("zset", i, "m" + i);
        }
        j.xadd("stream", Map.of("f", "v"), redis.clients.jedis.params.XAddParams.xAddParams());
        j.select(3);
        j.set("in3", "x");
        j.select(0);
        return digest(j);
    }

    private static String digest(Jedis j) {
        Object d = j.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "DIGEST");
        return new String((byte[]) d, StandardCharsets.US_ASCII);
    }

    /**
     * Moving from Redis to the chronicle engine: redis-server's dump.rdb is imported once (import-rdb), with the same
     * DEBUG DIGEST; the imported data then lives in the maps (kill -9 keeps it and what was written after), and a
     * restart with the same setting does not import it again over later writes.
     */
    @Test
    void theChronicleEngineImportsRedisServersFileOnce() throws Exception {
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        int port = ServerProcess.freePort();
        Process redisServer = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", redisDir.toString(), "--enable-debug-command", "yes")
                .redirectErrorStream(true).redirectOutput(redisDir.resolve("redis.log").toFile()).start();
        String expected;
        try (Jedis j = ServerProcess.connectWhenUp(port, 10_000)) {
            for (int i = 0; i < 1000; i++) j.set("key:" + i, "value-" + i);
            expected = fillEveryType(j, 1000);
            assertEquals("OK", j.save());
        } finally {
            redisServer.destroyForcibly().waitFor();
        }
        String file = redisDir.resolve("dump.rdb").toString();
        Path data = dir.resolve("chronicle");
        String[] args = {"--port", "0", "--dir", data.toString(), "--storage", "chronicle", "--enable-debug-command", "yes",
                "--import-rdb", file};
        try (ServerProcess s = ServerProcess.start(args); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertTrue(s.output().contains("import-rdb: 1008 keys imported from " + file), s.output());
            assertEquals(expected, digest(j));
            long pttl = j.pttl("ttl");
            assertTrue(pttl > 0 && pttl <= 600_000, "PTTL " + pttl);
            j.set("s", "changed after the import");
            s.kill9();
        }
        try (ServerProcess s = ServerProcess.start(args); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertTrue(s.output().contains("was imported before; not again"), s.output());
            assertEquals("changed after the import", j.get("s"));
            assertEquals("value-999", j.get("key:999"));
        }
        ServerProcess memory = ServerProcess.start("--port", "0", "--dir", dir.resolve("memory").toString(), "--import-rdb", file);
        try {
            assertTrue(memory.awaitExit(30) > 0, "the memory engine refuses import-rdb: " + memory.output());
            assertTrue(memory.output().contains("FATAL: import-rdb is for the chronicle engine"), memory.output());
        } finally {
            memory.close();
        }
    }
}
