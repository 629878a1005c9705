package io.simplekv.keyspace;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap cache of zset tree nodes never hands out a node older than its table, across SWAPDB, FLUSHALL and
 * DEL-then-recreate of the same key, and stays within its byte budget. A tiny tree shape makes a few hundred
 * members several levels deep, so most of a walk comes from the cache on the chronicle engine.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class ZSetNodeCacheTest extends ServerTestBase {
    private static final CollectionLimits SMALL = new CollectionLimits(4, 64);
    private static final ZSetPages.Shape TINY = new ZSetPages.Shape(6, 5);
    private static final byte[] KEY = b("z");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private Keyspace keyspace() {
        return server.context().keyspace();
    }

    /** Builds a big zset at KEY with members prefix0.. and random scores, rescored a while; returns member → score. */
    private TreeMap<String, Double> build(Database db, String prefix, long seed) {
        Random rnd = new Random(seed);
        TreeMap<String, Double> model = new TreeMap<>();
        ZSetTable t = ZSetTable.openOrCreate(db, KEY, SMALL, TINY);
        for (int op = 0; op < 1500; op++) {
            String m = prefix + rnd.nextInt(400);
            double s = rnd.nextInt(1000);
            t.put(b(m), s);
            model.put(m, s);
        }
        t.commit();
        return model;
    }

    private static List<ZSetTable.Entry> ordered(TreeMap<String, Double> model) {
        List<ZSetTable.Entry> out = new ArrayList<>();
        model.forEach((m, s) -> out.add(new ZSetTable.Entry(b(m), s)));
        out.sort(ZSetOrder::compare);
        return out;
    }

    private void check(Database db, TreeMap<String, Double> model, String where) {
        ZSetTable t = ZSetTable.open(db, KEY, SMALL, TINY);
        List<ZSetTable.Entry> expected = ordered(model);
        assertEquals("skiplist", t.encoding(), where);
        List<ZSetTable.Entry> actual = t.range(0, expected.size() + 1, false);
        assertEquals(expected.size(), actual.size(), where + " size");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).member(), actual.get(i).member(), where + " member " + i);
            assertEquals(expected.get(i).score(), actual.get(i).score(), where + " score " + i);
            assertEquals(i, t.rank(expected.get(i).member()), where + " rank " + i);
        }
    }

    @Test
    @Timeout(60) // stale counts can send a range walk round forever rather than fail an assertion
    void swapFlushAndRecreateNeverReadStaleNodes() {
        Database db0 = keyspace().db(0), db1 = keyspace().db(1);
        TreeMap<String, Double> a = build(db0, "a", 1);
        check(db0, a, "A in db0");
        keyspace().swap(0, 1);
        check(db1, a, "A after SWAPDB");
        TreeMap<String, Double> b = build(db0, "b", 2);
        check(db0, b, "B in db0");
        check(db1, a, "A beside B");

        db0.delete(KEY);
        TreeMap<String, Double> c = build(db0, "a", 3);
        check(db0, c, "C recreated under the same key with A's members");
        keyspace().swap(0, 1);
        check(db0, a, "A swapped back");
        check(db1, c, "C swapped away");

        keyspace().flushAll();
        assertEquals(0, keyspace().space().nodes().bytes(), "FLUSHALL drops the replaced tables' nodes");
        TreeMap<String, Double> d = build(db0, "a", 1);
        check(db0, d, "rebuilt after FLUSHALL");
        assertNull(ZSetTable.open(keyspace().db(1), KEY, SMALL, TINY), "db1 was flushed");
    }

    @Test
    void onlyEnginesWhoseReadsAreCopiesUseTheCache() {
        build(keyspace().db(0), "a", 1);
        long cached = keyspace().space().nodes().bytes();
        if (keyspace().db(0).pagesTable().readsAreCopies()) assertTrue(cached > 0, "internal nodes are cached");
        else assertEquals(0, cached);
    }

    private static byte[] internal(int len) {
        byte[] raw = new byte[len];
        raw[0] = ZSetNode.INTERNAL;
        return raw;
    }

    @Test
    void theCacheStaysWithinItsBudget() {
        var table = keyspace().db(0).pagesTable();
        long budget = 50_000;
        NodeCache cache = new NodeCache(budget);
        for (long id = 1; id <= 2000; id++) {
            for (long node = 0; node < 3; node++) {
                cache.stored(table, id, node, internal(2000));
                assertTrue(cache.bytes() <= budget, "over budget at id " + id + ": " + cache.bytes());
            }
        }
        byte[] last = internal(100);
        cache.stored(table, 9999, 1, last);
        assertSame(last, cache.get(table, 9999, 1));
        byte[] leaf = new byte[100];
        leaf[0] = ZSetNode.LEAF;
        cache.stored(table, 9999, 1, leaf);
        assertNull(cache.get(table, 9999, 1), "a node that became a leaf is not served from the cache");
        cache.stored(table, 9999, 2, internal(100));
        cache.forget(table);
        assertEquals(0, cache.bytes());
        assertTrue(Arrays.stream(new long[] {1, 2}).allMatch(n -> cache.get(table, 9999, n) == null));
    }
}
