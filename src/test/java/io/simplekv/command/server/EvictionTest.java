package io.simplekv.command.server;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxmemory, as Redis's processCommand and performEvictions apply it: with a limit below what is in use (1 byte),
 * noeviction refuses what may grow the dataset and lets everything else run; an eviction policy deletes keys (with
 * their `evicted` events) instead.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class EvictionTest extends ServerTestBase {
    private static final String OOM = error("OOM command not allowed when used memory > 'maxmemory'.");

    @AfterEach
    void unlimit() {
        r.call("CONFIG", "SET", "maxmemory", "0");
    }

    @Test
    void noevictionRefusesWhatMayGrowTheDataset() {
        r.call("SET", "k", "v");
        r.call("CONFIG", "SET", "maxmemory", "1");
        assertEquals(OOM, r.call("SET", "k2", "v"));
        assertEquals(OOM, r.call("LPUSH", "l", "x"));
        assertEquals(bulk("v"), r.call("GET", "k"), "reads run");
        assertEquals(integer(1), r.call("DEL", "k"), "so do writes that free memory");
        assertEquals(OK, r.call("MULTI"));
        assertEquals(OOM, r.call("SET", "k3", "v"));
        assertTrue(r.call("EXEC").startsWith("-EXECABORT"), "a refused command dooms the transaction");
        String inScript = r.call("EVAL", "return redis.call('set', 'x', 1)", "0");
        assertTrue(inScript.startsWith("-OOM command not allowed when used memory > 'maxmemory'."), inScript);
        assertEquals(OOM, r.call("EVAL", "#!lua\nreturn 1", "0"), "a script with flags but not allow-oom");
        assertEquals(integer(1), r.call("EVAL", "#!lua flags=allow-oom\nreturn redis.call('set', 'x', 1) and 1", "0"));
        assertTrue(r.call("INFO", "stats").contains("evicted_keys:0"));
    }

    @Test
    void anEvictionPolicyDeletesKeysAndSaysSo() {
        try (Wire subscriber = server.connect()) {
            r.call("CONFIG", "SET", "notify-keyspace-events", "Ee");
            subscriber.call("PSUBSCRIBE", "*");
            r.call("SET", "a", "1");
            r.call("SET", "b", "2", "EX", "100");
            r.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
            r.call("CONFIG", "SET", "maxmemory", "1");
            // Every command finds memory over the limit and evicts first; there is nothing left to take, so SET
            // (which may grow the dataset) is refused, and PING is not.
            assertEquals(OOM, r.call("SET", "c", "3"));
            assertEquals("+PONG\r\n", r.call("PING"));
            assertEquals(integer(0), r.call("DBSIZE"));
            String events = subscriber.received();
            assertTrue(events.contains("__keyevent@0__:evicted\r\n$1\r\na") && events.contains("evicted\r\n$1\r\nb"), events);
            assertTrue(r.call("INFO", "stats").contains("evicted_keys:2"));
        }
    }

    /**
     * used_memory counts the keyspace's bytes: on the memory engine as each write lands, on chronicle as its maps'
     * entries take them off the heap (sampled by the cron, which {@link #sample} stands in for here). An eviction's
     * bytes count as gone at once on both, so eviction stops as soon as memory is under the limit, not after taking
     * every key.
     */
    @Test
    void usedMemoryFollowsTheDataAndEvictionStopsUnderTheLimit() {
        long empty = usedMemory();
        for (int i = 0; i < 50; i++) r.call("SET", "k" + i, "x".repeat(10_000));
        long full = usedMemory();
        assertTrue(full - empty >= 500_000 && full - empty < 600_000, "50 values of 10 KB: " + (full - empty));
        // Strings only: an evicted big collection counts MEMORY USAGE's estimate until its pages are freed, so with
        // one among the candidates how many keys go would depend on which the random policy picks first.
        r.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
        r.call("CONFIG", "SET", "maxmemory", Long.toString(usedMemory() - 100_000));
        assertEquals(OK, r.call("SET", "trigger", "1"));
        long keys = Long.parseLong(r.call("DBSIZE").substring(1).trim());
        assertTrue(keys >= 38 && keys <= 42, "about 100 KB evicted (10 values), not everything: " + keys + " keys left");
        assertTrue(usedMemory() <= Long.parseLong(r.call("CONFIG", "GET", "maxmemory").split("\r\n")[4]));
        r.call("CONFIG", "SET", "maxmemory", "0");
        r.call("FLUSHALL");
        while (server.context().keyspace().space().pending() > 0) server.context().keyspace().space().reclaim();
        long left = usedMemory() - empty;
        // The keyspace's own meta records (the page-hash seed, the paged-collections mark) outlive FLUSHALL.
        assertTrue(left >= 0 && left < 1024, "the data's bytes given back: " + left + " left");
    }

    /** MEMORY STATS and INFO tell the same story: Redis's getMemoryOverheadData over used_memory's measure. */
    @Test
    void memoryStatsAgreesWithInfo() {
        for (int i = 0; i < 20; i++) r.call("SET", "k" + i, "x".repeat(1000));
        long used = usedMemory();
        java.util.Map<String, String> stats = new java.util.HashMap<>();
        String[] lines = r.call("MEMORY", "STATS").split("\r\n");
        for (int i = 0; i + 3 < lines.length; i++) {
            if (lines[i].startsWith("$") && lines[i + 2].startsWith(":")) stats.put(lines[i + 1], lines[i + 2].substring(1));
        }
        long total = Long.parseLong(stats.get("total.allocated")), startup = Long.parseLong(stats.get("startup.allocated"));
        assertEquals(used, total - Long.parseLong(stats.get("clients.normal")), "total.allocated is used_memory");
        assertTrue(startup > 0 && startup < total, "startup.allocated " + startup);
        assertTrue(Long.parseLong(stats.get("peak.allocated")) >= total);
        assertEquals("20", stats.get("keys.count"));
        assertEquals((total - startup) / 20, Long.parseLong(stats.get("keys.bytes-per-key")));
        assertEquals(total - Long.parseLong(stats.get("overhead.total")), Long.parseLong(stats.get("dataset.bytes")));
        String info = r.call("INFO", "memory");
        long peak = Long.parseLong(info.replaceAll("(?s).*\\r\\nused_memory_peak:(\\d+).*", "$1"));
        assertTrue(peak >= total, "used_memory_peak " + peak);
        assertTrue(info.contains("\r\nused_memory_startup:" + startup + "\r\n"), info);
        assertTrue(info.contains("\r\nused_memory_dataset:" + stats.get("dataset.bytes") + "\r\n"), info);
        assertTrue(info.matches("(?s).*\r\nused_memory_dataset_perc:\\d+\\.\\d\\d%\r\n.*"), info);
    }

    /** What the server's cron does ten times a second: the chronicle engine samples its maps' bytes. */
    private void sample() {
        server.context().keyspace().engine().sampleBytes();
    }

    /**
     * used_memory less the clients' part (mem_clients_normal, from the same reply): the test client's own query buffer
     * and replies move with each call, the data does not.
     */
    private long usedMemory() {
        sample();
        String info = r.call("INFO", "memory");
        return Long.parseLong(info.replaceAll("(?s).*\\r\\nused_memory:(\\d+).*", "$1"))
                - Long.parseLong(info.replaceAll("(?s).*\\r\\nmem_clients_normal:(\\d+).*", "$1"));
    }

    @Test
    void volatilePoliciesTakeOnlyKeysWithATtl() {
        r.call("SET", "keep", "1");
        r.call("SET", "soon", "2", "EX", "100");
        r.call("CONFIG", "SET", "maxmemory-policy", "volatile-ttl");
        r.call("CONFIG", "SET", "maxmemory", "1");
        assertEquals(OOM, r.call("SET", "c", "3"));
        assertEquals(integer(1), r.call("EXISTS", "keep"));
        assertEquals(integer(0), r.call("EXISTS", "soon"));
    }
}
