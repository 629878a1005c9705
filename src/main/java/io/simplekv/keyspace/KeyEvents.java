package io.simplekv.keyspace;

/**
 * The one path by which the keyspace tells the layers beside it what changed: it raises these from its own writes
 * (a command never reports a change itself), and WATCH, blocked-key readiness, the dirty counter, keyspace
 * notifications and client-side caching all derive from them. Called on the writing thread, inside the writer's
 * unit of work.
 */
public interface KeyEvents {
    KeyEvents NONE = new KeyEvents() {};

    /**
     * A key's value or TTL changed, or it was deleted (Redis's signalModifiedKey): raised for every record the
     * keyspace writes or removes for a key, and only then, so a write that changes nothing is no change.
     */
    default void modified(int db, byte[] key) {}

    /**
     * A write Redis counts as a change (its dirty counter) but signals to no key: a consumer group's progress, XSETID.
     * Persistence must still force it; WATCH and client-side caching hear nothing, as in Redis.
     */
    default void changedQuietly(int db) {}

    /** A key now holds a list, sorted set or stream after a write (Redis's signalKeyAsReady): clients blocked on it may be served. */
    default void filled(int db, byte[] key) {}

    /** A command's keyspace notification about a key (Redis's notifyKeyspaceEvent), with the event's class letter. */
    default void notified(int type, String event, int db, byte[] key) {}

    /** A key was deleted because its TTL passed (lazily on access or by the active expirer); it is modified too. */
    default void expired(int db, byte[] key) {}

    /** The change an expiry makes, raised after {@link #expired}: no client made it (tracking's NOLOOP cares). */
    default void modifiedByExpiry(int db, byte[] key) {
        modified(db, key);
    }

    /**
     * Whether anyone listens to {@link #created}: finding out that a write creates its key costs a read, paid only
     * while this says yes (notify-keyspace-events with the 'n' class).
     */
    default boolean wantsCreated() {
        return false;
    }

    /** A write is about to add a key that did not exist (Redis's dbAdd, the "new" event). */
    default void created(int db, byte[] key) {}

    /** A database is about to be emptied (FLUSHDB, FLUSHALL): its keys that exist now are about to change. */
    default void emptying(int db) {}

    /** FLUSHDB or FLUSHALL emptied one or every database: raised once per command, after the emptying. */
    default void flushed() {}

    /** Two databases are about to swap their contents (SWAPDB). */
    default void swapping(int a, int b) {}

    /** Two databases swapped their contents (SWAPDB). */
    default void swapped(int a, int b) {}
}
