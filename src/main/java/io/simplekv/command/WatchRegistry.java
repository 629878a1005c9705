package io.simplekv.command;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WATCH, as Redis does it: watched (db, key) → the clients watching it. A key the keyspace modified touches its
 * watchers here (ChangeSignals), which marks them dirty so their EXEC returns nil. Lives beside the storage, never
 * inside it.
 */
public final class WatchRegistry {
    private final ConcurrentHashMap<DbKey, Set<Session>> watchers = new ConcurrentHashMap<>();

    /** Cheap test first: most servers have no watched key at all, and every write asks. */
    public boolean isEmpty() {
        return watchers.isEmpty();
    }

    void watch(Session c, int db, byte[] key) {
        DbKey w = DbKey.copyOf(db, key);
        if (!c.watched().add(w)) return;
        // The add must happen inside the map's atomic step: added after computeIfAbsent returned, it could land in
        // a set that another client's unwatch had just found empty and removed, and no write would ever reach us.
        watchers.compute(w, (k, set) -> {
            Set<Session> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(c);
            return s;
        });
    }

    void unwatchAll(Session c) {
        for (DbKey w : c.watched()) {
            watchers.computeIfPresent(w, (k, set) -> {
                set.remove(c);
                return set.isEmpty() ? null : set;
            });
        }
        c.watched().clear();
    }

    public void touch(int db, byte[] key) {
        Set<Session> set = watchers.get(DbKey.probe(db, key));
        if (set != null) for (Session c : set) c.markWatchDirty();
    }

    /**
     * FLUSHDB, FLUSHALL, SWAPDB, called before they run: a watched key of the database (all of them for db -1)
     * counts as changed only if it exists now, as in Redis; watching a missing key survives a flush.
     */
    public void touchExisting(int db, java.util.function.BiPredicate<Integer, byte[]> exists) {
        watchers.forEach((w, set) -> {
            if ((db < 0 || w.db() == db) && exists.test(w.db(), w.key().array())) {
                for (Session c : set) c.markWatchDirty();
            }
        });
    }
}
