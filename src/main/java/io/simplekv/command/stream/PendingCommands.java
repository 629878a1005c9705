package io.simplekv.command.stream;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Notify;
import io.simplekv.command.Session;
import io.simplekv.keyspace.PendingList;
import io.simplekv.keyspace.StreamEntry;
import io.simplekv.keyspace.StreamGroups;
import io.simplekv.keyspace.StreamId;
import io.simplekv.keyspace.StreamTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.RedisNumbers;

import java.util.ArrayList;
import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/** XACK, XPENDING, XCLAIM and XAUTOCLAIM over a group's {@link PendingList}, as Redis 7.0's t_stream.c. */
final class PendingCommands {
    private PendingCommands() {}

    static void register(CommandTable.Builder t) {
        t.add(command("xack", PendingCommands::xack));
        t.add(command("xpending", PendingCommands::xpending));
        t.add(command("xclaim", PendingCommands::xclaim));
        t.add(command("xautoclaim", PendingCommands::xautoclaim));
    }

    private static RedisError noKeyOrGroup(byte[] key, byte[] group) {
        return new RedisError("NOGROUP No such key '" + Args.text(key) + "' or consumer group '" + Args.text(group) + "'");
    }

    static void xack(Session c, byte[][] a, ReplySink out) {
        StreamTable s = StreamCommands.open(c, a[1]);
        StreamGroups.Group g = s == null ? null : s.groups().get(a[2]);
        if (g == null) {
            out.integer(0);
            return;
        }
        // Every ID is checked first: an ack that half happened can't answer an error.
        StreamId[] ids = new StreamId[a.length - 3];
        for (int j = 3; j < a.length; j++) ids[j - 3] = StreamIds.strict(a[j], 0);
        long acked = 0;
        for (StreamId id : ids) {
            if (g.ack(id) != null) acked++;
        }
        if (acked > 0) {
            s.groupsChanged();
            s.commit();
        }
        out.integer(acked);
    }

    static void xpending(Session c, byte[][] a, ReplySink out) {
        boolean summary = a.length == 3;
        if (!summary && (a.length < 6 || a.length > 9)) throw RedisError.SYNTAX;
        long count = 0, minIdle = 0;
        StreamId start = null, end = null;
        byte[] consumerName = null;
        if (a.length >= 6) {
            int at = 3;
            if (Args.is(a[3], "IDLE")) {
                minIdle = Args.toLong(a[4]);
                if (a.length < 8) throw RedisError.SYNTAX;
                at += 2;
            }
            count = Math.max(0, Args.toLong(a[at + 2]));
            StreamIds.Bound from = StreamIds.interval(a[at], 0);
            start = from.id();
            if (from.exclusive() && (start = start.next()) == null) throw RedisError.err("invalid start ID for the interval");
            StreamIds.Bound to = StreamIds.interval(a[at + 1], -1);
            end = to.id();
            if (to.exclusive() && (end = end.previous()) == null) throw RedisError.err("invalid end ID for the interval");
            if (at + 3 < a.length) consumerName = a[at + 3];
        }
        StreamTable s = StreamCommands.open(c, a[1]);
        StreamGroups.Group g = s == null ? null : s.groups().get(a[2]);
        if (g == null) throw noKeyOrGroup(a[1], a[2]);
        if (summary) {
            out.array(4);
            out.integer(g.pel.size());
            StreamId[] bounds = g.pel.bounds();
            if (bounds == null) {
                out.nullBulk();
                out.nullBulk();
                out.nullArray();
                return;
            }
            out.bulk(bounds[0].bytes());
            out.bulk(bounds[1].bytes());
            List<StreamGroups.Consumer> withPending = new ArrayList<>();
            for (StreamGroups.Consumer con : g.consumers()) if (con.pending() > 0) withPending.add(con);
            out.array(withPending.size());
            for (StreamGroups.Consumer con : withPending) {
                out.array(2);
                out.bulk(con.name);
                out.bulk(Long.toString(con.pending()));
            }
            return;
        }
        StreamGroups.Consumer only = consumerName == null ? null : g.consumer(consumerName);
        if (consumerName != null && only == null) {
            out.array(0);
            return;
        }
        long now = System.currentTimeMillis(), limit = count, idle = minIdle;
        List<PendingList.Nack> found = new ArrayList<>();
        if (limit > 0 && only != null) {
            // The consumer's own list, as Redis walks its consumer PEL; entries too recent for IDLE don't count.
            for (PendingList.Nack n : g.pendingOf(only, start, end, idle == 0 ? limit : 0)) {
                if (idle != 0 && now - n.deliveryTime() < idle) continue;
                found.add(n);
                if (found.size() == limit) break;
            }
        } else if (limit > 0) {
            g.pel.walk(start, end, n -> {
                if (idle != 0 && now - n.deliveryTime() < idle) return true;
                found.add(n);
                return found.size() < limit;
            });
        }
        out.array(found.size());
        for (PendingList.Nack n : found) {
            out.array(4);
            out.bulk(n.id().bytes());
            out.bulk(n.consumer());
            out.integer(Math.max(0, now - n.deliveryTime()));
            out.integer(n.deliveryCount());
        }
    }

    private static long longOr(byte[] arg, String message) {
        try {
            return RedisNumbers.parseLong(arg);
        } catch (RedisNumbers.NotAnInteger e) {
            throw RedisError.err(message);
        }
    }

    static void xclaim(Session c, byte[][] a, ReplySink out) {
        StreamTable s = StreamCommands.open(c, a[1]);
        StreamGroups.Group g = s == null ? null : s.groups().get(a[2]);
        if (g == null) throw noKeyOrGroup(a[1], a[2]);
        long minIdle = Math.max(0, longOr(a[4], "Invalid min-idle-time argument for XCLAIM"));
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < a.length; j++) {
            try {
                ids.add(StreamIds.strict(a[j], 0));
            } catch (RedisError notAnId) {
                break; // perhaps the options begin here
            }
        }
        long now = System.currentTimeMillis(), retryCount = -1, deliveryTime = -1;
        boolean force = false, justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < a.length; j++) {
            int more = a.length - 1 - j;
            if (Args.is(a[j], "FORCE")) {
                force = true;
            } else if (Args.is(a[j], "JUSTID")) {
                justId = true;
            } else if (Args.is(a[j], "IDLE") && more > 0) {
                deliveryTime = now - longOr(a[++j], "Invalid IDLE option argument for XCLAIM");
            } else if (Args.is(a[j], "TIME") && more > 0) {
                deliveryTime = longOr(a[++j], "Invalid TIME option argument for XCLAIM");
            } else if (Args.is(a[j], "RETRYCOUNT") && more > 0) {
                retryCount = longOr(a[++j], "Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (Args.is(a[j], "LASTID") && more > 0) {
                lastId = StreamIds.strict(a[++j], 0);
            } else {
                throw RedisError.err("Unrecognized XCLAIM option '" + Args.text(a[j]) + "'");
            }
        }
        boolean changed = false;
        if (lastId.after(g.lastId)) {
            g.lastId = lastId;
            changed = true;
        }
        if (deliveryTime == -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
        StreamGroups.Consumer consumer = null;
        List<StreamEntry> claimed = new ArrayList<>();
        for (StreamId id : ids) {
            PendingList.Nack n = g.pel.get(id);
            List<StreamEntry> entry = s.range(id, id, 1, false);
            if (entry.isEmpty()) {
                // The entry is gone from the stream: its pending entry goes too.
                if (n != null) {
                    g.ack(id);
                    changed = true;
                }
                continue;
            }
            long deliveries;
            if (n == null) {
                if (!force) continue;
                deliveries = 1; // a NACK made by FORCE starts as a first delivery, as streamCreateNACK makes it
            } else {
                if (minIdle != 0 && now - n.deliveryTime() < minIdle) continue;
                deliveries = n.deliveryCount();
            }
            if (consumer == null) consumer = lookupOrCreate(c, g, a[3], a[1], now);
            if (retryCount >= 0) deliveries = retryCount;
            else if (!justId) deliveries++;
            g.assign(id, consumer, deliveryTime, deliveries);
            claimed.add(entry.get(0));
            changed = true;
        }
        if (changed || consumer != null) {
            s.groupsChanged();
            s.commit();
        }
        out.array(claimed.size());
        for (StreamEntry e : claimed) {
            if (justId) out.bulk(e.id().bytes());
            else StreamReplies.entry(out, e);
        }
    }

    /** The named consumer, its seen time refreshed, or a new one (with Redis's xgroup-createconsumer event). */
    private static StreamGroups.Consumer lookupOrCreate(Session c, StreamGroups.Group g, byte[] name, byte[] key, long now) {
        StreamGroups.Consumer consumer = g.consumer(name);
        if (consumer != null) {
            consumer.seenTime = now;
            return consumer;
        }
        consumer = g.createConsumer(name, now);
        Notify.stream(c, "xgroup-createconsumer", key);
        return consumer;
    }

    static void xautoclaim(Session c, byte[][] a, ReplySink out) {
        long minIdle = Math.max(0, longOr(a[4], "Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamIds.Bound from = StreamIds.interval(a[5], 0);
        StreamId start = from.id();
        if (from.exclusive() && (start = start.next()) == null) throw RedisError.err("invalid start ID for the interval");
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < a.length; j++) {
            int more = a.length - 1 - j;
            if (Args.is(a[j], "COUNT") && more > 0) {
                long max = Long.MAX_VALUE / 16;
                long v;
                try {
                    v = RedisNumbers.parseLong(a[j + 1]);
                } catch (RedisNumbers.NotAnInteger e) {
                    throw RedisError.err("COUNT must be > 0");
                }
                if (v < 1 || v > max) throw RedisError.err("COUNT must be > 0");
                count = v;
                j++;
            } else if (Args.is(a[j], "JUSTID")) {
                justId = true;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        StreamTable s = StreamCommands.open(c, a[1]);
        StreamGroups.Group g = s == null ? null : s.groups().get(a[2]);
        if (g == null) throw noKeyOrGroup(a[1], a[2]);
        long attempts = count * 10;
        // The pending entries the scan can reach, and one more for the cursor.
        List<PendingList.Nack> scan = new ArrayList<>();
        long reach = attempts + 1;
        g.pel.walk(start, StreamId.MAX, n -> {
            scan.add(n);
            return scan.size() < reach;
        });
        long now = System.currentTimeMillis();
        StreamGroups.Consumer consumer = null;
        List<StreamEntry> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        int i = 0;
        while (attempts-- > 0 && count > 0 && i < scan.size()) {
            PendingList.Nack n = scan.get(i++);
            List<StreamEntry> entry = s.range(n.id(), n.id(), 1, false);
            if (entry.isEmpty()) {
                g.ack(n.id());
                deleted.add(n.id());
                count--;
                continue;
            }
            if (minIdle != 0 && now - n.deliveryTime() < minIdle) continue;
            if (consumer == null) consumer = lookupOrCreate(c, g, a[3], a[1], now);
            g.assign(n.id(), consumer, now, justId ? n.deliveryCount() : n.deliveryCount() + 1);
            claimed.add(entry.get(0));
            count--;
        }
        StreamId next = i < scan.size() ? scan.get(i).id() : StreamId.MIN;
        if (consumer != null || !deleted.isEmpty()) {
            s.groupsChanged();
            s.commit();
        }
        out.array(3);
        out.bulk(next.bytes());
        out.array(claimed.size());
        for (StreamEntry e : claimed) {
            if (justId) out.bulk(e.id().bytes());
            else StreamReplies.entry(out, e);
        }
        out.array(deleted.size());
        for (StreamId id : deleted) out.bulk(id.bytes());
    }
}
