package io.simplekv.command.sorted_set;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Notify;
import io.simplekv.command.Session;
import io.simplekv.keyspace.ZSetTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/**
 * ZRANGE in all its forms (BYSCORE, BYLEX, REV, LIMIT, WITHSCORES), the older ZRANGEBYSCORE / ZREVRANGE /
 * ZRANGEBYLEX family and ZRANGESTORE, parsed as Redis's zrangeGenericCommand does: every form becomes an interval
 * of ranks, then one walk of the table.
 */
public final class ZRangeCommands {
    private ZRangeCommands() {}

    private enum By { AUTO, RANK, SCORE, LEX }

    public static void register(CommandTable.Builder t) {
        t.add(command("zrange", (c, a, o) -> range(c, a, o, 1, null, By.AUTO, null)));
        t.add(command("zrangestore", (c, a, o) -> range(c, a, o, 2, a[1], By.AUTO, null)));
        t.add(command("zrevrange", (c, a, o) -> range(c, a, o, 1, null, By.RANK, true)));
        t.add(command("zrangebyscore", (c, a, o) -> range(c, a, o, 1, null, By.SCORE, false)));
        t.add(command("zrevrangebyscore", (c, a, o) -> range(c, a, o, 1, null, By.SCORE, true)));
        t.add(command("zrangebylex", (c, a, o) -> range(c, a, o, 1, null, By.LEX, false)));
        t.add(command("zrevrangebylex", (c, a, o) -> range(c, a, o, 1, null, By.LEX, true)));
    }

    /**
     * Z[REV]RANGE start stop → ranks [from, to] after Redis's clamping, or null when the range is empty.
     * Also ZREMRANGEBYRANK's arithmetic.
     */
    static long[] rankRange(long start, long stop, long size) {
        if (start < 0) start = size + start;
        if (stop < 0) stop = size + stop;
        if (start < 0) start = 0;
        if (start > stop || start >= size) return null;
        if (stop >= size) stop = size - 1;
        return new long[] {start, stop};
    }

    /**
     * @param keyAt   where the source key is (1, or 2 for ZRANGESTORE)
     * @param dst     ZRANGESTORE's destination, null otherwise
     * @param reverse fixed by the legacy commands, null when REV may be given
     */
    private static void range(Session c, byte[][] a, ReplySink out, int keyAt, byte[] dst, By by, Boolean reverse) {
        boolean withScores = false, rev = reverse != null && reverse;
        long offset = 0, limit = -1;
        for (int j = keyAt + 3; j < a.length; j++) {
            int left = a.length - j - 1;
            if (dst == null && Args.is(a[j], "WITHSCORES")) {
                withScores = true;
            } else if (Args.is(a[j], "LIMIT") && left >= 2) {
                offset = Args.toLong(a[j + 1]);
                limit = Args.toLong(a[j + 2]);
                j += 2;
            } else if (reverse == null && !rev && Args.is(a[j], "REV")) {
                rev = true;
            } else if (by == By.AUTO && Args.is(a[j], "BYLEX")) {
                by = By.LEX;
            } else if (by == By.AUTO && Args.is(a[j], "BYSCORE")) {
                by = By.SCORE;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        if (by == By.AUTO) by = By.RANK;
        if (limit != -1 && by == By.RANK) {
            throw RedisError.err("syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && by == By.LEX) {
            throw RedisError.err("syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        byte[] min = a[keyAt + 1], max = a[keyAt + 2];
        if (rev && by != By.RANK) {
            byte[] swap = min;
            min = max;
            max = swap;
        }
        long start = 0, stop = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        switch (by) {
            case SCORE -> scores = ScoreRange.parse(min, max);
            case LEX -> lex = LexRange.parse(min, max);
            default -> {
                start = Args.toLong(min);
                stop = Args.toLong(max);
            }
        }
        ZSetTable z = ZSetCommands.read(c, a[keyAt]);
        List<ZSetTable.Entry> result = List.of();
        if (z != null) {
            // Ascending ranks [first, end) hold the answer; REV walks them from the top.
            long first, end;
            if (by == By.RANK) {
                long[] r = rankRange(start, stop, z.size());
                first = r == null ? 0 : r[0];
                end = r == null ? 0 : r[1] + 1;
                if (rev) {
                    long f = z.size() - end;
                    end = z.size() - first;
                    first = f;
                }
            } else {
                first = scores != null ? scores.first(z) : lex.first(z);
                end = scores != null ? scores.end(z) : lex.end(z);
                long n = Math.max(0, end - first - offset);
                if (limit >= 0) n = Math.min(n, limit);
                if (offset < 0 || (offset > 0 && offset >= z.size())) n = 0; // Redis skips no further
                if (rev) {
                    end = end - offset;
                    first = end - n;
                } else {
                    first = first + offset;
                    end = first + n;
                }
            }
            if (end > first) {
                result = rev ? z.range(z.size() - end, end - first, true) : z.range(first, end - first, false);
            }
        }
        if (dst != null) {
            store(c, dst, result, out);
            return;
        }
        reply(c, out, result, withScores);
    }

    /** Members, or with scores flat [m1, s1, m2, s2 ...] in RESP2 and [[m1, s1], [m2, s2] ...] in RESP3. */
    static void reply(Session c, ReplySink out, List<ZSetTable.Entry> entries, boolean withScores) {
        boolean nested = withScores && ZSetCommands.nestedPairs(c);
        out.array(entries.size() * (withScores && !nested ? 2 : 1));
        for (ZSetTable.Entry e : entries) {
            if (nested) out.array(2);
            out.bulk(e.member());
            if (withScores) ZSetCommands.score(out, e.score());
        }
    }

    /** ZRANGESTORE and the *STORE algebra: the destination is replaced whatever its type, deleted when empty. */
    public static void store(Session c, byte[] dst, List<ZSetTable.Entry> entries, String event, ReplySink out) {
        boolean existed = c.db().delete(dst);
        if (!entries.isEmpty()) {
            ZSetTable z = ZSetTable.openOrCreate(c.db(), dst, ZSetCommands.limits(c));
            for (ZSetTable.Entry e : entries) z.put(e.member(), e.score());
            z.commit();
            Notify.zset(c, event, dst);
        } else if (existed) {
            Notify.generic(c, "del", dst);
        }
        out.integer(entries.size());
    }

    private static void store(Session c, byte[] dst, List<ZSetTable.Entry> entries, ReplySink out) {
        store(c, dst, entries, "zrangestore", out);
    }
}
