package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private ServerProcess start() throws Exception {
        return ServerProcess.start("--port", "0", "--dir", dir.toString(), "--enable-debug-command", "yes");
    }

    @Test
    void saveWritesAFileRedisCheckRdbAcceptsAndARestartLoadsIt() throws Exception {
        String digest;
        try (ServerProcess s = start(); Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("s", "hello");
            j.set("ttl", "v", new redis.clients.jedis.params.SetParams().px(600_000));
            for (int i = 0; i < 2000; i++) {
                j.rpush("list", "e" + i);
                j.sadd("set", "m" + i);
                j.hset("hash", "f" + i, "v" + i);
                j.zadd("zset", i, "m" + i);
            }
            j.xadd("stream", Map.of("f", "v"), redis.clients.jedis.params.XAddParams.xAddParams());
            j.select(3);
            j.set("in3", "x");
            String digest0 = new String((byte[]) j.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "DIGEST"),
                    StandardCharsets.US_ASCII);
            digest = digest0;
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
}
