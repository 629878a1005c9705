package io.simplekv.storage;

import io.netty.util.concurrent.FastThreadLocal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes each command's writes to Chronicle all-or-nothing under kill -9. One command may write several records
 * (an HSET: a bucket and the hash's size; a list push: a page and the list's head) and Chronicle rewrites an
 * existing record in place, so a process killed mid-command could leave a hash whose size disagrees with its
 * buckets, or a record torn and then dropped by recovery. So while a command runs (under its keys' locks), its
 * writes are only staged, on its own thread, and its reads see them; at the end the whole batch goes to the
 * {@link RedoJournal} first, then to the maps, then the journal entry is cleared. A restart replays a batch it
 * finds (the rewrites a kill cut short), table by table as the tables open. Writes outside a command (expiry,
 * freeing dead pages) go straight to the maps: each is one record whose loss or survival is harmless.
 *
 * <p>{@link StagingOverlay} stages here and reads back; the batch reaches its tables through {@link BatchTarget}.
 * A walk over a table (its size, a scan, a random key) reads the maps, not the staging, so it needs the batch
 * applied first: the keyspace asks for that explicitly ({@link StorageEngine#flush}), and the overlay applies what
 * is staged before any walk anyway, rather than answer from stale maps.
 */
final class WriteBatches {
    static final byte[] DELETED = new byte[0];

    private final RedoJournal journal;
    private final CrashWindow window;
    /**
     * Netty's FastThreadLocal: on an event loop it is an array slot, where a ThreadLocal is a hash probe that often
     * misses (Chronicle Map keeps many thread locals), and a command asks for its batch several times.
     */
    private final FastThreadLocal<Batch> current = new FastThreadLocal<>() {
        @Override
        protected Batch initialValue() {
            return new Batch();
        }
    };

    /**
     * A staged record's table and key. Hashed once, by the key's bytes and the table's {@link BatchTarget#batchId}: with group commit
     * the batch is rarely empty, so every read and write of a command looks it up, and a record over a ByteBuffer
     * hashed the key and the table through method handles on each lookup (10% of a pipelined LPUSH's CPU).
     */
    private static final class Target {
        final BatchTarget table;
        final byte[] key;
        private final int hash;

        Target(BatchTarget table, byte[] key) {
            this.table = table;
            this.key = key;
            this.hash = (int) ByteHash.hash(key) * 31 + table.batchId();
        }

        BatchTarget table() {
            return table;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Target t && t.hash == hash && t.table == table && java.util.Arrays.equals(t.key, key);
        }
    }

    /**
     * A staged write: an inline value as the value itself (the caller's array, kept as the memory engine keeps it,
     * so a read of it in the same batch and the write of it cost no copy; the tag byte is added when applied), or
     * a whole record (a chunk pointer), or {@link #DELETED}. When every write to the key in this batch was a patch of
     * the stored value, [from, to) of the value covers all they changed, so applying rewrites only those bytes in
     * place (a zset member's new score is 8 bytes of its bucket); {@code from < 0} means the whole value is written.
     */
    static final class Staged {
        private byte[] bytes;
        private boolean value;
        private int from, to;

        Staged(byte[] bytes, boolean value, int from, int to) {
            this.bytes = bytes;
            this.value = value;
            this.from = from;
            this.to = to;
        }

        boolean isPatch() {
            return from >= 0;
        }

        boolean removed() {
            return bytes == DELETED;
        }

        /** Whether {@link #bytes} is an inline value rather than a record. */
        boolean isValue() {
            return value;
        }

        byte[] bytes() {
            return bytes;
        }

        /** The record the journal holds and a replay applies. */
        byte[] record() {
            return value ? RecordFormat.inline(bytes) : bytes;
        }
    }

    private static final class Batch {
        int depth;
        final Map<Target, Staged> writes = new LinkedHashMap<>();
    }

    WriteBatches(RedoJournal journal, CrashWindow window) {
        this.journal = journal;
        this.window = window;
    }

    /** A command starts; commands inside it (EXEC's) join its batch. */
    void begin() {
        current.get().depth++;
    }

    /** The outermost command ends: its writes reach the maps, all of them or (after a kill) none until replayed. */
    void commit() {
        Batch b = current.get();
        if (b.depth == 0) return;
        if (--b.depth == 0) flush();
    }

    boolean active() {
        return current.get().depth > 0;
    }

    /** Whether this thread's command has writes staged that its tables do not show yet. */
    boolean holdsWrites() {
        return !current.get().writes.isEmpty();
    }

    /** What this thread's command staged for the key: null if nothing (or no command runs). */
    Staged staged(BatchTarget table, byte[] key) {
        Batch b = current.get();
        if (b.writes.isEmpty()) return null;
        return b.writes.get(new Target(table, key));
    }

    /** Stages a whole record (a chunk pointer), or {@link #DELETED}, for the command running on this thread. */
    void stage(BatchTarget table, byte[] key, byte[] rec) {
        put(table, key, new Staged(rec, false, -1, -1));
    }

    /** Stages an inline value, which the caller no longer changes unless it stages it again. */
    void stageValue(BatchTarget table, byte[] key, byte[] value) {
        put(table, key, new Staged(value, true, -1, -1));
    }

    private void put(BatchTarget table, byte[] key, Staged staged) {
        Staged replaced = current.get().writes.put(new Target(table, key.clone()), staged);
        if (replaced != null) discard(table, key, replaced);
    }

    private static void discard(BatchTarget table, byte[] key, Staged s) {
        if (!s.value && s.bytes != DELETED) table.discardUnapplied(key, s.bytes);
    }

    /**
     * Stages the inline {@code value}, which differs from the key's current value (stored, or staged by this batch)
     * only in [from, to); a patch of a value this batch wrote whole stays a whole write.
     */
    void stagePatch(BatchTarget table, byte[] key, byte[] value, int from, int to) {
        Batch b = current.get();
        Target t = new Target(table, key);
        Staged s = b.writes.get(t);
        if (s == null) {
            b.writes.put(new Target(table, key.clone()), new Staged(value, true, from, to));
            return;
        }
        if (s.isPatch()) {
            s.from = Math.min(s.from, from);
            s.to = Math.max(s.to, to);
        }
        discard(table, key, s);
        s.bytes = value;
        s.value = true;
    }

    /** Applies what this thread has staged so far; the command's batch stays open for its later writes. */
    void flush() {
        Batch b = current.get();
        if (b.writes.isEmpty()) return;
        List<Map.Entry<Target, Staged>> writes = new ArrayList<>(b.writes.entrySet());
        b.writes.clear();
        window.enter(); // a kill anywhere from here on is a kill inside an operation: the next start recovers
        try {
            // Always journaled: a copy into a mapped file costs less than asking the map whether a lone put rewrites.
            List<Replayed> entries = new ArrayList<>(writes.size());
            for (Map.Entry<Target, Staged> w : writes) {
                entries.add(new Replayed(w.getKey().table().name(), w.getKey().key, w.getValue().record()));
            }
            RedoJournal.Slot slot = journal.slot();
            journal.record(slot, encode(entries));
            for (int i = 0; i < writes.size(); i++) {
                Staged s = writes.get(i).getValue();
                BatchTarget table = writes.get(i).getKey().table();
                byte[] key = writes.get(i).getKey().key;
                // The journal holds the whole record either way: a kill inside a patch tears the entry, and
                // recovery drops a torn entry, so a replay must be able to put it back whole.
                if (!s.isPatch() || !table.applyPatch(key, s.bytes, s.from, s.to)) apply(table, key, entries.get(i).rec());
            }
            journal.done(slot);
        } finally {
            window.exit();
        }
    }

    private static void apply(BatchTarget table, byte[] key, byte[] rec) {
        if (rec == DELETED) table.applyRemoval(key);
        else table.applyRecord(key, rec);
    }

    /** Applies again the writes of batches a kill cut short that name {@code table} (as a restart opens it). */
    static void replay(BatchTarget table, List<Replayed> writes) {
        for (Replayed w : writes) apply(table, w.key(), w.rec());
    }

    /** [count] then per write [table name][key][record, or length -1 for a removal], lengths as ints. */
    static byte[] encode(List<Replayed> writes) {
        int size = 4;
        List<byte[]> names = new ArrayList<>(writes.size());
        for (Replayed w : writes) {
            byte[] name = w.table().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            names.add(name);
            size += 12 + name.length + w.key().length + (w.rec() == DELETED ? 0 : w.rec().length);
        }
        ByteBuffer out = ByteBuffer.allocate(size).putInt(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            Replayed w = writes.get(i);
            out.putInt(names.get(i).length).put(names.get(i)).putInt(w.key().length).put(w.key());
            if (w.rec() == DELETED) out.putInt(-1);
            else out.putInt(w.rec().length).put(w.rec());
        }
        return out.array();
    }

    /** One write of a replayed batch. */
    record Replayed(String table, byte[] key, byte[] rec) {}

    static List<Replayed> decode(byte[] batch) {
        ByteBuffer in = ByteBuffer.wrap(batch);
        int count = in.getInt();
        List<Replayed> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[in.getInt()];
            in.get(name);
            byte[] key = new byte[in.getInt()];
            in.get(key);
            int length = in.getInt();
            byte[] rec = DELETED;
            if (length >= 0) {
                rec = new byte[length];
                in.get(rec);
            }
            out.add(new Replayed(new String(name, java.nio.charset.StandardCharsets.UTF_8), key, rec));
        }
        return out;
    }
}
