package io.simplekv.command.sorted_set;

import io.simplekv.keyspace.ZSetTable;
import io.simplekv.protocol.RedisError;

import java.util.Arrays;

/**
 * A member interval as ZRANGEBYLEX takes it (zslParseLexRange): {@code [m} inclusive, {@code (m} exclusive,
 * {@code -} and {@code +} the ends. Meaningful only when every score is equal, as Redis documents.
 */
record LexRange(Bound min, Bound max) implements RankInterval {
    static final RedisError INVALID = RedisError.err("min or max not valid string range item");

    /** A bound: below everything, above everything, or a member, inclusive or not. */
    record Bound(int infinity, byte[] member, boolean inclusive) {}

    static LexRange parse(byte[] min, byte[] max) {
        return new LexRange(bound(min), bound(max));
    }

    private static Bound bound(byte[] b) {
        if (b.length == 0) throw INVALID;
        return switch (b[0]) {
            case '-' -> { if (b.length != 1) throw INVALID; yield new Bound(-1, null, false); }
            case '+' -> { if (b.length != 1) throw INVALID; yield new Bound(1, null, false); }
            case '[' -> new Bound(0, Arrays.copyOfRange(b, 1, b.length), true);
            case '(' -> new Bound(0, Arrays.copyOfRange(b, 1, b.length), false);
            default -> throw INVALID;
        };
    }

    @Override
    public long first(ZSetTable z) {
        if (min.infinity() != 0) return min.infinity() < 0 ? 0 : z.size();
        return z.countBelowLex(min.member(), !min.inclusive());
    }

    @Override
    public long end(ZSetTable z) {
        long end = max.infinity() != 0 ? (max.infinity() < 0 ? 0 : z.size()) : z.countBelowLex(max.member(), max.inclusive());
        return Math.max(first(z), end);
    }
}
