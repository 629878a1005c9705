package io.simplekv.command;

import io.simplekv.keyspace.Database;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WATCH, as Redis's multi.c does it: watched (db, key) → each client's watch of it. A key the keyspace modified
 * touches its watchers here (ChangeSignals), which marks them dirty so their EXEC returns nil. A key that was
 * already stale (its TTL passed, not yet deleted) when watched is Redis's {@code watchedKey.expired}: its deletion
 * is no logical change, so it leaves the watcher alone. Lives beside the storage, never inside it.
 */
public final class WatchRegistry {
    /** One client's watch of one key; {@code expired}: the key was stale when watched, and still is. */
    private static final class Watch {
        volatile boolean expired;

        Watch(boolean expired) {
            this.expired = expired;
        }
    }

    private final ConcurrentHashMap<DbKey, Map<Session, Watch>> watchers = new ConcurrentHashMap<>();

    /** Cheap test first: most servers have no watched key at all, and every write asks. */
    public boolean isEmpty() {
        return watchers.isEmpty();
    }

    /** Whether anyone watches the key, so a caller can skip reading the key's state for a touch. */
    public boolean watched(int db, byte[] key) {
        return watchers.containsKey(DbKey.probe(db, key));
    }

    void watch(Session c, Database db, byte[] key) {
        DbKey w = DbKey.copyOf(db.index(), key);
        if (!c.watched().add(w)) return;
        boolean stale = db.isStale(key);
        // The add must happen inside the map's atomic step: added after computeIfAbsent returned, it could land in
        // a map that another client's unwatch had just found empty and removed, and no write would ever reach us.
        watchers.compute(w, (k, map) -> {
            Map<Session, Watch> m = map == null ? new ConcurrentHashMap<>() : map;
            m.put(c, new Watch(stale));
            return m;
        });
    }

    void unwatchAll(Session c) {
        for (DbKey w : c.watched()) {
            watchers.computeIfPresent(w, (k, map) -> {
                map.remove(c);
                return map.isEmpty() ? null : map;
            });
        }
        c.watched().clear();
    }

    /**
     * Redis's touchWatchedKey, after a change to the key: its watchers are dirty, except those that watched it stale
     * now that it is gone (an expired key deleted is logically no change; their flag clears).
     */
    public void touch(int db, byte[] key, boolean presentNow) {
        Map<Session, Watch> map = watchers.get(DbKey.probe(db, key));
        if (map == null) return;
        map.forEach((c, w) -> {
            if (w.expired && !presentNow) w.expired = false;
            else c.markWatchDirty();
        });
    }

    /**
     * Redis's touchAllWatchedKeysInDb: {@code emptied} is about to lose its contents (FLUSHDB, FLUSHALL) or get
     * {@code replacedWith}'s (SWAPDB; null for a flush). A watched key of it counts as changed if it exists in
     * either, with Redis's rules for keys that are stale on either side.
     */
    public void touchAll(Database emptied, Database replacedWith) {
        watchers.forEach((k, map) -> {
            if (k.db() != emptied.index()) return;
            byte[] key = k.key().array();
            boolean inEmptied = emptied.present(key);
            boolean inReplacement = replacedWith != null && replacedWith.present(key);
            if (!inEmptied && !inReplacement) return;
            map.forEach((c, w) -> {
                if (w.expired) {
                    if (!inReplacement) {
                        w.expired = false; // the stale key is deleted: no logical change
                        return;
                    }
                    if (replacedWith.isStale(key)) return; // stale before, stale after
                } else if (!inEmptied && replacedWith.isStale(key)) {
                    w.expired = true; // a missing key replaced with a stale one
                    return;
                }
                c.markWatchDirty();
            });
        });
    }
}
