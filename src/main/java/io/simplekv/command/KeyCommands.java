package io.simplekv.command;

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
final class KeyCommands {
    private KeyCommands() {}

    static void register(CommandTable.Builder t) {
        String g = "generic";
        t.add(command("del", -2, "write changes_notified", KeyCommands::del).keys(1, -1, 1)
                .docs(g, "1.0.0", "Deletes one or more keys.", "key [key ...]"));
        t.add(command("unlink", -2, "write fast changes_notified", KeyCommands::del).keys(1, -1, 1)
                .docs(g, "4.0.0", "Asynchronously deletes one or more keys.", "key [key ...]"));
        t.add(command("exists", -2, "readonly fast", KeyCommands::exists).keys(1, -1, 1)
                .docs(g, "1.0.0", "Determines whether one or more keys exist.", "key [key ...]"));
        t.add(command("touch", -2, "readonly fast", KeyCommands::exists).keys(1, -1, 1)
                .docs(g, "3.2.1", "Returns the number of existing keys out of those specified after updating the time they were last accessed.", "key [key ...]"));
        t.add(command("type", 2, "readonly fast", KeyCommands::type).keys(1, 1, 1)
                .docs(g, "1.0.0", "Determines the type of value stored at a key.", "key"));
        String expireSyntax = " [NX | XX | GT | LT]";
        t.add(command("expire", -3, "write fast changes_notified", (c, a, o) -> expire(c, a, o, Expiry.Unit.SECONDS, true, "expire")).keys(1, 1, 1)
                .docs(g, "1.0.0", "Sets the expiration time of a key in seconds.", "key seconds" + expireSyntax));
        t.add(command("pexpire", -3, "write fast changes_notified", (c, a, o) -> expire(c, a, o, Expiry.Unit.MILLISECONDS, true, "pexpire")).keys(1, 1, 1)
                .docs(g, "2.6.0", "Sets the expiration time of a key in milliseconds.", "key milliseconds" + expireSyntax));
        t.add(command("expireat", -3, "write fast changes_notified", (c, a, o) -> expire(c, a, o, Expiry.Unit.SECONDS, false, "expireat")).keys(1, 1, 1)
                .docs(g, "1.2.0", "Sets the expiration time of a key to a Unix timestamp.", "key unix-time-seconds" + expireSyntax));
        t.add(command("pexpireat", -3, "write fast changes_notified", (c, a, o) -> expire(c, a, o, Expiry.Unit.MILLISECONDS, false, "pexpireat")).keys(1, 1, 1)
                .docs(g, "2.6.0", "Sets the expiration time of a key to a Unix milliseconds timestamp.", "key unix-time-milliseconds" + expireSyntax));
        t.add(command("ttl", 2, "readonly fast", (c, a, o) -> ttl(c, a, o, false, false)).keys(1, 1, 1)
                .docs(g, "1.0.0", "Returns the expiration time in seconds of a key.", "key"));
        t.add(command("pttl", 2, "readonly fast", (c, a, o) -> ttl(c, a, o, true, false)).keys(1, 1, 1)
                .docs(g, "2.6.0", "Returns the expiration time in milliseconds of a key.", "key"));
        t.add(command("expiretime", 2, "readonly fast", (c, a, o) -> ttl(c, a, o, false, true)).keys(1, 1, 1)
                .docs(g, "7.0.0", "Returns the expiration time of a key as a Unix timestamp.", "key"));
        t.add(command("pexpiretime", 2, "readonly fast", (c, a, o) -> ttl(c, a, o, true, true)).keys(1, 1, 1)
                .docs(g, "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp.", "key"));
        t.add(command("persist", 2, "write fast changes_notified", KeyCommands::persist).keys(1, 1, 1)
                .docs(g, "2.2.0", "Removes the expiration time of a key.", "key"));
        t.add(command("keys", 2, "readonly", KeyCommands::keys)
                .docs(g, "1.0.0", "Returns all key names that match a pattern.", "pattern"));
        t.add(command("scan", -2, "readonly", KeyCommands::scan)
                .docs(g, "2.8.0", "Iterates over the key names in the database.", "cursor [MATCH pattern] [COUNT count] [TYPE type]"));
        t.add(command("randomkey", 1, "readonly", KeyCommands::randomkey)
                .docs(g, "1.0.0", "Returns a random key name from the database.", ""));
        t.add(command("dbsize", 1, "readonly fast", (c, a, o) -> o.integer(c.db().size()))
                .docs("server", "1.0.0", "Returns the number of keys in the database.", ""));
        t.add(command("rename", 3, "write changes_notified", (c, a, o) -> rename(c, a, o, false)).keys(1, 2, 1)
                .docs(g, "1.0.0", "Renames a key and overwrites the destination.", "key newkey"));
        t.add(command("renamenx", 3, "write fast changes_notified", (c, a, o) -> rename(c, a, o, true)).keys(1, 2, 1)
                .docs(g, "1.0.0", "Renames a key only when the target key name doesn't exist.", "key newkey"));
        t.add(command("copy", -3, "write denyoom changes_notified", KeyCommands::copy).keys(1, 2, 1)
                .docs(g, "6.2.0", "Copies the value of a key to a new key.", "source destination [DB destination-db] [REPLACE]"));
        t.add(command("move", 3, "write fast changes_notified", KeyCommands::move).keys(1, 1, 1)
                .docs(g, "1.0.0", "Moves a key to another database.", "key db"));
        t.add(command("flushdb", -1, "write lock_all", KeyCommands::flushdb)
                .docs("server", "1.0.0", "Remove all keys from the current database.", "[ASYNC | SYNC]"));
        t.add(command("flushall", -1, "write lock_all", KeyCommands::flushall)
                .docs("server", "1.0.0", "Removes all keys from all databases.", "[ASYNC | SYNC]"));
        t.add(command("object", -2, "", null)
                .docs(g, "2.2.3", "A container for object introspection commands.", "")
                .sub(command("encoding", 3, "readonly", KeyCommands::objectEncoding).keys(2, 2, 1)
                        .docs(g, "2.2.3", "Returns the internal encoding of a Redis object.", "key"))
                .sub(command("refcount", 3, "readonly", KeyCommands::objectRefcount).keys(2, 2, 1)
                        .docs(g, "2.2.3", "Returns the reference count of a value of a key.", "key"))
                .sub(command("idletime", 3, "readonly", (c, a, o) -> objectNumber(c, a, o, 0)).keys(2, 2, 1)
                        .docs(g, "2.2.3", "Returns the time since the last access to a Redis object.", "key"))
                .sub(command("freq", 3, "readonly", KeyCommands::objectFreq).keys(2, 2, 1)
                        .docs(g, "4.0.0", "Returns the logarithmic access frequency counter of a Redis object.", "key"))
                .sub(command("help", 2, "loading stale", (c, a, o) -> Help.reply(o, "OBJECT",
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
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < a.length; i++) {
            if (db.delete(a[i])) {
                n++;
                Notify.generic(c, "del", a[i]);
            }
        }
        out.integer(n);
    }

    static void exists(Session c, byte[][] a, ReplySink out) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < a.length; i++) if (db.read(a[i]) != null) n++;
        out.integer(n);
    }

    static void type(Session c, byte[][] a, ReplySink out) {
        byte[] rec = c.db().lookup(a[1]);
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
        } else {
            db.put(a[1], Records.withExpiry(rec, when));
            Notify.generic(c, "expire", a[1]);
        }
        out.integer(1);
    }

    static void ttl(Session c, byte[][] a, ReplySink out, boolean millis, boolean absolute) {
        byte[] rec = c.db().read(a[1]);
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
        Database db = c.db();
        byte[] pattern = a[1];
        boolean all = Glob.matchesEverything(pattern);
        List<byte[]> found = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = db.scan(cursor, 1000, k -> {
                if ((all || Glob.matches(pattern, k)) && db.lookup(k) != null) found.add(k);
            });
        } while (cursor != 0);
        out.array(found.size());
        for (byte[] k : found) out.bulk(k);
    }

    static void scan(Session c, byte[][] a, ReplySink out) {
        long cursor = parseCursor(a[1]);
        ScanOptions o = ScanOptions.parse(a, 2, true);
        KeyType want = o.type() == null ? null : KeyType.ofName(o.type());
        // An unknown TYPE matches nothing, as in Redis.
        boolean none = o.type() != null && want == null;
        Database db = c.db();
        List<byte[]> found = new ArrayList<>();
        long next = db.scan(cursor, o.count(), k -> {
            if (none || (o.pattern() != null && !Glob.matches(o.pattern(), k))) return;
            byte[] rec = db.lookup(k);
            if (rec != null && (want == null || Records.type(rec) == want)) found.add(k);
        });
        ScanOptions.reply(out, next, found);
    }

    /** Cursors are unsigned 64-bit numbers read with strtoul, as Redis reads them: "" is 0, "-1" wraps. */
    static long parseCursor(byte[] arg) {
        String s = Args.text(arg);
        if (s.isEmpty()) return 0;
        boolean negative = s.charAt(0) == '-';
        String digits = s.charAt(0) == '-' || s.charAt(0) == '+' ? s.substring(1) : s;
        if (digits.isEmpty() || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw RedisError.err("invalid cursor");
        }
        try {
            long v = Long.parseUnsignedLong(digits);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw RedisError.err("invalid cursor");
        }
    }

    static void randomkey(Session c, byte[][] a, ReplySink out) {
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
        db.delete(a[2]);
        db.put(a[2], rec);
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
        c.server().keyWritten(targetDb, a[2]);
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
        c.server().keyWritten(target, a[1]);
        Notify.generic(c, "move_from", a[1]);
        Notify.generic(c, target, "move_to", a[1]);
        out.integer(1);
    }

    static void flushdb(Session c, byte[][] a, ReplySink out) {
        checkFlushMode(a);
        touchExistingWatched(c, c.dbIndex());
        c.server().keyspace().flush(c.dbIndex());
        out.ok();
    }

    static void flushall(Session c, byte[][] a, ReplySink out) {
        checkFlushMode(a);
        touchExistingWatched(c, -1);
        c.server().keyspace().flushAll();
        out.ok();
    }

    /** Before a flush of db (-1: all): a watched key counts as changed only if it exists, as in Redis. */
    private static void touchExistingWatched(Session c, int db) {
        Keyspace ks = c.server().keyspace();
        if (!c.server().watches().isEmpty()) c.server().watches().touchExisting(db, (d, key) -> ks.db(d).exists(key));
    }

    private static void checkFlushMode(byte[][] a) {
        if (a.length > 2 || (a.length == 2 && !Args.is(a[1], "ASYNC") && !Args.is(a[1], "SYNC"))) {
            throw RedisError.SYNTAX;
        }
    }

    static void objectEncoding(Session c, byte[][] a, ReplySink out) {
        byte[] rec = c.db().lookup(a[2]);
        if (rec == null) {
            out.nullBulk();
            return;
        }
        out.bulk(encodingOf(rec));
    }

    /** The name Redis would give the value's encoding. */
    static String encodingOf(byte[] rec) {
        if (Records.type(rec) == KeyType.HASH || Records.type(rec) == KeyType.SET) return FieldTable.encodingOf(rec);
        if (Records.type(rec) == KeyType.LIST) return "quicklist"; // what Redis 7.0 reports for every list
        if (Records.type(rec) == KeyType.ZSET) return ZSetTable.encodingOf(rec);
        int off = Records.payloadOffset(rec), len = rec.length - off;
        if (!Records.isRaw(rec) && len <= 20 && RedisNumbers.isLong(rec, off, len)) return "int";
        if (!Records.isRaw(rec) && len <= 44) return "embstr";
        return "raw";
    }

    /** Redis keeps one shared object for each integer 0..9999 and reports its refcount as INT_MAX. */
    static void objectRefcount(Session c, byte[][] a, ReplySink out) {
        byte[] rec = c.db().lookup(a[2]);
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

    static void objectNumber(Session c, byte[][] a, ReplySink out, long value) {
        if (c.db().lookup(a[2]) == null) out.nullBulk();
        else out.integer(value);
    }

    static void objectFreq(Session c, byte[][] a, ReplySink out) {
        if (c.db().lookup(a[2]) == null) {
            out.nullBulk();
            return;
        }
        throw RedisError.err("An LFU maxmemory policy is not selected, access frequency not tracked. "
                + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
    }
}
