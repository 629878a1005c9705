package io.simplekv.command.stream;

import io.simplekv.command.Args;
import io.simplekv.command.Session;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.StreamEntry;
import io.simplekv.keyspace.StreamId;
import io.simplekv.keyspace.StreamTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * XREAD, as Redis 7.0's xreadCommand: options, then STREAMS key... id...; every stream with entries after its ID
 * answers at once, in a map of stream → entries (an array of [stream, entries] pairs in RESP2). With BLOCK and
 * nothing to read, the client waits through {@code Waits} like BLPOP, on a copy of its request whose {@code $} IDs
 * are the streams' last IDs at the time it blocked, and its re-run when an XADD fills a stream answers.
 */
final class XReadCommand {
    private XReadCommand() {}

    /** With BLOCK and no COUNT, a served waiter gets at most this many entries per stream, as in Redis. */
    static final long BLOCKED_DEFAULT_COUNT = 1000;

    record Request(long timeout, long count, int streamsArg, int streams, byte[] group, byte[] consumer, boolean noAck) {}

    static Request parse(Session c, byte[][] a, boolean group) {
        long timeout = -1, count = 0;
        int streamsArg = 0, streams = 0;
        byte[] groupName = null, consumer = null;
        boolean noAck = false;
        for (int i = 1; i < a.length; i++) {
            int more = a.length - i - 1;
            byte[] o = a[i];
            if (Args.is(o, "BLOCK") && more > 0) {
                if (c.isScript()) {
                    throw RedisError.err(Args.text(a[0]) + " command is not allowed with BLOCK option from scripts");
                }
                timeout = timeoutMs(a[++i]);
            } else if (Args.is(o, "COUNT") && more > 0) {
                count = Math.max(0, Args.toLong(a[++i]));
            } else if (Args.is(o, "STREAMS") && more > 0) {
                streamsArg = i + 1;
                streams = a.length - streamsArg;
                if (streams % 2 != 0) {
                    throw RedisError.err("Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
                }
                streams /= 2;
                break;
            } else if (Args.is(o, "GROUP") && more >= 2) {
                if (!group) throw RedisError.err("The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                groupName = a[i + 1];
                consumer = a[i + 2];
                i += 2;
            } else if (Args.is(o, "NOACK")) {
                if (!group) throw RedisError.err("The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                noAck = true;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        if (streamsArg == 0) throw RedisError.SYNTAX;
        if (group && groupName == null) throw RedisError.err("Missing GROUP option for XREADGROUP");
        return new Request(timeout, count, streamsArg, streams, groupName, consumer, noAck);
    }

    /** getTimeoutFromObjectOrReply in milliseconds. */
    private static long timeoutMs(byte[] arg) {
        long ms;
        try {
            ms = io.simplekv.text.RedisNumbers.parseLong(arg);
        } catch (io.simplekv.text.RedisNumbers.NotAnInteger e) {
            throw RedisError.err("timeout is not an integer or out of range");
        }
        if (ms < 0) throw RedisError.err("timeout is negative");
        return ms;
    }

    static void xread(Session c, byte[][] a, ReplySink out) {
        Request r = parse(c, a, false);
        StreamId[] after = new StreamId[r.streams()];
        StreamTable[] tables = new StreamTable[r.streams()];
        for (int i = 0; i < r.streams(); i++) {
            byte[] key = a[r.streamsArg() + i], id = a[r.streamsArg() + r.streams() + i];
            tables[i] = StreamCommands.open(c, key);
            if (id.length == 1 && id[0] == '$') {
                after[i] = tables[i] == null ? StreamId.MIN : tables[i].lastId();
            } else if (id.length == 1 && id[0] == '>') {
                throw RedisError.err("The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
            } else {
                after[i] = StreamIds.strict(id, 0);
            }
        }
        long count = r.count() == 0 && c.reprocessing() ? BLOCKED_DEFAULT_COUNT : r.count();
        List<byte[]> keys = new ArrayList<>();
        List<List<StreamEntry>> found = new ArrayList<>();
        int served = servedIndex(c, a, r);
        for (int i = 0; i < r.streams(); i++) {
            StreamTable s = tables[i];
            if (served >= 0) {
                // A waiter's serve answers for the stream whose XADD woke it, once its last ID passed the one awaited.
                if (i != served || s == null || !s.lastId().after(after[i])) continue;
            } else if (s == null || s.length() == 0 || !s.lastValidId().after(after[i])) {
                continue;
            }
            keys.add(a[r.streamsArg() + i]);
            found.add(s.range(after[i].next(), StreamId.MAX, count, false));
        }
        if (!keys.isEmpty()) {
            streamsReply(c, out, keys, found);
            return;
        }
        if (r.timeout() < 0 || c.denyBlocking()) {
            out.nullArray();
            return;
        }
        // The wait re-runs this request: '$' becomes the ID it meant now, so only entries added later answer.
        byte[][] waiting = a.clone();
        for (int i = 0; i < r.streams(); i++) waiting[r.streamsArg() + r.streams() + i] = after[i].bytes();
        List<byte[]> waitKeys = Arrays.asList(a).subList(r.streamsArg(), r.streamsArg() + r.streams());
        c.server().waits().block(c, waiting, waitKeys, KeyType.STREAM, r.timeout());
    }

    /**
     * During a waiter's serve, the index of the stream whose signal is served (its first mention, as Redis keeps
     * one wait per key), or -1 for a request run as sent: then every stream with something to read answers.
     */
    static int servedIndex(Session c, byte[][] a, Request r) {
        byte[] ready = c.readyKey();
        if (ready == null) return -1;
        for (int i = 0; i < r.streams(); i++) if (Arrays.equals(a[r.streamsArg() + i], ready)) return i;
        return -1;
    }

    /** Stream → entries: a map in RESP3, an array of [stream, entries] pairs in RESP2, as xreadCommand branches. */
    static void streamsReply(Session c, ReplySink out, List<byte[]> keys, List<List<StreamEntry>> found) {
        boolean resp2 = c.protocolVersion() < 3;
        if (resp2) out.array(keys.size());
        else out.map(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            if (resp2) out.array(2);
            out.bulk(keys.get(i));
            StreamReplies.entries(out, found.get(i));
        }
    }
}
