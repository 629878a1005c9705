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
    private static final byte[] DEL = {'D', 'E', 'L'};
    private static final byte[] UNLINK = {'U', 'N', 'L', 'I', 'N', 'K'};
    private final ServerContext server;

    ChangeSignals(ServerContext server) {
        this.server = server;
    }

    @Override
    public void modified(int db, byte[] key) {
        changed(db, key, false);
    }

    @Override
    public void modifiedByExpiry(int db, byte[] key) {
        changed(db, key, true);
    }

    @Override
    public void changedQuietly(int db) {
        server.persistence().changed();
        if (server.replication().active()) server.replication().dirtied();
    }

    private void changed(int db, byte[] key, boolean byExpiry) {
        server.persistence().changed();
        // An expiry is not the command's change: it propagates as its own DEL (expired below).
        if (!byExpiry && server.replication().active()) server.replication().dirtied();
        WatchRegistry watches = server.watches();
        if (!watches.isEmpty() && watches.watched(db, key)) watches.touch(db, key, server.keyspace().db(db).present(key));
        server.tracking().modified(key, byExpiry);
    }

    /** Every client tracking keys may have cached something that is gone now. */
    @Override
    public void flushed() {
        server.tracking().flushed();
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
        // Redis's propagateDeletion: replicas never expire keys themselves, the master tells them.
        if (server.replication().active()) {
            boolean lazy = "yes".equals(server.config().get("lazyfree-lazy-expire"));
            server.replication().propagate(db, new byte[][] {lazy ? UNLINK : DEL, key});
        }
    }

    @Override
    public boolean wantsCreated() {
        return server.events().enabled(KeyspaceEvents.NEW);
    }

    @Override
    public void created(int db, byte[] key) {
        server.events().notify(KeyspaceEvents.NEW, "new", db, key);
    }

    /** Redis's signalFlushedDb: the database's watched keys that exist now are about to change. */
    @Override
    public void emptying(int db) {
        server.persistence().changed();
        if (server.replication().active()) server.replication().dirtied();
        WatchRegistry watches = server.watches();
        if (!watches.isEmpty()) watches.touchAll(server.keyspace().db(db), null);
        // Redis's scanDatabaseForDeletedStreams: a waiter on a stream that goes (XREADGROUP) is answered.
        BlockedKeys blocking = server.blocking();
        if (blocking.anyWaiting()) blocking.signalAll();
    }

    /** Before SWAPDB, as Redis's dbSwapDatabases: each database's watched keys against the other's contents. */
    @Override
    public void swapping(int a, int b) {
        WatchRegistry watches = server.watches();
        if (watches.isEmpty()) return;
        Keyspace ks = server.keyspace();
        watches.touchAll(ks.db(a), ks.db(b));
        watches.touchAll(ks.db(b), ks.db(a));
    }

    /** After SWAPDB every waiter looks again (Redis's scanDatabaseForReadyKeys): either database may now hold it. */
    @Override
    public void swapped(int a, int b) {
        server.persistence().changed();
        BlockedKeys blocking = server.blocking();
        if (blocking.anyWaiting()) blocking.signalAll();
    }
}
