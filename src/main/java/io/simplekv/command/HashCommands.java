package io.simplekv.command;

import io.simplekv.keyspace.CollectionLimits;
import io.simplekv.keyspace.FieldTable;
import io.simplekv.keyspace.KeyType;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.RedisNumbers;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.simplekv.command.CommandSpec.command;

/** HSET, HGET and the rest of Redis's hash commands, over {@link FieldTable}. */
final class HashCommands {
    private HashCommands() {}

    static void register(CommandTable.Builder t) {
        String g = "hash";
        t.add(command("hset", -4, "write denyoom fast changes_notified", HashCommands::hset).keys(1, 1, 1)
                .docs(g, "2.0.0", "Creates or modifies the value of a field in a hash.", "key field value [field value ...]"));
        t.add(command("hmset", -4, "write denyoom fast changes_notified", HashCommands::hset).keys(1, 1, 1)
                .docs(g, "2.0.0", "Sets the values of multiple fields.", "key field value [field value ...]"));
        t.add(command("hsetnx", 4, "write denyoom fast changes_notified", HashCommands::hsetnx).keys(1, 1, 1)
                .docs(g, "2.0.0", "Sets the value of a field in a hash only when the field doesn't exist.", "key field value"));
        t.add(command("hget", 3, "readonly fast", HashCommands::hget).keys(1, 1, 1)
                .docs(g, "2.0.0", "Returns the value of a field in a hash.", "key field"));
        t.add(command("hmget", -3, "readonly fast", HashCommands::hmget).keys(1, 1, 1)
                .docs(g, "2.0.0", "Returns the values of all fields in a hash.", "key field [field ...]"));
        t.add(command("hgetall", 2, "readonly", (c, a, o) -> all(c, a, o, true, true)).keys(1, 1, 1)
                .docs(g, "2.0.0", "Returns all fields and values in a hash.", "key"));
        t.add(command("hkeys", 2, "readonly", (c, a, o) -> all(c, a, o, true, false)).keys(1, 1, 1)
                .docs(g, "2.0.0", "Returns all fields in a hash.", "key"));
        t.add(command("hvals", 2, "readonly", (c, a, o) -> all(c, a, o, false, true)).keys(1, 1, 1)
                .docs(g, "2.0.0", "Returns all values in a hash.", "key"));
        t.add(command("hdel", -3, "write fast changes_notified", HashCommands::hdel).keys(1, 1, 1)
                .docs(g, "2.0.0", "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.", "key field [field ...]"));
        t.add(command("hexists", 3, "readonly fast", HashCommands::hexists).keys(1, 1, 1)
                .docs(g, "2.0.0", "Determines whether a field exists in a hash.", "key field"));
        t.add(command("hlen", 2, "readonly fast", HashCommands::hlen).keys(1, 1, 1)
                .docs(g, "2.0.0", "Returns the number of fields in a hash.", "key"));
        t.add(command("hstrlen", 3, "readonly fast", HashCommands::hstrlen).keys(1, 1, 1)
                .docs(g, "3.2.0", "Returns the length of the value of a field.", "key field"));
        t.add(command("hincrby", 4, "write denyoom fast changes_notified", HashCommands::hincrby).keys(1, 1, 1)
                .docs(g, "2.0.0", "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.", "key field increment"));
        t.add(command("hincrbyfloat", 4, "write denyoom fast changes_notified", HashCommands::hincrbyfloat).keys(1, 1, 1)
                .docs(g, "2.6.0", "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.", "key field increment"));
        t.add(command("hscan", -3, "readonly", HashCommands::hscan).keys(1, 1, 1)
                .docs(g, "2.8.0", "Iterates over fields and values of a hash.", "key cursor [MATCH pattern] [COUNT count]"));
        t.add(command("hrandfield", -2, "readonly", HashCommands::hrandfield).keys(1, 1, 1)
                .docs(g, "6.2.0", "Returns one or more random fields from a hash.", "key [count [WITHVALUES]]"));
    }

    private static CollectionLimits limits(Session c) {
        return c.server().config().hashLimits;
    }

    private static FieldTable read(Session c, byte[] key) {
        return FieldTable.open(c.db(), key, KeyType.HASH, limits(c));
    }

    static void hset(Session c, byte[][] a, ReplySink out) {
        if (a.length % 2 != 0) {
            throw RedisError.err("wrong number of arguments for '" + Args.text(a[0]).toLowerCase() + "' command");
        }
        FieldTable h = FieldTable.openOrCreate(c.db(), a[1], KeyType.HASH, limits(c));
        long added = 0;
        for (int i = 2; i < a.length; i += 2) if (h.put(a[i], a[i + 1])) added++;
        h.commit();
        Notify.hash(c, "hset", a[1]);
        if (Args.is(a[0], "HMSET")) out.ok();
        else out.integer(added);
    }

    static void hsetnx(Session c, byte[][] a, ReplySink out) {
        FieldTable h = FieldTable.openOrCreate(c.db(), a[1], KeyType.HASH, limits(c));
        if (h.contains(a[2])) {
            out.integer(0);
            return;
        }
        h.put(a[2], a[3]);
        h.commit();
        Notify.hash(c, "hset", a[1]);
        out.integer(1);
    }

    static void hget(Session c, byte[][] a, ReplySink out) {
        FieldTable h = read(c, a[1]);
        out.bulkOrNull(h == null ? null : h.get(a[2]));
    }

    static void hmget(Session c, byte[][] a, ReplySink out) {
        FieldTable h = read(c, a[1]);
        out.array(a.length - 2);
        for (int i = 2; i < a.length; i++) out.bulkOrNull(h == null ? null : h.get(a[i]));
    }

    static void all(Session c, byte[][] a, ReplySink out, boolean fields, boolean values) {
        FieldTable h = read(c, a[1]);
        if (h == null) {
            out.array(0);
            return;
        }
        if (fields && values) out.map((int) h.size());
        else out.array((int) h.size());
        h.forEach((f, v) -> {
            if (fields) out.bulk(f);
            if (values) out.bulk(v);
        });
    }

    static void hdel(Session c, byte[][] a, ReplySink out) {
        FieldTable h = read(c, a[1]);
        if (h == null) {
            out.integer(0);
            return;
        }
        long removed = 0;
        for (int i = 2; i < a.length; i++) if (h.remove(a[i])) removed++;
        h.commit();
        if (removed > 0) {
            Notify.hash(c, "hdel", a[1]);
            Notify.delIfEmptied(c, h.size(), a[1]);
        }
        out.integer(removed);
    }

    static void hexists(Session c, byte[][] a, ReplySink out) {
        FieldTable h = read(c, a[1]);
        out.integer(h != null && h.contains(a[2]) ? 1 : 0);
    }

    static void hlen(Session c, byte[][] a, ReplySink out) {
        FieldTable h = read(c, a[1]);
        out.integer(h == null ? 0 : h.size());
    }

    static void hstrlen(Session c, byte[][] a, ReplySink out) {
        FieldTable h = read(c, a[1]);
        byte[] v = h == null ? null : h.get(a[2]);
        out.integer(v == null ? 0 : v.length);
    }

    static void hincrby(Session c, byte[][] a, ReplySink out) {
        long by = Args.toLong(a[3]);
        FieldTable h = FieldTable.openOrCreate(c.db(), a[1], KeyType.HASH, limits(c));
        byte[] current = h.get(a[2]);
        long value = 0;
        if (current != null) {
            try {
                value = RedisNumbers.parseLong(current);
            } catch (RedisNumbers.NotAnInteger e) {
                throw RedisError.err("hash value is not an integer");
            }
        }
        long next;
        try {
            next = Math.addExact(value, by);
        } catch (ArithmeticException e) {
            throw RedisError.OVERFLOW;
        }
        h.put(a[2], RedisNumbers.toBytes(next));
        h.commit();
        Notify.hash(c, "hincrby", a[1]);
        out.integer(next);
    }

    static void hincrbyfloat(Session c, byte[][] a, ReplySink out) {
        BigDecimal by = RedisNumbers.parseDecimal(a[3]);
        if (by == null) {
            if (RedisNumbers.isInfinity(a[3])) throw RedisError.err("value is NaN or Infinity");
            throw RedisError.NOT_FLOAT;
        }
        FieldTable h = FieldTable.openOrCreate(c.db(), a[1], KeyType.HASH, limits(c));
        byte[] current = h.get(a[2]);
        BigDecimal value = BigDecimal.ZERO;
        if (current != null) {
            value = RedisNumbers.parseDecimal(current);
            if (value == null) throw RedisError.err("hash value is not a float");
        }
        byte[] result = Args.bytes(RedisNumbers.formatDecimal(value.add(by)));
        h.put(a[2], result);
        h.commit();
        Notify.hash(c, "hincrbyfloat", a[1]);
        out.bulk(result);
    }

    static void hscan(Session c, byte[][] a, ReplySink out) {
        ScanOptions.scanCollection(read(c, a[1]), a, true, out);
    }

    static void hrandfield(Session c, byte[][] a, ReplySink out) {
        boolean withValues = false;
        if (a.length == 4) {
            if (!Args.is(a[3], "WITHVALUES")) throw RedisError.SYNTAX;
            withValues = true;
        } else if (a.length > 4) {
            throw RedisError.SYNTAX;
        }
        if (a.length == 2) {
            FieldTable h = read(c, a[1]);
            byte[][] e = h == null ? null : h.random(ThreadLocalRandom.current());
            out.bulkOrNull(e == null ? null : e[0]);
            return;
        }
        long count = Args.toLong(a[2]);
        // Redis refuses counts whose reply could not be built (and |LONG_MIN| does not exist).
        if (count == Long.MIN_VALUE || (withValues && count < -Long.MAX_VALUE / 2)) {
            throw RedisError.err("value is out of range");
        }
        FieldTable h = read(c, a[1]);
        List<byte[][]> picked = RandomPick.pick(h, count);
        int per = withValues ? 2 : 1;
        if (withValues) out.map(picked.size());
        else out.array(picked.size());
        for (byte[][] e : picked) {
            out.bulk(e[0]);
            if (per == 2) out.bulk(e[1]);
        }
    }
}
