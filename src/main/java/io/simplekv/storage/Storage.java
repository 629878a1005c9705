package io.simplekv.storage;

import java.util.function.Consumer;

/**
 * The byte-level engine: one instance holds one logical table (a database's records, or its expiry index).
 * Implementations are safe for concurrent use on their own; atomicity across several calls is the keyspace's
 * job (its shard locks). Values returned by {@link #get} must be treated as read-only by callers.
 */
public interface Storage extends AutoCloseable {

    byte[] get(byte[] key);

    /**
     * {@link #get}, counted as an access: an engine that keeps the key's {@link AccessStamp} field updates it in the
     * same lookup. The rest just read.
     */
    default byte[] getTouching(byte[] key) {
        return get(key);
    }

    /** The key's access field, or {@link AccessStamp#UNTRACKED} when absent or when the engine keeps none. */
    default int access(byte[] key) {
        return AccessStamp.UNTRACKED;
    }

    /** Sets the key's access field (RESTORE's IDLETIME and FREQ), where the engine keeps one. */
    default void access(byte[] key, int bits) {}

    void put(byte[] key, byte[] value);

    /**
     * Stores {@code value}, which differs from the key's current value only in bytes [from, to) and has its length.
     * An engine that can overwrite part of a stored value writes just that range; the rest write it whole.
     */
    default void patch(byte[] key, byte[] value, int from, int to) {
        put(key, value);
    }

    /** Returns true when the key was present. */
    boolean remove(byte[] key);

    /**
     * Whether a change to an array {@link #get} returned must be written back to be stored: true for an off-heap
     * engine, whose reads copy the stored bytes (only then is keeping hot pages on the heap worth it), except that a
     * value the running command's batch staged comes back as the staged array itself. When false, the returned array
     * is the stored one, and changing it changes what is stored, which callers holding the key's lock may use (and
     * no one else may do). Either way a returned array is never scratch space: change it only to store the change.
     */
    default boolean readsAreCopies() {
        return false;
    }

    default boolean contains(byte[] key) {
        return get(key) != null;
    }

    long size();

    /**
     * Visits some keys and returns the cursor to continue from, 0 when the walk is complete. Every key present
     * for the whole walk is visited at least once; keys may be visited twice. {@code count} is a hint.
     */
    long scan(long cursor, int count, Consumer<byte[]> visitor);

    /** A key chosen at random, or null when empty. */
    byte[] randomKey();

    /**
     * Up to {@code count} keys chosen at random, as Redis's dictGetSomeKeys for eviction's sample: they may be
     * near each other in the table and may repeat. An engine for which each {@link #randomKey} walks part of the
     * table takes them in one walk.
     */
    default java.util.List<byte[]> randomKeys(int count) {
        java.util.List<byte[]> keys = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] k = randomKey();
            if (k == null) break;
            keys.add(k);
        }
        return keys;
    }

    /** Removes everything. */
    void clear();

    /**
     * Forces data written before this call to durable media, where the engine has any; returns at once when
     * nothing changed since the last sync. Throws {@link java.io.UncheckedIOException} when the media refuses.
     */
    default void sync() {}

    @Override
    default void close() {}
}
