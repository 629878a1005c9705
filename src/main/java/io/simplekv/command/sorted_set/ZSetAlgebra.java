package io.simplekv.command.sorted_set;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Session;
import io.simplekv.keyspace.FieldTable;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.Records;
import io.simplekv.keyspace.ZSetTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import static io.simplekv.command.CommandSpec.command;

/**
 * ZUNION, ZINTER, ZDIFF, their *STORE forms and ZINTERCARD, as Redis's zunionInterDiffGenericCommand: inputs may be
 * sorted sets or plain sets (every member scoring 1), with WEIGHTS and AGGREGATE SUM|MIN|MAX.
 */
public final class ZSetAlgebra {
    private ZSetAlgebra() {}

    private enum Op { UNION, INTER, DIFF }

    private enum Aggregate { SUM, MIN, MAX }

    public static void register(CommandTable.Builder t) {
        t.add(command("zunion", (c, a, o) -> run(c, a, o, Op.UNION, null, false)));
        t.add(command("zinter", (c, a, o) -> run(c, a, o, Op.INTER, null, false)));
        t.add(command("zdiff", (c, a, o) -> run(c, a, o, Op.DIFF, null, false)));
        t.add(command("zunionstore", (c, a, o) -> run(c, a, o, Op.UNION, a[1], false)));
        t.add(command("zinterstore", (c, a, o) -> run(c, a, o, Op.INTER, a[1], false)));
        t.add(command("zdiffstore", (c, a, o) -> run(c, a, o, Op.DIFF, a[1], false)));
        t.add(command("zintercard", (c, a, o) -> run(c, a, o, Op.INTER, null, true)));
    }

    /** One input: a sorted set, a set (scores 1) or a missing key (empty). */
    private record Source(ZSetTable zset, FieldTable set, double weight) {
        long size() {
            return zset != null ? zset.size() : set != null ? set.size() : 0;
        }

        double find(byte[] member) {
            if (zset != null) return zset.score(member);
            return set != null && set.contains(member) ? 1.0 : Double.NaN;
        }

        void forEach(BiConsumer<byte[], Double> visitor) {
            if (zset != null) zset.forEach(visitor);
            else if (set != null) set.forEach((m, v) -> visitor.accept(m, 1.0));
        }

        Source weighted(double w) {
            return new Source(zset, set, w);
        }
    }

    private static void run(Session c, byte[][] a, ReplySink out, Op op, byte[] dst, boolean cardinalityOnly) {
        int numkeysAt = dst == null ? 1 : 2;
        long setnum = Args.toLong(a[numkeysAt]);
        if (setnum < 1) {
            throw RedisError.err("at least 1 input key is needed for '" + Args.text(a[0]).toLowerCase() + "' command");
        }
        if (setnum > a.length - numkeysAt - 1) throw RedisError.SYNTAX;
        List<Source> sources = new ArrayList<>();
        int j = numkeysAt + 1;
        for (int i = 0; i < setnum; i++, j++) sources.add(open(c, a[j]));
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        while (j < a.length) {
            int remaining = a.length - j;
            if (op != Op.DIFF && !cardinalityOnly && remaining >= setnum + 1 && Args.is(a[j], "WEIGHTS")) {
                j++;
                for (int i = 0; i < setnum; i++, j++) {
                    double w = io.simplekv.text.RedisNumbers.parseDouble(a[j]);
                    if (Double.isNaN(w)) throw RedisError.err("weight value is not a float");
                    sources.set(i, sources.get(i).weighted(w));
                }
            } else if (op != Op.DIFF && !cardinalityOnly && remaining >= 2 && Args.is(a[j], "AGGREGATE")) {
                if (Args.is(a[j + 1], "SUM")) aggregate = Aggregate.SUM;
                else if (Args.is(a[j + 1], "MIN")) aggregate = Aggregate.MIN;
                else if (Args.is(a[j + 1], "MAX")) aggregate = Aggregate.MAX;
                else throw RedisError.SYNTAX;
                j += 2;
            } else if (dst == null && !cardinalityOnly && Args.is(a[j], "WITHSCORES")) {
                withScores = true;
                j++;
            } else if (cardinalityOnly && remaining >= 2 && Args.is(a[j], "LIMIT")) {
                limit = Args.nonNegative(a[j + 1], "LIMIT can't be negative");
                j += 2;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        if (op != Op.DIFF) sources.sort(Comparator.comparingLong(Source::size));
        if (cardinalityOnly) {
            out.integer(interCard(sources, limit));
            return;
        }
        Map<ByteBuffer, Double> result = switch (op) {
            case UNION -> union(sources, aggregate);
            case INTER -> inter(sources, aggregate);
            case DIFF -> diff(sources);
        };
        List<ZSetTable.Entry> sorted = sorted(result);
        if (dst != null) {
            String event = switch (op) {
                case UNION -> "zunionstore";
                case INTER -> "zinterstore";
                case DIFF -> "zdiffstore";
            };
            ZRangeCommands.store(c, dst, sorted, event, out);
        } else {
            ZRangeCommands.reply(c, out, sorted, withScores);
        }
    }

    private static Source open(Session c, byte[] key) {
        byte[] rec = c.db().read(key);
        if (rec == null) return new Source(null, null, 1.0);
        KeyType type = Records.type(rec);
        if (type == KeyType.ZSET) return new Source(ZSetCommands.read(c, key), null, 1.0);
        if (type == KeyType.SET) {
            return new Source(null, FieldTable.open(c.db(), key, KeyType.SET, c.server().config().setLimits), 1.0);
        }
        throw RedisError.WRONGTYPE;
    }

    private static double weighted(Source s, double score) {
        double v = s.weight() * score;
        return Double.isNaN(v) ? 0 : v;
    }

    private static double combine(double target, double value, Aggregate aggregate) {
        return switch (aggregate) {
            case SUM -> {
                double sum = target + value;
                yield Double.isNaN(sum) ? 0.0 : sum; // +inf + -inf: Redis's convention is 0
            }
            case MIN -> value < target ? value : target;
            case MAX -> value > target ? value : target;
        };
    }

    private static Map<ByteBuffer, Double> union(List<Source> sources, Aggregate aggregate) {
        Map<ByteBuffer, Double> acc = new LinkedHashMap<>();
        for (Source s : sources) {
            s.forEach((m, score) -> {
                double v = weighted(s, score);
                acc.merge(ByteBuffer.wrap(m), v, (old, nu) -> combine(old, nu, aggregate));
            });
        }
        return acc;
    }

    private static Map<ByteBuffer, Double> inter(List<Source> sources, Aggregate aggregate) {
        Map<ByteBuffer, Double> acc = new LinkedHashMap<>();
        Source smallest = sources.get(0);
        smallest.forEach((m, score) -> {
            double v = weighted(smallest, score);
            for (int i = 1; i < sources.size(); i++) {
                double other = sources.get(i).find(m);
                if (Double.isNaN(other)) return;
                v = combine(v, sources.get(i).weight() * other, aggregate);
            }
            acc.put(ByteBuffer.wrap(m), v);
        });
        return acc;
    }

    private static long interCard(List<Source> sources, long limit) {
        long[] n = {0};
        Source smallest = sources.get(0);
        smallest.forEach((m, score) -> {
            if (limit > 0 && n[0] >= limit) return;
            for (int i = 1; i < sources.size(); i++) if (Double.isNaN(sources.get(i).find(m))) return;
            n[0]++;
        });
        return n[0];
    }

    private static Map<ByteBuffer, Double> diff(List<Source> sources) {
        Map<ByteBuffer, Double> acc = new LinkedHashMap<>();
        sources.get(0).forEach((m, score) -> {
            for (int i = 1; i < sources.size(); i++) if (!Double.isNaN(sources.get(i).find(m))) return;
            acc.put(ByteBuffer.wrap(m), score);
        });
        return acc;
    }

    /** Redis's order: by score, then member bytes. */
    static List<ZSetTable.Entry> sorted(Map<ByteBuffer, Double> members) {
        List<ZSetTable.Entry> out = new ArrayList<>(members.size());
        for (Map.Entry<ByteBuffer, Double> e : members.entrySet()) {
            double s = e.getValue();
            out.add(new ZSetTable.Entry(e.getKey().array(), s == 0 ? 0.0 : s));
        }
        out.sort((x, y) -> {
            int c = Double.compare(x.score(), y.score());
            return c != 0 ? c : Arrays.compareUnsigned(x.member(), y.member());
        });
        return out;
    }
}
