package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.MigrateParams;
import redis.clients.jedis.params.SetParams;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MIGRATE between two real servers (a memory-engine simplekv to a chronicle one), through Jedis: keys arrive with
 * their TTLs and leave the source, COPY keeps them, REPLACE overwrites, the target's refusals and an unreachable
 * target come back as Redis's errors, and a transaction runs MIGRATE in place.
 */
class MigrateIT {
    @TempDir
    Path dir;

    @Test
    void keysMoveToAnotherServer() throws Exception {
        try (ServerProcess source = ServerProcess.start("--port", "0", "--dir", dir.resolve("a").toString());
             ServerProcess target = ServerProcess.start("--port", "0", "--dir", dir.resolve("b").toString(),
                     "--storage", "chronicle");
             Jedis from = new Jedis("127.0.0.1", source.port());
             Jedis to = new Jedis("127.0.0.1", target.port())) {
            from.set("k", "v", SetParams.setParams().px(100_000));
            from.rpush("list", "a", "b", "c");
            from.hset("hash", "f", "v");
            assertEquals("OK", from.migrate("127.0.0.1", target.port(), "k", 2, 1000));
            assertFalse(from.exists("k"));
            to.select(2);
            assertEquals("v", to.get("k"));
            long pttl = to.pttl("k");
            assertTrue(pttl > 90_000 && pttl <= 100_000, "PTTL " + pttl);

            assertEquals("OK", from.migrate("127.0.0.1", target.port(), 2, 1000, new MigrateParams().copy(), "list", "hash"));
            assertEquals(List.of("a", "b", "c"), to.lrange("list", 0, -1));
            assertTrue(from.exists("list"), "COPY keeps the source's keys");

            JedisDataException busy = assertThrows(JedisDataException.class,
                    () -> from.migrate("127.0.0.1", target.port(), "list", 2, 1000));
            assertEquals("ERR Target instance replied with error: BUSYKEY Target key name already exists.", busy.getMessage());
            assertTrue(from.exists("list"), "a key the target refused stays");
            from.rpush("list", "d");
            assertEquals("OK", from.migrate("127.0.0.1", target.port(), 2, 1000, new MigrateParams().replace(), "list"));
            assertEquals(List.of("a", "b", "c", "d"), to.lrange("list", 0, -1));
            assertFalse(from.exists("list"));

            assertEquals("NOKEY", from.migrate("127.0.0.1", target.port(), "missing", 2, 1000));
            JedisDataException down = assertThrows(JedisDataException.class,
                    () -> from.migrate("127.0.0.1", 1, "hash", 2, 200));
            assertEquals("IOERR error or timeout writing to target instance", down.getMessage());

            redis.clients.jedis.Transaction t = from.multi();
            t.migrate("127.0.0.1", target.port(), 1000, new MigrateParams(), "hash"); // to database 0
            t.get("hash");
            assertEquals(java.util.Arrays.asList("OK", null), t.exec());
            to.select(0);
            assertEquals("v", to.hget("hash", "f"));
        }
    }
}
