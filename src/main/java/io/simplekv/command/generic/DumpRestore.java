package io.simplekv.command.generic;

import io.simplekv.command.Args;
import io.simplekv.command.Notify;
import io.simplekv.command.Session;
import io.simplekv.config.ServerConfig;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.FieldTable;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.ListTable;
import io.simplekv.keyspace.Records;
import io.simplekv.keyspace.StreamTable;
import io.simplekv.keyspace.ZSetTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.rdb.DumpPayload;
import io.simplekv.rdb.RdbValue;

import java.util.ArrayList;
import java.util.List;

/**
 * DUMP and RESTORE as Redis 7.0's cluster.c has them: the value travels in Redis's own payload format, so a
 * payload DUMPed on redis-server RESTOREs here and the other way round.
 */
public final class DumpRestore {
    private DumpRestore() {}

    static void dump(Session c, byte[][] a, ReplySink out) {
        byte[] rec = c.db().read(a[1]);
        if (rec == null) {
            out.nullBulk();
            return;
        }
        out.bulk(DumpPayload.write(valueOf(c.db(), c.server().config(), a[1], rec),
                c.server().config().rdbCompression()));
    }

    /** A key's whole value, whatever its type (DUMP, and DEBUG DIGEST's walk over values). */
    public static RdbValue valueOf(Database db, ServerConfig config, byte[] key, byte[] rec) {
        switch (Records.type(rec)) {
            case STRING:
                return new RdbValue.Str(Records.payload(rec));
            case LIST:
                return new RdbValue.ListValue(ListTable.open(db, key).all());
            case SET: {
                List<byte[]> members = new ArrayList<>();
                FieldTable.open(db, key, KeyType.SET, config.setLimits).forEach((m, ignored) -> members.add(m));
                return new RdbValue.SetValue(members);
            }
            case HASH: {
                List<byte[]> fields = new ArrayList<>();
                List<byte[]> values = new ArrayList<>();
                FieldTable.open(db, key, KeyType.HASH, config.hashLimits).forEach((f, v) -> {
                    fields.add(f);
                    values.add(v);
                });
                return new RdbValue.HashValue(fields, values);
            }
            case ZSET: {
                List<byte[]> members = new ArrayList<>();
                List<Double> scores = new ArrayList<>();
                ZSetTable.open(db, key, config.zsetLimits).forEach((m, s) -> {
                    members.add(m);
                    scores.add(s);
                });
                return new RdbValue.ZSetValue(members, scores);
            }
            default:
                return StreamValues.of(StreamTable.open(db, key, config.streamLimits));
        }
    }

    /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
    static void restore(Session c, byte[][] a, ReplySink out) {
        boolean replace = false, absttl = false, idle = false, freq = false;
        long idleSeconds = -1;
        int frequency = -1;
        for (int j = 4; j < a.length; j++) {
            boolean more = j + 1 < a.length;
            if (Args.is(a[j], "REPLACE")) {
                replace = true;
            } else if (Args.is(a[j], "ABSTTL")) {
                absttl = true;
            } else if (Args.is(a[j], "IDLETIME") && more && !freq) {
                idleSeconds = Args.toLong(a[++j]);
                if (idleSeconds < 0) throw RedisError.err("Invalid IDLETIME value, must be >= 0");
                idle = true;
            } else if (Args.is(a[j], "FREQ") && more && !idle) {
                long f = Args.toLong(a[++j]);
                if (f < 0 || f > 255) throw RedisError.err("Invalid FREQ value, must be >= 0 and <= 255");
                frequency = (int) f;
                freq = true;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        Database db = c.db();
        byte[] key = a[1];
        if (!replace && db.lookupQuietly(key) != null) throw new RedisError("BUSYKEY Target key name already exists.");
        long ttl = Args.toLong(a[2]);
        if (ttl < 0) throw RedisError.err("Invalid TTL value, must be >= 0");
        RdbValue value;
        try {
            value = DumpPayload.read(a[3]);
        } catch (DumpPayload.Refused e) {
            throw RedisError.err(e.getMessage());
        }
        boolean deleted = replace && db.delete(key);
        long now = Database.now();
        if (ttl != 0 && !absttl) ttl = ttl > Long.MAX_VALUE - now ? Long.MAX_VALUE : ttl + now;
        if (ttl != 0 && ttl <= now) {
            if (deleted) Notify.generic(c, "del", key); // restored already expired: only the delete remains
            out.ok();
            return;
        }
        store(db, c.server().config(), key, value);
        if (ttl != 0) db.put(key, Records.withExpiry(db.lookupQuietly(key), ttl));
        // objectSetLRUOrLFU: the idle time counts under an LRU policy, the frequency under an LFU one.
        int bits = db.access(key);
        if (bits != io.simplekv.storage.AccessStamp.UNTRACKED) {
            db.access(key, c.server().keyspace().access().restored(idleSeconds, frequency, bits));
        }
        // A relative TTL goes to replicas as the absolute time it became here (Redis's restoreCommand).
        if (ttl != 0 && !absttl && c.propagating()) {
            byte[][] argv = java.util.Arrays.copyOf(a, a.length + 1);
            argv[2] = Long.toString(ttl).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            argv[a.length] = "ABSTTL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            c.propagateAs(argv);
        }
        Notify.generic(c, "restore", key);
        out.ok();
    }

    /** A key made from a value (RESTORE, and loading an RDB file): the key must not exist. */
    public static void store(Database db, ServerConfig config, byte[] key, RdbValue value) {
        if (value instanceof RdbValue.Str s) {
            db.put(key, Records.string(s.value(), Records.NO_EXPIRY));
        } else if (value instanceof RdbValue.ListValue l) {
            ListTable list = ListTable.openOrCreate(db, key);
            for (byte[] e : l.elements()) list.push(false, e);
            list.commit();
        } else if (value instanceof RdbValue.SetValue s) {
            FieldTable set = FieldTable.openOrCreate(db, key, KeyType.SET, config.setLimits);
            for (byte[] m : s.members()) set.put(m, null);
            set.commit();
        } else if (value instanceof RdbValue.HashValue h) {
            FieldTable hash = FieldTable.openOrCreate(db, key, KeyType.HASH, config.hashLimits);
            for (int i = 0; i < h.fields().size(); i++) hash.put(h.fields().get(i), h.values().get(i));
            hash.commit();
        } else if (value instanceof RdbValue.ZSetValue z) {
            ZSetTable zset = ZSetTable.openOrCreate(db, key, config.zsetLimits);
            for (int i = 0; i < z.members().size(); i++) zset.put(z.members().get(i), z.scores().get(i));
            zset.commit();
        } else if (value instanceof RdbValue.StreamValue v) {
            StreamValues.store(StreamTable.openOrCreate(db, key, config.streamLimits), v);
        }
    }
}
