package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamPendingEntry;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams on the chronicle engine under kill -9: producers XADD (tiny pages, so appends keep starting new ones)
 * while consumers of one group XREADGROUP and XACK what they got. After each restart every acknowledged XADD is in
 * the stream with its fields, each producer's entries are an unbroken run from its first, no acknowledged XACK is
 * pending again, and the group's pending list agrees with itself and with the stream.
 */
class ChronicleStreamCrashIT {
    private static final int PRODUCERS = 2, CONSUMERS = 2, KILLS = 3, OPS_BEFORE_KILL = 300;
    private static final String STREAM = "crash:stream", GROUP = "g";

    @TempDir
    Path dir;

    /** One producer's XADDs: how many were acknowledged and how many sent (one at most in flight). */
    private static final class Adds {
        volatile int acked, sent;
    }

    /** Entry IDs whose XADD was acknowledged, with the value they carry, and IDs whose XACK answered 1. */
    private final Map<String, String> addedIds = new ConcurrentHashMap<>();
    private final Set<String> ackedIds = ConcurrentHashMap.newKeySet();

    @Test
    void acknowledgedEntriesAndAcksSurviveEachKill9() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ChronicleStreamCrashIT: seed " + seed);
        Random rnd = new Random(seed);
        Adds[] adds = new Adds[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) adds[p] = new Adds();
        for (int round = 0; round <= KILLS; round++) {
            try (ServerProcess s = ServerProcess.start("--port", "0", "--storage", "chronicle", "--dir",
                    dir.toString(), "--stream-node-max-entries", "8")) {
                try (Jedis j = new Jedis("127.0.0.1", s.port(), 10_000)) {
                    if (round == 0) j.xgroupCreate(STREAM, GROUP, new StreamEntryID(), true);
                    verify(j, adds, round);
                }
                if (round == KILLS) break;
                ClientLoops clients = new ClientLoops(s.port());
                for (int p = 0; p < PRODUCERS; p++) {
                    int producer = p;
                    clients.start("producer-" + p, j -> add(j, producer, adds[producer], clients));
                }
                for (int c = 0; c < CONSUMERS; c++) {
                    String consumer = "c" + c;
                    clients.start("consumer-" + c, j -> consume(j, consumer, clients));
                }
                long ms = clients.killAtRandomMoment(s, OPS_BEFORE_KILL, 300, rnd);
                clients.stopAndCheck();
                System.out.println("ChronicleStreamCrashIT: round " + round + " acknowledged "
                        + clients.progress.get() + " XADDs and XACKs in " + ms + " ms, then kill -9");
            }
        }
    }

    private void add(Jedis j, int producer, Adds a, ClientLoops loops) {
        int n = a.acked + 1;
        String value = producer + ":" + n;
        a.sent = n;
        StreamEntryID id = j.xadd(STREAM, StreamEntryID.NEW_ENTRY, Map.of("v", value));
        addedIds.put(id.toString(), value);
        a.acked = n;
        loops.progress.incrementAndGet();
    }

    private void consume(Jedis j, String consumer, ClientLoops loops) {
        var got = j.xreadGroup(GROUP, consumer, XReadGroupParams.xReadGroupParams().count(5).block(100),
                Map.of(STREAM, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        if (got == null) return;
        for (Map.Entry<String, List<StreamEntry>> stream : got) {
            for (StreamEntry e : stream.getValue()) {
                if (j.xack(STREAM, GROUP, e.getID()) == 1) ackedIds.add(e.getID().toString());
                loops.progress.incrementAndGet();
            }
        }
    }

    private void verify(Jedis j, Adds[] adds, int round) {
        String when = round == 0 ? "at the start: " : "after restart " + round + ": ";
        Map<String, String> stream = new HashMap<>();
        for (StreamEntry e : j.xrange(STREAM, "-", "+")) stream.put(e.getID().toString(), e.getFields().get("v"));
        assertEquals(stream.size(), j.xlen(STREAM), when + "XLEN");
        addedIds.forEach((id, value) -> assertEquals(value, stream.get(id), when + "acknowledged XADD " + id));
        for (int p = 0; p < PRODUCERS; p++) {
            int present = 0;
            while (stream.containsValue(p + ":" + (present + 1))) present++;
            assertTrue(present >= adds[p].acked && present <= adds[p].sent,
                    when + "producer " + p + " has " + present + " entries, acknowledged " + adds[p].acked
                            + ", sent " + adds[p].sent);
            for (int later = present + 2; later <= adds[p].sent + 1; later++) {
                assertFalse(stream.containsValue(p + ":" + later), when + "a gap before " + p + ":" + later);
            }
            adds[p].acked = present; // what the stream holds is what the producer goes on from
        }
        List<StreamPendingEntry> pending = j.xpending(STREAM, GROUP,
                XPendingParams.xPendingParams(StreamEntryID.MINIMUM_ID, StreamEntryID.MAXIMUM_ID, 1_000_000));
        for (StreamPendingEntry p : pending) {
            String id = p.getID().toString();
            assertFalse(ackedIds.contains(id), when + "acknowledged XACK of " + id + " is pending again");
            assertTrue(stream.containsKey(id), when + "pending " + id + " is not in the stream");
        }
        StreamGroupInfo group = j.xinfoGroups(STREAM).get(0);
        assertNotNull(group);
        assertEquals(pending.size(), group.getPending(), when + "XINFO GROUPS pending against XPENDING");
        for (StreamPendingEntry p : pending) {
            assertTrue(p.getID().compareTo(group.getLastDeliveredId()) <= 0,
                    when + "pending " + p.getID() + " past the group's last delivered id");
        }
    }
}
