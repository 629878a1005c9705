package io.simplekv.it;

import io.simplekv.support.EngineKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streams through Jedis over TCP, once per engine: producers and consumer groups, blocked readers, XAUTOCLAIM, a big stream. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class StreamsJedisIT {
    @TempDir
    static Path dir;
    static ServersPerEngine servers;

    final int port;

    StreamsJedisIT(EngineKind engine) {
        this.port = servers.port(engine);
    }

    @BeforeAll
    static void start() throws Exception {
        servers = new ServersPerEngine(dir);
    }

    @AfterAll
    static void stop() {
        if (servers != null) servers.close();
    }

    @BeforeEach
    void clean() {
        try (Jedis j = jedis()) {
            j.flushAll();
        }
    }

    Jedis jedis() {
        return new Jedis("127.0.0.1", port, 20_000);
    }

    private static Map<String, StreamEntryID> undelivered(String key) {
        return Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
    }

    /** Three consumers share a group: every entry is delivered exactly once and, once acknowledged, nothing is pending. */
    @Test
    void producerAndConsumersInAGroup() throws Exception {
        int n = 3000;
        try (Jedis j = jedis()) {
            j.xgroupCreate("jobs", "workers", new StreamEntryID(0, 0), true);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?> producer = pool.submit(() -> {
                try (Jedis j = jedis()) {
                    for (int i = 0; i < n; i++) j.xadd("jobs", XAddParams.xAddParams(), Map.of("job", Integer.toString(i)));
                }
            });
            List<Future<Set<String>>> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                String name = "c" + c;
                consumers.add(pool.submit(() -> {
                    Set<String> seen = new HashSet<>();
                    try (Jedis j = jedis()) {
                        while (true) {
                            var got = j.xreadGroup("workers", name, XReadGroupParams.xReadGroupParams().count(50).block(300),
                                    undelivered("jobs"));
                            if (got == null || got.isEmpty()) {
                                if (producer.isDone()) return seen;
                                continue;
                            }
                            for (StreamEntry e : got.get(0).getValue()) {
                                assertTrue(seen.add(e.getFields().get("job")));
                                j.xack("jobs", "workers", e.getID());
                            }
                        }
                    }
                }));
            }
            producer.get(60, TimeUnit.SECONDS);
            Set<String> all = new HashSet<>();
            int total = 0;
            for (Future<Set<String>> f : consumers) {
                Set<String> part = f.get(60, TimeUnit.SECONDS);
                total += part.size();
                all.addAll(part);
            }
            assertEquals(n, total, "each entry delivered once");
            assertEquals(n, all.size());
        } finally {
            pool.shutdownNow();
        }
        try (Jedis j = jedis()) {
            assertEquals(0, j.xpending("jobs", "workers").getTotal());
            assertEquals(n, j.xlen("jobs"));
        }
    }

    /** Several clients blocked in XREADGROUP on one group: each XADD serves one of them, first come first served. */
    @Test
    void blockedReadersAreServedOneEntryEach() throws Exception {
        try (Jedis j = jedis()) {
            j.xgroupCreate("s", "g", StreamEntryID.XGROUP_LAST_ENTRY, true);
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> readers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                String name = "r" + c;
                readers.add(pool.submit(() -> {
                    try (Jedis j = jedis()) {
                        var got = j.xreadGroup("g", name, XReadGroupParams.xReadGroupParams().block(20_000), undelivered("s"));
                        return got.get(0).getValue().get(0).getFields().get("n");
                    }
                }));
            }
            try (Jedis j = jedis()) {
                long deadline = System.currentTimeMillis() + 10_000;
                while (!j.info("clients").contains("blocked_clients:3") && System.currentTimeMillis() < deadline) Thread.sleep(10);
                for (int i = 0; i < 3; i++) j.xadd("s", XAddParams.xAddParams(), Map.of("n", Integer.toString(i)));
            }
            Set<String> served = new HashSet<>();
            for (Future<String> f : readers) served.add(f.get(20, TimeUnit.SECONDS));
            assertEquals(Set.of("0", "1", "2"), served);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A consumer reads and dies without acknowledging: another takes its entries over with XAUTOCLAIM. */
    @Test
    void autoclaimAfterAConsumerDies() throws Exception {
        try (Jedis j = jedis()) {
            j.xgroupCreate("s", "g", new StreamEntryID(0, 0), true);
            for (int i = 1; i <= 5; i++) j.xadd("s", XAddParams.xAddParams().id(new StreamEntryID(i, 0)), Map.of("n", "v" + i));
            try (Jedis dying = jedis()) {
                assertEquals(5, dying.xreadGroup("g", "dead", XReadGroupParams.xReadGroupParams(), undelivered("s"))
                        .get(0).getValue().size());
            }
            Thread.sleep(20);
            Map.Entry<StreamEntryID, List<StreamEntry>> claimed =
                    j.xautoclaim("s", "g", "alive", 10, new StreamEntryID(0, 0), XAutoClaimParams.xAutoClaimParams().count(3));
            assertEquals(new StreamEntryID(4, 0), claimed.getKey());
            assertEquals(3, claimed.getValue().size());
            claimed = j.xautoclaim("s", "g", "alive", 10, claimed.getKey(), XAutoClaimParams.xAutoClaimParams());
            assertEquals(new StreamEntryID(0, 0), claimed.getKey());
            assertEquals(2, claimed.getValue().size());
            assertEquals(Map.of("alive", 5L), j.xpending("s", "g").getConsumerMessageCount());
        }
    }

    /** A 1,000,000-entry stream: reads from either end and the middle, a trim by whole pages, XINFO. */
    @Test
    void aMillionEntries() {
        int n = 1_000_000;
        try (Jedis j = jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 1; i <= n; i++) {
                p.xadd("big", XAddParams.xAddParams().id(new StreamEntryID(i, 0)), Map.of("n", Integer.toString(i)));
                if (i % 10_000 == 0) p.sync();
            }
            p.sync();
            assertEquals(n, j.xlen("big"));
            assertEquals("1", j.xrange("big", "-", "+", 1).get(0).getFields().get("n"));
            assertEquals(Integer.toString(n), j.xrevrange("big", "+", "-", 1).get(0).getFields().get("n"));
            assertEquals("500001", j.xrange("big", "(500000-0", "+", 1).get(0).getFields().get("n"));
            StreamInfo info = j.xinfoStream("big");
            assertEquals(n, info.getLength());
            assertEquals(n / 100, info.getRadixTreeKeys(), "100 entries to a page, as Redis's nodes");
            assertEquals(10_000, j.xtrim("big", 1000, true), "~ stops at 100 pages' worth, as Redis's default LIMIT");
            assertEquals(n - 11_000, j.xtrim("big", 1000, false));
            assertEquals(1000, j.xlen("big"));
            assertEquals(1, j.del("big"));
        }
    }
}
