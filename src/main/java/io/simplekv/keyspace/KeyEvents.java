package io.simplekv.keyspace;

/** What the keyspace tells the layers beside it (WATCH, later keyspace notifications) about changes it makes itself. */
public interface KeyEvents {
    KeyEvents NONE = (db, key) -> {};

    /** A key was deleted because its TTL passed (lazily on access or by the active expirer). */
    void expired(int db, byte[] key);
}
