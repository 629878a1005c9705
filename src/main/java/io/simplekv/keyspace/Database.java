package io.simplekv.keyspace;

import io.simplekv.observe.ServerStats;
import io.simplekv.protocol.RedisError;
import io.simplekv.storage.Storage;

/**
 * One numbered database: the records table and the expiry index (key → absolute expire time in ms), which
 * lets the active expirer sample only keys that can expire. Callers hold the shard locks of the keys they pass.
 * The two tables are swapped by SWAPDB and replaced by FLUSHDB while every shard lock is held.
 */
public final class Database {
    private final int index;
    private final ServerStats stats;
    private volatile Storage data;
    private volatile Storage expires;

    Database(int index, Storage data, Storage expires, ServerStats stats) {
        this.index = index;
        this.data = data;
        this.expires = expires;
        this.stats = stats;
    }

    public int index() {
        return index;
    }

    public static long now() {
        return System.currentTimeMillis();
    }

    /** The live record for a key, or null; an expired record is deleted on the way, as Redis does. */
    public byte[] lookup(byte[] key) {
        byte[] rec = data.get(key);
        if (rec == null) return null;
        long at = Records.expireAt(rec);
        if (at != Records.NO_EXPIRY && now() > at) {
            expire(key);
            return null;
        }
        return rec;
    }

    /** Like {@link #lookup} and counts a keyspace hit or miss, for read commands. */
    public byte[] read(byte[] key) {
        byte[] rec = lookup(key);
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

    public boolean exists(byte[] key) {
        return lookup(key) != null;
    }

    /** Stores a whole record and keeps the expiry index in step with its TTL. */
    public void put(byte[] key, byte[] record) {
        data.put(key, record);
        long at = Records.expireAt(record);
        if (at != Records.NO_EXPIRY) {
            expires.put(key, Records.longBytes(at));
        } else if (expires.size() > 0) {
            expires.remove(key);
        }
    }

    public boolean delete(byte[] key) {
        if (lookup(key) == null) return false;
        data.remove(key);
        if (expires.size() > 0) expires.remove(key);
        return true;
    }

    private void expire(byte[] key) {
        data.remove(key);
        expires.remove(key);
        stats.expiredKeys.increment();
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
    public byte[] randomKey() {
        for (int tries = 0; tries < 100; tries++) {
            byte[] k = data.randomKey();
            if (k == null) return null;
            byte[] rec = data.get(k);
            if (rec == null) continue;
            long at = Records.expireAt(rec);
            if (at == Records.NO_EXPIRY || now() <= at) return k;
        }
        return null;
    }

    Storage dataTable() {
        return data;
    }

    Storage expiresTable() {
        return expires;
    }

    void replaceTables(Storage data, Storage expires) {
        this.data = data;
        this.expires = expires;
    }
}
