package io.simplekv.command;

import io.simplekv.pubsub.KeyspaceEvents;

/**
 * Keyspace notifications from command handlers, with the class letters Redis uses for each type, and the WATCH
 * touches that go with them.
 */
final class Notify {
    private Notify() {}

    static void generic(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.GENERIC, event, c.dbIndex(), key);
    }

    static void generic(Session c, int db, String event, byte[] key) {
        changed(c, KeyspaceEvents.GENERIC, event, db, key);
    }

    static void string(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.STRING, event, c.dbIndex(), key);
    }

    static void hash(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.HASH, event, c.dbIndex(), key);
    }

    static void set(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.SET, event, c.dbIndex(), key);
    }

    static void list(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.LIST, event, c.dbIndex(), key);
    }

    static void zset(Session c, String event, byte[] key) {
        changed(c, KeyspaceEvents.ZSET, event, c.dbIndex(), key);
    }

    /**
     * Every change a command notifies is also a change WATCH must see: for commands flagged CHANGES_NOTIFIED this
     * is how WATCH hears of them at all (see ExecutionTrait).
     */
    private static void changed(Session c, int type, String event, int db, byte[] key) {
        WatchRegistry watches = c.server().watches();
        if (!watches.isEmpty()) watches.touch(db, key);
        c.server().notify(type, event, db, key);
    }

    /** A collection command that emptied its key also reports the key's deletion, as Redis does. */
    static void delIfEmptied(Session c, long sizeAfter, byte[] key) {
        if (sizeAfter == 0) generic(c, "del", key);
    }
}
