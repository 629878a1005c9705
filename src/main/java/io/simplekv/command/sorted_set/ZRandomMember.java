package io.simplekv.command.sorted_set;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.RandomPick;
import io.simplekv.command.ReplyBudget;
import io.simplekv.command.Session;
import io.simplekv.keyspace.ZSetTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static io.simplekv.command.CommandSpec.command;

/**
 * ZRANDMEMBER key [count [WITHSCORES]]: a random rank is an O(log n) lookup, so picks never walk the set; a
 * positive count gives distinct members, a negative one |count| members that may repeat, as in Redis.
 */
public final class ZRandomMember {
    private ZRandomMember() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("zrandmember", ZRandomMember::zrandmember));
    }

    private static void zrandmember(Session c, byte[][] a, ReplySink out) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (a.length == 2) {
            ZSetTable z = ZSetCommands.read(c, a[1]);
            out.bulkOrNull(z == null ? null : z.at(rnd.nextLong(z.size())).member());
            return;
        }
        long count = Args.randomCount(a[2]);
        if (a.length > 4 || (a.length == 4 && !Args.is(a[3], "WITHSCORES"))) throw RedisError.SYNTAX;
        boolean withScores = a.length == 4;
        if (withScores && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            throw RedisError.err("value is out of range");
        }
        ZSetTable z = ZSetCommands.read(c, a[1]);
        if (count < 0 && z != null) {
            repeats(c, out, z, -count, withScores, rnd);
            return;
        }
        List<ZSetTable.Entry> picked = z == null || count == 0 ? List.of() : pick(z, count, rnd);
        ZRangeCommands.reply(c, out, picked, withScores);
    }

    /** A negative count's |count| picks, written as picked: there may be far more of them than members. */
    private static void repeats(Session c, ReplySink out, ZSetTable z, long picks, boolean withScores,
                                ThreadLocalRandom rnd) {
        ReplyBudget.check(c, withScores ? 2 * picks : picks);
        boolean nested = withScores && ZSetCommands.nestedPairs(c);
        long size = z.size();
        // Every entry read once when there are more picks than entries: z.at() walks the pages each time.
        List<ZSetTable.Entry> pool = picks >= size ? z.range(0, size, false) : null;
        out.array((int) (withScores && !nested ? 2 * picks : picks));
        if (pool != null) {
            // Members only: a score's text varies, and a hint need not be exact.
            int sampled = Math.min(pool.size(), 64);
            long bytes = 0;
            for (int i = 0; i < sampled; i++) bytes += RandomPick.bulkSize(pool.get(i).member().length);
            out.expect(bytes / sampled * picks);
        }
        for (long i = 0; i < picks; i++) {
            ZSetTable.Entry e = pool != null ? pool.get(rnd.nextInt(pool.size())) : z.at(rnd.nextLong(size));
            if (nested) out.array(2);
            out.bulk(e.member());
            if (withScores) ZSetCommands.score(out, e.score());
        }
    }

    private static List<ZSetTable.Entry> pick(ZSetTable z, long count, ThreadLocalRandom rnd) {
        long size = z.size();
        List<ZSetTable.Entry> out = new ArrayList<>();
        if (count < 0) {
            for (long i = 0; i < -count; i++) out.add(z.at(rnd.nextLong(size)));
            return out;
        }
        // The whole set, highest score first: Redis's zset iterator (zuiInitIterator) walks from the tail.
        if (count >= size) return z.range(0, size, true);
        if (count * 3 < size) {
            Set<Long> ranks = new HashSet<>();
            while (ranks.size() < count) {
                long r = rnd.nextLong(size);
                if (ranks.add(r)) out.add(z.at(r));
            }
            return out;
        }
        List<Long> ranks = new ArrayList<>();
        for (long r = 0; r < size; r++) ranks.add(r);
        Collections.shuffle(ranks, rnd);
        List<Long> chosen = new ArrayList<>(ranks.subList(0, (int) count));
        Collections.sort(chosen);
        for (long r : chosen) out.add(z.at(r));
        Collections.shuffle(out, rnd);
        return out;
    }
}
