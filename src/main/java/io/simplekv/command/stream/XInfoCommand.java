package io.simplekv.command.stream;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Help;
import io.simplekv.command.Session;
import io.simplekv.keyspace.PendingList;
import io.simplekv.keyspace.StreamEntry;
import io.simplekv.keyspace.StreamGroups;
import io.simplekv.keyspace.StreamId;
import io.simplekv.keyspace.StreamTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.util.ArrayList;
import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/** XINFO STREAM [FULL [COUNT n]] and XINFO HELP, as Redis 7.0's xinfoCommand replies (maps in RESP3). */
final class XInfoCommand {
    private XInfoCommand() {}

    static void register(CommandTable.Builder t) {
        t.add(command("xinfo", null)
                .sub(command("stream", XInfoCommand::stream))
                .sub(command("groups", XInfoCommand::groups))
                .sub(command("consumers", XInfoCommand::consumers))
                .sub(command("help", (c, a, o) -> {
                    if (a.length != 2) throw Help.syntaxError(a[1], "XINFO");
                    Help.reply(o, "XINFO", "CONSUMERS <key> <groupname>", "    Show consumers of <groupname>.",
                            "GROUPS <key>", "    Show the stream consumer groups.",
                            "STREAM <key> [FULL [COUNT <count>]", "    Show information about the stream.");
                })));
    }

    /** The stream at a[2]: "ERR no such key" when missing, as every XINFO subcommand but HELP answers. */
    static StreamTable stream(Session c, byte[][] a) {
        StreamTable s = StreamCommands.open(c, a[2]);
        if (s == null) throw RedisError.NO_SUCH_KEY;
        return s;
    }

    static void stream(Session c, byte[][] a, ReplySink out) {
        StreamTable s = stream(c, a); // the key before the options, as xinfoCommand looks it up
        boolean full = a.length > 3;
        long count = 10;
        if (full) {
            if (a.length != 4 && a.length != 6) throw Help.syntaxError(a[1], "XINFO");
            if (!Args.is(a[3], "FULL")) throw Help.syntaxError(a[1], "XINFO");
            if (a.length == 6) {
                if (!Args.is(a[4], "COUNT")) throw Help.syntaxError(a[1], "XINFO");
                count = Args.toLong(a[5]);
                if (count < 0) count = 10;
            }
        }
        out.map(full ? 9 : 10);
        out.bulk("length");
        out.integer(s.length());
        out.bulk("radix-tree-keys");
        out.integer(s.nodes());
        // Redis counts its radix tree's inner nodes too; a tree of 16-byte keys has about one more than it has keys.
        out.bulk("radix-tree-nodes");
        out.integer(s.nodes() + 1);
        out.bulk("last-generated-id");
        out.bulk(s.lastId().bytes());
        out.bulk("max-deleted-entry-id");
        out.bulk(s.maxDeletedId().bytes());
        out.bulk("entries-added");
        out.integer(s.entriesAdded());
        out.bulk("recorded-first-entry-id");
        out.bulk(s.firstId().bytes());
        if (!full) {
            out.bulk("groups");
            out.integer(s.groups().size());
            entryOrNull(out, "first-entry", s.edge(true));
            entryOrNull(out, "last-entry", s.edge(false));
            return;
        }
        out.bulk("entries");
        StreamReplies.entries(out, s.range(StreamId.MIN, StreamId.MAX, count, false));
        out.bulk("groups");
        out.array(s.groups().size());
        for (StreamGroups.Group g : s.groups().all()) fullGroup(out, s, g, count);
    }

    /** One group of XINFO STREAM FULL: its position, its pending entries and its consumers', up to count (0: all). */
    private static void fullGroup(ReplySink out, StreamTable s, StreamGroups.Group g, long count) {
        out.map(7);
        out.bulk("name");
        out.bulk(g.name);
        out.bulk("last-delivered-id");
        out.bulk(g.lastId.bytes());
        out.bulk("entries-read");
        entriesRead(out, g);
        out.bulk("lag");
        lag(out, s, g);
        out.bulk("pel-count");
        out.integer(g.pel.size());
        out.bulk("pending");
        List<PendingList.Nack> pending = pending(g, count);
        out.array(pending.size());
        for (PendingList.Nack n : pending) {
            out.array(4);
            out.bulk(n.id().bytes());
            out.bulk(n.consumer());
            out.integer(n.deliveryTime());
            out.integer(n.deliveryCount());
        }
        out.bulk("consumers");
        out.array(g.consumers().size());
        for (StreamGroups.Consumer con : g.consumers()) {
            out.map(4);
            out.bulk("name");
            out.bulk(con.name);
            out.bulk("seen-time");
            out.integer(con.seenTime);
            out.bulk("pel-count");
            out.integer(con.pending());
            out.bulk("pending");
            List<PendingList.Nack> own = g.pendingOf(con, StreamId.MIN, StreamId.MAX, count);
            out.array(own.size());
            for (PendingList.Nack n : own) {
                out.array(3);
                out.bulk(n.id().bytes());
                out.integer(n.deliveryTime());
                out.integer(n.deliveryCount());
            }
        }
    }

    private static List<PendingList.Nack> pending(StreamGroups.Group g, long count) {
        return g.pel.first(count == 0 ? Long.MAX_VALUE : count);
    }

    private static void entriesRead(ReplySink out, StreamGroups.Group g) {
        if (g.entriesRead == StreamGroups.INVALID_ENTRIES_READ) out.nullBulk();
        else out.integer(g.entriesRead);
    }

    private static void lag(ReplySink out, StreamTable s, StreamGroups.Group g) {
        Long lag = GroupProgress.lag(s, g);
        if (lag == null) out.nullBulk();
        else out.integer(lag);
    }

    static void groups(Session c, byte[][] a, ReplySink out) {
        if (a.length != 3) {
            stream(c, a); // the key is looked up first, as in Redis
            throw Help.syntaxError(a[1], "XINFO");
        }
        StreamTable s = stream(c, a);
        out.array(s.groups().size());
        for (StreamGroups.Group g : s.groups().all()) {
            out.map(6);
            out.bulk("name");
            out.bulk(g.name);
            out.bulk("consumers");
            out.integer(g.consumers().size());
            out.bulk("pending");
            out.integer(g.pel.size());
            out.bulk("last-delivered-id");
            out.bulk(g.lastId.bytes());
            out.bulk("entries-read");
            entriesRead(out, g);
            out.bulk("lag");
            lag(out, s, g);
        }
    }

    static void consumers(Session c, byte[][] a, ReplySink out) {
        StreamTable s = stream(c, a);
        if (a.length != 4) throw Help.syntaxError(a[1], "XINFO");
        StreamGroups.Group g = s.groups().get(a[3]);
        if (g == null) {
            throw new RedisError("NOGROUP No such consumer group '" + Args.text(a[3]) + "' for key name '" + Args.text(a[2]) + "'");
        }
        long now = System.currentTimeMillis();
        out.array(g.consumers().size());
        for (StreamGroups.Consumer con : g.consumers()) {
            out.map(3);
            out.bulk("name");
            out.bulk(con.name);
            out.bulk("pending");
            out.integer(con.pending());
            out.bulk("idle");
            out.integer(Math.max(0, now - con.seenTime));
        }
    }

    private static void entryOrNull(ReplySink out, String name, StreamEntry e) {
        out.bulk(name);
        if (e == null) out.nullBulk();
        else StreamReplies.entry(out, e);
    }
}
