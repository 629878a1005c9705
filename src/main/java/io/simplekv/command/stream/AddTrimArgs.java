package io.simplekv.command.stream;

import io.simplekv.command.Args;
import io.simplekv.keyspace.StreamId;
import io.simplekv.keyspace.StreamLimits;
import io.simplekv.keyspace.StreamTable;
import io.simplekv.protocol.RedisError;

/**
 * The options of XADD and XTRIM, parsed as Redis's streamParseAddOrTrimArgsOrReply does, in its order and with its
 * errors: MAXLEN or MINID with {@code =} or {@code ~}, LIMIT, and for XADD NOMKSTREAM and then the ID, where
 * parsing stops.
 */
record AddTrimArgs(StreamTable.Trim trim, boolean noMkStream, StreamIds.Parsed id, int idPos) {
    // idPos: the index of XADD's ID (null id: "*"), the field-value pairs begin one later.

    static AddTrimArgs parse(byte[][] a, boolean xadd, StreamLimits limits) {
        int strategy = 0; // 0 none, 1 maxlen, 2 minid
        boolean approx = false, limitGiven = false, noMkStream = false;
        long maxLen = 0, limit = 0;
        StreamId minId = StreamId.MIN;
        StreamIds.Parsed id = null;
        int i = 2;
        for (; i < a.length; i++) {
            int more = a.length - 1 - i;
            byte[] opt = a[i];
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if (Args.is(opt, "MAXLEN") && more > 0) {
                if (strategy != 0) throw BOTH;
                approx = false;
                if (more >= 2 && isWord(a[i + 1], '~')) {
                    approx = true;
                    i++;
                } else if (more >= 2 && isWord(a[i + 1], '=')) {
                    i++;
                }
                maxLen = Args.toLong(a[i + 1]);
                if (maxLen < 0) throw RedisError.err("The MAXLEN argument must be >= 0.");
                i++;
                strategy = 1;
            } else if (Args.is(opt, "MINID") && more > 0) {
                if (strategy != 0) throw BOTH;
                approx = false;
                if (more >= 2 && isWord(a[i + 1], '~')) {
                    approx = true;
                    i++;
                } else if (more >= 2 && isWord(a[i + 1], '=')) {
                    i++;
                }
                minId = StreamIds.strict(a[i + 1], 0);
                i++;
                strategy = 2;
            } else if (Args.is(opt, "LIMIT") && more > 0) {
                limit = Args.toLong(a[i + 1]);
                if (limit < 0) throw RedisError.err("The LIMIT argument must be >= 0.");
                limitGiven = true;
                i++;
            } else if (xadd && Args.is(opt, "NOMKSTREAM")) {
                noMkStream = true;
            } else if (xadd) {
                id = StreamIds.forAdd(opt);
                break;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        if (limit != 0 && strategy == 0) {
            throw RedisError.err("syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && strategy == 0) throw RedisError.err("syntax error, XTRIM must be called with a trimming strategy");
        if (limitGiven) {
            if (!approx) throw RedisError.err("syntax error, LIMIT cannot be used without the special ~ option");
        } else if (approx) {
            // Redis caps the work of an approximate trim at 100 nodes' worth of entries, within [10000, 1000000].
            limit = 100 * limits.maxEntries();
            if (limit <= 0) limit = 10000;
            if (limit > 1000000) limit = 1000000;
        } else {
            limit = 0;
        }
        StreamTable.Trim trim = strategy == 0 ? null : new StreamTable.Trim(strategy == 2, maxLen, minId, approx, limit);
        return new AddTrimArgs(trim, noMkStream, id, i);
    }

    private static final RedisError BOTH =
            RedisError.err("syntax error, MAXLEN and MINID options at the same time are not compatible");

    private static boolean isWord(byte[] arg, char c) {
        return arg.length == 1 && arg[0] == c;
    }
}
