package io.simplekv.command.sorted_set;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.MultiPop;
import io.simplekv.command.Notify;
import io.simplekv.command.ScanOptions;
import io.simplekv.command.Session;
import io.simplekv.replication.Argv;
import io.simplekv.keyspace.CollectionLimits;
import io.simplekv.keyspace.ZSetTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.DoubleText;

import java.util.ArrayList;
import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/**
 * ZADD, ZINCRBY, ZREM, the point reads (ZSCORE, ZRANK ...), counts, pops and ZREMRANGEBY*, over {@link ZSetTable}.
 * Ranges by score or member become rank intervals (ScoreRange, LexRange), so every read is O(log n) plus output.
 * Ranges, algebra and random picks are in ZRangeCommands, ZSetAlgebra and ZRandomMember.
 */
public final class ZSetCommands {
    private ZSetCommands() {}

    static final String GROUP = "sorted_set";
    private static final RedisError NAN_RESULT = RedisError.err("resulting score is not a number (NaN)");

    public static void register(CommandTable.Builder t) {
        t.add(command("zadd", ZSetCommands::zadd));
        t.add(command("zincrby", ZSetCommands::zincrby));
        t.add(command("zrem", ZSetCommands::zrem));
        t.add(command("zscore", ZSetCommands::zscore));
        t.add(command("zmscore", ZSetCommands::zmscore));
        t.add(command("zcard", ZSetCommands::zcard));
        t.add(command("zcount", (c, a, o) -> count(c, a, ScoreRange.parse(a[2], a[3]), o)));
        t.add(command("zlexcount", (c, a, o) -> count(c, a, LexRange.parse(a[2], a[3]), o)));
        t.add(command("zrank", (c, a, o) -> zrank(c, a, o, false)));
        t.add(command("zrevrank", (c, a, o) -> zrank(c, a, o, true)));
        t.add(command("zpopmin", (c, a, o) -> zpop(c, a, o, true)));
        t.add(command("zpopmax", (c, a, o) -> zpop(c, a, o, false)));
        t.add(command("zmpop", ZSetCommands::zmpop));
        t.add(command("zremrangebyscore", (c, a, o) -> removeInterval(c, a, ScoreRange.parse(a[2], a[3]), "zremrangebyscore", o)));
        t.add(command("zremrangebyrank", ZSetCommands::zremrangebyrank));
        t.add(command("zremrangebylex", (c, a, o) -> removeInterval(c, a, LexRange.parse(a[2], a[3]), "zremrangebylex", o)));
        t.add(command("zscan", ZSetCommands::zscan));
    }

    static CollectionLimits limits(Session c) {
        return c.server().config().zsetLimits;
    }

    public static ZSetTable read(Session c, byte[] key) {
        return ZSetTable.open(c.db(), key, limits(c));
    }

    /** A score: a double in RESP3, its %.17g text in RESP2 (Redis's addReplyDouble). */
    public static void score(ReplySink out, double score) {
        out.doubleValue(score);
    }

    /**
     * Whether member/score replies nest each pair in a 2-element array: Redis does so for a RESP3 client only
     * ({@code if (c->resp > 2) addReplyArrayLen(c,2)} in zrangeResultBeginStore, ZRANDMEMBER, ZPOP with a count,
     * ZUNION/ZINTER/ZDIFF).
     */
    static boolean nestedPairs(Session c) {
        return c.protocolVersion() >= 3;
    }

    // ---- ZADD / ZINCRBY ----

    public static void zadd(Session c, byte[][] a, ReplySink out) {
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        int at = 2;
        for (; at < a.length; at++) {
            if (Args.is(a[at], "NX")) nx = true;
            else if (Args.is(a[at], "XX")) xx = true;
            else if (Args.is(a[at], "CH")) ch = true;
            else if (Args.is(a[at], "INCR")) incr = true;
            else if (Args.is(a[at], "GT")) gt = true;
            else if (Args.is(a[at], "LT")) lt = true;
            else break;
        }
        int elements = a.length - at;
        if (elements == 0 || elements % 2 != 0) throw RedisError.SYNTAX;
        if (nx && xx) throw RedisError.err("XX and NX options at the same time are not compatible");
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw RedisError.err("GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 2) throw RedisError.err("INCR option supports a single increment-element pair");
        double[] scores = new double[elements / 2];
        for (int i = 0; i < scores.length; i++) scores[i] = Args.toDouble(a[at + 2 * i]);
        add(c, a[1], a, at, scores, new AddMode(nx, xx, gt, lt, ch, incr), out);
    }

    private static void zincrby(Session c, byte[][] a, ReplySink out) {
        add(c, a[1], a, 2, new double[] {Args.toDouble(a[2])}, new AddMode(false, false, false, false, false, true), out);
    }

    private record AddMode(boolean nx, boolean xx, boolean gt, boolean lt, boolean ch, boolean incr) {}

    /** zaddGenericCommand: members at a[at+1], a[at+3] ...; scores already parsed so a bad one changes nothing. */
    private static void add(Session c, byte[] key, byte[][] a, int at, double[] scores, AddMode m, ReplySink out) {
        ZSetTable z = read(c, key);
        if (z == null) {
            if (m.xx()) {
                if (m.incr()) out.nullBulk();
                else out.integer(0);
                return;
            }
            z = ZSetTable.openOrCreate(c.db(), key, limits(c));
        }
        long added = 0, updated = 0, processed = 0;
        double last = 0;
        RedisError failure = null;
        for (int i = 0; i < scores.length; i++) {
            byte[] member = a[at + 1 + 2 * i];
            double score = scores[i];
            double current = z.score(member);
            if (Double.isNaN(current)) {
                if (m.xx()) continue;
                z.put(member, score);
                added++;
            } else {
                if (m.nx()) continue;
                if (m.incr()) {
                    score += current;
                    if (Double.isNaN(score)) {
                        failure = NAN_RESULT;
                        break;
                    }
                }
                if ((m.lt() && score >= current) || (m.gt() && score <= current)) continue;
                if (score != current) {
                    z.put(member, score);
                    updated++;
                }
            }
            processed++;
            last = score;
        }
        z.commit();
        if (added + updated > 0) Notify.zset(c, m.incr() ? "zincr" : "zadd", key);
        if (failure != null) throw failure;
        if (m.incr()) {
            if (processed > 0) score(out, last);
            else out.nullBulk();
        } else {
            out.integer(m.ch() ? added + updated : added);
        }
    }

    // ---- removals ----

    private static void zrem(Session c, byte[][] a, ReplySink out) {
        ZSetTable z = read(c, a[1]);
        long removed = 0;
        if (z != null) {
            for (int i = 2; i < a.length && z.size() > 0; i++) if (z.remove(a[i])) removed++;
            z.commit();
            if (removed > 0) {
                Notify.zset(c, "zrem", a[1]);
                Notify.delIfEmptied(c, z.size(), a[1]);
            }
        }
        out.integer(removed);
    }

    private static void zremrangebyrank(Session c, byte[][] a, ReplySink out) {
        long start = Args.toLong(a[2]), stop = Args.toLong(a[3]);
        ZSetTable z = read(c, a[1]);
        if (z == null) {
            out.integer(0);
            return;
        }
        long[] r = ZRangeCommands.rankRange(start, stop, z.size());
        removeRanks(c, a[1], z, r == null ? 0 : r[0], r == null ? 0 : r[1] + 1, "zremrangebyrank", out);
    }

    /** ZREMRANGEBYSCORE and ZREMRANGEBYLEX: the interval is parsed before the key is looked at, as in Redis. */
    private static void removeInterval(Session c, byte[][] a, RankInterval range, String event, ReplySink out) {
        ZSetTable z = read(c, a[1]);
        if (z == null) {
            out.integer(0);
            return;
        }
        removeRanks(c, a[1], z, range.first(z), range.end(z), event, out);
    }

    /** Removes ranks [from, end) and reports it as Redis does. */
    private static void removeRanks(Session c, byte[] key, ZSetTable z, long from, long end, String event, ReplySink out) {
        long removed = end > from ? z.removeRange(from, end - 1) : 0;
        z.commit();
        if (removed > 0) {
            Notify.zset(c, event, key);
            Notify.delIfEmptied(c, z.size(), key);
        }
        out.integer(removed);
    }

    // ---- point reads and counts ----

    private static void zscore(Session c, byte[][] a, ReplySink out) {
        ZSetTable z = read(c, a[1]);
        double s = z == null ? Double.NaN : z.score(a[2]);
        if (Double.isNaN(s)) out.nullBulk();
        else score(out, s);
    }

    private static void zmscore(Session c, byte[][] a, ReplySink out) {
        ZSetTable z = read(c, a[1]);
        out.array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            double s = z == null ? Double.NaN : z.score(a[i]);
            if (Double.isNaN(s)) out.nullBulk();
            else score(out, s);
        }
    }

    private static void zcard(Session c, byte[][] a, ReplySink out) {
        ZSetTable z = read(c, a[1]);
        out.integer(z == null ? 0 : z.size());
    }

    /** ZCOUNT and ZLEXCOUNT. */
    private static void count(Session c, byte[][] a, RankInterval range, ReplySink out) {
        ZSetTable z = read(c, a[1]);
        out.integer(z == null ? 0 : range.end(z) - range.first(z));
    }

    private static void zrank(Session c, byte[][] a, ReplySink out, boolean reverse) {
        ZSetTable z = read(c, a[1]);
        long rank = z == null ? -1 : z.rank(a[2]);
        if (rank < 0) out.nullBulk();
        else out.integer(reverse ? z.size() - 1 - rank : rank);
    }

    private static void zscan(Session c, byte[][] a, ReplySink out) {
        long cursor = ScanOptions.parseCursor(a[2]);
        ZSetTable z = read(c, a[1]); // after the cursor, and before the options, as Redis reads them
        if (z == null) {
            ScanOptions.emptyScan(out);
            return;
        }
        ScanOptions o = ScanOptions.parse(a, 3, false);
        List<byte[]> found = new ArrayList<>();
        long next = z.scan(cursor, o.count(), (m, s) -> {
            if (o.pattern() != null && !io.simplekv.text.Glob.matches(o.pattern(), m)) return;
            found.add(m);
            found.add(DoubleText.bytes(s));
        });
        ScanOptions.reply(out, next, found);
    }

    // ---- pops ----

    private static void zpop(Session c, byte[][] a, ReplySink out, boolean min) {
        if (a.length > 3) throw RedisError.SYNTAX;
        long count = -1;
        if (a.length == 3) {
            count = Args.nonNegative(a[2], "value is out of range, must be positive");
        }
        ZSetTable z = read(c, a[1]);
        if (z == null || count == 0) {
            out.array(0);
            return;
        }
        List<ZSetTable.Entry> popped = pop(c, a[1], z, min, count < 0 ? 1 : count);
        // Only an explicit count gets RESP3's nested pairs: ZPOPMIN key alone stays a flat [member, score].
        boolean nested = count >= 0 && nestedPairs(c);
        out.array(nested ? popped.size() : popped.size() * 2);
        for (ZSetTable.Entry e : popped) {
            if (nested) out.array(2);
            out.bulk(e.member());
            score(out, e.score());
        }
    }

    private static void zmpop(Session c, byte[][] a, ReplySink out) {
        MultiPop p = MultiPop.parse(a, 1, "MIN", "MAX");
        if (!popFirst(c, a, p, out)) out.nullArray();
    }

    /** ZMPOP/BZMPOP: pops from the first existing sorted set, replying [key, [[member, score] ...]]. */
    static boolean popFirst(Session c, byte[][] a, MultiPop p, ReplySink out) {
        for (int i = p.firstKey(); i < p.endKey(); i++) if (popKey(c, a[i], p, out)) return true;
        return false;
    }

    /** One key's part of ZMPOP/BZMPOP; false (nothing written) when the key holds no sorted set. */
    static boolean popKey(Session c, byte[] key, MultiPop p, ReplySink out) {
        ZSetTable z = read(c, key);
        if (z == null) return false;
        popNested(c, key, z, p.first(), p.count(), out);
        return true;
    }

    static void popNested(Session c, byte[] key, ZSetTable z, boolean min, long count, ReplySink out) {
        List<ZSetTable.Entry> popped = pop(c, key, z, min, count);
        if (c.propagating()) c.propagateAs(Argv.of(min ? "ZPOPMIN" : "ZPOPMAX", key, popped.size()));
        out.array(2);
        out.bulk(key);
        out.array(popped.size());
        for (ZSetTable.Entry e : popped) {
            out.array(2);
            out.bulk(e.member());
            score(out, e.score());
        }
    }

    /** Removes up to count members from the low (min) or high end, with Redis's notifications. */
    public static List<ZSetTable.Entry> pop(Session c, byte[] key, ZSetTable z, boolean min, long count) {
        long n = Math.min(count, z.size());
        List<ZSetTable.Entry> popped = z.range(0, n, !min);
        if (min) z.removeRange(0, n - 1);
        else z.removeRange(z.size() - n, z.size() - 1);
        z.commit();
        if (n > 0) {
            Notify.zset(c, min ? "zpopmin" : "zpopmax", key);
            Notify.delIfEmptied(c, z.size(), key);
        }
        return popped;
    }
}
