package io.simplekv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.Redisson;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RLock;
import org.redisson.api.RMap;
import org.redisson.api.RMapCache;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redisson's lock, map, atomic long and map cache against the real jar. Every one of them is Lua underneath, so
 * this is EVAL and EVALSHA as a widely used client library drives them: with Redisson's script cache on (its
 * default: EVALSHA first, SCRIPT LOAD on NOSCRIPT) and off (plain EVAL). What Redisson wrote is read back with
 * Jedis too, so a reply Redisson merely tolerates cannot hide a wrong stored value.
 */
@ParameterizedClass(name = "script cache {0}")
@ValueSource(booleans = {true, false})
class RedissonIT {
    private static final long LEASE_MS = 1_500;

    @TempDir
    static Path dir;
    static ServerProcess server;
    static final Map<Boolean, RedissonClient> clients = new HashMap<>();

    final RedissonClient redisson;
    final boolean scriptCache;

    RedissonIT(boolean scriptCache) {
        this.scriptCache = scriptCache;
        this.redisson = clients.get(scriptCache);
    }

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start("--port", "0", "--dir", dir.toString());
        for (boolean cache : List.of(true, false)) {
            Config config = new Config().setCodec(StringCodec.INSTANCE).setUseScriptCache(cache)
                    .setThreads(2).setNettyThreads(4);
            config.useSingleServer().setAddress("redis://127.0.0.1:" + server.port())
                    .setConnectionMinimumIdleSize(2).setConnectionPoolSize(4)
                    .setSubscriptionConnectionMinimumIdleSize(1).setSubscriptionConnectionPoolSize(2);
            clients.put(cache, Redisson.create(config));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        clients.values().forEach(RedissonClient::shutdown);
        if (server != null) server.close();
    }

    @BeforeEach
    void clean() {
        try (Jedis j = jedis()) {
            j.flushAll();
            j.scriptFlush(); // each test starts with EVALSHA's NOSCRIPT, so the SCRIPT LOAD fallback runs every time
        }
    }

    private static Jedis jedis() {
        return new Jedis("127.0.0.1", server.port(), 10_000);
    }

    private String key(String name) {
        return name + ":" + scriptCache;
    }

    @Test
    void lockIsReentrantExcludesOtherThreadsAndWakesAWaiterOnUnlock() throws Exception {
        String name = key("lock");
        RLock lock = redisson.getLock(name);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            lock.lock();
            lock.lock();
            assertTrue(lock.isHeldByCurrentThread());
            assertEquals(2, lock.getHoldCount());
            try (Jedis j = jedis()) {
                // Redisson's lock is a hash of "<client id>:<thread id>" to the hold count, kept alive by its watchdog.
                Map<String, String> holders = j.hgetAll(name);
                assertEquals(1, holders.size(), holders.toString());
                assertEquals("2", holders.values().iterator().next());
                long ttl = j.pttl(name);
                assertTrue(ttl > 0 && ttl <= 30_000, "PTTL " + ttl);
            }
            assertFalse(other.submit(() -> lock.tryLock(0, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS),
                    "another thread took a held lock");
            lock.unlock();
            assertTrue(lock.isLocked(), "one unlock of two holds released the lock");

            // A waiter blocked in lock() is woken by the PUBLISH in the unlock script, long before any lease ends.
            Future<Long> waited = other.submit(() -> {
                long start = System.nanoTime();
                lock.lock();
                try {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                } finally {
                    lock.unlock();
                }
            });
            ServerProcess.sleep(300);
            assertFalse(waited.isDone(), "the waiter got the lock while it was held");
            lock.unlock();
            long ms = waited.get(10, TimeUnit.SECONDS);
            assertTrue(ms < 5_000, "the waiter was not woken by the unlock: it waited " + ms + " ms");
            assertFalse(lock.isLocked());
            try (Jedis j = jedis()) {
                assertFalse(j.exists(name), "the lock's hash outlived the last unlock");
            }
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void tryLockWithALeaseExpiresByItself() throws Exception {
        String name = key("lease");
        RLock lock = redisson.getLock(name);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            // A lease long enough for the checks below to finish inside it on a loaded machine.
            assertTrue(lock.tryLock(0, LEASE_MS, TimeUnit.MILLISECONDS));
            try (Jedis j = jedis()) {
                long ttl = j.pttl(name);
                assertTrue(ttl > 0 && ttl <= LEASE_MS, "PTTL " + ttl);
            }
            long remaining = lock.remainTimeToLive();
            assertTrue(remaining > 0 && remaining <= LEASE_MS, "remainTimeToLive " + remaining);
            assertFalse(other.submit(() -> lock.tryLock(0, 5_000, TimeUnit.MILLISECONDS)).get(10, TimeUnit.SECONDS));
            // Nobody unlocks: the lease's expiry frees it, and a waiter gets it.
            assertTrue(other.submit(() -> lock.tryLock(5_000, 5_000, TimeUnit.MILLISECONDS)).get(10, TimeUnit.SECONDS),
                    "the lease did not end");
            assertFalse(lock.isHeldByCurrentThread());
            assertTrue(other.submit(() -> {
                lock.unlock();
                return !lock.isLocked();
            }).get(10, TimeUnit.SECONDS));
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void mapPutReturnsThePreviousValueAndStoresAPlainHash() throws Exception {
        String name = key("map");
        RMap<String, String> map = redisson.getMap(name);
        assertNull(map.put("field", "one"));
        assertEquals("one", map.put("field", "two"));
        assertEquals("two", map.get("field"));
        assertNull(map.putIfAbsent("other", "first"));
        assertEquals("first", map.putIfAbsent("other", "second"));
        assertTrue(map.fastPut("third", "3"));
        assertFalse(map.fastPut("third", "three"));
        assertEquals("three", map.remove("third"));
        assertTrue(map.replace("field", "two", "2"));
        assertFalse(map.replace("field", "two", "again"));
        assertEquals(2, map.size());
        try (Jedis j = jedis()) {
            assertEquals(Map.of("field", "2", "other", "first"), j.hgetAll(name));
        }
    }

    @Test
    void atomicLongCompareAndSetSucceedsOnlyFromTheExpectedValue() throws Exception {
        String name = key("atomic");
        RAtomicLong counter = redisson.getAtomicLong(name);
        assertFalse(counter.compareAndSet(1, 2), "CAS from 1 on a missing key");
        assertTrue(counter.compareAndSet(0, 5), "CAS from 0 on a missing key");
        assertTrue(counter.compareAndSet(5, 7));
        assertFalse(counter.compareAndSet(5, 9));
        assertEquals(7, counter.get());
        // CAS loops from several threads: each increment lands exactly once.
        int threads = 4, each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CompletableFuture<?>[] runs = new CompletableFuture<?>[threads];
            for (int t = 0; t < threads; t++) {
                runs[t] = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < each; i++) {
                        long seen;
                        do {
                            seen = counter.get();
                        } while (!counter.compareAndSet(seen, seen + 1));
                    }
                }, pool);
            }
            CompletableFuture.allOf(runs).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(7 + threads * each, counter.get());
        try (Jedis j = jedis()) {
            assertEquals(Long.toString(7 + threads * each), j.get(name));
        }
    }

    /** RMapCache's scripts pack each value with struct.pack('dLc0', ...) and read it back with struct.unpack. */
    @Test
    void mapCacheEntriesWithATtlVanishWhenItEnds() throws Exception {
        String name = key("cache");
        RMapCache<String, String> cache = redisson.getMapCache(name);
        assertNull(cache.put("short", "lived", LEASE_MS, TimeUnit.MILLISECONDS));
        assertNull(cache.put("long", "lived", 60, TimeUnit.SECONDS));
        assertNull(cache.put("forever", "lived"));
        assertEquals("lived", cache.get("short"));
        assertEquals(3, cache.size());
        long ttl = cache.remainTimeToLive("short");
        assertTrue(ttl > 0 && ttl <= LEASE_MS, "remainTimeToLive " + ttl);
        assertEquals("lived", cache.put("long", "updated", 60, TimeUnit.SECONDS));
        ServerProcess.sleep(LEASE_MS + 300);
        assertNull(cache.get("short"), "the entry outlived its TTL");
        assertEquals("updated", cache.get("long"));
        assertEquals("lived", cache.get("forever"));
        assertFalse(cache.containsKey("short"));
    }
}
