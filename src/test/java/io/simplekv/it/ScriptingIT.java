package io.simplekv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.ShutdownParams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * EVAL and EVALSHA through Jedis against the real jar, with Redis 7.0.15's replies and error texts (each checked
 * by hand against Debian's redis-server 7.0.15). The server runs with busy-reply-threshold 200 ms so the BUSY and
 * SCRIPT KILL cases take a fraction of a second, not the default five.
 */
class ScriptingIT {
    private static final String BUSY = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    private static final String UNKILLABLE = "UNKILLABLE Sorry the script already executed write commands against the"
            + " dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN"
            + " NOSAVE command.";
    /** Redis's INCR written as a script: a read, then a write of what was read plus one. */
    private static final String GET_THEN_SET = "local v = tonumber(redis.call('GET', KEYS[1]) or '0') + 1\n"
            + "redis.call('SET', KEYS[1], v)\nreturn v";
    private static final String INCR = "return redis.call('INCR', KEYS[1])";

    @TempDir
    static Path dir;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start("--port", "0", "--dir", dir.toString(), "--busy-reply-threshold", "200");
        server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void clean() {
        try (Jedis j = jedis(server)) {
            j.flushAll();
            j.scriptFlush();
        }
    }

    private static Jedis jedis(ServerProcess s) {
        return new Jedis("127.0.0.1", s.port(), 10_000);
    }

    static String sha1(String script) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    @Test
    void evalConvertsLuaValuesAndEvalshaRunsTheScriptEvalCached() throws Exception {
        String script = "redis.call('SET', KEYS[1], ARGV[1])\n"
                + "return {redis.call('GET', KEYS[1]), #KEYS, #ARGV, 3.99, true, false, redis.call('INCR', KEYS[2]),"
                + " {ARGV[2]}, redis.status_reply('FINE')}";
        List<String> keys = List.of("s:key", "s:counter");
        Object reply = jedisEval(script, keys, List.of("value", "nested"));
        // Lua's numbers become integers (3.99 truncated), true becomes 1 and false a nil bulk string, which (unlike
        // Lua's nil) does not end the array.
        assertEquals(Arrays.asList(bytes("value"), 2L, 2L, 3L, 1L, null, 1L, List.of(bytes("nested")), bytes("FINE")),
                normalise(reply));
        try (Jedis j = jedis(server)) {
            // EVAL cached the body under its SHA1, so EVALSHA of that digest runs it without a SCRIPT LOAD.
            Object again = j.evalsha(sha1(script), keys, List.of("second", "x"));
            assertEquals(bytes("second"), normalise(((List<?>) again).get(0)));
            assertEquals(2L, ((List<?>) again).get(6), "the INCR ran a second time");
            assertEquals("second", j.get("s:key"));
            assertNull(j.eval("return nil"));
            String unknown = "return redis.call('NOSUCHCOMMAND')";
            JedisDataException error = assertThrows(JedisDataException.class, () -> j.eval(unknown));
            assertEquals("ERR Unknown Redis command called from script script: " + sha1(unknown) + ", on @user_script:1.",
                    error.getMessage());
            String lpush = "return redis.call('LPUSH', KEYS[1], 'x')";
            JedisDataException wrongType = assertThrows(JedisDataException.class, () -> j.eval(lpush, 1, "s:key"));
            assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value script: " + sha1(lpush)
                    + ", on @user_script:1.", wrongType.getMessage());
        }
    }

    @Test
    void evalshaOfAnUnknownScriptSaysNoscriptUntilScriptLoad() throws Exception {
        String script = "return 'loaded ' .. ARGV[1]";
        String sha = sha1(script);
        try (Jedis j = jedis(server)) {
            JedisNoScriptException missing = assertThrows(JedisNoScriptException.class,
                    () -> j.evalsha(sha, List.of(), List.of("once")));
            assertEquals("NOSCRIPT No matching script. Please use EVAL.", missing.getMessage());
            assertEquals(List.of(false, false), j.scriptExists(sha, sha1("return 1")));
            assertEquals(sha, j.scriptLoad(script));
            assertEquals(List.of(true, false), j.scriptExists(sha, sha1("return 1")));
            assertEquals("loaded once", j.evalsha(sha, List.of(), List.of("once")));
            // The upper-case digest names the same script, as in Redis.
            assertEquals("loaded twice", j.evalsha(sha.toUpperCase(), List.of(), List.of("twice")));
            assertEquals("OK", j.scriptFlush());
            assertThrows(JedisNoScriptException.class, () -> j.evalsha(sha, List.of(), List.of("gone")));
        }
    }

    @Test
    void aScriptInsideMultiExecSeesTheTransactionsEarlierWritesAndIsQueuedLikeAnyCommand() throws Exception {
        String sha;
        try (Jedis j = jedis(server)) {
            sha = j.scriptLoad(GET_THEN_SET);
            Transaction t = j.multi();
            Response<String> set = t.set("m:counter", "41");
            Response<Object> byEval = t.eval(GET_THEN_SET, List.of("m:counter"), List.of());
            Response<Object> bySha = t.evalsha(sha, List.of("m:counter"), List.of());
            Response<Object> incrOfMissing = t.eval(INCR, List.of("m:text"), List.of());
            Response<String> after = t.get("m:counter");
            t.set("m:text", "not a number");
            List<Object> replies = t.exec();
            assertEquals(6, replies.size());
            assertEquals("OK", set.get());
            assertEquals(42L, byEval.get());
            assertEquals(43L, bySha.get());
            // INCR of a missing key inside the script works; the SET after it runs after the script, not before.
            assertEquals(1L, incrOfMissing.get());
            assertEquals("43", after.get());
            assertEquals("not a number", j.get("m:text"));

            // An error inside the script fails that command only; EXEC goes on with the rest.
            Transaction t2 = j.multi();
            t2.eval(INCR, List.of("m:text"), List.of());
            t2.incr("m:counter");
            List<Object> second = t2.exec();
            JedisDataException error = assertInstanceOf(JedisDataException.class, second.get(0));
            assertEquals("ERR value is not an integer or out of range script: " + sha1(INCR) + ", on @user_script:1.",
                    error.getMessage());
            assertEquals(44L, second.get(1));
        }
    }

    @Test
    void aLoopingScriptMakesOthersBusyUntilScriptKillThenTheServerServesOn() throws Exception {
        String loop = "while true do end";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Jedis looping = jedis(server); Jedis other = jedis(server)) {
            other.set("b:key", "before");
            Future<Throwable> first = pool.submit(() -> {
                try {
                    looping.eval(loop);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            JedisBusyException busy = awaitBusy(other);
            assertEquals(BUSY, busy.getMessage());
            assertFalse(first.isDone(), "the loop ended by itself");
            assertEquals("OK", other.scriptKill());
            Throwable killed = first.get(10, TimeUnit.SECONDS);
            assertInstanceOf(JedisDataException.class, killed);
            assertEquals("ERR Script killed by user with SCRIPT KILL... script: " + sha1(loop) + ", on @user_script:1.",
                    killed.getMessage());
            // Both connections, and new ones, are served again; a killed script that never wrote left no trace.
            assertEquals("before", other.get("b:key"));
            assertEquals("PONG", looping.ping());
            assertEquals(1L, looping.incr("b:after"));
            try (Jedis fresh = jedis(server)) {
                assertEquals("1", fresh.get("b:after"));
                JedisDataException noScript = assertThrows(JedisDataException.class, fresh::scriptKill);
                assertEquals("NOTBUSY No scripts in execution right now.", noScript.getMessage());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A reply that went back to its event loop without a wake-up (a script was queued behind it) is not held until
     * that next script ends: the long one's kill hook wakes the loop.
     */
    @Test
    void aShortScriptsReplyDoesNotWaitForTheLongScriptQueuedBehindIt() throws Exception {
        String shortOne = "for i = 1, 30000000 do end return 'short'";
        String longOne = "for i = 1, 3000000000 do end return 'long'";
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Jedis first = jedis(server); Jedis second = jedis(server); Jedis killer = jedis(server)) {
            Future<Object> shortReply = pool.submit(() -> first.eval(shortOne));
            ServerProcess.sleep(20);
            Future<Throwable> longReply = pool.submit(() -> {
                try {
                    return second.eval(longOne) == null ? null : new AssertionError("the long script ran to its end");
                } catch (Throwable e) {
                    return e;
                }
            });
            try {
                // The short loop takes about 0.1 s here; without the hook's wake-up the reply came after 1 s (the
                // loop's next wake-up of its own).
                assertEquals("short", shortReply.get(700, TimeUnit.MILLISECONDS), "the short script's reply, while the long one runs");
                assertFalse(longReply.isDone(), "the long script was not running behind it");
            } finally {
                awaitBusy(killer);
                killer.scriptKill();
            }
            assertInstanceOf(JedisDataException.class, longReply.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Polls with a plain GET until the server answers BUSY; a script past the threshold must make it so. */
    private static JedisBusyException awaitBusy(Jedis j) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                j.get("b:key");
            } catch (JedisBusyException e) {
                return e;
            }
            ServerProcess.sleep(20);
        }
        throw new AssertionError("no BUSY reply within 20 s while a script loops");
    }

    @Test
    void aScriptThatWroteIsUnkillableAndShutdownNosaveStopsTheServer(@TempDir Path ownDir) throws Exception {
        // A server of its own, since this test stops it.
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", ownDir.toString(), "--busy-reply-threshold", "200")) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (Jedis writing = jedis(s); Jedis other = jedis(s)) {
                Future<Throwable> first = pool.submit(() -> {
                    try {
                        writing.eval("redis.call('SET', KEYS[1], 'written') while true do end", 1, "u:key");
                        return null;
                    } catch (Throwable e) {
                        return e;
                    }
                });
                assertEquals(BUSY, awaitBusy(other).getMessage());
                JedisDataException unkillable = assertThrows(JedisDataException.class, other::scriptKill);
                assertEquals(UNKILLABLE, unkillable.getMessage());
                assertFalse(first.isDone(), "the script stopped although it could not be killed");
                assertEquals(BUSY, assertThrows(JedisBusyException.class, () -> other.get("u:key")).getMessage());
                other.shutdown(ShutdownParams.shutdownParams().nosave());
                assertEquals(0, s.awaitExit(20), "the server did not exit after SHUTDOWN NOSAVE:\n" + s.output());
                assertInstanceOf(JedisConnectionException.class, first.get(10, TimeUnit.SECONDS),
                        "the looping script's client should lose its connection");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void concurrentReadModifyWriteScriptsNeverLoseAnUpdate() throws Exception {
        int threads = 8, evalsEach = 300;
        String key = "rmw:counter";
        String sha;
        try (Jedis j = jedis(server)) {
            sha = j.scriptLoad(GET_THEN_SET);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<List<Long>>> runs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            boolean bySha = t % 2 == 0;
            runs.add(CompletableFuture.supplyAsync(() -> {
                List<Long> seen = new ArrayList<>();
                try (Jedis j = jedis(server)) {
                    for (int i = 0; i < evalsEach; i++) {
                        Object v = bySha ? j.evalsha(sha, List.of(key), List.of()) : j.eval(GET_THEN_SET, List.of(key), List.of());
                        seen.add((Long) v);
                    }
                }
                return seen;
            }, pool));
        }
        Set<Long> returned = new HashSet<>();
        try {
            for (CompletableFuture<List<Long>> run : runs) returned.addAll(run.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        int total = threads * evalsEach;
        try (Jedis j = jedis(server)) {
            assertEquals(Integer.toString(total), j.get(key), "lost updates: scripts interleaved");
        }
        // Each script saw its own value: no two read the same count.
        assertEquals(total, returned.size(), "two scripts returned the same count");
    }

    @Test
    void aScriptTouchingAnUndeclaredKeyIsNotInterleavedWithAnotherClientsWrites() throws Exception {
        String key = "undeclared:counter";
        // Reads the key, spins, reads it again: a write landing in between would show as two different reads.
        // The key is named in the body, not in KEYS, so nothing but the script's own unit of work can guard it.
        String script = "local a = redis.call('GET', '" + key + "')\n"
                + "local x = 0 for i = 1, 20000 do x = x + i end\n"
                + "local b = redis.call('GET', '" + key + "')\n"
                + "redis.call('SET', '" + key + "', (tonumber(b) or 0) + 1)\n"
                + "return {tostring(a), tostring(b)}";
        int scriptRuns = 300, incrsEach = 600, writers = 2;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            List<Future<Integer>> incrs = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                incrs.add(pool.submit(() -> {
                    try (Jedis j = jedis(server)) {
                        for (int i = 0; i < incrsEach; i++) j.incr(key);
                    }
                    return incrsEach;
                }));
            }
            Future<List<String>> torn = pool.submit(() -> {
                List<String> differing = new ArrayList<>();
                try (Jedis j = jedis(server)) {
                    for (int i = 0; i < scriptRuns; i++) {
                        List<?> reads = (List<?>) j.eval(script, 0);
                        boolean interleaved = !reads.get(0).equals(reads.get(1));
                        if (interleaved && differing.size() < 10) differing.add(reads.get(0) + " then " + reads.get(1));
                    }
                }
                return differing;
            });
            int incremented = 0;
            for (Future<Integer> f : incrs) incremented += f.get(60, TimeUnit.SECONDS);
            assertEquals(List.of(), torn.get(60, TimeUnit.SECONDS), "another client's INCR landed inside a script");
            try (Jedis j = jedis(server)) {
                assertEquals(Integer.toString(incremented + scriptRuns), j.get(key), "lost updates");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Object jedisEval(String script, List<String> keys, List<String> args) {
        try (Jedis j = jedis(server)) {
            return j.eval(script, keys, args);
        }
    }

    private static List<Byte> bytes(String s) {
        List<Byte> out = new ArrayList<>();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) out.add(b);
        return out;
    }

    /** Jedis hands bulk strings back as byte[] inside lists and as String at top level: both become byte lists. */
    private static Object normalise(Object reply) {
        if (reply instanceof byte[] b) {
            List<Byte> out = new ArrayList<>();
            for (byte x : b) out.add(x);
            return out;
        }
        if (reply instanceof String s) return bytes(s);
        if (reply instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) out.add(normalise(o));
            return out;
        }
        return reply;
    }

    /**
     * A pipeline mixing scripts with plain commands: the scripts behind one another cross to the script thread
     * together, and every reply still comes back in the order the requests were sent.
     */
    @Test
    void pipelinedScriptsAndCommandsReplyInTheOrderSent() {
        try (Jedis j = jedis(server)) {
            var p = j.pipelined();
            List<Response<Object>> evals = new ArrayList<>();
            List<Response<Long>> incrs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                evals.add(p.eval("return {ARGV[1], redis.call('INCR', KEYS[1])}", 1, "seq", Integer.toString(i)));
                if (i % 3 == 0) incrs.add(p.incr("seq"));
            }
            p.sync();
            long expected = 0;
            int incr = 0;
            for (int i = 0; i < 300; i++) {
                List<?> reply = (List<?>) evals.get(i).get();
                assertEquals(Integer.toString(i), reply.get(0));
                assertEquals(++expected, reply.get(1));
                if (i % 3 == 0) assertEquals(++expected, incrs.get(incr++).get());
            }
        }
    }

    /** CLIENT REPLY SKIP and OFF silence a script's reply as they do any other command's. */
    @Test
    void clientReplySkipAndOffSilenceScriptReplies() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            String requests = "CLIENT REPLY SKIP\r\nEVAL \"return 1\" 0\r\nEVAL \"return 2\" 0\r\n"
                    + "CLIENT REPLY OFF\r\nEVAL \"return 3\" 0\r\nEVAL \"return 4\" 0\r\nCLIENT REPLY ON\r\n"
                    + "EVAL \"return 5\" 0\r\n";
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            String expected = ":2\r\n+OK\r\n:5\r\n";
            byte[] got = socket.getInputStream().readNBytes(expected.length());
            assertEquals(expected, new String(got, StandardCharsets.US_ASCII));
        }
    }
}
