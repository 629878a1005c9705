package io.simplekv.keyspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * A stream's consumer groups, read whole for a command that uses them and written back by {@link StreamTable#commit}:
 * one record at the stream's aux page {@link StreamTable#AUX} holding every group's name, last delivered ID,
 * entries read, pending list position and consumers (name, seen time, pending list position). Groups and consumers
 * are kept in name order, as Redis's radix trees list them. Each group's pending entries are a {@link PendingList}
 * under its own collection id, and, as Redis keeps a second PEL per consumer, each consumer's pending IDs another,
 * so a consumer's history, XPENDING for one consumer and XGROUP DELCONSUMER cost what that consumer has pending.
 * {@link Group#assign} and {@link Group#ack} change both lists together.
 */
public final class StreamGroups {
    /** Redis's SCG_INVALID_ENTRIES_READ: the group's read counter is unknown. */
    public static final long INVALID_ENTRIES_READ = -1;

    public static final class Consumer {
        public final byte[] name;
        public long seenTime;
        /** The IDs pending for this consumer alone (Redis's consumer PEL): its history reads walk only these. */
        final PendingList own;

        Consumer(byte[] name, long seenTime, PendingList own) {
            this.name = name;
            this.seenTime = seenTime;
            this.own = own;
        }

        /** How many entries are pending for this consumer. */
        public long pending() {
            return own.size();
        }
    }

    public static final class Group {
        public final byte[] name;
        public StreamId lastId;
        public long entriesRead;
        public final PendingList pel;
        final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

        private final Database db;

        Group(Database db, byte[] name, StreamId lastId, long entriesRead, PendingList pel) {
            this.db = db;
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
            Consumer c = new Consumer(consumerName, now, new PendingList(db, db.space().allocateId(), 0, 0, 0));
            consumers.put(consumerName, c);
            return c;
        }

        /** Removes a consumer and its pending entries; returns how many were pending, or -1 with no such consumer. */
        public long deleteConsumer(byte[] consumerName) {
            Consumer c = consumers.remove(consumerName);
            if (c == null) return -1;
            long pending = c.pending();
            for (PendingList.Nack n : c.own.first(Long.MAX_VALUE)) pel.remove(n.id());
            c.own.release();
            return pending;
        }

        /**
         * The entry pending for {@code c} from now on, delivered at {@code time} for the {@code count}th time: a new
         * pending entry, or one taken from whichever consumer had it. Returns the entry it replaced, or null.
         */
        public PendingList.Nack assign(StreamId id, Consumer c, long time, long count) {
            PendingList.Nack old = pel.put(new PendingList.Nack(id, c.name, time, count));
            if (old == null || !Arrays.equals(old.consumer(), c.name)) {
                Consumer previous = old == null ? null : consumers.get(old.consumer());
                if (previous != null) previous.own.remove(id);
                c.own.put(new PendingList.Nack(id, EMPTY, 0, 0));
            }
            return old;
        }

        /** Acknowledges an entry (XACK, or a claim of an entry gone from the stream); returns it, or null. */
        public PendingList.Nack ack(StreamId id) {
            PendingList.Nack n = pel.remove(id);
            if (n == null) return null;
            Consumer owner = consumers.get(n.consumer());
            if (owner != null) owner.own.remove(id);
            return n;
        }

        /** Up to {@code count} (0: all) of the consumer's pending entries from {@code from} to {@code to}. */
        public List<PendingList.Nack> pendingOf(Consumer c, StreamId from, StreamId to, long count) {
            List<PendingList.Nack> out = new ArrayList<>();
            c.own.walk(from, to, n -> {
                PendingList.Nack full = pel.get(n.id());
                if (full != null) out.add(full);
                return count == 0 || out.size() < count;
            });
            return out;
        }
    }

    private static final byte[] EMPTY = new byte[0];

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
        Group g = new Group(db, name, lastId, entriesRead, new PendingList(db, db.space().allocateId(), 0, 0, 0));
        groups.put(name, g);
        return g;
    }

    /** Removes a group; its pending list's pages are freed in the background. */
    public boolean destroy(byte[] name) {
        Group g = groups.remove(name);
        if (g == null) return false;
        g.pel.release();
        for (Consumer c : g.consumers.values()) c.own.release();
        return true;
    }

    // ---- record ----

    byte[] encode() {
        int size = 4;
        for (Group g : groups.values()) {
            size += 4 + g.name.length + 16 + 8 + 32 + 4;
            for (Consumer c : g.consumers.values()) size += 4 + c.name.length + CONSUMER_BYTES;
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
                Records.putLong(b, at + 8, c.own.count);
                Records.putLong(b, at + 16, c.own.id);
                Records.putLong(b, at + 24, c.own.first);
                Records.putLong(b, at + 32, c.own.end);
                at += CONSUMER_BYTES;
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
            Group g = new Group(db, name, StreamId.read(b, at), Records.getLong(b, at + 16), pel);
            int consumers = Records.getInt(b, at + 56);
            at += 60;
            for (int j = 0; j < consumers; j++) {
                int cl = Records.getInt(b, at);
                byte[] cname = Arrays.copyOfRange(b, at + 4, at + 4 + cl);
                at += 4 + cl;
                PendingList own = new PendingList(db, Records.getLong(b, at + 16), Records.getLong(b, at + 24),
                        Records.getLong(b, at + 32), Records.getLong(b, at + 8));
                g.consumers.put(cname, new Consumer(cname, Records.getLong(b, at), own));
                at += CONSUMER_BYTES;
            }
            out.groups.put(name, g);
        }
        return out;
    }

    /** Every pending list (each group's, each consumer's) as {id, first page, end page}, to free them with the stream. */
    static List<long[]> pendingLayouts(byte[] b) {
        List<long[]> out = new ArrayList<>();
        int n = Records.getInt(b, 0), at = 4;
        for (int i = 0; i < n; i++) {
            at += 4 + Records.getInt(b, at);
            out.add(new long[] {Records.getLong(b, at + 24), Records.getLong(b, at + 32), Records.getLong(b, at + 40)});
            int consumers = Records.getInt(b, at + 56);
            at += 60;
            for (int j = 0; j < consumers; j++) {
                at += 4 + Records.getInt(b, at);
                out.add(new long[] {Records.getLong(b, at + 16), Records.getLong(b, at + 24), Records.getLong(b, at + 32)});
                at += CONSUMER_BYTES;
            }
        }
        return out;
    }

    /** The record with every pending list's collection id replaced, in {@link #pendingLayouts}'s order (COPY). */
    static byte[] withPendingIds(byte[] b, long[] newIds) {
        byte[] out = b.clone();
        int n = Records.getInt(b, 0), at = 4, k = 0;
        for (int i = 0; i < n; i++) {
            at += 4 + Records.getInt(b, at);
            Records.putLong(out, at + 24, newIds[k++]);
            int consumers = Records.getInt(b, at + 56);
            at += 60;
            for (int j = 0; j < consumers; j++) {
                at += 4 + Records.getInt(b, at);
                Records.putLong(out, at + 16, newIds[k++]);
                at += CONSUMER_BYTES;
            }
        }
        return out;
    }

    void flush() {
        for (Group g : groups.values()) {
            g.pel.flush();
            for (Consumer c : g.consumers.values()) c.own.flush();
        }
    }

    /** A consumer in the record: seen time, pending count, and its own pending list's id, first and end page. */
    private static final int CONSUMER_BYTES = 40;

    private static int bytes(byte[] b, int at, byte[] v) {
        Records.putInt(b, at, v.length);
        System.arraycopy(v, 0, b, at + 4, v.length);
        return at + 4 + v.length;
    }
}
