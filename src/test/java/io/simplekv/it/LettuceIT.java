package io.simplekv.it;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lettuce 7 on its defaults (it says HELLO 3 and speaks RESP3), explicitly on RESP2, and its client-side cache,
 * which needs CLIENT TRACKING and invalidation pushes. Against the real server over TCP.
 */
class LettuceIT {
    @TempDir
    static Path dir;
    static ServerProcess server;
    static RedisClient client;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start("--port", "0", "--dir", dir.toString());
        client = RedisClient.create(io.lettuce.core.RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) client.shutdown();
        if (server != null) server.close();
    }

    @BeforeEach
    void clean() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushall();
        }
    }

    private static StatefulRedisConnection<String, String> connect(ProtocolVersion protocol) {
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        return client.connect();
    }

    @Test
    void defaultsToResp3AndReadsTypedReplies() {
        try (StatefulRedisConnection<String, String> c = connect(ProtocolVersion.RESP3)) {
            RedisCommands<String, String> r = c.sync();
            assertTrue(r.clientInfo().contains(" resp=3"), r.clientInfo());
            r.hset("h", Map.of("a", "1", "b", "2"));
            assertEquals(Map.of("a", "1", "b", "2"), r.hgetall("h"));
            r.sadd("s", "x", "y");
            assertEquals(Set.of("x", "y"), r.smembers("s"));
            r.zadd("z", 1.5, "m");
            assertEquals(1.5, r.zscore("z", "m"));
            assertEquals(List.of(ScoredValue.just(1.5, "m")), r.zrangeWithScores("z", 0, -1));
            assertEquals(2.5, r.zincrby("z", 1, "m"));
            assertNull(r.get("missing"));
            assertEquals(Map.of("maxmemory", "0"), r.configGet("maxmemory"));
        }
    }

    @Test
    void resp2WhenAskedFor() {
        try (StatefulRedisConnection<String, String> c = connect(ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = c.sync();
            assertTrue(r.clientInfo().contains(" resp=2"), r.clientInfo());
            r.hset("h", "a", "1");
            assertEquals(Map.of("a", "1"), r.hgetall("h"));
            r.zadd("z", 2, "m");
            assertEquals(2.0, r.zscore("z", "m"));
        }
    }

    @Test
    void resp3SubscriberGetsMessagesAndMayRunCommands() throws Exception {
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             StatefulRedisConnection<String, String> pub = client.connect()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + ":" + message);
                }
            });
            sub.sync().subscribe("news");
            // RESP3 lifts RESP2's subscribed-mode restriction, as in Redis 7.
            sub.sync().set("k", "v");
            assertEquals("v", sub.sync().get("k"));
            assertEquals(1L, pub.sync().publish("news", "hello"));
            assertEquals("news:hello", got.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void clientSideCacheIsInvalidatedByAnotherClientsWrite() throws Exception {
        try (StatefulRedisConnection<String, String> tracked = connect(ProtocolVersion.RESP3);
             StatefulRedisConnection<String, String> writer = connect(ProtocolVersion.RESP3)) {
            Map<String, String> store = new ConcurrentHashMap<>();
            CacheFrontend<String, String> cache = ClientSideCaching.enable(CacheAccessor.forMap(store), tracked,
                    TrackingArgs.Builder.enabled());
            try {
                writer.sync().set("k", "v1");
                assertEquals("v1", cache.get("k"));
                assertEquals("v1", store.get("k"), "read through the cache");
                writer.sync().set("k", "v2");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (store.containsKey("k") && System.nanoTime() < deadline) Thread.sleep(10);
                assertNull(store.get("k"), "the invalidation push evicted the cached value");
                assertEquals("v2", cache.get("k"));
                assertTrue(tracked.sync().clientInfo().contains(" flags=t "), tracked.sync().clientInfo());
            } finally {
                cache.close();
            }
        }
    }
}
