package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Lua script on the chronicle engine is all or nothing under kill -9. Each client's script number n writes, in
 * one EVALSHA: one element moved between two big lists (a to b when n is odd, back when even), a log entry "c:n"
 * pushed onto a big shared list, a field "c:n" and fifty HINCRBYs of a spin field in a big hash, a per-client
 * count in that hash, and last the client's counter key. After each restart the counter says how many of the
 * client's scripts were applied, k, and everything else must agree with exactly k: the hash's count and fields
 * c:1..c:k and nothing past them, the spin field at 50k, the log holding c:1..c:k in order, the lists' lengths (b
 * holds one more per client with an odd k), and k itself lies between the scripts acknowledged and those sent.
 * The scripts are cached only in memory, as in Redis, so each restart's first EVALSHA answers NOSCRIPT and the
 * client falls back to EVAL, as client libraries do.
 */
class ScriptingCrashIT {
    private static final int CLIENTS = 4;
    private static final int KILLS = 4;
    private static final int SCRIPTS_BEFORE_KILL = 150;
    private static final int LIST_ELEMENTS = 200, LOG_FILLERS = 200, HASH_FILLERS = 200, SPINS = 50;
    private static final String LIST_A = "s:list:a", LIST_B = "s:list:b", LOG = "s:log", HASH = "s:hash";

    /**
     * KEYS: the client's counter, list a, list b, the hash, the log. ARGV: client, n, LMOVE's two directions. The
     * check of n comes before any write, so a client out of step gets an error and no write.
     */
    static final String SCRIPT = """
            local c, n = ARGV[1], tonumber(ARGV[2])
            local before = tonumber(redis.call('GET', KEYS[1]) or '0')
            if before ~= n - 1 then
              return redis.error_reply('client ' .. c .. ' has applied ' .. before .. ', not ' .. (n - 1))
            end
            local from, to = KEYS[2], KEYS[3]
            if n % 2 == 0 then from, to = KEYS[3], KEYS[2] end
            local moved = redis.call('LMOVE', from, to, ARGV[3], ARGV[4])
            redis.call('RPUSH', KEYS[5], c .. ':' .. n)
            redis.call('HSET', KEYS[4], c .. ':' .. n, moved)
            for i = 1, SPINS do redis.call('HINCRBY', KEYS[4], 'spin:' .. c, 1) end
            redis.call('HINCRBY', KEYS[4], 'scripts:' .. c, 1)
            redis.call('SET', KEYS[1], n)
            return {n, moved}
            """.replace("SPINS", Integer.toString(SPINS));

    @TempDir
    Path dir;

    /** What one client knows of its scripts: how many were acknowledged, and how many were sent (up to 8 more in flight). */
    private static final class Scripts {
        volatile int acked, sent;
    }

    @Test
    void everyScriptIsWholeOrAbsentAfterEachKill9() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ScriptingCrashIT: seed " + seed);
        Random rnd = new Random(seed);
        String sha = ScriptingIT.sha1(SCRIPT);
        Scripts[] scripts = new Scripts[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) scripts[c] = new Scripts();
        int inFlight = 0;
        for (int round = 0; round <= KILLS; round++) {
            try (ServerProcess s = start()) {
                String out = s.output();
                if (round > 0) assertTrue(out.contains("did not shut down cleanly"), out);
                if (out.contains("recovering chronicle maps")) inFlight++;
                try (Jedis j = jedis(s.port())) {
                    if (round == 0) seed(j);
                    verify(j, scripts, round);
                }
                if (round == KILLS) break;
                ClientLoops clients = new ClientLoops(s.port());
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    Random own = new Random(rnd.nextLong());
                    clients.start("script-client-" + c, j -> run(j, sha, client, scripts[client], own, clients));
                }
                long ms = clients.killAtRandomMoment(s, SCRIPTS_BEFORE_KILL, 300, rnd);
                clients.stopAndCheck();
                long done = clients.progress.get();
                assertTrue(done >= SCRIPTS_BEFORE_KILL, "too few scripts to mean anything: " + done);
                System.out.println("ScriptingCrashIT: round " + round + " acknowledged " + done + " scripts in "
                        + ms + " ms, then kill -9");
            }
        }
        System.out.println("ScriptingCrashIT: " + inFlight + " of " + KILLS + " kills landed inside a map operation");
    }

    private ServerProcess start() throws Exception {
        return ServerProcess.start("--port", "0", "--storage", "chronicle", "--dir", dir.toString());
    }

    private static Jedis jedis(int port) {
        return new Jedis("127.0.0.1", port, 10_000);
    }

    /** Collections big enough to be paged (lists past 128 elements, a hash past 128 fields), each member unique. */
    private static void seed(Jedis j) {
        String[] a = new String[LIST_ELEMENTS], b = new String[LIST_ELEMENTS], log = new String[LOG_FILLERS];
        for (int i = 0; i < LIST_ELEMENTS; i++) {
            a[i] = "a" + i;
            b[i] = "b" + i;
        }
        for (int i = 0; i < LOG_FILLERS; i++) log[i] = "filler:" + i;
        j.rpush(LIST_A, a);
        j.rpush(LIST_B, b);
        j.rpush(LOG, log);
        j.hset(HASH, fillers());
        assertEquals("hashtable", j.objectEncoding(HASH));
    }

    private static Map<String, String> fillers() {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < HASH_FILLERS; i++) fields.put("filler:" + i, "v" + i);
        return fields;
    }

    /**
     * The client's next script, by EVALSHA, or EVAL once the restarted server has forgotten it; or, every other
     * time, its next few scripts by EVAL in one pipeline, which the server runs as one hand-off and, on chronicle,
     * stores with one commit.
     */
    private static void run(Jedis j, String sha, int client, Scripts s, Random rnd, ClientLoops loops) {
        int n = s.acked + 1;
        List<String> keys = List.of("s:count:" + client, LIST_A, LIST_B, HASH, LOG);
        if (rnd.nextBoolean()) {
            runPipelined(j, client, s, rnd, loops, n, keys);
            return;
        }
        List<String> args = List.of(Integer.toString(client), Integer.toString(n), side(rnd), side(rnd));
        s.sent = n;
        Object reply;
        try {
            reply = j.evalsha(sha, keys, args);
        } catch (JedisNoScriptException forgotten) {
            reply = j.eval(SCRIPT, keys, args);
        }
        List<?> values = (List<?>) reply;
        assertEquals((long) n, values.get(0), "the script's count for client " + client);
        assertNotNull(values.get(1), "a big list ran empty");
        s.acked = n;
        loops.progress.incrementAndGet();
    }

    private static void runPipelined(Jedis j, int client, Scripts s, Random rnd, ClientLoops loops, int n, List<String> keys) {
        int batch = 2 + rnd.nextInt(7);
        s.sent = n + batch - 1;
        Pipeline p = j.pipelined();
        List<Response<Object>> replies = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            replies.add(p.eval(SCRIPT, keys, List.of(Integer.toString(client), Integer.toString(n + i), side(rnd), side(rnd))));
        }
        p.sync();
        for (int i = 0; i < batch; i++) {
            List<?> values = (List<?>) replies.get(i).get();
            assertEquals((long) (n + i), values.get(0), "the script's count for client " + client);
            assertNotNull(values.get(1), "a big list ran empty");
        }
        s.acked = n + batch - 1;
        loops.progress.addAndGet(batch);
    }

    private static String side(Random rnd) {
        return rnd.nextBoolean() ? "LEFT" : "RIGHT";
    }

    /** Every collection agrees with each client's counter of applied scripts, and that counter is plausible. */
    private static void verify(Jedis j, Scripts[] scripts, int round) {
        String when = round == 0 ? "after seeding: " : "after restart " + round + ": ";
        Map<String, String> expectedHash = fillers();
        List<String> expectedLog = new ArrayList<>();
        for (int i = 0; i < LOG_FILLERS; i++) expectedLog.add("filler:" + i);
        Map<Integer, Integer> applied = new HashMap<>();
        long oddClients = 0;
        for (int c = 0; c < scripts.length; c++) {
            String stored = j.get("s:count:" + c);
            int k = stored == null ? 0 : Integer.parseInt(stored);
            Scripts s = scripts[c];
            assertTrue(s.acked <= k && k <= s.sent, when + "client " + c + " has " + k + " scripts applied, but "
                    + s.acked + " were acknowledged and " + s.sent + " sent");
            applied.put(c, k);
            if (k % 2 == 1) oddClients++;
            s.acked = k; // the in-flight script, if applied, counts as done from here on
            s.sent = k;
        }
        Map<String, String> hash = j.hgetAll(HASH);
        for (int c = 0; c < scripts.length; c++) {
            int k = applied.get(c);
            if (k > 0) {
                expectedHash.put("scripts:" + c, Integer.toString(k));
                expectedHash.put("spin:" + c, Integer.toString(SPINS * k));
            }
            // The moved element is whatever LMOVE found at a random end: any value of a list element will do.
            for (int n = 1; n <= k; n++) expectedHash.put(c + ":" + n, hash.getOrDefault(c + ":" + n, "(missing)"));
        }
        Differences.assertSameElements(expectedHash.entrySet(), hash.entrySet(), when + "the hash's fields");
        assertEquals(expectedHash.size(), j.hlen(HASH), when + "HLEN");
        for (int c = 0; c < scripts.length; c++) {
            for (int n = 1; n <= applied.get(c); n++) {
                assertTrue(hash.get(c + ":" + n).matches("[ab]\\d+"), when + "field " + c + ":" + n + " holds "
                        + hash.get(c + ":" + n));
            }
        }

        List<String> log = ListChecks.readWhole(j, LOG, when);
        assertEquals(expectedLog, log.subList(0, Math.min(LOG_FILLERS, log.size())), when + "the log's fillers");
        Map<Integer, List<String>> perClient = new HashMap<>();
        for (String entry : log.subList(LOG_FILLERS, log.size())) {
            int client = Integer.parseInt(entry.substring(0, entry.indexOf(':')));
            perClient.computeIfAbsent(client, x -> new ArrayList<>()).add(entry);
        }
        for (int c = 0; c < scripts.length; c++) {
            List<String> expected = new ArrayList<>();
            for (int n = 1; n <= applied.get(c); n++) expected.add(c + ":" + n);
            assertEquals(expected, perClient.getOrDefault(c, List.of()), when + "client " + c + "'s log entries");
        }

        List<String> a = ListChecks.readWhole(j, LIST_A, when);
        List<String> b = ListChecks.readWhole(j, LIST_B, when);
        assertEquals(LIST_ELEMENTS + oddClients, b.size(), when + "b holds one element more per client with an odd count");
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        List<String> expectedElements = new ArrayList<>();
        for (int i = 0; i < LIST_ELEMENTS; i++) {
            expectedElements.add("a" + i);
            expectedElements.add("b" + i);
        }
        Differences.assertSameElements(expectedElements, all, when + "each element in exactly one list");
    }
}
