package io.simplekv.keyspace;

/** What the keyspace tells the layers beside it (WATCH, keyspace notifications) about changes it makes itself. */
public interface KeyEvents {
    KeyEvents NONE = (db, key) -> {};

    /** A key was deleted because its TTL passed (lazily on access or by the active expirer). */
    void expired(int db, byte[] key);

    /**
     * Whether anyone listens to {@link #created}: finding out that a write creates its key costs a read, paid only
     * while this says yes (notify-keyspace-events with the 'n' class).
     */
    default boolean wantsCreated() {
        return false;
    }

    /** A write is about to add a key that did not exist (Redis's dbAdd, the "new" event). */
    default void created(int db, byte[] key) {}
}
