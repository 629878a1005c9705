package io.simplekv.command.hash;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Notify;
import io.simplekv.command.RandomPick;
import io.simplekv.command.ReplyBudget;
import io.simplekv.command.ScanOptions;
import io.simplekv.command.Session;
import io.simplekv.replication.Argv;
import io.simplekv.keyspace.CollectionLimits;
import io.simplekv.keyspace.FieldTable;
import io.simplekv.keyspace.KeyType;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.LongDouble;
import io.simplekv.text.RedisNumbers;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.simplekv.command.CommandSpec.command;

/** HSET, HGET and the rest of Redis's hash commands, over {@link FieldTable}. */
public final class HashCommands {
    private HashCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("hset", HashCommands::hset));
        t.add(command("hmset", HashCommands::hset));
        t.add(command("hsetnx", HashCommands::hsetnx));
        t.add(command("hget", HashCommands::hget));
        t.add(command("hmget", HashCommands::hmget));
        t.add(command("hgetall", (c, a, o) -> all(c, a, o, true, true)));
        t.add(command("hkeys", (c, a, o) -> all(c, a, o, true, false)));
        t.add(command("hvals", (c, a, o) -> all(c, a, o, false, true)));
        t.add(command("hdel", HashCommands::hdel));
        t.add(command("hexists", HashCommands::hexists));
        t.add(command("hlen", HashCommands::hlen));
        t.add(command("hstrlen", HashCommands::hstrlen));
        t.add(command("hincrby", HashCommands::hincrby));
        t.add(command("hincrbyfloat", HashCommands::hincrbyfloat));
        t.add(command("hscan", HashCommands::hscan));
        t.add(command("hrandfield", HashCommands::hrandfield));
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
            if (fields && values) out.map(0);
            else out.array(0);
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
        BigDecimal by = LongDouble.parse(a[3]);
        if (by == null) {
            if (RedisNumbers.isInfinity(a[3])) throw RedisError.err("value is NaN or Infinity");
            throw RedisError.NOT_FLOAT;
        }
        FieldTable h = FieldTable.openOrCreate(c.db(), a[1], KeyType.HASH, limits(c));
        byte[] current = h.get(a[2]);
        BigDecimal value = BigDecimal.ZERO;
        if (current != null) {
            value = LongDouble.parse(current);
            if (value == null) throw RedisError.err("hash value is not a float");
        }
        BigDecimal sum = LongDouble.add(value, by);
        if (sum == null) throw RedisError.err("increment would produce NaN or Infinity");
        byte[] result = Args.bytes(LongDouble.human(sum));
        h.put(a[2], result);
        h.commit();
        Notify.hash(c, "hincrbyfloat", a[1]);
        if (c.propagating()) c.propagateAs(Argv.of("HSET", a[1], a[2], result));
        out.bulk(result);
    }

    static void hscan(Session c, byte[][] a, ReplySink out) {
        ScanOptions.scanCollection(() -> read(c, a[1]), a, true, out);
    }

    static void hrandfield(Session c, byte[][] a, ReplySink out) {
        if (a.length == 2) {
            FieldTable h = read(c, a[1]);
            byte[][] e = h == null ? null : h.random(ThreadLocalRandom.current());
            out.bulkOrNull(e == null ? null : e[0]);
            return;
        }
        long count = Args.randomCount(a[2]); // before the syntax check, as in Redis
        if (a.length > 4 || (a.length == 4 && !Args.is(a[3], "WITHVALUES"))) throw RedisError.SYNTAX;
        boolean withValues = a.length == 4;
        // Redis refuses counts whose reply could not be built.
        if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            throw RedisError.err("value is out of range");
        }
        FieldTable h = read(c, a[1]);
        // With values: a flat [f1, v1, f2, v2 ...] in RESP2, [[f1, v1], [f2, v2] ...] in RESP3 (not a map: a
        // negative count repeats fields), as Redis's hrandfieldWithCountCommand writes it.
        boolean nested = withValues && c.protocolVersion() >= 3;
        if (count < 0 && h != null) {
            // Written as picked: |count| may be far more than the hash holds.
            ReplyBudget.check(c, withValues ? -2 * count : -count);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            List<byte[][]> pool = RandomPick.drawPool(h, -count);
            out.array((int) (withValues && !nested ? -2 * count : -count));
            out.expect(RandomPick.expectedBytes(pool, -count, withValues) + (nested ? -4 * count : 0));
            for (long i = 0; i < -count; i++) {
                byte[][] e = RandomPick.draw(h, pool, rnd);
                if (nested) out.array(2);
                out.bulk(e[0]);
                if (withValues) out.bulk(e[1]);
            }
            return;
        }
        List<byte[][]> picked = RandomPick.pick(h, count);
        out.array(withValues && !nested ? 2 * picked.size() : picked.size());
        for (byte[][] e : picked) {
            if (nested) out.array(2);
            out.bulk(e[0]);
            if (withValues) out.bulk(e[1]);
        }
    }
}
