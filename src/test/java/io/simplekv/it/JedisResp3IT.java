package io.simplekv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.resps.Tuple;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jedis asked for RESP3 explicitly (it then says HELLO 3 and parses maps, sets and doubles). Jedis's client-side
 * cache is not tried: Jedis enables it only for servers that report 7.4 or later, and we report 7.0.15.
 */
class JedisResp3IT {
    @TempDir
    static Path dir;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start("--port", "0", "--dir", dir.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void typedRepliesOverResp3() {
        var config = DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build();
        try (Jedis j = new Jedis(new HostAndPort("127.0.0.1", server.port()), config)) {
            j.flushAll();
            assertTrue(j.clientInfo().contains(" resp=3"), j.clientInfo());
            j.hset("h", Map.of("a", "1", "b", "2"));
            assertEquals(Map.of("a", "1", "b", "2"), j.hgetAll("h"));
            j.sadd("s", "x", "y");
            assertEquals(Set.of("x", "y"), j.smembers("s"));
            j.zadd("z", 1.5, "m");
            assertEquals(1.5, j.zscore("z", "m"));
            assertEquals(List.of(new Tuple("m", 1.5)), j.zrangeWithScores("z", 0, -1));
            assertEquals(2.5, j.zincrby("z", 1, "m"));
            assertNull(j.get("missing"));
            assertEquals(Map.of("maxmemory", "0"), j.configGet("maxmemory"));
            assertEquals(2L, j.eval("return redis.call('hlen', KEYS[1])", 1, "h"));
        }
    }
}
