package io.simplekv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.util.KeyValue;
import redis.clients.jedis.resps.Tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hashes, lists, sets and sorted sets through Jedis against the real server process, on each engine. */
@ParameterizedClass
@ValueSource(strings = {"memory", "chronicle"})
class CollectionsIT {
    @TempDir
    static Path dir;
    static final Map<String, ServerProcess> servers = new HashMap<>();

    String engine;

    CollectionsIT(String engine) {
        this.engine = engine;
    }

    @BeforeAll
    static void start() throws Exception {
        for (String e : List.of("memory", "chronicle")) {
            servers.put(e, ServerProcess.start("--port", "0", "--storage", e, "--dir", dir.resolve(e).toString()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServerProcess p : servers.values()) p.close();
    }

    Jedis jedis() {
        return new Jedis("127.0.0.1", servers.get(engine).port(), 10_000);
    }

    @BeforeEach
    void clean() {
        try (Jedis j = jedis()) {
            j.flushAll();
        }
    }

    @Test
    void hashes() {
        try (Jedis j = jedis()) {
            Map<String, String> fields = new HashMap<>();
            for (int i = 0; i < 500; i++) fields.put("f" + i, "v" + i);
            assertEquals(500, j.hset("h", fields));
            assertEquals("v42", j.hget("h", "f42"));
            assertEquals(501, j.hincrBy("h", "n", 1) + 500);
            assertEquals(501, j.hlen("h"));
            assertEquals(1, j.hdel("h", "f0"));
            assertTrue(j.hexists("h", "f1"));
            assertEquals("hashtable", j.objectEncoding("h"));
            assertThrows(JedisDataException.class, () -> j.hincrBy("h", "f1", 1));
        }
    }

    @Test
    void listsAndSets() {
        try (Jedis j = jedis()) {
            for (int i = 0; i < 300; i++) j.rpush("l", "e" + i);
            assertEquals("e0", j.lpop("l"));
            assertEquals("e299", j.rpop("l"));
            assertEquals(List.of("e1", "e2"), j.lrange("l", 0, 1));
            assertEquals("e150", j.lindex("l", 149));
            assertEquals(3, j.sadd("s", "a", "b", "c"));
            assertTrue(j.sismember("s", "a"));
            assertEquals(Set.of("a", "b", "c"), j.smembers("s"));
            assertEquals(Set.of(), j.sinter("s", "t"));
            j.set("str", "x");
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.lpush("str", "a"));
            assertTrue(e.getMessage().startsWith("WRONGTYPE"), e.getMessage());
        }
    }

    @Test
    void sortedSets() {
        try (Jedis j = jedis()) {
            for (int i = 0; i < 1000; i++) j.zadd("z", i % 100, "m" + i);
            assertEquals(1000, j.zcard("z"));
            assertEquals("skiplist", j.objectEncoding("z"));
            assertEquals(0.0, j.zscore("z", "m0"));
            assertEquals(List.of("m0", "m100"), j.zrange("z", 0, 1));
            assertEquals(Long.valueOf(1), j.zrank("z", "m100"));
            assertEquals(20, j.zcount("z", 0, 1));
            assertEquals(3.5, j.zincrby("z", 3.5, "m0"));
            assertEquals(0L, j.zadd("z", 7, "m0", ZAddParams.zAddParams().nx()));
            List<Tuple> top = j.zrevrangeWithScores("z", 0, 0);
            assertEquals(99.0, top.get(0).getScore());
            List<Tuple> popped = j.zpopmin("z", 2);
            assertEquals(2, popped.size());
            assertEquals(10, j.zremrangeByScore("z", 99, 99));
            assertEquals(988, j.zcard("z"));
            assertThrows(JedisDataException.class, () -> j.zadd("z", Double.NaN, "x"));
            j.zadd("a", 1, "x");
            j.zadd("b", 2, "x");
            assertEquals(1, j.zunionstore("u", "a", "b"));
            assertEquals(3.0, j.zscore("u", "x"));
        }
    }

    /** Several clients wait on the same keys; pushes and adds from another client serve them in arrival order. */
    @Test
    void blockingCommandsWithSeveralClients() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Jedis writer = jedis()) {
            List<Future<?>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(pool.submit(() -> {
                    try (Jedis j = jedis()) {
                        return j.blpop(10, "q");
                    }
                }));
                awaitBlocked(writer, i + 1);
            }
            Future<KeyValue<String, Tuple>> zwaiter = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    return j.bzpopmin(10, "zq");
                }
            });
            awaitBlocked(writer, 4);
            writer.rpush("q", "a", "b", "c");
            List<String> got = new ArrayList<>();
            for (Future<?> f : waiting) got.add(((List<?>) f.get(10, TimeUnit.SECONDS)).get(1).toString());
            assertEquals(List.of("a", "b", "c"), got, "first come, first served");
            writer.zadd("zq", 5, "m");
            KeyValue<String, Tuple> z = zwaiter.get(10, TimeUnit.SECONDS);
            assertEquals("zq", z.getKey());
            assertEquals("m", z.getValue().getElement());
            assertEquals(0L, writer.exists("q", "zq"));
            assertNull(jedisBlmove(writer));
        } finally {
            pool.shutdownNow();
        }
    }

    private String jedisBlmove(Jedis j) {
        return j.blmove("none", "dst", ListDirection.LEFT, ListDirection.RIGHT, 0.05);
    }

    private static void awaitBlocked(Jedis j, int n) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            String info = j.info("clients");
            if (info.contains("blocked_clients:" + n)) return;
            Thread.sleep(10);
        }
        throw new AssertionError("never saw " + n + " blocked clients");
    }
}
