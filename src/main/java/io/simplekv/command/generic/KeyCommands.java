package io.simplekv.command.generic;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.ExecutionTrait;
import io.simplekv.command.Help;
import io.simplekv.command.Notify;
import io.simplekv.command.ScanOptions;
import io.simplekv.command.Session;
import io.simplekv.replication.Argv;
import io.simplekv.keyspace.AccessClock;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.FieldTable;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.keyspace.Records;
import io.simplekv.keyspace.ZSetTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.Glob;
import io.simplekv.text.RedisNumbers;

import java.util.ArrayList;
import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/** Commands about keys whatever their type: DEL, EXISTS, the EXPIRE family, SCAN, RENAME, COPY, MOVE, OBJECT. */
public final class KeyCommands {
    private KeyCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("del", KeyCommands::del));
        t.add(command("unlink", (c, a, o) -> del(c, a, o, true)));
        t.add(command("exists", KeyCommands::exists));
        t.add(command("touch", KeyCommands::touch));
        t.add(command("type", KeyCommands::type));
        t.add(command("expire", (c, a, o) -> expire(c, a, o, Expiry.Unit.SECONDS, true, "expire")));
        t.add(command("pexpire", (c, a, o) -> expire(c, a, o, Expiry.Unit.MILLISECONDS, true, "pexpire")));
        t.add(command("expireat", (c, a, o) -> expire(c, a, o, Expiry.Unit.SECONDS, false, "expireat")));
        t.add(command("pexpireat", (c, a, o) -> expire(c, a, o, Expiry.Unit.MILLISECONDS, false, "pexpireat")));
        t.add(command("ttl", (c, a, o) -> ttl(c, a, o, false, false)));
        t.add(command("pttl", (c, a, o) -> ttl(c, a, o, true, false)));
        t.add(command("expiretime", (c, a, o) -> ttl(c, a, o, false, true)));
        t.add(command("pexpiretime", (c, a, o) -> ttl(c, a, o, true, true)));
        t.add(command("persist", KeyCommands::persist));
        t.add(command("keys", KeyCommands::keys));
        t.add(command("scan", KeyCommands::scan).traits(ExecutionTrait.TOUCHES_ARBITRARY_KEYS));
        t.add(command("randomkey", KeyCommands::randomkey).traits(ExecutionTrait.TOUCHES_ARBITRARY_KEYS));
        t.add(command("rename", (c, a, o) -> rename(c, a, o, false)));
        t.add(command("renamenx", (c, a, o) -> rename(c, a, o, true)));
        t.add(command("copy", KeyCommands::copy));
        t.add(command("move", KeyCommands::move));
        t.add(command("dump", DumpRestore::dump));
        t.add(command("restore", DumpRestore::restore));
        t.add(command("migrate", Migrate::migrate));
        t.add(command("object", null)
                .sub(command("encoding", KeyCommands::objectEncoding))
                .sub(command("refcount", KeyCommands::objectRefcount))
                .sub(command("idletime", KeyCommands::objectIdletime))
                .sub(command("freq", KeyCommands::objectFreq))
                .sub(command("help", (c, a, o) -> Help.reply(o, "OBJECT",
                        "ENCODING <key>", "    Return the kind of internal representation used in order to store the value",
                        "    associated with a <key>.",
                        "FREQ <key>", "    Return the access frequency index of the <key>. The returned integer is",
                        "    proportional to the logarithm of the recent access frequency of the key.",
                        "IDLETIME <key>", "    Return the idle time of the <key>, that is the approximated number of",
                        "    seconds elapsed since the last access to the key.",
                        "REFCOUNT <key>", "    Return the number of references of the value associated with the specified",
                        "    <key>."))));
    }

    static void del(Session c, byte[][] a, ReplySink out) {
        del(c, a, out, "yes".equals(c.server().config().get("lazyfree-lazy-user-del")));
    }

    static void del(Session c, byte[][] a, ReplySink out, boolean lazy) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < a.length; i++) {
            if (lazy ? db.unlink(a[i]) : db.delete(a[i])) {
                n++;
                Notify.generic(c, "del", a[i]);
            }
        }
        out.integer(n);
    }

    static void exists(Session c, byte[][] a, ReplySink out) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < a.length; i++) if (db.readQuietly(a[i]) != null) n++;
        out.integer(n);
    }

    /** TOUCH: EXISTS, but each key found counts as accessed (Redis's touchCommand reads with lookupKeyRead). */
    static void touch(Session c, byte[][] a, ReplySink out) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < a.length; i++) if (db.read(a[i]) != null) n++;
        out.integer(n);
    }

    static void type(Session c, byte[][] a, ReplySink out) {
        byte[] rec = c.db().lookupQuietly(a[1]);
        out.simple(rec == null ? "none" : Records.type(rec).typeName);
    }

    static void expire(Session c, byte[][] a, ReplySink out, Expiry.Unit unit, boolean relative, String name) {
        boolean nx = false, xx = false, gt = false, lt = false;
        for (int i = 3; i < a.length; i++) {
            if (Args.is(a[i], "NX")) nx = true;
            else if (Args.is(a[i], "XX")) xx = true;
            else if (Args.is(a[i], "GT")) gt = true;
            else if (Args.is(a[i], "LT")) lt = true;
            else throw RedisError.err("Unsupported option " + Args.text(a[i]));
        }
        if (nx && (xx || gt || lt)) throw RedisError.err("NX and XX, GT or LT options at the same time are not compatible");
        if (gt && lt) throw RedisError.err("GT and LT options at the same time are not compatible");
        long when = Expiry.absolute(a[2], unit, relative, name, true);
        Database db = c.db();
        byte[] rec = db.lookup(a[1]);
        if (rec == null) {
            out.integer(0);
            return;
        }
        long current = Records.expireAt(rec);
        boolean hasTtl = current != Records.NO_EXPIRY;
        if ((nx && hasTtl) || (xx && !hasTtl) || (gt && (!hasTtl || when <= current)) || (lt && hasTtl && when >= current)) {
            out.integer(0);
            return;
        }
        if (when <= Database.now()) {
            db.delete(a[1]);
            Notify.generic(c, "del", a[1]);
            if (c.propagating()) c.propagateAs(Argv.of(c.deleteVerb("lazyfree-lazy-expire"), a[1]));
        } else {
            db.put(a[1], Records.withExpiry(rec, when));
            Notify.generic(c, "expire", a[1]);
            // Replicas get the absolute time, with the options as given (Redis rewrites arguments 0 and 2 only).
            if (c.propagating()) c.propagateAs(Argv.replace(Argv.replace(a, 0, "PEXPIREAT"), 2, when));
        }
        out.integer(1);
    }

    static void ttl(Session c, byte[][] a, ReplySink out, boolean millis, boolean absolute) {
        byte[] rec = c.db().readQuietly(a[1]);
        if (rec == null) {
            out.integer(-2);
            return;
        }
        long at = Records.expireAt(rec);
        if (at == Records.NO_EXPIRY) {
            out.integer(-1);
            return;
        }
        if (absolute) {
            out.integer(millis ? at : at / 1000);
            return;
        }
        long left = Math.max(0, at - Database.now());
        out.integer(millis ? left : (left + 500) / 1000);
    }

    static void persist(Session c, byte[][] a, ReplySink out) {
        Database db = c.db();
        byte[] rec = db.lookup(a[1]);
        if (rec == null || Records.expireAt(rec) == Records.NO_EXPIRY) {
            out.integer(0);
            return;
        }
        db.put(a[1], Records.withExpiry(rec, Records.NO_EXPIRY));
        Notify.generic(c, "persist", a[1]);
        out.integer(1);
    }

    static void keys(Session c, byte[][] a, ReplySink out) {
        c.unit().flush(); // a walk over the table sees what it holds, so writes staged before it (in EXEC) land first
        Database db = c.db();
        byte[] pattern = a[1];
        boolean all = Glob.matchesEverything(pattern);
        List<byte[]> found = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = db.scan(cursor, 1000, k -> {
                // As Redis 7.0's keysCommand: an expired key is left out, not deleted (KEYS holds no shard).
                if ((all || Glob.matches(pattern, k)) && db.present(k) && !db.isStale(k)) found.add(k);
            });
        } while (cursor != 0);
        out.array(found.size());
        for (byte[] k : found) out.bulk(k);
    }

    static void scan(Session c, byte[][] a, ReplySink out) {
        long cursor = ScanOptions.parseCursor(a[1]);
        ScanOptions o = ScanOptions.parse(a, 2, true);
        KeyType want = o.type() == null ? null : KeyType.ofName(o.type());
        // An unknown TYPE matches nothing, as in Redis.
        boolean none = o.type() != null && want == null;
        Database db = c.db();
        c.unit().flush();
        List<byte[]> found = new ArrayList<>();
        long next = db.scan(cursor, o.count(), k -> {
            if (none || (o.pattern() != null && !Glob.matches(o.pattern(), k))) return;
            byte[] rec = db.lookupQuietly(k);
            if (rec != null && (want == null || Records.type(rec) == want)) found.add(k);
        });
        ScanOptions.reply(out, next, found);
    }

    static void randomkey(Session c, byte[][] a, ReplySink out) {
        c.unit().flush();
        out.bulkOrNull(c.db().randomKey());
    }

    static void rename(Session c, byte[][] a, ReplySink out, boolean nx) {
        Database db = c.db();
        byte[] rec = db.lookup(a[1]);
        if (rec == null) throw RedisError.NO_SUCH_KEY;
        if (java.util.Arrays.equals(a[1], a[2])) {
            if (nx) out.integer(0);
            else out.ok();
            return;
        }
        if (nx && db.lookup(a[2]) != null) {
            out.integer(0);
            return;
        }
        int access = db.access(a[1]);
        db.delete(a[2]);
        db.put(a[2], rec);
        // The same object moves in Redis, its access field with it (an LFU counter survives a RENAME).
        if (access != io.simplekv.storage.AccessStamp.UNTRACKED) db.access(a[2], access);
        db.detach(a[1]);
        Notify.generic(c, "rename_from", a[1]);
        Notify.generic(c, "rename_to", a[2]);
        if (nx) out.integer(1);
        else out.ok();
    }

    static void copy(Session c, byte[][] a, ReplySink out) {
        Keyspace ks = c.server().keyspace();
        int targetDb = c.dbIndex();
        boolean replace = false;
        for (int i = 3; i < a.length; i++) {
            if (Args.is(a[i], "REPLACE")) {
                replace = true;
            } else if (Args.is(a[i], "DB") && i + 1 < a.length) {
                targetDb = Args.toInt(a[++i]);
                if (targetDb < 0 || targetDb >= ks.databases()) throw RedisError.DB_INDEX;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        if (targetDb == c.dbIndex() && java.util.Arrays.equals(a[1], a[2])) {
            throw RedisError.err("source and destination objects are the same");
        }
        byte[] rec = c.db().lookup(a[1]);
        if (rec == null) {
            out.integer(0);
            return;
        }
        Database dst = ks.db(targetDb);
        if (dst.lookup(a[2]) != null) {
            if (!replace) {
                out.integer(0);
                return;
            }
            dst.delete(a[2]);
        }
        dst.put(a[2], c.db().copyFor(rec, dst));
        Notify.generic(c, targetDb, "copy_to", a[2]);
        out.integer(1);
    }

    static void move(Session c, byte[][] a, ReplySink out) {
        Keyspace ks = c.server().keyspace();
        int target = Args.toInt(a[2]);
        if (target < 0 || target >= ks.databases()) throw RedisError.DB_INDEX;
        if (target == c.dbIndex()) throw RedisError.err("source and destination objects are the same");
        Database src = c.db();
        byte[] rec = src.lookup(a[1]);
        Database dst = ks.db(target);
        if (rec == null || dst.lookup(a[1]) != null) {
            out.integer(0);
            return;
        }
        dst.put(a[1], src.copyFor(rec, dst));
        src.delete(a[1]);
        Notify.generic(c, "move_from", a[1]);
        Notify.generic(c, target, "move_to", a[1]);
        out.integer(1);
    }

    static void objectEncoding(Session c, byte[][] a, ReplySink out) {
        byte[] rec = c.db().lookupQuietly(a[2]);
        if (rec == null) {
            out.nullBulk();
            return;
        }
        out.bulk(encodingOf(rec));
    }

    /** The name Redis would give the value's encoding. */
    public static String encodingOf(byte[] rec) {
        if (Records.type(rec) == KeyType.HASH || Records.type(rec) == KeyType.SET) return FieldTable.encodingOf(rec);
        if (Records.type(rec) == KeyType.LIST) return "quicklist"; // what Redis 7.0 reports for every list
        if (Records.type(rec) == KeyType.ZSET) return ZSetTable.encodingOf(rec);
        if (Records.type(rec) == KeyType.STREAM) return "stream";
        int off = Records.payloadOffset(rec), len = rec.length - off;
        if (!Records.isRaw(rec) && len <= 20 && RedisNumbers.isLong(rec, off, len)) return "int";
        if (!Records.isRaw(rec) && len <= 44) return "embstr";
        return "raw";
    }

    /** Redis keeps one shared object for each integer 0..9999 and reports its refcount as INT_MAX. */
    static void objectRefcount(Session c, byte[][] a, ReplySink out) {
        byte[] rec = c.db().lookupQuietly(a[2]);
        if (rec == null) {
            out.nullBulk();
            return;
        }
        boolean shared = false;
        if (encodingOf(rec).equals("int")) {
            int off = Records.payloadOffset(rec);
            long v = RedisNumbers.parseLong(rec, off, rec.length - off);
            shared = v >= 0 && v < 10_000;
        }
        out.integer(shared ? Integer.MAX_VALUE : 1);
    }

    /** OBJECT IDLETIME: seconds since the key was last accessed, kept only under an LRU (or no) policy, as in Redis. */
    static void objectIdletime(Session c, byte[][] a, ReplySink out) {
        objectAccess(c, a, out, false);
    }

    /** OBJECT FREQ: the key's logarithmic access counter, kept only under an LFU policy. */
    static void objectFreq(Session c, byte[][] a, ReplySink out) {
        objectAccess(c, a, out, true);
    }

    private static void objectAccess(Session c, byte[][] a, ReplySink out, boolean frequency) {
        Database db = c.db();
        if (db.lookupQuietly(a[2]) == null) {
            out.nullBulk();
            return;
        }
        AccessClock access = c.server().keyspace().access();
        if (access.lfu() != frequency) {
            throw RedisError.err("An " + (frequency ? "LFU" : "LRU") + " maxmemory policy is not selected, access "
                    + (frequency ? "frequency" : "time") + " not tracked. Please note that when switching between "
                    + "policies at runtime LRU and LFU data will take some time to adjust.");
        }
        int bits = db.access(a[2]);
        out.integer(frequency ? access.frequency(bits) : access.idleSeconds(bits));
    }
}
