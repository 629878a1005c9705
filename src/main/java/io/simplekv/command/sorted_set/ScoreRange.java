package io.simplekv.command.sorted_set;

import io.simplekv.keyspace.ZSetTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.text.Strtod;

/** A score interval as ZRANGEBYSCORE takes it: {@code (} before a bound makes it exclusive (zslParseRange). */
record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) implements RankInterval {
    static final RedisError NOT_FLOAT = RedisError.err("min or max is not a float");

    static ScoreRange parse(byte[] min, byte[] max) {
        boolean minEx = min.length > 0 && min[0] == '(', maxEx = max.length > 0 && max[0] == '(';
        double lo = Strtod.parse(min, minEx ? 1 : 0), hi = Strtod.parse(max, maxEx ? 1 : 0);
        if (Double.isNaN(lo) || Double.isNaN(hi)) throw NOT_FLOAT;
        return new ScoreRange(lo, minEx, hi, maxEx);
    }

    @Override
    public long first(ZSetTable z) {
        return z.countBelow(min, minExclusive);
    }

    @Override
    public long end(ZSetTable z) {
        return Math.max(first(z), z.countBelow(max, !maxExclusive));
    }
}
