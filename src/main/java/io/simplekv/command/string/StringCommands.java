package io.simplekv.command.string;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Notify;
import io.simplekv.command.Session;
import io.simplekv.replication.Argv;
import io.simplekv.command.generic.ExpireOptions;
import io.simplekv.command.generic.Expiry;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.Records;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.LongDouble;
import io.simplekv.text.RedisNumbers;

import java.math.BigDecimal;
import java.util.Arrays;

import static io.simplekv.command.CommandSpec.command;

/** GET, SET and the rest of Redis's string commands. */
public final class StringCommands {
    private StringCommands() {}

    private static final RedisError TOO_BIG = RedisError.err("string exceeds maximum allowed size (proto-max-bulk-len)");

    public static void register(CommandTable.Builder t) {
        t.add(command("get", StringCommands::get));
        t.add(command("set", StringCommands::set));
        t.add(command("setnx", StringCommands::setnx));
        t.add(command("setex", (c, a, o) -> setWithTtl(c, a, o, Expiry.Unit.SECONDS, "setex")));
        t.add(command("psetex", (c, a, o) -> setWithTtl(c, a, o, Expiry.Unit.MILLISECONDS, "psetex")));
        t.add(command("getset", StringCommands::getset));
        t.add(command("getdel", StringCommands::getdel));
        t.add(command("getex", StringCommands::getex));
        t.add(command("mget", StringCommands::mget));
        t.add(command("mset", StringCommands::mset));
        t.add(command("msetnx", StringCommands::msetnx));
        t.add(command("incr", (c, a, o) -> incrBy(c, a[1], 1, o)));
        t.add(command("decr", (c, a, o) -> incrBy(c, a[1], -1, o)));
        t.add(command("incrby", (c, a, o) -> incrBy(c, a[1], Args.toLong(a[2]), o)));
        t.add(command("decrby", StringCommands::decrby));
        t.add(command("incrbyfloat", StringCommands::incrbyfloat));
        t.add(command("append", StringCommands::append));
        t.add(command("strlen", StringCommands::strlen));
        t.add(command("getrange", StringCommands::getrange));
        t.add(command("substr", StringCommands::getrange));
        t.add(command("setrange", StringCommands::setrange));
    }

    static void get(Session c, byte[][] a, ReplySink out) {
        byte[] rec = c.db().readString(a[1]);
        if (rec == null) out.nullBulk();
        else replyPayload(rec, out);
    }

    static void replyPayload(byte[] rec, ReplySink out) {
        int off = Records.payloadOffset(rec);
        out.bulk(rec, off, rec.length - off);
    }

    static void set(Session c, byte[][] a, ReplySink out) {
        if (a.length == 3) { // the common SET key value: no options to parse, no old value to read
            c.db().put(a[1], Records.string(a[2], Records.NO_EXPIRY));
            Notify.string(c, "set", a[1]);
            out.ok();
            return;
        }
        ExpireOptions o = ExpireOptions.parse(a, 3, true, "set");
        Database db = c.db();
        // A plain SET never needs the old value: skipping the read saves a hash lookup on the hottest write.
        byte[] old = o.get ? db.lookupString(a[1]) : o.nx || o.xx || o.keepTtl ? db.lookup(a[1]) : null;
        if ((o.nx && old != null) || (o.xx && old == null)) {
            if (o.get) replyOld(old, out);
            else out.nullBulk();
            return;
        }
        long expireAt = o.keepTtl && old != null ? Records.expireAt(old) : o.expireAt;
        db.put(a[1], Records.string(a[2], expireAt));
        Notify.string(c, "set", a[1]);
        if (o.hasExpire) Notify.generic(c, "expire", a[1]);
        if (c.propagating()) {
            // As Redis's setGenericCommand: an expiry goes as an absolute PXAT (nothing else kept); else GET is dropped.
            if (o.hasExpire) c.propagateAs(Argv.of("SET", a[1], a[2], "PXAT", o.expireAt));
            else if (o.get) c.propagateAs(Argv.without(a, 3, "GET"));
        }
        if (o.get) replyOld(old, out);
        else out.ok();
    }

    private static void replyOld(byte[] old, ReplySink out) {
        if (old == null) out.nullBulk();
        else replyPayload(old, out);
    }

    static void setnx(Session c, byte[][] a, ReplySink out) {
        Database db = c.db();
        if (db.lookup(a[1]) != null) {
            out.integer(0);
            return;
        }
        db.put(a[1], Records.string(a[2], Records.NO_EXPIRY));
        Notify.string(c, "set", a[1]);
        out.integer(1);
    }

    static void setWithTtl(Session c, byte[][] a, ReplySink out, Expiry.Unit unit, String name) {
        long at = Expiry.absolute(a[2], unit, true, name, false);
        c.db().put(a[1], Records.string(a[3], at));
        Notify.string(c, "set", a[1]);
        Notify.generic(c, "expire", a[1]);
        if (c.propagating()) c.propagateAs(Argv.of("SET", a[1], a[3], "PXAT", at));
        out.ok();
    }

    static void getset(Session c, byte[][] a, ReplySink out) {
        Database db = c.db();
        byte[] old = db.lookupString(a[1]);
        db.put(a[1], Records.string(a[2], Records.NO_EXPIRY));
        Notify.string(c, "set", a[1]);
        if (c.propagating()) c.propagateAs(Argv.replace(a, 0, "SET"));
        replyOld(old, out);
    }

    static void getdel(Session c, byte[][] a, ReplySink out) {
        Database db = c.db();
        byte[] old = db.readString(a[1]);
        if (old != null) {
            db.delete(a[1]);
            Notify.generic(c, "del", a[1]);
            if (c.propagating()) c.propagateAs(Argv.of(c.deleteVerb("lazyfree-lazy-user-del"), a[1]));
        }
        replyOld(old, out);
    }

    static void getex(Session c, byte[][] a, ReplySink out) {
        ExpireOptions o = ExpireOptions.parse(a, 2, false, "getex");
        Database db = c.db();
        byte[] rec = db.readString(a[1]);
        if (rec == null) {
            out.nullBulk();
            return;
        }
        if (o.hasExpire && o.expireAt <= Database.now()) {
            db.delete(a[1]);
            Notify.generic(c, "del", a[1]);
            if (c.propagating()) c.propagateAs(Argv.of(c.deleteVerb("lazyfree-lazy-expire"), a[1]));
        } else if (o.hasExpire || (o.persist && Records.expireAt(rec) != Records.NO_EXPIRY)) {
            db.put(a[1], Records.withExpiry(rec, o.persist ? Records.NO_EXPIRY : o.expireAt));
            Notify.generic(c, o.persist ? "persist" : "expire", a[1]);
            if (c.propagating()) c.propagateAs(o.persist ? Argv.of("PERSIST", a[1]) : Argv.of("PEXPIREAT", a[1], o.expireAt));
        }
        replyPayload(rec, out);
    }

    static void mget(Session c, byte[][] a, ReplySink out) {
        Database db = c.db();
        out.array(a.length - 1);
        for (int i = 1; i < a.length; i++) {
            byte[] rec = db.read(a[i]);
            if (rec == null || Records.type(rec) != KeyType.STRING) out.nullBulk();
            else replyPayload(rec, out);
        }
    }

    static void mset(Session c, byte[][] a, ReplySink out) {
        if (a.length % 2 == 0) throw RedisError.err("wrong number of arguments for 'mset' command");
        Database db = c.db();
        for (int i = 1; i < a.length; i += 2) {
            db.put(a[i], Records.string(a[i + 1], Records.NO_EXPIRY));
            Notify.string(c, "set", a[i]);
        }
        out.ok();
    }

    static void msetnx(Session c, byte[][] a, ReplySink out) {
        if (a.length % 2 == 0) throw RedisError.err("wrong number of arguments for 'msetnx' command");
        Database db = c.db();
        for (int i = 1; i < a.length; i += 2) {
            if (db.lookup(a[i]) != null) {
                out.integer(0);
                return;
            }
        }
        for (int i = 1; i < a.length; i += 2) {
            db.put(a[i], Records.string(a[i + 1], Records.NO_EXPIRY));
            Notify.string(c, "set", a[i]);
        }
        out.integer(1);
    }

    static void decrby(Session c, byte[][] a, ReplySink out) {
        long by = Args.toLong(a[2]);
        if (by == Long.MIN_VALUE) throw RedisError.err("decrement would overflow");
        incrBy(c, a[1], -by, out);
    }

    static void incrBy(Session c, byte[] key, long by, ReplySink out) {
        Database db = c.db();
        byte[] rec = db.lookupString(key);
        long current = 0, expireAt = Records.NO_EXPIRY;
        if (rec != null) {
            int off = Records.payloadOffset(rec);
            try {
                current = RedisNumbers.parseLong(rec, off, rec.length - off);
            } catch (RedisNumbers.NotAnInteger e) {
                throw RedisError.NOT_INTEGER;
            }
            expireAt = Records.expireAt(rec);
        }
        long next;
        try {
            next = Math.addExact(current, by);
        } catch (ArithmeticException e) {
            throw RedisError.OVERFLOW;
        }
        db.put(key, Records.string(RedisNumbers.toBytes(next), expireAt));
        Notify.string(c, "incrby", key);
        out.integer(next);
    }

    static void incrbyfloat(Session c, byte[][] a, ReplySink out) {
        Database db = c.db();
        byte[] rec = db.lookupString(a[1]);
        BigDecimal current = BigDecimal.ZERO;
        long expireAt = Records.NO_EXPIRY;
        if (rec != null) {
            byte[] payload = Records.payload(rec);
            current = LongDouble.parse(payload);
            if (current == null) throw RedisError.NOT_FLOAT;
            expireAt = Records.expireAt(rec);
        }
        BigDecimal by = LongDouble.parse(a[2]);
        if (by == null) {
            if (RedisNumbers.isInfinity(a[2])) throw RedisError.err("increment would produce NaN or Infinity");
            throw RedisError.NOT_FLOAT;
        }
        BigDecimal sum = LongDouble.add(current, by);
        if (sum == null) throw RedisError.err("increment would produce NaN or Infinity");
        byte[] result = Args.bytes(LongDouble.human(sum));
        db.put(a[1], Records.string(result, expireAt));
        Notify.string(c, "incrbyfloat", a[1]);
        // The result, not the increment: a replica's float arithmetic must not drift from ours.
        if (c.propagating()) c.propagateAs(Argv.of("SET", a[1], result, "KEEPTTL"));
        out.bulk(result);
    }

    static void append(Session c, byte[][] a, ReplySink out) {
        Database db = c.db();
        byte[] rec = db.lookupString(a[1]);
        if (rec == null) {
            db.put(a[1], Records.string(a[2], Records.NO_EXPIRY));
            Notify.string(c, "append", a[1]);
            out.integer(a[2].length);
            return;
        }
        int off = Records.payloadOffset(rec), len = rec.length - off;
        checkSize(c, len, a[2].length);
        byte[] joined = Arrays.copyOfRange(rec, off, off + len + a[2].length);
        System.arraycopy(a[2], 0, joined, len, a[2].length);
        db.put(a[1], Records.encode(KeyType.STRING, Records.expireAt(rec), joined, 0, joined.length, true));
        Notify.string(c, "append", a[1]);
        out.integer(joined.length);
    }

    /** offset + length without overflow, checked against proto-max-bulk-len as Redis's checkStringLength does. */
    private static void checkSize(Session c, long offset, long length) {
        if (offset > c.server().config().protoMaxBulkLen - length) throw TOO_BIG;
    }

    static void strlen(Session c, byte[][] a, ReplySink out) {
        byte[] rec = c.db().readString(a[1]);
        out.integer(rec == null ? 0 : Records.payloadLength(rec));
    }

    static void getrange(Session c, byte[][] a, ReplySink out) {
        long start = Args.toLong(a[2]), end = Args.toLong(a[3]);
        byte[] rec = c.db().readString(a[1]);
        if (rec == null) {
            out.bulk(new byte[0]);
            return;
        }
        int off = Records.payloadOffset(rec);
        long len = rec.length - off;
        if (start < 0 && end < 0 && start > end) {
            out.bulk(new byte[0]);
            return;
        }
        if (start < 0) start = len + start;
        if (end < 0) end = len + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= len) end = len - 1;
        if (start > end || len == 0) {
            out.bulk(new byte[0]);
            return;
        }
        out.bulk(rec, off + (int) start, (int) (end - start + 1));
    }

    static void setrange(Session c, byte[][] a, ReplySink out) {
        long offset = Args.toLong(a[2]);
        if (offset < 0) throw RedisError.err("offset is out of range");
        byte[] value = a[3];
        Database db = c.db();
        byte[] rec = db.lookupString(a[1]);
        if (rec == null) {
            if (value.length == 0) {
                out.integer(0);
                return;
            }
            checkSize(c, offset, value.length);
            byte[] fresh = new byte[(int) offset + value.length];
            System.arraycopy(value, 0, fresh, (int) offset, value.length);
            db.put(a[1], Records.encode(KeyType.STRING, Records.NO_EXPIRY, fresh, 0, fresh.length, true));
            Notify.string(c, "setrange", a[1]);
            out.integer(fresh.length);
            return;
        }
        int off = Records.payloadOffset(rec), len = rec.length - off;
        if (value.length == 0) {
            out.integer(len);
            return;
        }
        checkSize(c, offset, value.length);
        int newLen = (int) Math.max(len, offset + value.length);
        byte[] updated = new byte[newLen];
        System.arraycopy(rec, off, updated, 0, len);
        System.arraycopy(value, 0, updated, (int) offset, value.length);
        db.put(a[1], Records.encode(KeyType.STRING, Records.expireAt(rec), updated, 0, newLen, true));
        Notify.string(c, "setrange", a[1]);
        out.integer(newLen);
    }
}
