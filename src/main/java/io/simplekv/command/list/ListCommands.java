package io.simplekv.command.list;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.MultiPop;
import io.simplekv.command.Notify;
import io.simplekv.command.Session;
import io.simplekv.replication.Argv;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.ListTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/** LPUSH, LRANGE and Redis's other non-blocking list commands, over {@link ListTable}. */
public final class ListCommands {
    private ListCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("lpush", (c, a, o) -> push(c, a, o, true, false)));
        t.add(command("rpush", (c, a, o) -> push(c, a, o, false, false)));
        t.add(command("lpushx", (c, a, o) -> push(c, a, o, true, true)));
        t.add(command("rpushx", (c, a, o) -> push(c, a, o, false, true)));
        t.add(command("lpop", (c, a, o) -> pop(c, a, o, true)));
        t.add(command("rpop", (c, a, o) -> pop(c, a, o, false)));
        t.add(command("llen", (c, a, o) -> {
            ListTable l = ListTable.open(c.db(), a[1]);
            o.integer(l == null ? 0 : l.size());
        }));
        t.add(command("lrange", ListCommands::lrange));
        t.add(command("lindex", ListCommands::lindex));
        t.add(command("lset", ListCommands::lset));
        t.add(command("linsert", ListCommands::linsert));
        t.add(command("lrem", ListCommands::lrem));
        t.add(command("ltrim", ListCommands::ltrim));
        t.add(command("lpos", ListCommands::lpos));
        t.add(command("lmove", ListCommands::lmove));
        t.add(command("rpoplpush", (c, a, o) -> move(c, a[1], a[2], false, true, o)));
        t.add(command("lmpop", ListCommands::lmpop));
    }

    static void push(Session c, byte[][] a, ReplySink out, boolean left, boolean onlyIfExists) {
        ListTable l = onlyIfExists ? ListTable.open(c.db(), a[1]) : ListTable.openOrCreate(c.db(), a[1]);
        if (l == null) {
            out.integer(0);
            return;
        }
        for (int i = 2; i < a.length; i++) l.push(left, a[i]);
        l.commit();
        Notify.list(c, left ? "lpush" : "rpush", a[1]);
        out.integer(l.size());
    }

    static void pop(Session c, byte[][] a, ReplySink out, boolean left) {
        if (a.length > 3) throw RedisError.err("wrong number of arguments for '" + (left ? "lpop" : "rpop") + "' command");
        long count = -1;
        if (a.length == 3) {
            count = Args.nonNegative(a[2], "value is out of range, must be positive");
        }
        ListTable l = ListTable.open(c.db(), a[1]);
        if (l == null) {
            if (count < 0) out.nullBulk();
            else out.nullArray();
            return;
        }
        if (count < 0) {
            out.bulk(l.pop(left));
            l.commit();
            popped(c, left, l, a[1]);
            return;
        }
        List<byte[]> popped = new ArrayList<>();
        while (popped.size() < count && l.size() > 0) popped.add(l.pop(left));
        l.commit();
        if (!popped.isEmpty()) popped(c, left, l, a[1]);
        out.array(popped.size());
        for (byte[] e : popped) out.bulk(e);
    }

    static void popped(Session c, boolean left, ListTable l, byte[] key) {
        Notify.list(c, left ? "lpop" : "rpop", key);
        Notify.delIfEmptied(c, l.size(), key);
    }

    static void lrange(Session c, byte[][] a, ReplySink out) {
        long start = Args.toLong(a[2]), stop = Args.toLong(a[3]);
        ListTable l = ListTable.open(c.db(), a[1]);
        if (l == null) {
            out.array(0);
            return;
        }
        long len = l.size();
        if (start < 0) start = len + start;
        if (stop < 0) stop = len + stop;
        if (start < 0) start = 0;
        if (start > stop || start >= len) {
            out.array(0);
            return;
        }
        if (stop >= len) stop = len - 1;
        out.array((int) (stop - start + 1));
        l.visitRange(start, stop, out::bulk);
    }

    static void lindex(Session c, byte[][] a, ReplySink out) {
        long index = Args.toLong(a[2]);
        ListTable l = ListTable.open(c.db(), a[1]);
        if (l == null) {
            out.nullBulk();
            return;
        }
        if (index < 0) index = l.size() + index;
        out.bulkOrNull(l.get(index));
    }

    static void lset(Session c, byte[][] a, ReplySink out) {
        long index = Args.toLong(a[2]);
        ListTable l = ListTable.open(c.db(), a[1]);
        if (l == null) throw RedisError.NO_SUCH_KEY;
        if (index < 0) index = l.size() + index;
        if (!l.set(index, a[3])) throw RedisError.err("index out of range");
        l.commit();
        Notify.list(c, "lset", a[1]);
        out.ok();
    }

    static void linsert(Session c, byte[][] a, ReplySink out) {
        boolean after;
        if (Args.is(a[2], "AFTER")) after = true;
        else if (Args.is(a[2], "BEFORE")) after = false;
        else throw RedisError.SYNTAX;
        ListTable l = ListTable.open(c.db(), a[1]);
        if (l == null) {
            out.integer(0);
            return;
        }
        List<byte[]> all = l.all();
        for (int i = 0; i < all.size(); i++) {
            if (Arrays.equals(all.get(i), a[3])) {
                all.add(after ? i + 1 : i, a[4]);
                l.replaceAll(all);
                l.commit();
                Notify.list(c, "linsert", a[1]);
                out.integer(l.size());
                return;
            }
        }
        out.integer(-1);
    }

    static void lrem(Session c, byte[][] a, ReplySink out) {
        long count = Args.toLong(a[2]);
        ListTable l = ListTable.open(c.db(), a[1]);
        if (l == null) {
            out.integer(0);
            return;
        }
        List<byte[]> all = l.all();
        // LONG_MIN has no absolute value: Redis's negation wraps and it removes every match, as 0 does.
        long limit = count == 0 || count == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(count), removed = 0;
        List<byte[]> kept = new ArrayList<>(all.size());
        if (count >= 0) {
            for (byte[] e : all) {
                if (removed < limit && Arrays.equals(e, a[3])) removed++;
                else kept.add(e);
            }
        } else {
            for (int i = all.size() - 1; i >= 0; i--) {
                if (removed < limit && Arrays.equals(all.get(i), a[3])) removed++;
                else kept.add(0, all.get(i));
            }
        }
        if (removed > 0) {
            l.replaceAll(kept);
            l.commit();
            Notify.list(c, "lrem", a[1]);
            Notify.delIfEmptied(c, l.size(), a[1]);
        }
        out.integer(removed);
    }

    static void ltrim(Session c, byte[][] a, ReplySink out) {
        long start = Args.toLong(a[2]), stop = Args.toLong(a[3]);
        ListTable l = ListTable.open(c.db(), a[1]);
        if (l == null) {
            out.ok();
            return;
        }
        long len = l.size();
        if (start < 0) start = len + start;
        if (stop < 0) stop = len + stop;
        if (start < 0) start = 0;
        long fromLeft, fromRight;
        if (start > stop || start >= len) {
            fromLeft = len;
            fromRight = 0;
        } else {
            if (stop >= len) stop = len - 1;
            fromLeft = start;
            fromRight = len - stop - 1;
        }
        // Popping from the ends costs only what is removed, as Redis's LTRIM does.
        for (long i = 0; i < fromLeft; i++) l.pop(true);
        for (long i = 0; i < fromRight; i++) l.pop(false);
        l.commit();
        Notify.list(c, "ltrim", a[1]);
        Notify.delIfEmptied(c, l.size(), a[1]);
        out.ok();
    }

    static void lpos(Session c, byte[][] a, ReplySink out) {
        long rank = 1, count = -1, maxlen = 0;
        for (int i = 3; i < a.length; i++) {
            if (i + 1 >= a.length) throw RedisError.SYNTAX;
            if (Args.is(a[i], "RANK")) {
                rank = Args.toLong(a[++i]);
                if (rank == 0) {
                    throw RedisError.err("RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                            + "or use negative to start from the end of the list");
                }
            } else if (Args.is(a[i], "COUNT")) {
                count = Args.toLong(a[++i]);
                if (count < 0) throw RedisError.err("COUNT can't be negative");
            } else if (Args.is(a[i], "MAXLEN")) {
                maxlen = Args.toLong(a[++i]);
                if (maxlen < 0) throw RedisError.err("MAXLEN can't be negative");
            } else {
                throw RedisError.SYNTAX;
            }
        }
        ListTable l = ListTable.open(c.db(), a[1]);
        List<Long> found = new ArrayList<>();
        if (l != null) {
            List<byte[]> all = l.all();
            int n = all.size();
            // Redis 7.0 negates a negative rank in place: -LONG_MIN wraps to itself, so every match from the tail
            // qualifies and a COUNT never stops it (7.2 refuses LONG_MIN; 7.0.15 is the reference).
            boolean wrapped = rank == Long.MIN_VALUE;
            long toSkip = wrapped ? 0 : Math.abs(rank) - 1;
            long want = count < 0 ? 1 : (count == 0 || wrapped ? Long.MAX_VALUE : count);
            for (int step = 0; step < n && found.size() < want && (maxlen == 0 || step < maxlen); step++) {
                int i = rank > 0 ? step : n - 1 - step;
                if (!Arrays.equals(all.get(i), a[2])) continue;
                if (toSkip > 0) toSkip--;
                else found.add((long) i);
            }
        }
        if (count < 0) {
            if (found.isEmpty()) out.nullBulk();
            else out.integer(found.get(0));
            return;
        }
        out.array(found.size());
        for (long i : found) out.integer(i);
    }

    static void lmove(Session c, byte[][] a, ReplySink out) {
        move(c, a[1], a[2], side(a[3]), side(a[4]), out);
    }

    static boolean side(byte[] arg) {
        if (Args.is(arg, "LEFT")) return true;
        if (Args.is(arg, "RIGHT")) return false;
        throw RedisError.SYNTAX;
    }

    static void move(Session c, byte[] from, byte[] to, boolean fromLeft, boolean toLeft, ReplySink out) {
        Database db = c.db();
        ListTable src = ListTable.open(db, from);
        if (src == null) {
            out.nullBulk();
            return;
        }
        ListTable.open(db, to); // WRONGTYPE before anything moves, as in Redis
        byte[] e = src.pop(fromLeft);
        src.commit();
        popped(c, fromLeft, src, from);
        ListTable dst = ListTable.openOrCreate(db, to);
        dst.push(toLeft, e);
        dst.commit();
        Notify.list(c, toLeft ? "lpush" : "rpush", to);
        out.bulk(e);
    }

    static void lmpop(Session c, byte[][] a, ReplySink out) {
        MultiPop p = MultiPop.parse(a, 1, "LEFT", "RIGHT");
        if (!popFirst(c, a, p, out)) out.nullArray();
    }

    /** Pops from the first non-empty list among the keys and replies [key, [elements]]; false when all are empty. */
    static boolean popFirst(Session c, byte[][] a, MultiPop p, ReplySink out) {
        for (int i = p.firstKey(); i < p.endKey(); i++) {
            if (popCount(c, a[i], p.first(), p.count(), out)) return true;
        }
        return false;
    }

    /** Pops up to count from one list, replying [key, [elements]]; false (nothing written) when it is empty. */
    static boolean popCount(Session c, byte[] key, boolean left, long count, ReplySink out) {
        ListTable l = ListTable.open(c.db(), key);
        if (l == null || l.size() == 0) return false;
        List<byte[]> popped = new ArrayList<>();
        while (popped.size() < count && l.size() > 0) popped.add(l.pop(left));
        l.commit();
        popped(c, left, l, key);
        if (c.propagating()) c.propagateAs(Argv.of(left ? "LPOP" : "RPOP", key, popped.size()));
        out.array(2);
        out.bulk(key);
        out.array(popped.size());
        for (byte[] e : popped) out.bulk(e);
        return true;
    }
}
