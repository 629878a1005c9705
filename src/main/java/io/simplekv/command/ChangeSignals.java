package io.simplekv.command;

import io.simplekv.keyspace.KeyEvents;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.pubsub.KeyspaceEvents;

/**
 * Where the keyspace's change events go: WATCH (a modified key makes its watchers' EXEC fail), blocked clients (a
 * filled key may serve them), the dirty counter behind rdb_changes_since_last_save and appendfsync, and keyspace
 * notifications. Everything that reacts to a change hears of it here, from the keyspace's own writes.
 */
final class ChangeSignals implements KeyEvents {
    private final ServerContext server;

    ChangeSignals(ServerContext server) {
        this.server = server;
    }

    @Override
    public void modified(int db, byte[] key) {
        server.persistence().changed();
        WatchRegistry watches = server.watches();
        if (!watches.isEmpty()) watches.touch(db, key);
    }

    @Override
    public void filled(int db, byte[] key) {
        BlockedKeys blocking = server.blocking();
        if (blocking.anyWaiting()) blocking.signal(db, key);
    }

    @Override
    public void notified(int type, String event, int db, byte[] key) {
        server.events().notify(type, event, db, key);
    }

    @Override
    public void expired(int db, byte[] key) {
        server.events().notify(KeyspaceEvents.EXPIRED, "expired", db, key);
    }

    @Override
    public boolean wantsCreated() {
        return server.events().enabled(KeyspaceEvents.NEW);
    }

    @Override
    public void created(int db, byte[] key) {
        server.events().notify(KeyspaceEvents.NEW, "new", db, key);
    }

    /** Redis's touchAllWatchedKeysInDb: a watched key of the database counts as changed only if it exists now. */
    @Override
    public void emptying(int db) {
        server.persistence().changed();
        Keyspace ks = server.keyspace();
        WatchRegistry watches = server.watches();
        if (!watches.isEmpty()) watches.touchExisting(db, (d, key) -> ks.db(d).exists(key));
    }

    /**
     * A watched key of either database counts as changed if it exists in either, and every waiter on them looks
     * again (Redis's scanDatabaseForReadyKeys), since either database may now hold what it waits for.
     */
    @Override
    public void swapped(int a, int b) {
        server.persistence().changed();
        Keyspace ks = server.keyspace();
        WatchRegistry watches = server.watches();
        if (!watches.isEmpty()) {
            watches.touchExisting(-1, (d, key) -> (d == a || d == b) && (ks.db(a).exists(key) || ks.db(b).exists(key)));
        }
        BlockedKeys blocking = server.blocking();
        if (blocking.anyWaiting()) blocking.signalAll();
    }
}
