package io.simplekv.command.stream;

import io.simplekv.command.Args;
import io.simplekv.command.Notify;
import io.simplekv.command.Session;
import io.simplekv.replication.Argv;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.PendingList;
import io.simplekv.keyspace.StreamEntry;
import io.simplekv.keyspace.StreamGroups;
import io.simplekv.keyspace.StreamId;
import io.simplekv.keyspace.StreamTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key... id..., as Redis 7.0's xreadCommand
 * with a group: {@code >} delivers entries past the group's last ID and records them pending for the consumer
 * (unless NOACK); any other ID replays the consumer's own pending entries after it. With BLOCK and nothing new,
 * the client waits like BLPOP and its re-run answers when an XADD fills a stream.
 */
final class XReadGroupCommand {
    private XReadGroupCommand() {}

    private static final StreamId NEW_ONLY = StreamId.MAX;
    /** A waiter whose stream was deleted or overwritten meanwhile: Redis 7.0's unblockDeletedStreamReadgroupClients. */
    private static final RedisError GONE = new RedisError("UNBLOCKED the stream key no longer exists");

    static void xreadgroup(Session c, byte[][] a, ReplySink out) {
        if (c.propagating()) c.preventPropagation();
        XReadCommand.Request r = XReadCommand.parse(c, a, true);
        StreamTable[] tables = new StreamTable[r.streams()];
        StreamGroups.Group[] groups = new StreamGroups.Group[r.streams()];
        StreamId[] after = new StreamId[r.streams()];
        int served = XReadCommand.servedIndex(c, a, r);
        for (int i = 0; i < r.streams(); i++) {
            if (served >= 0 && i != served) continue; // a serve looks at the stream that woke it alone
            byte[] key = a[r.streamsArg() + i], id = a[r.streamsArg() + r.streams() + i];
            try {
                tables[i] = StreamCommands.open(c, key);
            } catch (RedisError wrongType) {
                if (c.reprocessing()) throw GONE;
                throw wrongType;
            }
            if (tables[i] == null && c.reprocessing()) throw GONE;
            groups[i] = tables[i] == null ? null : tables[i].groups().get(r.group());
            if (groups[i] == null) {
                if (c.reprocessing()) throw new RedisError("NOGROUP the consumer group this client was blocked on no longer exists");
                throw new RedisError("NOGROUP No such key '" + Args.text(key) + "' or consumer group '" + Args.text(r.group())
                        + "' in XREADGROUP with GROUP option");
            }
            if (id.length == 1 && id[0] == '$') {
                throw RedisError.err("The $ ID is meaningless in the context of XREADGROUP: you want to read the history "
                        + "of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would "
                        + "just return an empty result set.");
            } else if (id.length == 1 && id[0] == '>') {
                after[i] = NEW_ONLY;
            } else {
                after[i] = StreamIds.strict(id, 0);
            }
        }
        long count = r.count() == 0 && c.reprocessing() ? XReadCommand.BLOCKED_DEFAULT_COUNT : r.count();
        long now = System.currentTimeMillis();
        List<byte[]> keys = new ArrayList<>();
        List<List<StreamEntry>> found = new ArrayList<>();
        for (int i = 0; i < r.streams(); i++) {
            if (served >= 0 && i != served) continue;
            StreamTable s = tables[i];
            StreamGroups.Group g = groups[i];
            boolean history = !after[i].equals(NEW_ONLY);
            StreamId gt = after[i];
            if (!history) {
                // A serve goes by the stream's last ID, as serveClientsBlockedOnStreamKey does; a request by its last entry.
                boolean fresh = served >= 0 ? s.lastId().after(g.lastId) : s.length() > 0 && s.lastValidId().after(g.lastId);
                if (!fresh) continue;
                gt = g.lastId;
            }
            byte[] key = a[r.streamsArg() + i];
            StreamGroups.Consumer consumer = g.consumer(r.consumer());
            if (consumer == null) {
                consumer = g.createConsumer(r.consumer(), now);
                Notify.stream(c, "xgroup-createconsumer", key);
                // With NOACK no XCLAIM will create the consumer on a replica.
                if (r.noAck() && c.propagating()) c.alsoPropagate(Argv.of("XGROUP", "CREATECONSUMER", key, r.group(), r.consumer()));
            } else {
                consumer.seenTime = now;
            }
            StreamId start = gt.next();
            List<StreamEntry> entries = start == null ? new ArrayList<>()
                    : history ? history(s, g, consumer, start, count, now) : deliver(s, g, consumer, start, count, r.noAck(), now);
            s.groupsChanged();
            s.commit();
            if (c.propagating() && !history && !entries.isEmpty()) propagateDelivery(c, key, r, g, entries, now);
            keys.add(key);
            found.add(entries);
        }
        if (!keys.isEmpty()) {
            XReadCommand.streamsReply(c, out, keys, found);
            return;
        }
        if (r.timeout() < 0 || c.denyBlocking()) {
            out.nullArray();
            return;
        }
        List<byte[]> waitKeys = Arrays.asList(a).subList(r.streamsArg(), r.streamsArg() + r.streams());
        c.server().waits().block(c, a, waitKeys, KeyType.STREAM, r.timeout(), true);
    }

    /**
     * Redis's streamPropagateXCLAIM and streamPropagateGroupID: each entry now pending goes to replicas as an
     * idempotent XCLAIM that also carries the group's last ID; with NOACK, one XGROUP SETID says how far the group got.
     * XREADGROUP itself is never propagated.
     */
    private static void propagateDelivery(Session c, byte[] key, XReadCommand.Request r, StreamGroups.Group g,
                                          List<StreamEntry> entries, long now) {
        if (r.noAck()) {
            c.alsoPropagate(Argv.of("XGROUP", "SETID", key, r.group(), g.lastId.bytes(), "ENTRIESREAD", g.entriesRead));
            return;
        }
        for (StreamEntry e : entries) {
            c.alsoPropagate(Argv.of("XCLAIM", key, r.group(), r.consumer(), 0, e.id().bytes(), "TIME", now,
                    "RETRYCOUNT", 1, "FORCE", "JUSTID", "LASTID", e.id().bytes()));
        }
    }

    /** New entries after the group's last ID: each moves the group on and, unless NOACK, becomes pending. */
    private static List<StreamEntry> deliver(StreamTable s, StreamGroups.Group g, StreamGroups.Consumer consumer,
                                             StreamId start, long count, boolean noAck, long now) {
        List<StreamEntry> entries = s.range(start, StreamId.MAX, count, false);
        for (StreamEntry e : entries) {
            GroupProgress.delivered(s, g, e.id());
            // Delivered before (XGROUP SETID went back): the entry changes hands and its count starts again.
            if (!noAck) g.assign(e.id(), consumer, now, 1);
        }
        return entries;
    }

    /**
     * The consumer's own pending entries from {@code start}: each is delivered again (its time and count move), and
     * one whose entry is gone from the stream answers [id, nil].
     */
    private static List<StreamEntry> history(StreamTable s, StreamGroups.Group g, StreamGroups.Consumer consumer,
                                             StreamId start, long count, long now) {
        List<PendingList.Nack> mine = g.pendingOf(consumer, start, StreamId.MAX, count);
        List<StreamEntry> out = new ArrayList<>(mine.size());
        for (PendingList.Nack n : mine) {
            List<StreamEntry> one = s.range(n.id(), n.id(), 1, false);
            if (one.isEmpty()) {
                out.add(new StreamEntry(n.id(), null));
            } else {
                out.add(one.get(0));
                g.pel.put(new PendingList.Nack(n.id(), n.consumer(), now, n.deliveryCount() + 1));
            }
        }
        return out;
    }
}
