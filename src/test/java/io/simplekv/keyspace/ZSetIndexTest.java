package io.simplekv.keyspace;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A big zset's internal nodes live only in its heap index: the pages table holds none, an index dropped (budget,
 * failed write) or never built (restart) is rebuilt from the leaves and keeps working, and no index outlives its
 * table across SWAPDB, FLUSHALL and DEL-then-recreate of the same key. A tiny tree shape makes a few hundred
 * members several levels deep.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class ZSetIndexTest extends ServerTestBase {
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
        assertEquals(0, keyspace().space().indexes().bytes(), "FLUSHALL drops the replaced tables' indexes");
        TreeMap<String, Double> d = build(db0, "a", 1);
        check(db0, d, "rebuilt after FLUSHALL");
        assertNull(ZSetTable.open(keyspace().db(1), KEY, SMALL, TINY), "db1 was flushed");
    }

    @Test
    void theTableHoldsLeavesOnlyAndALostIndexIsRebuiltFromThem() {
        Database db = keyspace().db(0);
        TreeMap<String, Double> model = build(db, "a", 1);
        assertTrue(keyspace().space().indexes().bytes() > 0, "the internal nodes are on the heap");
        List<byte[]> pages = new ArrayList<>();
        long cursor = 0;
        do cursor = db.pagesTable().scan(cursor, 1000, pages::add); while (cursor != 0);
        int leaves = 0;
        for (byte[] page : pages) {
            byte[] raw = db.pagesTable().get(page);
            if (Records.getLong(page, 8) % 2 == 0) continue; // a bucket
            assertTrue(raw[0] != ZSetNode.INTERNAL, "an internal node was stored");
            if (raw[0] == ZSetNode.LEAF) leaves++;
        }
        assertTrue(leaves > 20, "a deep tree: " + leaves + " leaves");

        keyspace().space().writeFailed(); // as after a full disk: every index goes
        assertEquals(0, keyspace().space().indexes().bytes());
        check(db, model, "rebuilt from the leaves");
        // The rebuilt index takes writes that split, merge and move entries as the first one did.
        Random rnd = new Random(7);
        ZSetTable t = ZSetTable.open(db, KEY, SMALL, TINY);
        for (int op = 0; op < 1500; op++) {
            String m = "a" + rnd.nextInt(400);
            if (rnd.nextInt(4) == 0) {
                t.remove(b(m));
                model.remove(m);
            } else {
                double s = rnd.nextInt(1000);
                t.put(b(m), s);
                model.put(m, s);
            }
        }
        t.commit();
        check(db, model, "written after the rebuild");
        keyspace().space().writeFailed();
        check(db, model, "rebuilt again");
    }

    private static byte[] internal(int len) {
        byte[] raw = new byte[len];
        raw[0] = ZSetNode.INTERNAL;
        return raw;
    }

    @Test
    void theIndexesStayWithinTheirBudgetAndTheGrowingOneIsKept() {
        var table = keyspace().db(0).pagesTable();
        long budget = 50_000;
        ZSetIndexes indexes = new ZSetIndexes(budget);
        ZSetIndex last = null;
        for (long id = 1; id <= 2000; id++) {
            last = indexes.create(table, id);
            for (int node = 0; node < 3; node++) {
                last.put(last.allocate(), internal(2000));
                assertTrue(indexes.bytes() <= budget, "over budget at id " + id + ": " + indexes.bytes());
            }
            assertSame(last, indexes.get(table, id), "the index that grew is kept");
        }
        // Which ones go follows the registry's hash order, not age: count the survivors rather than name one.
        assertTrue(survivors(indexes, table, 1, 2000) <= budget / (3 * 2000), "older indexes were dropped");
        indexes.drop(table, 2000);
        assertNull(indexes.get(table, 2000));
        last.put(last.allocate(), internal(100)); // a command still holding a dropped index: not counted
        ZSetIndex other = indexes.create(table, 9999);
        other.put(other.allocate(), internal(100));
        indexes.forget(table);
        assertEquals(0, indexes.bytes());
        assertNull(indexes.get(table, 9999));
        // Zsets whose root is a leaf have no internal node, but their indexes still count against the budget.
        for (long id = 10_000; id < 20_000; id++) indexes.create(table, id);
        assertTrue(indexes.bytes() <= budget, "over budget with node-less indexes: " + indexes.bytes());
        assertTrue(survivors(indexes, table, 10_000, 20_000) <= budget / ZSetIndex.INDEX_OVERHEAD,
                "older node-less indexes were dropped");
    }

    private static long survivors(ZSetIndexes indexes, io.simplekv.storage.Storage table, long from, long to) {
        long n = 0;
        for (long id = from; id < to; id++) if (indexes.get(table, id) != null) n++;
        return n;
    }
}
