package io.simplekv.command;

import io.simplekv.pubsub.KeyspaceEvents;

/**
 * Keyspace notifications from command handlers, with the class letters Redis uses for each type. They only name
 * the event: WATCH, blocked clients and the dirty counter hear of the change itself from the keyspace's writes.
 */
public final class Notify {
    private Notify() {}

    public static void generic(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.GENERIC, event, c.dbIndex(), key);
    }

    public static void generic(Session c, int db, String event, byte[] key) {
        changed(c, KeyspaceEvents.GENERIC, event, db, key);
    }

    public static void string(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.STRING, event, c.dbIndex(), key);
    }

    public static void hash(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.HASH, event, c.dbIndex(), key);
    }

    public static void set(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.SET, event, c.dbIndex(), key);
    }

    public static void list(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.LIST, event, c.dbIndex(), key);
    }

    public static void zset(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.ZSET, event, c.dbIndex(), key);
    }

    public static void stream(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.STREAM, event, c.dbIndex(), key);
    }

    /** Through the keyspace's change path (KeyEvents), like every other signal about a key. */
    private static void changed(Session c, int type, String event, int db, byte[] key) {
        c.server().keyspace().db(db).notify(type, event, key);
    }

    /** A collection command that emptied its key also reports the key's deletion, as Redis does. */
    public static void delIfEmptied(Session c, long sizeAfter, byte[] key) {
        if (sizeAfter == 0) generic(c, "del", key);
    }
}
