package io.simplekv.command.set;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Notify;
import io.simplekv.command.RandomPick;
import io.simplekv.command.ReplyBudget;
import io.simplekv.command.ScanOptions;
import io.simplekv.command.Session;
import io.simplekv.replication.Argv;
import io.simplekv.keyspace.CollectionLimits;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.FieldTable;
import io.simplekv.keyspace.KeyType;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.RedisNumbers;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static io.simplekv.command.CommandSpec.command;

/** SADD, SMEMBERS, the set algebra and the rest of Redis's set commands, over {@link FieldTable}. */
public final class SetCommands {
    private SetCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("sadd", SetCommands::sadd));
        t.add(command("srem", SetCommands::srem));
        t.add(command("smembers", SetCommands::smembers));
        t.add(command("sismember", SetCommands::sismember));
        t.add(command("smismember", SetCommands::smismember));
        t.add(command("scard", SetCommands::scard));
        t.add(command("spop", SetCommands::spop));
        t.add(command("srandmember", SetCommands::srandmember));
        t.add(command("smove", SetCommands::smove));
        t.add(command("sinter", (c, a, o) -> reply(o, inter(c, a, 1, a.length))));
        t.add(command("sunion", (c, a, o) -> reply(o, inBuiltOrder(c, union(c, a, 1)))));
        t.add(command("sdiff", (c, a, o) -> reply(o, inBuiltOrder(c, diff(c, a, 1)))));
        t.add(command("sinterstore", (c, a, o) -> store(c, a, o, inter(c, a, 2, a.length))));
        t.add(command("sunionstore", (c, a, o) -> store(c, a, o, union(c, a, 2))));
        t.add(command("sdiffstore", (c, a, o) -> store(c, a, o, diff(c, a, 2))));
        t.add(command("sintercard", SetCommands::sintercard));
        t.add(command("sscan", SetCommands::sscan));
    }

    private static CollectionLimits limits(Session c) {
        return c.server().config().setLimits;
    }

    private static FieldTable read(Session c, byte[] key) {
        return FieldTable.open(c.db(), key, KeyType.SET, limits(c));
    }

    static void sadd(Session c, byte[][] a, ReplySink out) {
        FieldTable s = FieldTable.openOrCreate(c.db(), a[1], KeyType.SET, limits(c));
        long added = 0;
        for (int i = 2; i < a.length; i++) if (s.put(a[i], null)) added++;
        s.commit();
        if (added > 0) Notify.set(c, "sadd", a[1]);
        out.integer(added);
    }

    static void srem(Session c, byte[][] a, ReplySink out) {
        FieldTable s = read(c, a[1]);
        long removed = 0;
        if (s != null) {
            for (int i = 2; i < a.length; i++) if (s.remove(a[i])) removed++;
            s.commit();
            if (removed > 0) {
                Notify.set(c, "srem", a[1]);
                Notify.delIfEmptied(c, s.size(), a[1]);
            }
        }
        out.integer(removed);
    }

    static void smembers(Session c, byte[][] a, ReplySink out) {
        FieldTable s = read(c, a[1]);
        if (s == null) {
            out.set(0);
            return;
        }
        out.set((int) s.size());
        s.forEach((m, v) -> out.bulk(m));
    }

    static void sismember(Session c, byte[][] a, ReplySink out) {
        FieldTable s = read(c, a[1]);
        out.integer(s != null && s.contains(a[2]) ? 1 : 0);
    }

    static void smismember(Session c, byte[][] a, ReplySink out) {
        FieldTable s = read(c, a[1]);
        out.array(a.length - 2);
        for (int i = 2; i < a.length; i++) out.integer(s != null && s.contains(a[i]) ? 1 : 0);
    }

    static void scard(Session c, byte[][] a, ReplySink out) {
        FieldTable s = read(c, a[1]);
        out.integer(s == null ? 0 : s.size());
    }

    static void spop(Session c, byte[][] a, ReplySink out) {
        if (a.length > 3) throw RedisError.SYNTAX;
        long count = -1;
        if (a.length == 3) {
            count = Args.nonNegative(a[2], "value is out of range, must be positive");
        }
        FieldTable s = read(c, a[1]);
        if (count < 0) {
            byte[][] m = s == null ? null : s.random(ThreadLocalRandom.current());
            if (m != null) {
                s.remove(m[0]);
                s.commit();
                Notify.set(c, "spop", a[1]);
                Notify.delIfEmptied(c, s.size(), a[1]);
                if (c.propagating()) c.propagateAs(Argv.of("SREM", a[1], m[0]));
            }
            out.bulkOrNull(m == null ? null : m[0]);
            return;
        }
        List<byte[][]> popped = RandomPick.pick(s, count);
        for (byte[][] m : popped) s.remove(m[0]);
        if (s != null) s.commit();
        if (!popped.isEmpty()) {
            Notify.set(c, "spop", a[1]);
            Notify.delIfEmptied(c, s.size(), a[1]);
            // As Redis's spopWithCountCommand: the whole set goes as DEL, else one SREM per member.
            if (c.propagating() && s.size() == 0) {
                c.propagateAs(Argv.of("DEL", a[1]));
            } else if (c.propagating()) {
                for (byte[][] m : popped) c.alsoPropagate(Argv.of("SREM", a[1], m[0]));
                c.preventPropagation();
            }
        }
        out.set(popped.size());
        for (byte[][] m : popped) out.bulk(m[0]);
    }

    static void srandmember(Session c, byte[][] a, ReplySink out) {
        if (a.length > 3) throw RedisError.SYNTAX;
        FieldTable s = read(c, a[1]);
        if (a.length == 2) {
            byte[][] m = s == null ? null : s.random(ThreadLocalRandom.current());
            out.bulkOrNull(m == null ? null : m[0]);
            return;
        }
        long count = Args.randomCount(a[2]);
        // An array, not a set, even in RESP3: a negative count repeats members (Redis's addReplyArrayLen).
        if (count < 0 && s != null) {
            // Written as picked: |count| may be far more than the set, and a list of them all would double it.
            ReplyBudget.check(c, -count);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            List<byte[][]> pool = RandomPick.drawPool(s, -count);
            out.array((int) -count);
            out.expect(RandomPick.expectedBytes(pool, -count, false));
            for (long i = 0; i < -count; i++) out.bulk(RandomPick.draw(s, pool, rnd)[0]);
            return;
        }
        List<byte[][]> picked = RandomPick.pick(s, count);
        out.array(picked.size());
        for (byte[][] m : picked) out.bulk(m[0]);
    }

    static void smove(Session c, byte[][] a, ReplySink out) {
        Database db = c.db();
        FieldTable src = read(c, a[1]);
        FieldTable dst = read(c, a[2]); // checks the destination's type even when nothing moves, as Redis does
        if (src == null) {
            out.integer(0);
            return;
        }
        if (Arrays.equals(a[1], a[2])) {
            out.integer(src.contains(a[3]) ? 1 : 0);
            return;
        }
        if (!src.remove(a[3])) {
            out.integer(0);
            return;
        }
        src.commit();
        Notify.set(c, "srem", a[1]);
        Notify.delIfEmptied(c, src.size(), a[1]);
        if (dst == null) dst = FieldTable.openOrCreate(db, a[2], KeyType.SET, limits(c));
        if (dst.put(a[3], null)) Notify.set(c, "sadd", a[2]);
        dst.commit();
        out.integer(1);
    }

    /** Opens every named set first, so a key of another type fails the command before any work, as in Redis. */
    private static List<FieldTable> openAll(Session c, byte[][] a, int from, int to) {
        List<FieldTable> sets = new ArrayList<>();
        for (int i = from; i < to; i++) sets.add(read(c, a[i]));
        return sets;
    }

    /** Members in the first set that every other set also holds: walk the smallest, probe the rest. */
    private static Set<ByteBuffer> inter(Session c, byte[][] a, int from, int to) {
        List<FieldTable> sets = openAll(c, a, from, to);
        Set<ByteBuffer> result = new LinkedHashSet<>();
        if (sets.contains(null)) return result;
        sets.sort(Comparator.comparingLong(FieldTable::size));
        FieldTable smallest = sets.get(0);
        smallest.forEach((m, v) -> {
            for (int i = 1; i < sets.size(); i++) if (!sets.get(i).contains(m)) return;
            result.add(ByteBuffer.wrap(m));
        });
        return result;
    }

    private static Set<ByteBuffer> union(Session c, byte[][] a, int from) {
        Set<ByteBuffer> result = new LinkedHashSet<>();
        for (FieldTable s : openAll(c, a, from, a.length)) {
            if (s != null) s.forEach((m, v) -> result.add(ByteBuffer.wrap(m)));
        }
        return result;
    }

    private static Set<ByteBuffer> diff(Session c, byte[][] a, int from) {
        List<FieldTable> sets = openAll(c, a, from, a.length);
        Set<ByteBuffer> result = new LinkedHashSet<>();
        if (sets.get(0) == null) return result;
        sets.get(0).forEach((m, v) -> {
            for (int i = 1; i < sets.size(); i++) if (sets.get(i) != null && sets.get(i).contains(m)) return;
            result.add(ByteBuffer.wrap(m));
        });
        return result;
    }

    private static void reply(ReplySink out, Collection<ByteBuffer> members) {
        out.set(members.size());
        for (ByteBuffer m : members) out.bulk(m.array());
    }

    /**
     * SUNION and SDIFF reply from the set Redis builds for the result, so a small all-integer result comes out as
     * that intset's sorted order (any other result is a hashtable, whose order Redis does not promise).
     */
    private static Collection<ByteBuffer> inBuiltOrder(Session c, Set<ByteBuffer> members) {
        if (members.size() > limits(c).maxPackedEntries()) return members;
        for (ByteBuffer m : members) if (!RedisNumbers.isLong(m.array(), 0, m.array().length)) return members;
        List<ByteBuffer> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparingLong(m -> RedisNumbers.parseLong(m.array())));
        return sorted;
    }

    /** *STORE: the destination is replaced whatever its type, and deleted when the result is empty. */
    private static void store(Session c, byte[][] a, ReplySink out, Set<ByteBuffer> members) {
        Database db = c.db();
        boolean existed = db.delete(a[1]);
        if (!members.isEmpty()) {
            FieldTable dst = FieldTable.openOrCreate(db, a[1], KeyType.SET, limits(c));
            for (ByteBuffer m : members) dst.put(m.array(), null);
            dst.commit();
            Notify.set(c, Args.text(a[0]).toLowerCase(), a[1]);
        } else if (existed) {
            Notify.generic(c, "del", a[1]);
        }
        out.integer(members.size());
    }

    static void sintercard(Session c, byte[][] a, ReplySink out) {
        RedisError badNumkeys = RedisError.err("numkeys should be greater than 0");
        long numkeys;
        try {
            numkeys = Args.toLong(a[1]);
        } catch (RedisError e) {
            throw badNumkeys;
        }
        if (numkeys <= 0) throw badNumkeys;
        if (numkeys > a.length - 2) throw RedisError.err("Number of keys can't be greater than number of args");
        int end = 2 + (int) numkeys;
        long limit = 0;
        for (int i = end; i < a.length; i++) {
            if (Args.is(a[i], "LIMIT") && i + 1 < a.length) {
                limit = Args.nonNegative(a[++i], "LIMIT can't be negative");
            } else {
                throw RedisError.SYNTAX;
            }
        }
        long n = inter(c, a, 2, end).size();
        out.integer(limit > 0 ? Math.min(n, limit) : n);
    }

    static void sscan(Session c, byte[][] a, ReplySink out) {
        ScanOptions.scanCollection(() -> read(c, a[1]), a, false, out);
    }
}
