package io.simplekv.keyspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * A stream's consumer groups, read whole for a command that uses them and written back by {@link StreamTable#commit}:
 * one record at the stream's aux page {@link StreamTable#AUX} holding every group's name, last delivered ID,
 * entries read, pending list position and consumers (name, seen time, pending count). Groups and consumers are
 * kept in name order, as Redis's radix trees list them. Each group's pending entries are a {@link PendingList}
 * under its own collection id.
 */
public final class StreamGroups {
    /** Redis's SCG_INVALID_ENTRIES_READ: the group's read counter is unknown. */
    public static final long INVALID_ENTRIES_READ = -1;

    public static final class Consumer {
        public final byte[] name;
        public long seenTime;
        public long pending;

        Consumer(byte[] name, long seenTime, long pending) {
            this.name = name;
            this.seenTime = seenTime;
            this.pending = pending;
        }
    }

    public static final class Group {
        public final byte[] name;
        public StreamId lastId;
        public long entriesRead;
        public final PendingList pel;
        final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

        Group(byte[] name, StreamId lastId, long entriesRead, PendingList pel) {
            this.name = name;
            this.lastId = lastId;
            this.entriesRead = entriesRead;
            this.pel = pel;
        }

        public Consumer consumer(byte[] consumerName) {
            return consumers.get(consumerName);
        }

        public Collection<Consumer> consumers() {
            return consumers.values();
        }

        /** Adds a consumer (Redis's streamCreateConsumer); null when it exists already. */
        public Consumer createConsumer(byte[] consumerName, long now) {
            if (consumers.containsKey(consumerName)) return null;
            Consumer c = new Consumer(consumerName, now, 0);
            consumers.put(consumerName, c);
            return c;
        }

        /** Removes a consumer and its pending entries; returns how many were pending. */
        public long deleteConsumer(byte[] consumerName) {
            Consumer c = consumers.remove(consumerName);
            if (c == null) return -1;
            if (c.pending > 0) {
                List<StreamId> mine = new ArrayList<>();
                pel.walk(StreamId.MIN, StreamId.MAX, n -> {
                    if (Arrays.equals(n.consumer(), consumerName)) mine.add(n.id());
                    return true;
                });
                for (StreamId id : mine) pel.remove(id);
            }
            return c.pending;
        }
    }

    private final Database db;
    private final TreeMap<byte[], Group> groups = new TreeMap<>(Arrays::compareUnsigned);

    private StreamGroups(Database db) {
        this.db = db;
    }

    static StreamGroups empty(Database db) {
        return new StreamGroups(db);
    }

    public int size() {
        return groups.size();
    }

    public Group get(byte[] name) {
        return groups.get(name);
    }

    public Collection<Group> all() {
        return groups.values();
    }

    /** A new group with an empty pending list, or null when the name is taken. */
    public Group create(byte[] name, StreamId lastId, long entriesRead) {
        if (groups.containsKey(name)) return null;
        Group g = new Group(name, lastId, entriesRead, new PendingList(db, db.space().allocateId(), 0, 0, 0));
        groups.put(name, g);
        return g;
    }

    /** Removes a group; its pending list's pages are freed in the background. */
    public boolean destroy(byte[] name) {
        Group g = groups.remove(name);
        if (g == null) return false;
        g.pel.release();
        return true;
    }

    // ---- record ----

    byte[] encode() {
        int size = 4;
        for (Group g : groups.values()) {
            size += 4 + g.name.length + 16 + 8 + 32 + 4;
            for (Consumer c : g.consumers.values()) size += 4 + c.name.length + 16;
        }
        byte[] b = new byte[size];
        Records.putInt(b, 0, groups.size());
        int at = 4;
        for (Group g : groups.values()) {
            at = bytes(b, at, g.name);
            StreamId.write(b, at, g.lastId);
            Records.putLong(b, at + 16, g.entriesRead);
            Records.putLong(b, at + 24, g.pel.id);
            Records.putLong(b, at + 32, g.pel.first);
            Records.putLong(b, at + 40, g.pel.end);
            Records.putLong(b, at + 48, g.pel.count);
            Records.putInt(b, at + 56, g.consumers.size());
            at += 60;
            for (Consumer c : g.consumers.values()) {
                at = bytes(b, at, c.name);
                Records.putLong(b, at, c.seenTime);
                Records.putLong(b, at + 8, c.pending);
                at += 16;
            }
        }
        return b;
    }

    static StreamGroups decode(Database db, byte[] b) {
        StreamGroups out = new StreamGroups(db);
        int n = Records.getInt(b, 0), at = 4;
        for (int i = 0; i < n; i++) {
            int len = Records.getInt(b, at);
            byte[] name = Arrays.copyOfRange(b, at + 4, at + 4 + len);
            at += 4 + len;
            PendingList pel = new PendingList(db, Records.getLong(b, at + 24), Records.getLong(b, at + 32),
                    Records.getLong(b, at + 40), Records.getLong(b, at + 48));
            Group g = new Group(name, StreamId.read(b, at), Records.getLong(b, at + 16), pel);
            int consumers = Records.getInt(b, at + 56);
            at += 60;
            for (int j = 0; j < consumers; j++) {
                int cl = Records.getInt(b, at);
                byte[] cname = Arrays.copyOfRange(b, at + 4, at + 4 + cl);
                at += 4 + cl;
                g.consumers.put(cname, new Consumer(cname, Records.getLong(b, at), Records.getLong(b, at + 8)));
                at += 16;
            }
            out.groups.put(name, g);
        }
        return out;
    }

    /** Every group's pending list as {id, first page, end page}, to free or copy them with the stream. */
    static List<long[]> pendingLayouts(byte[] b) {
        List<long[]> out = new ArrayList<>();
        int n = Records.getInt(b, 0), at = 4;
        for (int i = 0; i < n; i++) {
            at += 4 + Records.getInt(b, at);
            out.add(new long[] {Records.getLong(b, at + 24), Records.getLong(b, at + 32), Records.getLong(b, at + 40)});
            int consumers = Records.getInt(b, at + 56);
            at += 60;
            for (int j = 0; j < consumers; j++) at += 4 + Records.getInt(b, at) + 16;
        }
        return out;
    }

    /** The record with each pending list's collection id replaced (COPY gives the copy its own pages). */
    static byte[] withPendingIds(byte[] b, long[] newIds) {
        byte[] out = b.clone();
        int n = Records.getInt(b, 0), at = 4;
        for (int i = 0; i < n; i++) {
            at += 4 + Records.getInt(b, at);
            Records.putLong(out, at + 24, newIds[i]);
            int consumers = Records.getInt(b, at + 56);
            at += 60;
            for (int j = 0; j < consumers; j++) at += 4 + Records.getInt(b, at) + 16;
        }
        return out;
    }

    void flush() {
        for (Group g : groups.values()) g.pel.flush();
    }

    private static int bytes(byte[] b, int at, byte[] v) {
        Records.putInt(b, at, v.length);
        System.arraycopy(v, 0, b, at + 4, v.length);
        return at + 4 + v.length;
    }
}
