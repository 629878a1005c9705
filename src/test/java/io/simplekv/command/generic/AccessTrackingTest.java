package io.simplekv.command.generic;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OBJECT IDLETIME and FREQ, which commands count as an access (Redis's LOOKUP_NOTOUCH ones do not), RESTORE's
 * IDLETIME and FREQ, and the LRU and LFU eviction policies ranking their sample by them. The memory engine keeps
 * the access field; Chronicle keeps none (a read would have to write), so there every key reads as just used.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class AccessTrackingTest extends ServerTestBase {
    private static final String NOT_LRU = error("ERR An LRU maxmemory policy is not selected, access time not "
            + "tracked. Please note that when switching between policies at runtime LRU and LFU data will take some "
            + "time to adjust.");
    private static final String NOT_LFU = error("ERR An LFU maxmemory policy is not selected, access frequency not "
            + "tracked. Please note that when switching between policies at runtime LRU and LFU data will take some "
            + "time to adjust.");

    private boolean tracked() {
        return engine == EngineKind.MEMORY;
    }

    /** Sets key's access field: RESTOREd over itself with IDLETIME or FREQ (and a TTL, when ttlMillis > 0). */
    private void age(String key, String option, long value, long ttlMillis) {
        byte[] payload = payloadOf(r.call("DUMP", key));
        assertEquals(OK, r.call(b("RESTORE"), b(key), b(Long.toString(ttlMillis)), payload, b("REPLACE"), b(option),
                b(Long.toString(value))));
    }

    private void age(String key, String option, long value) {
        age(key, option, value, 0);
    }

    @Test
    void readsAndWritesAccessAKeyButTheInspectingCommandsDoNot() {
        r.call("SET", "k", "v");
        age("k", "IDLETIME", 1000);
        String aged = tracked() ? integer(1000) : integer(0);
        assertEquals(aged, r.call("OBJECT", "IDLETIME", "k"));
        for (String[] quiet : new String[][] {{"TYPE", "k"}, {"EXISTS", "k"}, {"TTL", "k"}, {"PTTL", "k"},
                {"EXPIRETIME", "k"}, {"OBJECT", "ENCODING", "k"}, {"OBJECT", "REFCOUNT", "k"}, {"SCAN", "0", "TYPE", "string"},
                {"KEYS", "*"}, {"RANDOMKEY"}, {"DEBUG", "OBJECT", "k"}}) {
            r.call(quiet);
            assertEquals(aged, r.call("OBJECT", "IDLETIME", "k"), String.join(" ", quiet) + " does not touch");
        }
        r.call("GET", "k");
        assertEquals(integer(0), r.call("OBJECT", "IDLETIME", "k"), "GET touches");
        age("k", "IDLETIME", 50);
        r.call("TOUCH", "k");
        assertEquals(integer(0), r.call("OBJECT", "IDLETIME", "k"), "TOUCH touches");
        age("k", "IDLETIME", 50);
        r.call("APPEND", "k", "x");
        assertEquals(integer(0), r.call("OBJECT", "IDLETIME", "k"), "a write touches");
        age("k", "IDLETIME", 70);
        r.call("RENAME", "k", "k2");
        assertEquals(integer(0), r.call("OBJECT", "IDLETIME", "k2"), "RENAME's lookup is a write lookup: it touches");
    }

    @Test
    void idletimeAndFreqAnswerOnlyUnderTheirPolicies() {
        r.call("SET", "k", "v");
        assertEquals(NOT_LFU, r.call("OBJECT", "FREQ", "k"));
        r.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        try {
            assertEquals(NOT_LRU, r.call("OBJECT", "IDLETIME", "k"));
            age("k", "FREQ", 42);
            assertEquals(tracked() ? integer(42) : integer(0), r.call("OBJECT", "FREQ", "k"));
            for (int i = 0; i < 20; i++) r.call("GET", "k");
            long freq = Long.parseLong(r.call("OBJECT", "FREQ", "k").substring(1).trim());
            if (tracked()) assertTrue(freq >= 42 && freq < 60, "GETs count, logarithmically: " + freq);
            r.call("RENAME", "k", "k2");
            long renamed = Long.parseLong(r.call("OBJECT", "FREQ", "k2").substring(1).trim());
            if (tracked()) assertTrue(renamed >= freq && renamed <= freq + 1, "the counter moves with the value");
            r.call("SET", "fresh", "v");
            assertEquals(tracked() ? integer(5) : integer(0), r.call("OBJECT", "FREQ", "fresh"), "LFU_INIT_VAL");
        } finally {
            r.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
    }

    @Test
    void lruEvictionTakesTheIdlestAndLfuTheLeastUsedKeysFirst() {
        for (String policy : new String[] {"allkeys-lru", "allkeys-lfu", "volatile-lru"}) {
            r.call("FLUSHALL");
            boolean lfu = policy.endsWith("lfu");
            for (String k : new String[] {"a", "b", "c", "d"}) r.call("SET", k, "v", "EX", "1000");
            r.call("CONFIG", "SET", "maxmemory-policy", policy);
            // d is the coldest, then c, b, a; every key gets sampled (64 draws from 4 keys). The TTL comes with
            // the RESTORE: an EXPIRE afterwards would be a write, and so an access.
            int n = 0;
            for (String k : new String[] {"d", "c", "b", "a"}) {
                age(k, lfu ? "FREQ" : "IDLETIME", lfu ? n : 10_000 - 1000L * n, 1_000_000);
                n++;
            }
            r.call("CONFIG", "SET", "maxmemory-samples", "64");
            try (Wire subscriber = server.connect()) {
                r.call("CONFIG", "SET", "notify-keyspace-events", "Ee");
                subscriber.call("SUBSCRIBE", "__keyevent@0__:evicted");
                r.call("CONFIG", "SET", "maxmemory", "1");
                r.call("PING");
                r.call("CONFIG", "SET", "maxmemory", "0");
                String events = subscriber.received();
                StringBuilder order = new StringBuilder();
                for (String line : events.split("\r\n")) if (line.length() == 1) order.append(line);
                assertEquals(4, order.length(), events);
                if (tracked()) assertEquals("dcba", order.toString(), policy + ": " + events);
            } finally {
                r.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
                r.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The payload of a DUMP reply ($len CRLF bytes CRLF), as raw bytes. */
    private static byte[] payloadOf(String reply) {
        int start = reply.indexOf("\r\n") + 2;
        return reply.substring(start, reply.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
    }
}
