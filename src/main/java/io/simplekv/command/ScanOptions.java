package io.simplekv.command;

import io.simplekv.protocol.RedisError;
import io.simplekv.text.Glob;

/** MATCH / COUNT (and, for SCAN, TYPE) options shared by SCAN, HSCAN, SSCAN and ZSCAN. */
record ScanOptions(byte[] pattern, int count, String type) {

    static ScanOptions parse(byte[][] a, int from, boolean allowType) {
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
}
