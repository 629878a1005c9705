package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.resps.Tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MULTI/EXEC on the chronicle engine is all or nothing under kill -9. Each client's EXEC number n touches four paged
 * collections at once: it moves one element between two big lists (a to b when n is odd, back when even), counts
 * itself in a big hash (HINCRBY) and a big zset (ZINCRBY), and adds its own id to a big set. After each restart
 * the hash says how many of a client's EXECs were applied, k, and everything else must agree with exactly k: the
 * zset score, the set's ids 1..k and nothing past them, the lists' lengths (b holds one more per client with an
 * odd k), and k itself lies between the EXECs acknowledged and those sent (one at most in flight per client).
 */
class ChronicleExecCrashIT {
    private static final int CLIENTS = 4;
    private static final int KILLS = 6;
    private static final int EXECS_BEFORE_KILL = 200;
    private static final int LIST_ELEMENTS = 300, HASH_FILLERS = 200, ZSET_FILLERS = 200, SET_FILLERS = 600;
    private static final String LIST_A = "x:list:a", LIST_B = "x:list:b", HASH = "x:hash", ZSET = "x:zset", SET = "x:set";

    @TempDir
    Path dir;

    /** What one client knows of its EXECs: how many were acknowledged, and how many were sent (one more in flight). */
    private static final class Execs {
        volatile int acked, sent;
    }

    @Test
    void everyExecIsWholeOrAbsentAfterEachKill9() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ChronicleExecCrashIT: seed " + seed);
        Random rnd = new Random(seed);
        Execs[] execs = new Execs[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) execs[c] = new Execs();
        int inFlight = 0;
        for (int round = 0; round <= KILLS; round++) {
            try (ServerProcess s = start()) {
                String out = s.output();
                if (round > 0) assertTrue(out.contains("did not shut down cleanly"), out);
                if (out.contains("recovering chronicle maps")) inFlight++;
                try (Jedis j = jedis(s.port())) {
                    if (round == 0) seed(j);
                    verify(j, execs, round);
                }
                if (round == KILLS) break;
                ClientLoops clients = new ClientLoops(s.port());
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    Random own = new Random(rnd.nextLong());
                    clients.start("exec-client-" + c, j -> exec(j, client, execs[client], own, clients));
                }
                long ms = clients.killAtRandomMoment(s, EXECS_BEFORE_KILL, 300, rnd);
                clients.stopAndCheck();
                long done = clients.progress.get();
                assertTrue(done >= EXECS_BEFORE_KILL, "too few EXECs to mean anything: " + done);
                System.out.println("ChronicleExecCrashIT: round " + round + " acknowledged " + done + " EXECs in "
                        + ms + " ms, then kill -9");
            }
        }
        System.out.println("ChronicleExecCrashIT: " + inFlight + " of " + KILLS + " kills landed inside a map operation");
    }

    private ServerProcess start() throws Exception {
        return ServerProcess.start("--port", "0", "--storage", "chronicle", "--dir", dir.toString());
    }

    private static Jedis jedis(int port) {
        return new Jedis("127.0.0.1", port, 10_000);
    }

    /** Collections big enough to be paged, each element and field unique so a lost or doubled one shows. */
    private static void seed(Jedis j) {
        String[] a = new String[LIST_ELEMENTS], b = new String[LIST_ELEMENTS];
        for (int i = 0; i < LIST_ELEMENTS; i++) {
            a[i] = "a" + i;
            b[i] = "b" + i;
        }
        j.rpush(LIST_A, a);
        j.rpush(LIST_B, b);
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < HASH_FILLERS; i++) fields.put("filler:" + i, "v" + i);
        j.hset(HASH, fields);
        Map<String, Double> members = new HashMap<>();
        for (int i = 0; i < ZSET_FILLERS; i++) members.put("filler:" + i, (double) i);
        j.zadd(ZSET, members);
        String[] setFillers = new String[SET_FILLERS];
        for (int i = 0; i < SET_FILLERS; i++) setFillers[i] = "filler:" + i;
        j.sadd(SET, setFillers);
        // The point is the paged forms: several records per collection that one EXEC must change together. (Lists
        // past 128 elements are paged; OBJECT ENCODING says quicklist for every list, as Redis 7.0 does.)
        assertEquals("hashtable", j.objectEncoding(HASH));
        assertEquals("skiplist", j.objectEncoding(ZSET));
        assertEquals("hashtable", j.objectEncoding(SET));
    }

    /** The client's next EXEC; its replies must say it is that client's EXEC number n in every collection. */
    private static void exec(Jedis j, int client, Execs e, Random rnd, ClientLoops loops) {
        int n = e.acked + 1;
        boolean aToB = n % 2 == 1;
        ListDirection from = rnd.nextBoolean() ? ListDirection.LEFT : ListDirection.RIGHT;
        ListDirection to = rnd.nextBoolean() ? ListDirection.LEFT : ListDirection.RIGHT;
        String counter = "execs:" + client;
        Transaction t = j.multi();
        Response<String> moved = t.lmove(aToB ? LIST_A : LIST_B, aToB ? LIST_B : LIST_A, from, to);
        Response<Long> hashCount = t.hincrBy(HASH, counter, 1);
        Response<Double> zsetCount = t.zincrby(ZSET, 1, counter);
        Response<Long> added = t.sadd(SET, client + ":" + n);
        e.sent = n;
        List<Object> replies = t.exec();
        assertNotNull(replies, "EXEC aborted");
        assertNotNull(moved.get(), "a big list ran empty");
        assertEquals(n, hashCount.get(), "HINCRBY of " + counter);
        assertEquals(n, zsetCount.get(), "ZINCRBY of " + counter);
        assertEquals(1L, added.get(), "SADD of " + client + ":" + n);
        e.acked = n;
        loops.progress.incrementAndGet();
    }

    /** Every collection agrees with the hash's count of each client's applied EXECs, and that count is plausible. */
    private static void verify(Jedis j, Execs[] execs, int round) {
        String when = round == 0 ? "after seeding: " : "after restart " + round + ": ";
        Map<String, String> expectedHash = new HashMap<>();
        for (int i = 0; i < HASH_FILLERS; i++) expectedHash.put("filler:" + i, "v" + i);
        Map<String, Double> expectedZset = new HashMap<>();
        for (int i = 0; i < ZSET_FILLERS; i++) expectedZset.put("filler:" + i, (double) i);
        Set<String> expectedSet = new HashSet<>();
        for (int i = 0; i < SET_FILLERS; i++) expectedSet.add("filler:" + i);
        long oddClients = 0;
        for (int c = 0; c < execs.length; c++) {
            String counter = "execs:" + c;
            String stored = j.hget(HASH, counter);
            int k = stored == null ? 0 : Integer.parseInt(stored);
            Execs e = execs[c];
            assertTrue(e.acked <= k && k <= e.sent, when + "client " + c + " has " + k + " EXECs applied, but "
                    + e.acked + " were acknowledged and " + e.sent + " sent");
            if (k > 0) {
                expectedHash.put(counter, Integer.toString(k));
                expectedZset.put(counter, (double) k);
            }
            for (int n = 1; n <= k; n++) expectedSet.add(c + ":" + n);
            if (k % 2 == 1) oddClients++;
            e.acked = k; // the in-flight EXEC, if applied, counts as done from here on
            e.sent = k;
        }
        Differences.assertSameElements(expectedHash.entrySet(), j.hgetAll(HASH).entrySet(), when + "the hash's fields");
        assertEquals(expectedHash.size(), j.hlen(HASH), when + "HLEN");
        List<Tuple> ranked = j.zrangeWithScores(ZSET, 0, -1);
        Map<String, Double> zset = new HashMap<>();
        for (Tuple t : ranked) zset.put(t.getElement(), t.getScore());
        Differences.assertSameElements(expectedZset.entrySet(), zset.entrySet(), when + "the zset's members");
        assertEquals(expectedZset.size(), ranked.size(), when + "a zset member twice in ZRANGE");
        assertEquals(expectedZset.size(), j.zcard(ZSET), when + "ZCARD");
        List<Tuple> sorted = new ArrayList<>(ranked);
        sorted.sort(null); // Tuple orders as Redis does: by score, then by member
        assertEquals(sorted, ranked, when + "the zset's order");
        for (int c = 0; c < execs.length; c++) {
            assertEquals(expectedZset.get("execs:" + c), j.zscore(ZSET, "execs:" + c), when + "ZSCORE execs:" + c);
        }
        Differences.assertSameElements(expectedSet, j.smembers(SET), when + "the set's members");
        assertEquals(expectedSet.size(), j.scard(SET), when + "SCARD");

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
