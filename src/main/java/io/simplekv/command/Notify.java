package io.simplekv.command;

import io.simplekv.pubsub.KeyspaceEvents;
import io.simplekv.server.ClientConnection;

/** Keyspace notifications from command handlers, with the class letters Redis uses for each type. */
final class Notify {
    private Notify() {}

    static void generic(ClientConnection c, String event, byte[] key) {
        c.server().notify(KeyspaceEvents.GENERIC, event, c.dbIndex(), key);
    }

    static void generic(ClientConnection c, int db, String event, byte[] key) {
        c.server().notify(KeyspaceEvents.GENERIC, event, db, key);
    }

    static void string(ClientConnection c, String event, byte[] key) {
        c.server().notify(KeyspaceEvents.STRING, event, c.dbIndex(), key);
    }

    static void hash(ClientConnection c, String event, byte[] key) {
        c.server().notify(KeyspaceEvents.HASH, event, c.dbIndex(), key);
    }

    static void set(ClientConnection c, String event, byte[] key) {
        c.server().notify(KeyspaceEvents.SET, event, c.dbIndex(), key);
    }

    static void list(ClientConnection c, String event, byte[] key) {
        c.server().notify(KeyspaceEvents.LIST, event, c.dbIndex(), key);
    }

    static void zset(ClientConnection c, String event, byte[] key) {
        c.server().notify(KeyspaceEvents.ZSET, event, c.dbIndex(), key);
    }

    /** A collection command that emptied its key also reports the key's deletion, as Redis does. */
    static void delIfEmptied(ClientConnection c, long sizeAfter, byte[] key) {
        if (sizeAfter == 0) generic(c, "del", key);
    }
}
