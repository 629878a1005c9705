package io.simplekv.rdb;

import io.simplekv.rdb.RdbValue.Id;
import io.simplekv.rdb.RdbValue.Nack;
import io.simplekv.rdb.RdbValue.StreamConsumer;
import io.simplekv.rdb.RdbValue.StreamGroup;
import io.simplekv.rdb.RdbValue.StreamItem;
import io.simplekv.rdb.RdbValue.StreamValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stream in a DUMP payload, as rdb.c saves OBJ_STREAM (RDB_TYPE_STREAM_LISTPACKS_2): the rax's nodes (a 16-byte
 * master ID and a listpack whose entries are delta-encoded against it, t_stream.c's layout), the stream's
 * metadata, then each consumer group with its pending entries and consumers.
 */
final class StreamPayload {
    private static final int FLAG_DELETED = 1;
    private static final int FLAG_SAMEFIELDS = 2;
    /** Redis's stream-node-max-entries and -bytes defaults: nodes as Redis would cut them. */
    private static final int NODE_MAX_ENTRIES = 100;
    private static final int NODE_MAX_BYTES = 4096;

    private StreamPayload() {}

    static void write(RdbWriter w, StreamValue v) {
        List<List<StreamItem>> nodes = new ArrayList<>();
        List<StreamItem> node = new ArrayList<>();
        long bytes = 0;
        for (StreamItem item : v.entries()) {
            node.add(item);
            for (byte[] b : item.fieldsAndValues()) bytes += b.length + 2;
            if (node.size() == NODE_MAX_ENTRIES || bytes >= NODE_MAX_BYTES) {
                nodes.add(node);
                node = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!node.isEmpty()) nodes.add(node);
        w.length(nodes.size());
        for (List<StreamItem> n : nodes) {
            Id master = n.get(0).id();
            w.string(new RdbWriter().rawId(master.ms(), master.seq()).body()).string(listpack(n));
        }
        w.length(v.entries().size());
        id(w, v.lastId());
        id(w, v.firstId());
        id(w, v.maxDeletedId());
        w.length(v.entriesAdded());
        w.length(v.groups().size());
        for (StreamGroup g : v.groups()) {
            w.string(g.name());
            id(w, g.lastId());
            w.length(g.entriesRead());
            w.length(g.pending().size());
            for (Nack n : g.pending()) w.rawId(n.id().ms(), n.id().seq()).millisecondTime(n.deliveryTime()).length(n.deliveryCount());
            w.length(g.consumers().size());
            for (StreamConsumer c : g.consumers()) {
                w.string(c.name()).millisecondTime(c.seenTime()).length(c.pending().size());
                for (Id id : c.pending()) w.rawId(id.ms(), id.seq());
            }
        }
    }

    private static void id(RdbWriter w, Id id) {
        w.length(id.ms()).length(id.seq());
    }

    /** streamAppendItem's node: the master entry (count, deleted, fields, 0), then each entry and its lp-count. */
    private static byte[] listpack(List<StreamItem> items) {
        StreamItem first = items.get(0);
        List<byte[]> masterFields = fields(first);
        ListpackWriter lp = new ListpackWriter().add(items.size()).add(0).add(masterFields.size());
        for (byte[] f : masterFields) lp.add(f);
        lp.add(0);
        for (StreamItem item : items) {
            List<byte[]> fv = item.fieldsAndValues();
            int fields = fv.size() / 2;
            boolean same = sameFields(fields(item), masterFields);
            lp.add(same ? FLAG_SAMEFIELDS : 0).add(item.id().ms() - first.id().ms()).add(item.id().seq() - first.id().seq());
            if (same) {
                for (int i = 1; i < fv.size(); i += 2) lp.add(fv.get(i));
            } else {
                lp.add(fields);
                for (byte[] b : fv) lp.add(b);
            }
            lp.add(fields + 3 + (same ? 0 : fields + 1));
        }
        return lp.toBytes();
    }

    private static List<byte[]> fields(StreamItem item) {
        List<byte[]> f = new ArrayList<>();
        for (int i = 0; i < item.fieldsAndValues().size(); i += 2) f.add(item.fieldsAndValues().get(i));
        return f;
    }

    private static boolean sameFields(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!Arrays.equals(a.get(i), b.get(i))) return false;
        return true;
    }

    // ---- reading ----

    static StreamValue read(int type, RdbReader in) {
        boolean v2 = type == RdbType.STREAM_LISTPACKS_2;
        long nodes = bounded(in.readLength(), in);
        List<StreamItem> entries = new ArrayList<>();
        for (long i = 0; i < nodes; i++) {
            byte[] key = in.readString();
            if (key.length != 16) throw new IllegalArgumentException("node key");
            RdbReader k = new RdbReader(key, 0, 16);
            long[] master = k.readRawId();
            readNode(new Id(master[0], master[1]), in.readString(), entries);
        }
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).id().compareTo(entries.get(i - 1).id()) <= 0) throw new IllegalArgumentException("order");
        }
        long length = in.readLength();
        if (length != entries.size()) throw new IllegalArgumentException("length");
        Id lastId = readId(in);
        Id firstId = v2 ? readId(in) : entries.isEmpty() ? new Id(0, 0) : entries.get(0).id();
        Id maxDeleted = v2 ? readId(in) : new Id(0, 0);
        long entriesAdded = v2 ? in.readLength() : -1;
        if (!entries.isEmpty() && entries.get(entries.size() - 1).id().compareTo(lastId) > 0) {
            throw new IllegalArgumentException("last id");
        }
        long groupCount = bounded(in.readLength(), in);
        List<StreamGroup> groups = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long g = 0; g < groupCount; g++) {
            byte[] name = in.readString();
            if (!names.add(new String(name, StandardCharsets.ISO_8859_1))) throw new IllegalArgumentException("group");
            Id groupLast = readId(in);
            long entriesRead = v2 ? in.readLength() : -1;
            long pelSize = bounded(in.readLength(), in);
            List<Nack> pel = new ArrayList<>();
            Map<Id, Boolean> owned = new HashMap<>();
            for (long p = 0; p < pelSize; p++) {
                long[] raw = in.readRawId();
                Nack n = new Nack(new Id(raw[0], raw[1]), in.readMillisecondTime(), in.readLength());
                if (owned.put(n.id(), false) != null) throw new IllegalArgumentException("duplicate nack");
                pel.add(n);
            }
            long consumerCount = bounded(in.readLength(), in);
            List<StreamConsumer> consumers = new ArrayList<>();
            Set<String> consumerNames = new HashSet<>();
            for (long c = 0; c < consumerCount; c++) {
                byte[] cname = in.readString();
                if (!consumerNames.add(new String(cname, StandardCharsets.ISO_8859_1))) {
                    throw new IllegalArgumentException("consumer");
                }
                long seen = in.readMillisecondTime();
                long own = bounded(in.readLength(), in);
                List<Id> pending = new ArrayList<>();
                for (long p = 0; p < own; p++) {
                    long[] raw = in.readRawId();
                    Id id = new Id(raw[0], raw[1]);
                    // Each of a consumer's entries is one of the group's, and no other consumer's (rdb.c's checks).
                    if (!Boolean.FALSE.equals(owned.put(id, true))) throw new IllegalArgumentException("consumer nack");
                    pending.add(id);
                }
                consumers.add(new StreamConsumer(cname, seen, pending));
            }
            // Deep sanitization's "PEL entry without consumer": every pending entry needs its owner here.
            if (owned.containsValue(false)) throw new IllegalArgumentException("orphan nack");
            groups.add(new StreamGroup(name, groupLast, entriesRead, pel, consumers));
        }
        return new StreamValue(entries, lastId, firstId, maxDeleted, entriesAdded, groups);
    }

    private static Id readId(RdbReader in) {
        return new Id(in.readLength(), in.readLength());
    }

    private static long bounded(long n, RdbReader in) {
        if (n < 0 || n > in.remaining()) throw new IllegalArgumentException("count");
        return n;
    }

    private static void readNode(Id master, byte[] lp, List<StreamItem> out) {
        List<byte[]> e = PackedEntries.listpack(lp);
        if (e.isEmpty()) throw new IllegalArgumentException("empty node");
        int i = 0;
        long count = num(e, i++), deleted = num(e, i++);
        int masterCount = (int) num(e, i++);
        if (masterCount < 0 || i + masterCount >= e.size()) throw new IllegalArgumentException("master");
        List<byte[]> masterFields = e.subList(i, i + masterCount);
        i += masterCount;
        if (num(e, i++) != 0) throw new IllegalArgumentException("master terminator");
        long live = 0, dead = 0;
        while (i < e.size()) {
            int flags = (int) num(e, i++);
            long ms = master.ms() + num(e, i++);
            long seq = master.seq() + num(e, i++);
            boolean same = (flags & FLAG_SAMEFIELDS) != 0;
            int fields = same ? masterCount : (int) num(e, i++);
            if (fields < 0 || i + (same ? fields : 2L * fields) >= e.size()) throw new IllegalArgumentException("entry");
            List<byte[]> fv = new ArrayList<>(2 * fields);
            for (int f = 0; f < fields; f++) {
                if (same) {
                    fv.add(masterFields.get(f));
                    fv.add(e.get(i++));
                } else {
                    fv.add(e.get(i++));
                    fv.add(e.get(i++));
                }
            }
            if (num(e, i++) != fields + 3 + (same ? 0 : fields + 1)) throw new IllegalArgumentException("lp-count");
            if ((flags & FLAG_DELETED) != 0) {
                dead++;
            } else {
                live++;
                out.add(new StreamItem(new Id(ms, seq), fv));
            }
        }
        if (live != count || dead != deleted) throw new IllegalArgumentException("node counts");
    }

    private static long num(List<byte[]> e, int i) {
        if (i >= e.size()) throw new IllegalArgumentException("short node");
        return Long.parseLong(new String(e.get(i), StandardCharsets.US_ASCII));
    }
}
