package io.simplekv.command;

import io.simplekv.protocol.RedisError;
import io.simplekv.text.Glob;

/** MATCH / COUNT (and, for SCAN, TYPE) options and the reply shape shared by SCAN, HSCAN, SSCAN and ZSCAN. */
public record ScanOptions(byte[] pattern, int count, String type) {

    /**
     * HSCAN/SSCAN: one call of the collection's cursor, keeping members (and values) whose member matches. As in
     * Redis, the cursor is read before the key is looked up, and the options only once there is a collection to scan.
     */
    public static void scanCollection(java.util.function.Supplier<io.simplekv.keyspace.FieldTable> open, byte[][] a,
                                      boolean withValues, io.simplekv.protocol.ReplySink out) {
        long cursor = parseCursor(a[2]);
        io.simplekv.keyspace.FieldTable t = open.get();
        if (t == null) {
            emptyScan(out);
            return;
        }
        ScanOptions o = parse(a, 3, false);
        java.util.List<byte[]> found = new java.util.ArrayList<>();
        long next = t.scan(cursor, o.count(), (f, v) -> {
            if (o.pattern() != null && !Glob.matches(o.pattern(), f)) return;
            found.add(f);
            if (withValues) found.add(v);
        });
        reply(out, next, found);
    }

    /** Redis's shared.emptyscan: what scanning a missing key answers, whatever options follow. */
    public static void emptyScan(io.simplekv.protocol.ReplySink out) {
        reply(out, 0, java.util.List.of());
    }

    /** [next cursor, [items...]] */
    public static void reply(io.simplekv.protocol.ReplySink out, long next, java.util.List<byte[]> items) {
        out.array(2);
        out.bulk(Long.toUnsignedString(next));
        out.array(items.size());
        for (byte[] x : items) out.bulk(x);
    }

    public static ScanOptions parse(byte[][] a, int from, boolean allowType) {
        byte[] pattern = null;
        int count = 10;
        String type = null;
        for (int i = from; i < a.length; i++) {
            boolean hasNext = i + 1 < a.length;
            if (Args.is(a[i], "MATCH") && hasNext) {
                pattern = a[++i];
                if (Glob.matchesEverything(pattern)) pattern = null;
            } else if (Args.is(a[i], "COUNT") && hasNext) {
                long n = Args.toLong(a[++i]);
                if (n < 1) throw RedisError.SYNTAX;
                count = (int) Math.min(n, Integer.MAX_VALUE);
            } else if (allowType && Args.is(a[i], "TYPE") && hasNext) {
                type = Args.text(a[++i]);
            } else {
                throw RedisError.SYNTAX;
            }
        }
        return new ScanOptions(pattern, count, type);
    }

    /** Cursors are unsigned 64-bit numbers read with strtoul, as Redis reads them: "" is 0, "-1" wraps. */
    public static long parseCursor(byte[] arg) {
        String s = Args.text(arg);
        if (s.isEmpty()) return 0;
        boolean negative = s.charAt(0) == '-';
        String digits = s.charAt(0) == '-' || s.charAt(0) == '+' ? s.substring(1) : s;
        if (digits.isEmpty() || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw RedisError.err("invalid cursor");
        }
        try {
            long v = Long.parseUnsignedLong(digits);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw RedisError.err("invalid cursor");
        }
    }
}
