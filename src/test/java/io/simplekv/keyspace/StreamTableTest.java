package io.simplekv.keyspace;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * StreamTable against a TreeMap model, on both engines, with pages of a few entries so that appends, deletes
 * (stubs in the middle, pages dropped at either end), trims and reads from any ID cross many pages. Single-threaded,
 * so it skips the shard locks commands would hold.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class StreamTableTest extends ServerTestBase {
    private static final StreamLimits TINY = new StreamLimits(4, 4096);
    private static final byte[] KEY = b("s");

    private Database db() {
        return server.context().keyspace().db(0);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private StreamTable open() {
        return StreamTable.open(db(), KEY, TINY);
    }

    private static String text(List<StreamEntry> entries) {
        StringBuilder out = new StringBuilder();
        for (StreamEntry e : entries) {
            out.append(e.id()).append('{');
            for (byte[] f : e.fields()) out.append(new String(f, StandardCharsets.ISO_8859_1)).append(',');
            out.append('}');
        }
        return out.toString();
    }

    private static String text(NavigableMap<StreamId, String> model, long count) {
        StringBuilder out = new StringBuilder();
        long n = 0;
        for (Map.Entry<StreamId, String> e : model.entrySet()) {
            if (count > 0 && n++ == count) break;
            out.append(e.getKey()).append('{').append(e.getValue()).append('}');
        }
        return out.toString();
    }

    @Test
    void matchesAModelThroughAppendsDeletesAndTrims() {
        Random rnd = new Random(17);
        TreeMap<StreamId, String> model = new TreeMap<>();
        long ms = 1;
        for (int step = 0; step < 3000; step++) {
            StreamTable s = StreamTable.openOrCreate(db(), KEY, TINY);
            int op = rnd.nextInt(10);
            if (op < 6) {
                ms += rnd.nextInt(3);
                StreamId id = new StreamId(ms, s.lastId().ms() == ms ? s.lastId().seq() + 1 : 0);
                // Alternate field names so pages hold both compressed (same fields) and full entries.
                String f = rnd.nextBoolean() ? "f" : "g" + rnd.nextInt(3);
                String v = Integer.toString(step);
                s.append(id, new byte[][] {b(f), b(v)}, 0, 2);
                model.put(id, f + "," + v + ",");
            } else if (op < 9 && !model.isEmpty()) {
                StreamId victim = pick(rnd, model);
                boolean wasFirst = victim.equals(s.firstId());
                assertTrue(s.delete(victim));
                model.remove(victim);
                if (s.length() == 0 || wasFirst) s.refreshFirstId();
                assertTrue(!s.delete(victim), "a deleted entry can't be deleted twice");
            } else if (!model.isEmpty()) {
                long keep = rnd.nextInt(model.size() + 1);
                long removed = s.trim(new StreamTable.Trim(false, keep, StreamId.MIN, false, 0));
                assertEquals(model.size() - keep, removed);
                while (model.size() > keep) model.pollFirstEntry();
            }
            s.commit();
            check(model, rnd);
        }
    }

    private static StreamId pick(Random rnd, TreeMap<StreamId, String> model) {
        StreamId probe = new StreamId(1 + rnd.nextInt((int) model.lastKey().ms() + 1), 0);
        StreamId id = model.ceilingKey(probe);
        return id != null ? id : model.lastKey();
    }

    private void check(TreeMap<StreamId, String> model, Random rnd) {
        StreamTable s = open();
        assertEquals(model.size(), s.length());
        assertEquals(model.isEmpty() ? StreamId.MIN : model.firstKey(), s.firstId());
        assertEquals(text(model, 0), text(s.range(StreamId.MIN, StreamId.MAX, 0, false)));
        assertEquals(text(model.descendingMap(), 3), text(s.range(StreamId.MIN, StreamId.MAX, 3, true)));
        if (model.isEmpty()) return;
        StreamId from = new StreamId(rnd.nextInt((int) model.lastKey().ms() + 2), rnd.nextInt(2));
        StreamId to = new StreamId(from.ms() + rnd.nextInt(20), 1);
        assertEquals(text(model.subMap(from, true, to, true), 5), text(s.range(from, to, 5, false)), from + ".." + to);
        assertEquals(text(model.subMap(from, true, to, true).descendingMap(), 5), text(s.range(from, to, 5, true)));
    }

    @Test
    void approximateTrimFreesWholePagesAndMinIdKeepsTheRest() {
        StreamTable s = StreamTable.openOrCreate(db(), KEY, TINY);
        for (int i = 1; i <= 20; i++) s.append(new StreamId(i, 0), new byte[][] {b("f"), b("v")}, 0, 2);
        assertEquals(5, s.nodes());
        assertEquals(8, s.trim(new StreamTable.Trim(false, 10, StreamId.MIN, true, 0)));
        assertEquals(3, s.nodes());
        assertEquals(2, s.trim(new StreamTable.Trim(true, 0, new StreamId(11, 0), false, 0)));
        assertEquals(new StreamId(11, 0), s.firstId());
        s.commit();
        assertEquals(10, open().length());
        assertEquals(3, open().nodes(), "the first page keeps its deleted entries, as a Redis node does");
    }

    @Test
    void deletingAWholeMiddlePageLeavesAStubThatReadsSkip() {
        StreamTable s = StreamTable.openOrCreate(db(), KEY, TINY);
        for (int i = 1; i <= 12; i++) s.append(new StreamId(i, 0), new byte[][] {b("f"), b("v")}, 0, 2);
        for (int i = 5; i <= 8; i++) assertTrue(s.delete(new StreamId(i, 0)));
        assertEquals(2, s.nodes());
        s.commit();
        List<StreamEntry> all = open().range(StreamId.MIN, StreamId.MAX, 0, false);
        assertEquals(8, all.size());
        assertEquals(new StreamId(9, 0), open().range(new StreamId(5, 0), StreamId.MAX, 1, false).get(0).id());
        assertEquals(new StreamId(4, 0), open().range(StreamId.MIN, new StreamId(8, 0), 1, true).get(0).id());
        StreamTable t = open();
        for (int i = 1; i <= 4; i++) assertTrue(t.delete(new StreamId(i, 0)));
        t.refreshFirstId();
        assertEquals(new StreamId(9, 0), t.firstId(), "the stub behind the emptied first page went with it");
        assertEquals(1, t.nodes());
        t.commit();
        assertNull(open().range(StreamId.MIN, new StreamId(8, 0), 0, false).stream().findFirst().orElse(null));
    }

    @Test
    void pagesSplitWhereRedisNodesDo() {
        // stream-node-max-bytes counts listpack bytes: a page takes entries until its listpack would reach it.
        StreamLimits bytes = new StreamLimits(0, 100);
        StreamTable s = StreamTable.openOrCreate(db(), KEY, bytes);
        List<Long> pagesAfter = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            s.append(new StreamId(i, 0), new byte[][] {b("field"), b("value-" + i)}, 0, 2);
            pagesAfter.add(s.nodes());
        }
        // Listpack bytes, each element with its backlen: 7 empty, master entry 2+2+2+7+2 = 15, then 17 per entry
        // (flags, ms delta, seq delta and lp-count 2 each, "value-i" 9); an entry of 12 field bytes is refused
        // once the page holds 90, so pages take 4 entries.
        assertEquals(List.of(1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L, 3L, 3L), pagesAfter);
    }

    /** The stored pages of the stream at KEY, in order. */
    private List<byte[]> pages() {
        long[] layout = StreamTable.layout(db().lookup(KEY));
        List<byte[]> out = new ArrayList<>();
        for (long no = layout[1]; no < layout[2]; no++) {
            byte[] k = new byte[16];
            Records.putLong(k, 0, layout[0]);
            Records.putLong(k, 8, no);
            out.add(db().pagesTable().get(k));
        }
        return out;
    }

    @Test
    void appendsFillTheLastPagesRoomGrowItAndSealThePagesLeftBehind() {
        // Entries of varied sizes and fields in pages of up to 30, so the last page's room runs short, it is copied
        // into a bigger array, and pages the stream moved on from are cut to their entries.
        StreamLimits limits = new StreamLimits(30, 1 << 20);
        Random rnd = new Random(5);
        TreeMap<StreamId, String> model = new TreeMap<>();
        StreamTable s = StreamTable.openOrCreate(db(), KEY, limits);
        for (int i = 1; i <= 200; i++) {
            if (i % 7 == 0) {
                s.commit();
                s = StreamTable.open(db(), KEY, limits);
            }
            String f = rnd.nextInt(4) == 0 ? "other" : "f";
            String v = "v".repeat(rnd.nextInt(rnd.nextInt(10) == 0 ? 900 : 40));
            StreamId id = new StreamId(i, 0);
            s.append(id, new byte[][] {b(f), b(v)}, 0, 2);
            model.put(id, f + "," + v + ",");
        }
        s.commit();
        assertEquals(text(model, 0), text(open().range(StreamId.MIN, StreamId.MAX, 0, false)));
        assertEquals(text(model.descendingMap(), 0), text(open().range(StreamId.MIN, StreamId.MAX, 0, true)));
        List<byte[]> pages = pages();
        assertEquals(7, pages.size());
        for (byte[] p : pages.subList(0, pages.size() - 1)) {
            assertEquals(p.length, StreamPage.end(p), "a page the stream moved on from keeps no room");
        }
        byte[] last = pages.get(pages.size() - 1);
        assertTrue(StreamPage.end(last) < last.length, "the last page keeps room for the next entries");
    }

    @Test
    void anAppendWithRoomChangesTheStoredPageInPlaceOnAnEngineThatSharesIt() {
        StreamTable s = StreamTable.openOrCreate(db(), KEY, new StreamLimits(100, 4096));
        s.append(new StreamId(1, 0), new byte[][] {b("f"), b("v")}, 0, 2);
        s.commit();
        byte[] before = pages().get(0);
        StreamTable t = StreamTable.open(db(), KEY, new StreamLimits(100, 4096));
        t.append(new StreamId(2, 0), new byte[][] {b("f"), b("w")}, 0, 2);
        t.commit();
        byte[] after = pages().get(0);
        assertEquals(before.length, after.length, "the entry went into the page's room");
        assertEquals(!db().pagesTable().readsAreCopies(), before == after);
        assertEquals("1-0{f,v,}2-0{f,w,}", text(open().range(StreamId.MIN, StreamId.MAX, 0, false)));
    }

    @Test
    void aPageWithoutRoomAsEarlierVersionsStoredItTakesAppends() {
        // Before pages had room, a page ended at its array's end and bytes 9-16 held the listpack size as a long:
        // a sealed page is that layout (end 0, the size's high half).
        StreamLimits limits = new StreamLimits(100, 4096);
        StreamTable s = StreamTable.openOrCreate(db(), KEY, limits);
        s.append(new StreamId(1, 0), new byte[][] {b("f"), b("v")}, 0, 2);
        s.commit();
        long[] layout = StreamTable.layout(db().lookup(KEY));
        byte[] k = new byte[16];
        Records.putLong(k, 0, layout[0]);
        Records.putLong(k, 8, layout[1]);
        byte[] old = StreamPage.sealed(db().pagesTable().get(k));
        assertEquals(0, Records.getInt(old, 9));
        long listpack = StreamPage.listpackBytes(old);
        assertEquals(listpack, Records.getLong(old, 9));
        db().pagesTable().put(k, old);
        for (int i = 2; i <= 20; i++) {
            StreamTable t = StreamTable.open(db(), KEY, limits);
            t.append(new StreamId(i, 0), new byte[][] {b("f"), b("v" + i)}, 0, 2);
            t.commit();
        }
        List<StreamEntry> all = open().range(StreamId.MIN, StreamId.MAX, 0, false);
        assertEquals(20, all.size());
        assertEquals("v20", new String(all.get(19).fields()[1], StandardCharsets.ISO_8859_1));
        assertEquals(20, StreamPage.live(pages().get(0)));
    }
}
