package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chronicle engine as a user runs it: every acknowledged write survives kill -9, and the data dir is locked. */
class ChronicleCrashIT {
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;

    private ServerProcess start() throws Exception {
        return ServerProcess.start("--port", "0", "--storage", "chronicle", "--dir", dir.toString());
    }

    @Test
    void everyAcknowledgedSetSurvivesKill9ThreeTimesOver() throws Exception {
        Map<String, String> acked = new ConcurrentHashMap<>();
        for (int round = 0; round < 3; round++) {
            try (ServerProcess s = start()) {
                int port = s.port();
                String out = s.output();
                assertTrue(out.contains("storage chronicle"), out);
                if (round > 0) assertTrue(out.contains("did not shut down cleanly"), out);
                verify(port, acked, round);
                load(s, port, round, acked);
            }
        }
        try (ServerProcess s = start()) {
            verify(s.port(), acked, 3);
        }
    }

    /** Writes from several clients, recording each SET once it is acknowledged, and kills the server meanwhile. */
    private static void load(ServerProcess s, int port, int round, Map<String, String> acked) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    // Half the clients pipeline 16 writes at a time, which the server commits as one batch: a reply
                    // of the batch must not leave before all of it is stored.
                    boolean pipelined = client % 2 == 1;
                    Map<String, String> batch = new java.util.LinkedHashMap<>();
                    for (int i = 0; !stop.get(); i++) {
                        String key = "r" + round + ":c" + client + ":" + i;
                        // Every 100th value is larger than one map entry, so chunked values are in the crash too.
                        String value = i % 100 == 0 ? ("big-" + i + "-").repeat(3000) : "v" + i;
                        if (!pipelined) {
                            j.set(key, value);
                            acked.put(key, value);
                            continue;
                        }
                        batch.put(key, value);
                        if (batch.size() < 16) continue;
                        redis.clients.jedis.Pipeline p = j.pipelined();
                        batch.forEach(p::set);
                        p.sync();
                        acked.putAll(batch);
                        batch.clear();
                    }
                } catch (RuntimeException expected) {
                    // the server was killed under us; writes after the last acknowledged one may or may not be there
                }
            }, "writer-" + c);
            t.start();
            writers.add(t);
        }
        // Kill once enough writes were acknowledged, not after a fixed time: a busy machine acknowledges fewer.
        int before = acked.size();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        ServerProcess.sleep(500);
        while (acked.size() - before < 1500 && System.nanoTime() < deadline) ServerProcess.sleep(20);
        s.kill9();
        stop.set(true);
        for (Thread t : writers) t.join(10_000);
    }

    private static void verify(int port, Map<String, String> acked, int round) {
        List<String> keys = new ArrayList<>(acked.keySet());
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            for (int from = 0; from < keys.size(); from += 500) {
                List<String> batch = keys.subList(from, Math.min(keys.size(), from + 500));
                List<String> got = j.mget(batch.toArray(new String[0]));
                for (int i = 0; i < batch.size(); i++) {
                    assertEquals(acked.get(batch.get(i)), got.get(i), "after restart " + round + ": " + batch.get(i));
                }
            }
            assertTrue(j.dbSize() >= acked.size());
        }
        if (round > 0) assertTrue(acked.size() > round * 1000, "too few writes to mean anything: " + acked.size());
        System.out.println("ChronicleCrashIT: restart " + round + " had all " + acked.size() + " acknowledged writes");
    }

    @Test
    void aSecondServerOnTheSameDirectoryExitsWithOneLineAndCodeOne() throws Exception {
        try (ServerProcess first = start()) {
            int port = first.port();
            try (ServerProcess second = start()) {
                assertEquals(1, second.awaitExit(30));
                String out = second.output().trim();
                assertTrue(out.startsWith("FATAL: data directory ") && out.contains("in use by another simplekv process"), out);
                assertEquals(1, out.lines().count(), out);
            }
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                assertEquals("PONG", j.ping());
                j.set("k", "v");
                try {
                    j.shutdown();
                } catch (Exception expected) {
                    // the server closes the connection without a reply
                }
            }
            assertEquals(0, first.awaitExit(20));
        }
        // After a clean SHUTDOWN the next start is a plain open, not a recovery, and the data is there.
        try (ServerProcess again = start()) {
            assertTrue(!again.output().contains("did not shut down cleanly"), again.output());
            try (Jedis j = new Jedis("127.0.0.1", again.port())) {
                assertEquals("v", j.get("k"));
            }
        }
    }

    /**
     * A big zset's order (its internal tree nodes) is kept only on the heap and rebuilt from the stored leaves at
     * the first use after a restart: after kill -9 its ranks, ranges and further writes must match every
     * acknowledged ZADD and ZREM.
     */
    @Test
    void aBigSortedSetKeepsItsOrderAcrossKill9() throws Exception {
        java.util.TreeMap<String, Double> model = new java.util.TreeMap<>();
        java.util.Random rnd = new java.util.Random(42);
        for (int round = 0; round < 2; round++) {
            try (ServerProcess s = start()) {
                try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                    if (round > 0) assertOrder(j, model, "after kill -9");
                    for (int op = 0; op < 6000; op++) {
                        String m = "member:" + rnd.nextInt(3000);
                        if (rnd.nextInt(5) == 0) {
                            j.zrem("z", m);
                            model.remove(m);
                        } else {
                            double score = rnd.nextInt(2000) / 4.0;
                            j.zadd("z", score, m);
                            model.put(m, score);
                        }
                    }
                    assertEquals("skiplist", j.objectEncoding("z"));
                    assertOrder(j, model, "before the kill");
                }
                s.kill9();
            }
        }
    }

    private static void assertOrder(Jedis j, java.util.TreeMap<String, Double> model, String when) {
        List<Map.Entry<String, Double>> expected = new ArrayList<>(model.entrySet());
        expected.sort(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        List<redis.clients.jedis.resps.Tuple> got = j.zrangeWithScores("z", 0, -1);
        assertEquals(expected.size(), got.size(), when + ": ZCARD");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).getKey(), got.get(i).getElement(), when + ": member at rank " + i);
            assertEquals(expected.get(i).getValue(), got.get(i).getScore(), when + ": score at rank " + i);
        }
        for (int i = 0; i < expected.size(); i += 97) {
            assertEquals(i, j.zrank("z", expected.get(i).getKey()), when + ": ZRANK of " + expected.get(i).getKey());
        }
        double mid = expected.get(expected.size() / 2).getValue();
        long below = expected.stream().filter(e -> e.getValue() < mid).count();
        assertEquals(below, j.zcount("z", "-inf", "(" + mid), when + ": ZCOUNT below " + mid);
    }
}
