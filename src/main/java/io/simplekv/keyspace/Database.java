package io.simplekv.keyspace;

import io.simplekv.observe.ServerStats;
import io.simplekv.protocol.RedisError;
import io.simplekv.storage.Storage;

/**
 * One numbered database: the records table and the expiry index (key → absolute expire time in ms), which
 * lets the active expirer sample only keys that can expire. Callers hold the shard locks of the keys they pass.
 * A walk over a whole table (size, scan, a random key) sees what the tables hold: a command that wrote before one
 * flushes its unit of work first (UnitOfWork.flush), since a persistent engine stages writes until the unit ends.
 * The two tables are swapped by SWAPDB and replaced by FLUSHDB while every shard lock is held.
 */
public final class Database {
    private final int index;
    private final ServerStats stats;
    private final PageSpace space;
    private volatile KeyEvents events = KeyEvents.NONE;
    /**
     * Whether the expiry index may hold anything. Asking the index its size on every write is not free (a
     * persistent engine sums its segments), and most keys never get a TTL, so writes test this instead.
     */
    private volatile boolean anyExpires;
    private volatile Storage data;
    private volatile Storage expires;
    private volatile Storage pages;
    private final ExpiryClock clock;

    Database(int index, Storage data, Storage expires, Storage pages, PageSpace space,
             ServerStats stats, ExpiryClock clock) {
        this.clock = clock;
        this.index = index;
        this.data = data;
        this.expires = expires;
        this.pages = pages;
        this.space = space;
        this.stats = stats;
        this.anyExpires = expires.size() > 0;
    }

    public int index() {
        return index;
    }

    public static long now() {
        return System.currentTimeMillis();
    }

    /** The live record for a key, or null; an expired record is deleted on the way, as Redis does. */
    public byte[] lookup(byte[] key) {
        return live(key, data.getTouching(key));
    }

    /**
     * Like {@link #lookup}, but not counted as an access of the key (Redis's LOOKUP_NOTOUCH: EXISTS, TYPE, the TTL
     * family, OBJECT, and the server's own reads such as eviction's).
     */
    public byte[] lookupQuietly(byte[] key) {
        return live(key, data.get(key));
    }

    /** The key's access field ({@link AccessClock}), or -1 where the engine keeps none. */
    public int access(byte[] key) {
        return data.access(key);
    }

    public void access(byte[] key, int bits) {
        data.access(key, bits);
    }

    private byte[] live(byte[] key, byte[] rec) {
        if (rec == null) return null;
        long at = Records.expireAt(rec);
        if (at != Records.NO_EXPIRY && clock.now() > at) {
            if (!clock.deletionsHeld()) expire(key);
            return null;
        }
        return rec;
    }

    /** The record as stored, expired or not, touching nothing (DEBUG OBJECT, as Redis's dictFind). */
    public byte[] peek(byte[] key) {
        return data.get(key);
    }

    /** Like {@link #lookup} and counts a keyspace hit or miss, for read commands. */
    public byte[] read(byte[] key) {
        return counted(lookup(key));
    }

    /** Like {@link #read}, without counting as an access of the key ({@link #lookupQuietly}). */
    public byte[] readQuietly(byte[] key) {
        return counted(lookupQuietly(key));
    }

    private byte[] counted(byte[] rec) {
        (rec == null ? stats.keyspaceMisses : stats.keyspaceHits).increment();
        return rec;
    }

    /** The record of a string key, null when absent; WRONGTYPE for another type. */
    public byte[] readString(byte[] key) {
        byte[] rec = read(key);
        if (rec != null && Records.type(rec) != KeyType.STRING) throw RedisError.WRONGTYPE;
        return rec;
    }

    public byte[] lookupString(byte[] key) {
        byte[] rec = lookup(key);
        if (rec != null && Records.type(rec) != KeyType.STRING) throw RedisError.WRONGTYPE;
        return rec;
    }

    /** Whether the key has a record, stale or not (Redis's dictFind): nothing is expired on the way. */
    public boolean present(byte[] key) {
        return data.get(key) != null;
    }

    /** Whether the key has a record whose TTL has passed but which is not deleted yet (Redis's keyIsExpired). */
    public boolean isStale(byte[] key) {
        byte[] rec = data.get(key);
        if (rec == null) return false;
        long at = Records.expireAt(rec);
        return at != Records.NO_EXPIRY && now() > at;
    }

    public boolean exists(byte[] key) {
        return lookup(key) != null;
    }

    /**
     * Stores a whole record and keeps the expiry index in step with its TTL. A big collection it replaces has its
     * pages freed in the background; the extra read for that is skipped while no big collection exists anywhere.
     */
    public void put(byte[] key, byte[] record) {
        boolean streamReplaced = false;
        if (space.anyPaged()) {
            byte[] previous = data.get(key);
            if (previous != null && FieldTable.isPagedCollection(previous) && !sharesPages(previous, record)) {
                releasePages(previous);
            }
            streamReplaced = previous != null && Records.type(previous) == KeyType.STREAM;
        }
        putCollection(key, record);
        if (streamReplaced) streamGone(key);
    }

    /**
     * A stream was deleted or overwritten: clients blocked on it in XREADGROUP must hear (Redis signals the key ready
     * on every unlink or overwrite of a stream). A stream only ever exists once some paged collection has, so callers
     * that skip reading the old record while none has lose nothing.
     */
    private void streamGone(byte[] key) {
        events.filled(index, key);
    }

    /** Like {@link #put} for a collection rewriting its own record, which must not free its own pages. */
    void putCollection(byte[] key, byte[] record) {
        if (events.wantsCreated() && lookup(key) == null) events.created(index, key);
        if (!space.anyPaged() && FieldTable.isPagedCollection(record)) space.markPaged();
        data.put(key, record);
        events.modified(index, key);
        KeyType type = Records.type(record);
        if (type == KeyType.LIST || type == KeyType.ZSET || type == KeyType.STREAM) events.filled(index, key);
        long at = Records.expireAt(record);
        if (at != Records.NO_EXPIRY) {
            anyExpires = true;
            expires.put(key, Records.longBytes(at));
        } else if (anyExpires) {
            expires.remove(key);
        }
    }

    /**
     * Stores a record that differs from the key's current one only in how it is kept (a string unshared to raw
     * encoding by a bit command that changed no bit, as Redis's dbUnshareStringValue does), or a key a command
     * makes without a change Redis signals (BITFIELD growing a string its FAIL overflow then leaves unwritten):
     * no change event, as in Redis.
     */
    public void restate(byte[] key, byte[] record) {
        data.put(key, record);
    }

    /**
     * A paged collection changed only in its pages (a member's score moved, the count did not): the record stays,
     * but the key was modified all the same (WATCH, tracking, the dirty counter, replicas).
     */
    void pagesChanged(byte[] key) {
        events.modified(index, key);
    }

    /** A write this command made that signals to no key but is still a change to persist (KeyEvents.changedQuietly). */
    void changedQuietly() {
        events.changedQuietly(index);
    }

    /** Redis's LAZYFREE_THRESHOLD: a value that takes more steps than this to free is freed in the background. */
    private static final long LAZYFREE_THRESHOLD = 64;

    /**
     * DEL's lazy form (UNLINK, or DEL under lazyfree-lazy-user-del): the same deletion (a big collection's pages
     * are always freed in the background here), counted in INFO's lazyfreed_objects when Redis would have freed the
     * value in the background, that is when freeing it takes more than LAZYFREE_THRESHOLD steps.
     */
    public boolean unlink(byte[] key) {
        byte[] rec = lookupQuietly(key);
        if (rec == null) return false;
        boolean lazy = FieldTable.freeEffort(rec) > LAZYFREE_THRESHOLD;
        delete(key);
        if (lazy) space.lazilyFreed();
        return true;
    }

    public boolean delete(byte[] key) {
        byte[] rec = lookup(key);
        if (rec == null) return false;
        if (FieldTable.isPagedCollection(rec)) releasePages(rec);
        data.remove(key);
        if (anyExpires) expires.remove(key);
        events.modified(index, key);
        if (Records.type(rec) == KeyType.STREAM) streamGone(key);
        return true;
    }

    /**
     * MEMORY USAGE: the key, its record and per-entry overhead; a big collection adds its pages, measured on up to
     * {@code samples} buckets and scaled to all of them (0 means every bucket), as Redis samples big values.
     */
    public long memoryUsage(byte[] key, byte[] record, int samples) {
        final long entryOverhead = 48;
        long bytes = entryOverhead + key.length + record.length;
        if (!FieldTable.isPagedCollection(record)) return bytes;
        if (Records.type(record) == KeyType.STREAM) {
            long[] s = StreamTable.layout(record);
            return bytes + sampledPageBytes(s[0], s[1], s[2], samples) + sampledPageBytes(s[0], s[3], s[4], samples);
        }
        long[] layout = FieldTable.pagedLayout(record);
        long buckets = layout[1], measured = 0, pageBytes = 0;
        long step = samples <= 0 ? 1 : Math.max(1, buckets / samples);
        byte[] k = new byte[16];
        Records.putLong(k, 0, layout[0]);
        for (long b = 0; b < buckets; b += step, measured++) {
            Records.putLong(k, 8, b);
            byte[] page = pages.get(k);
            // Page numbers may have gaps (empty buckets, a zset's interleaved tree nodes): those cost nothing.
            if (page != null) pageBytes += entryOverhead + k.length + page.length;
        }
        return bytes + (measured == 0 ? 0 : pageBytes * buckets / measured);
    }

    /** The bytes of pages [first, end) of a collection, measured on up to {@code samples} of them and scaled. */
    private long sampledPageBytes(long id, long first, long end, int samples) {
        long n = end - first, step = samples <= 0 ? 1 : Math.max(1, n / samples), measured = 0, pageBytes = 0;
        byte[] k = new byte[16];
        Records.putLong(k, 0, id);
        for (long b = first; b < end; b += step, measured++) {
            Records.putLong(k, 8, b);
            byte[] page = pages.get(k);
            if (page != null) pageBytes += 48 + k.length + page.length;
        }
        return measured == 0 ? 0 : pageBytes * n / measured;
    }

    /** Removes a key whose record now lives under another name (RENAME): its pages stay in use. */
    public void detach(byte[] key) {
        byte[] rec = space.anyPaged() ? data.get(key) : null;
        data.remove(key);
        if (anyExpires) expires.remove(key);
        events.modified(index, key);
        if (rec != null && Records.type(rec) == KeyType.STREAM) streamGone(key);
    }

    /**
     * Clients blocked on the key may have an answer although no record of it changed (XGROUP DESTROY: a waiting
     * XREADGROUP answers NOGROUP), Redis's explicit signalKeyAsReady.
     */
    public void signalReady(byte[] key) {
        events.filled(index, key);
    }

    /**
     * A command's keyspace notification about a key of this database (Redis's notifyKeyspaceEvent), raised through
     * the keyspace's one change path; it changes nothing by itself.
     */
    public void notify(int type, String event, byte[] key) {
        events.notified(type, event, index, key);
    }

    /** A copy of a record for COPY/MOVE into {@code target}: a big collection gets its own pages there. */
    public byte[] copyFor(byte[] record, Database target) {
        return FieldTable.deepCopy(record, this, target);
    }

    void events(KeyEvents events) {
        this.events = events;
    }

    private void expire(byte[] key) {
        events.expired(index, key);
        byte[] rec = data.get(key);
        if (rec != null && FieldTable.isPagedCollection(rec)) releasePages(rec);
        data.remove(key);
        expires.remove(key);
        stats.expiredKeys.increment();
        events.modifiedByExpiry(index, key);
        if (rec != null && Records.type(rec) == KeyType.STREAM) streamGone(key);
    }

    /**
     * Deletes the key if its TTL has passed; used by the active expirer, which samples the expiry index.
     * Returns true when it expired the key.
     */
    public boolean expireIfDue(byte[] key, long now) {
        byte[] rec = data.get(key);
        if (rec == null) {
            expires.remove(key);
            return false;
        }
        long at = Records.expireAt(rec);
        if (at == Records.NO_EXPIRY) {
            expires.remove(key);
            return false;
        }
        if (now > at) {
            expire(key);
            return true;
        }
        return false;
    }

    public long size() {
        return data.size();
    }

    public long volatileKeys() {
        return expires.size();
    }

    public long scan(long cursor, int count, java.util.function.Consumer<byte[]> visitor) {
        return data.scan(cursor, count, visitor);
    }

    public byte[] randomVolatileKey() {
        return expires.randomKey();
    }

    /** A random live key, or null; gives up after a bounded number of expired picks like Redis. */
    /**
     * Up to {@code count} keys sampled at random for eviction (Redis's dictGetSomeKeys over the main dict): read as
     * they are, expired or not, so nothing is deleted outside the keys' locks.
     */
    public java.util.List<byte[]> sampleKeys(int count) {
        return data.randomKeys(count);
    }

    public byte[] randomKey() {
        for (int tries = 0; tries < 100; tries++) {
            byte[] k = data.randomKey();
            if (k == null) return null;
            // An expired key met on the way is deleted, as Redis's dbRandomKey does (RANDOMKEY holds every shard).
            if (lookupQuietly(k) != null) return k;
        }
        return null;
    }

    /** EXPIRE and PERSIST rewrite a big collection's record around the same pages, which must stay. */
    private static boolean sharesPages(byte[] previous, byte[] record) {
        return FieldTable.isPagedCollection(record)
                && FieldTable.pagedLayout(previous)[0] == FieldTable.pagedLayout(record)[0];
    }

    private void releasePages(byte[] rec) {
        if (Records.type(rec) == KeyType.STREAM) {
            StreamTable.release(this, rec);
            return;
        }
        long[] layout = FieldTable.pagedLayout(rec);
        space.release(pages, layout[0], layout[1]);
    }

    PageSpace space() {
        return space;
    }

    Storage pagesTable() {
        return pages;
    }

    Storage dataTable() {
        return data;
    }

    Storage expiresTable() {
        return expires;
    }

    Storage[] tables() {
        return new Storage[] {data, expires, pages};
    }

    void replaceTables(Storage data, Storage expires, Storage pages) {
        this.data = data;
        this.expires = expires;
        this.pages = pages;
        this.anyExpires = expires.size() > 0;
    }
}
