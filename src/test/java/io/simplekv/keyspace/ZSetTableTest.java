package io.simplekv.keyspace;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ZSetTable against a TreeSet model, on both engines, through the packed → paged conversion. Small limits and a
 * small tree shape make a few hundred members span several tree levels, so splits, merges and borrows all happen.
 * The tests run single-threaded, so they skip the shard locks commands would hold.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class ZSetTableTest extends ServerTestBase {
    private static final CollectionLimits SMALL = new CollectionLimits(4, 64);
    private static final ZSetPages.Shape TINY = new ZSetPages.Shape(6, 5);

    private Database db() {
        return server.context().keyspace().db(0);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The model: (score, member) in Redis order, and member → score. */
    private static final class Model {
        final TreeSet<ZSetTable.Entry> order = new TreeSet<>(ZSetOrder::compare);
        final Map<String, Double> scores = new HashMap<>();

        boolean put(byte[] m, double s) {
            if (s == 0) s = 0.0;
            Double old = scores.put(new String(m, StandardCharsets.ISO_8859_1), s);
            if (old != null) order.remove(new ZSetTable.Entry(m, old));
            order.add(new ZSetTable.Entry(m, s));
            return old == null;
        }

        boolean remove(byte[] m) {
            Double old = scores.remove(new String(m, StandardCharsets.ISO_8859_1));
            if (old == null) return false;
            order.remove(new ZSetTable.Entry(m, old));
            return true;
        }

        Double score(byte[] m) {
            return scores.get(new String(m, StandardCharsets.ISO_8859_1));
        }

        List<ZSetTable.Entry> list() {
            return new ArrayList<>(order);
        }
    }

    private static byte[] randomMember(Random rnd) {
        // Bytes above 0x7f check the unsigned order; short members make prefixes of one another common.
        byte[] m = new byte[1 + rnd.nextInt(3)];
        for (int i = 0; i < m.length; i++) m[i] = (byte) (rnd.nextBoolean() ? 'a' + rnd.nextInt(6) : 0xf0 + rnd.nextInt(4));
        return m;
    }

    private static final double[] SCORES = {Double.NEGATIVE_INFINITY, -2.5, -1, -0.0, 0.0, 1, 1, 2, 3.25, 1e300,
            Double.POSITIVE_INFINITY};

    private static double randomScore(Random rnd) {
        return rnd.nextInt(3) == 0 ? SCORES[rnd.nextInt(SCORES.length)] : rnd.nextInt(40) - 20;
    }

    @Test
    void randomOperationsMatchAModelAcrossTheConversion() {
        for (long seed = 1; seed <= 3; seed++) runModel(seed, 6000, false);
    }

    @Test
    void equalScoresMatchTheModelByMember() {
        runModel(7L, 3000, true);
    }

    private void runModel(long seed, int ops, boolean equalScores) {
        Random rnd = new Random(seed);
        byte[] key = b("z" + seed);
        Model model = new Model();
        ZSetTable t = ZSetTable.openOrCreate(db(), key, SMALL, TINY);
        boolean sawPaged = false;
        for (int op = 0; op < ops; op++) {
            // Grow for the first half, then shrink, so both splits and merges happen at every level.
            int grow = op < ops / 2 ? 6 : 3;
            int kind = rnd.nextInt(10);
            byte[] m = randomMember(rnd);
            if (kind < grow) {
                double s = equalScores ? 0 : randomScore(rnd);
                assertEquals(model.put(m, s), t.put(m, s), "put at op " + op);
            } else if (kind < 9) {
                assertEquals(model.remove(m), t.remove(m), "remove at op " + op);
            } else {
                long from = model.order.isEmpty() ? 0 : rnd.nextInt(model.order.size());
                long to = from + rnd.nextInt(3);
                List<ZSetTable.Entry> all = model.list();
                long expected = Math.max(0, Math.min(to, all.size() - 1) - from + 1);
                for (long i = from; i <= Math.min(to, all.size() - 1); i++) model.remove(all.get((int) i).member());
                assertEquals(expected, t.removeRange(from, to), "removeRange at op " + op);
            }
            sawPaged |= t.encoding().equals("skiplist");
            check(t, model, rnd, equalScores, "op " + op);
            if (rnd.nextInt(4) == 0) {
                t.commit();
                t = ZSetTable.open(db(), key, SMALL, TINY);
                if (model.order.isEmpty()) {
                    assertNull(t, "an emptied zset disappears");
                    t = ZSetTable.openOrCreate(db(), key, SMALL, TINY);
                }
            }
        }
        assertTrue(sawPaged, "the test must cross into the paged form");
    }

    private void check(ZSetTable t, Model model, Random rnd, boolean equalScores, String where) {
        List<ZSetTable.Entry> all = model.list();
        int n = all.size();
        assertEquals(n, t.size(), where);
        byte[] probe = randomMember(rnd);
        Double expectedScore = model.score(probe);
        assertEquals(expectedScore == null ? Double.NaN : expectedScore, t.score(probe), where);
        long expectedRank = -1;
        for (int i = 0; i < n; i++) if (Arrays.equals(all.get(i).member(), probe)) expectedRank = i;
        assertEquals(expectedRank, t.rank(probe), where + " rank");

        double bound = randomScore(rnd);
        boolean inclusive = rnd.nextBoolean();
        long below = all.stream().filter(e -> inclusive ? e.score() <= bound : e.score() < bound).count();
        assertEquals(below, t.countBelow(bound, inclusive), where + " countBelow " + bound + " " + inclusive);
        if (equalScores) {
            long lex = all.stream().filter(e -> {
                int c = Arrays.compareUnsigned(e.member(), probe);
                return inclusive ? c <= 0 : c < 0;
            }).count();
            assertEquals(lex, t.countBelowLex(probe, inclusive), where + " countBelowLex");
        }

        long start = n == 0 ? 0 : rnd.nextInt(n + 1);
        long count = rnd.nextInt(12);
        boolean descending = rnd.nextBoolean();
        List<ZSetTable.Entry> expected = new ArrayList<>();
        for (long i = start; i < n && expected.size() < count; i++) {
            expected.add(all.get((int) (descending ? n - 1 - i : i)));
        }
        assertEntries(expected, t.range(start, count, descending), where + " range");
        long rank = rnd.nextInt(n + 2) - 1;
        ZSetTable.Entry at = t.at(rank);
        if (rank < 0 || rank >= n) assertNull(at, where);
        else assertEntries(List.of(all.get((int) rank)), List.of(at), where + " at");
    }

    private static void assertEntries(List<ZSetTable.Entry> expected, List<ZSetTable.Entry> actual, String where) {
        assertEquals(expected.size(), actual.size(), where);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).member(), actual.get(i).member(), where + " member " + i);
            assertEquals(expected.get(i).score(), actual.get(i).score(), where + " score " + i);
        }
    }

    private static List<ZSetTable.Entry> visited(ZSetTable t) {
        List<ZSetTable.Entry> out = new ArrayList<>();
        t.forEach((m, s) -> out.add(new ZSetTable.Entry(m, s)));
        return out;
    }

    private ZSetTable bigZSet(byte[] key, int members) {
        ZSetTable t = ZSetTable.openOrCreate(db(), key, SMALL, TINY);
        for (int i = 0; i < members; i++) t.put(b("m" + i), i % 7);
        t.commit();
        return ZSetTable.open(db(), key, SMALL, TINY);
    }

    @Test
    void smallZSetIsPackedAndKeptInOrder() {
        ZSetTable t = ZSetTable.openOrCreate(db(), b("z"), SMALL, TINY);
        assertTrue(t.put(b("b"), 1));
        assertTrue(t.put(b("a"), 1));
        assertTrue(t.put(b("c"), -0.0));
        assertFalse(t.put(b("c"), 0.0));
        t.commit();
        assertEquals("listpack", ZSetTable.encodingOf(db().lookup(b("z"))));
        t = ZSetTable.open(db(), b("z"), SMALL, TINY);
        assertEquals("listpack", t.encoding());
        List<ZSetTable.Entry> all = visited(t);
        assertEquals(List.of("c", "a", "b"), all.stream().map(e -> new String(e.member())).toList());
        assertEquals(0.0, all.get(0).score());
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(all.get(0).score()), "-0.0 is stored as 0.0");
        assertEquals(0, t.scan(0, 10, (m, s) -> {}));
    }

    @Test
    void aLongMemberConvertsToPagedAndItNeverConvertsBack() {
        ZSetTable t = ZSetTable.openOrCreate(db(), b("z"), SMALL, TINY);
        t.put(b("a"), 1);
        t.put(b("x".repeat(65)), 2);
        t.commit();
        assertEquals("skiplist", ZSetTable.encodingOf(db().lookup(b("z"))));
        t = ZSetTable.open(db(), b("z"), SMALL, TINY);
        t.remove(b("x".repeat(65)));
        t.commit();
        assertEquals("skiplist", ZSetTable.open(db(), b("z"), SMALL, TINY).encoding());
        assertEquals(1.0, ZSetTable.open(db(), b("z"), SMALL, TINY).score(b("a")));
    }

    @Test
    void wrongTypeAndAbsent() {
        assertNull(ZSetTable.open(db(), b("none"), SMALL));
        putHash("h");
        assertThrows(io.simplekv.protocol.RedisError.class, () -> ZSetTable.open(db(), b("h"), SMALL));
    }

    @Test
    void scanVisitsEveryMemberOfABigZSet() {
        ZSetTable t = bigZSet(b("z"), 300);
        Map<String, Double> seen = new HashMap<>();
        long cursor = 0;
        do {
            cursor = t.scan(cursor, 10, (m, s) -> seen.put(new String(m), s));
        } while (cursor != 0);
        assertEquals(300, seen.size());
        for (int i = 0; i < 300; i++) assertEquals((double) (i % 7), seen.get("m" + i));
        List<ZSetTable.Entry> inOrder = visited(t);
        assertEquals(300, inOrder.size());
        for (int i = 1; i < inOrder.size(); i++) assertTrue(ZSetOrder.compare(inOrder.get(i - 1), inOrder.get(i)) < 0);
    }

    @Test
    void deleteFreesEveryPageInTheBackground() {
        bigZSet(b("z"), 500);
        assertTrue(db().pagesTable().size() > 0);
        assertTrue(db().delete(b("z")));
        assertTrue(db().space().pending() > 0);
        while (db().space().pending() > 0) db().space().reclaim();
        assertEquals(0, db().pagesTable().size(), "no page record is left behind");
    }

    @Test
    void emptyingABigZSetFreesItsPages() {
        ZSetTable t = bigZSet(b("z"), 200);
        // Pages added by the same command that empties the zset are not named by its stored record yet.
        for (int i = 0; i < 300; i++) t.put(b("more" + i), i);
        assertEquals(500, t.removeRange(0, 499));
        t.commit();
        assertNull(db().lookup(b("z")));

        ZSetTable packed = ZSetTable.openOrCreate(db(), b("p"), SMALL, TINY);
        packed.put(b("a"), 1);
        packed.commit();
        packed = ZSetTable.open(db(), b("p"), SMALL, TINY);
        for (int i = 0; i < 100; i++) packed.put(b("m" + i), i);
        assertEquals("skiplist", packed.encoding());
        packed.removeRange(0, 100);
        packed.commit();
        assertNull(db().lookup(b("p")));

        while (db().space().pending() > 0) db().space().reclaim();
        assertEquals(0, db().pagesTable().size());
    }

    @Test
    void overwriteFreesButExpireKeepsThePages() {
        bigZSet(b("z"), 200);
        byte[] rec = db().lookup(b("z"));
        db().put(b("z"), Records.withExpiry(rec, Database.now() + 100_000));
        assertEquals(0, db().space().pending(), "EXPIRE rewrites the record around the same pages");
        assertEquals(200, ZSetTable.open(db(), b("z"), SMALL, TINY).size());
        db().put(b("z"), Records.string(b("v"), Records.NO_EXPIRY));
        while (db().space().pending() > 0) db().space().reclaim();
        assertEquals(0, db().pagesTable().size());
    }

    @Test
    void copyIsIndependentAndRenameKeepsThePages() {
        bigZSet(b("z"), 300);
        Database target = server.context().keyspace().db(1);
        target.put(b("c"), db().copyFor(db().lookup(b("z")), target));
        db().put(b("d"), db().copyFor(db().lookup(b("z")), db()));

        ZSetTable d = ZSetTable.open(db(), b("d"), SMALL, TINY);
        d.removeRange(0, 99);
        d.put(b("new"), 100);
        d.commit();
        ZSetTable z = ZSetTable.open(db(), b("z"), SMALL, TINY);
        assertEquals(300, z.size(), "changing the copy leaves the original alone");
        assertEquals(300, ZSetTable.open(target, b("c"), SMALL, TINY).size());
        assertEquals(201, ZSetTable.open(db(), b("d"), SMALL, TINY).size());

        // RENAME: the record moves to a new name around the same pages.
        byte[] rec = db().lookup(b("z"));
        db().detach(b("z"));
        db().put(b("r"), rec);
        assertEquals(0, db().space().pending());
        ZSetTable r = ZSetTable.open(db(), b("r"), SMALL, TINY);
        assertEquals(300, r.size());
        assertEquals(visited(z).size(), visited(r).size());
        assertEquals(5.0, r.score(b("m5")));

        db().delete(b("r"));
        db().delete(b("d"));
        while (db().space().pending() > 0) db().space().reclaim();
        assertEquals(0, db().pagesTable().size());
        assertNotNull(ZSetTable.open(target, b("c"), SMALL, TINY));
    }

    @Test
    void memoryUsageCountsThePages() {
        bigZSet(b("z"), 500);
        byte[] rec = db().lookup(b("z"));
        assertTrue(db().memoryUsage(b("z"), rec, 0) > 500 * 8, "a big zset's members are counted");
    }
}
