package io.simplekv.it;

import io.simplekv.support.EngineKind;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jedis over TCP against a server started in this JVM on a free loopback port, once per storage engine. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class JedisIT {
    @TempDir
    static Path dir;
    static ServersPerEngine servers;

    final int port;

    JedisIT(EngineKind engine) {
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
            j.configSet("maxclients", "10000");
            j.configSet("timeout", "0");
        }
    }

    Jedis jedis() {
        return new Jedis("127.0.0.1", port, 10_000);
    }

    @Test
    void basicCommands() {
        try (Jedis j = jedis()) {
            assertEquals("PONG", j.ping());
            assertEquals("OK", j.set("k", "v"));
            assertEquals("v", j.get("k"));
            assertNull(j.get("missing"));
            assertEquals("OK", j.set("t", "v", SetParams.setParams().ex(100)));
            assertEquals(100, j.ttl("t"));
            assertEquals(3, j.incrBy("n", 3));
            assertEquals(List.of("v", "3"), j.mget("k", "n"));
            assertEquals(3, j.dbSize());
            assertEquals("string", j.type("k"));
        }
    }

    @Test
    void errorsComeBackAsRedisErrors() {
        try (Jedis j = jedis()) {
            j.set("s", "abc");
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.incr("s"));
            assertEquals("ERR value is not an integer or out of range", e.getMessage());
            e = assertThrows(JedisDataException.class, () -> j.sendCommand(() -> "NOSUCH".getBytes(), "a"));
            assertEquals("ERR unknown command 'NOSUCH', with args beginning with: 'a' ", e.getMessage());
            assertEquals("PONG", j.ping());
        }
    }

    @Test
    void pipelinedCommandsAnswerInOrder() {
        try (Jedis j = jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 1000; i++) p.set("p" + i, Integer.toString(i));
            for (int i = 0; i < 1000; i++) p.get("p" + i);
            List<Object> replies = p.syncAndReturnAll();
            assertEquals(2000, replies.size());
            for (int i = 0; i < 1000; i++) assertEquals(Integer.toString(i), replies.get(1000 + i));
        }
    }

    @Test
    void concurrentIncrementsAreAtomic() throws Exception {
        int clients = 8, perClient = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                try (Jedis j = jedis()) {
                    Pipeline p = j.pipelined();
                    for (int i = 0; i < perClient; i++) p.incr("counter");
                    p.sync();
                }
            }));
        }
        for (Future<?> f : done) f.get();
        pool.shutdown();
        try (Jedis j = jedis()) {
            assertEquals(Integer.toString(clients * perClient), j.get("counter"));
        }
    }

    @Test
    void msetIsNeverSeenHalfWritten() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger torn = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            tasks.add(pool.submit(() -> {
                try (Jedis j = jedis()) {
                    for (int i = 0; i < 3000; i++) {
                        String v = writer + ":" + i;
                        j.mset("a", v, "b", v, "c", v, "d", v);
                    }
                }
            }));
        }
        for (int r = 0; r < 2; r++) {
            pool.submit(() -> {
                try (Jedis j = jedis()) {
                    while (!stop.get()) {
                        List<String> vs = j.mget("a", "b", "c", "d");
                        reads.incrementAndGet();
                        if (vs.get(0) != null && !(vs.get(0).equals(vs.get(1)) && vs.get(1).equals(vs.get(2))
                                && vs.get(2).equals(vs.get(3)))) {
                            torn.incrementAndGet();
                        }
                    }
                }
            });
        }
        for (Future<?> t : tasks) t.get();
        stop.set(true);
        pool.shutdown();
        pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(reads.get() > 100, "readers ran " + reads.get() + " times");
        assertEquals(0, torn.get());
    }

    /** Sends a request (none if empty) and reads until the server closes the connection. */
    private String rawExchange(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void malformedRequestClosesOnlyThatConnection() throws Exception {
        try (Jedis good = jedis()) {
            good.set("safe", "1");
            assertEquals("-ERR Protocol error: invalid bulk length\r\n", rawExchange("*2\r\n$3\r\nGET\r\n$x\r\n"));
            assertEquals("+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n", rawExchange("PING\r\n*x\r\n"));
            assertEquals("1", good.get("safe"));
        }
    }

    @Test
    void bulkLongerThanTheLimitIsRefused() throws Exception {
        try (Jedis j = jedis()) {
            j.configSet("proto-max-bulk-len", "1048576");
            try {
                assertEquals("-ERR Protocol error: invalid bulk length\r\n",
                        rawExchange("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n"));
            } finally {
                j.configSet("proto-max-bulk-len", "536870912");
            }
            assertEquals("PONG", j.ping());
        }
    }

    @Test
    void halfACommandThenDisconnectLeavesNoTrace() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write("*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$10\r\nabc".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        }
        try (Jedis j = jedis()) {
            assertNull(j.get("half"));
            assertEquals("PONG", j.ping());
        }
    }

    @Test
    void maxclientsRefusesTheNextClient() throws Exception {
        try (Jedis admin = jedis()) {
            admin.configSet("maxclients", "1");
            // Like redis-server, the refusal is sent on accept; the client reads it before sending anything.
            assertEquals("-ERR max number of clients reached\r\n", rawExchange(""));
            admin.configSet("maxclients", "10000");
            assertEquals("PONG", admin.ping());
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws Exception {
        try (Jedis admin = jedis(); Socket idle = new Socket("127.0.0.1", port)) {
            admin.configSet("timeout", "1");
            idle.setSoTimeout(5000);
            long start = System.nanoTime();
            assertEquals(-1, idle.getInputStream().read(), "server should close the idle connection");
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 900 && waited < 4000, "closed after " + waited + " ms");
        }
        try (Jedis fresh = jedis()) {
            fresh.configSet("timeout", "0"); // the admin connection above sat idle too and was closed
        }
    }

    @Test
    void selectIsolatesDatabases() {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            a.select(1);
            a.set("k", "one");
            assertNull(b.get("k"));
            b.select(1);
            assertEquals("one", b.get("k"));
        }
    }

    /** The classic optimistic-locking loop: with WATCH no increment is lost, however the clients interleave. */
    @Test
    void watchMultiExecIncrementsNeverLoseUpdates() throws Exception {
        int clients = 8, each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger retries = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                try (Jedis j = jedis()) {
                    for (int i = 0; i < each; ) {
                        j.watch("optimistic");
                        String v = j.get("optimistic");
                        redis.clients.jedis.Transaction tx = j.multi();
                        tx.set("optimistic", Integer.toString(v == null ? 1 : Integer.parseInt(v) + 1));
                        if (tx.exec() != null) i++;
                        else retries.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> f : done) f.get();
        pool.shutdown();
        try (Jedis j = jedis()) {
            assertEquals(Integer.toString(clients * each), j.get("optimistic"));
        }
        assertTrue(retries.get() > 0, "the clients never raced; the test proved nothing");
    }
}
