package io.simplekv.command.stream;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Notify;
import io.simplekv.command.Session;
import io.simplekv.replication.Argv;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.StreamEntry;
import io.simplekv.keyspace.StreamId;
import io.simplekv.keyspace.StreamLimits;
import io.simplekv.keyspace.StreamTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/** XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM and XSETID over {@link StreamTable}, as Redis 7.0's t_stream.c. */
public final class StreamCommands {
    private StreamCommands() {}

    static final RedisError NOT_ABOVE_TOP =
            RedisError.err("The ID specified in XADD is equal or smaller than the target stream top item");

    static final RedisError TOO_LARGE = RedisError.err("Elements are too large to be stored");

    public static void register(CommandTable.Builder t) {
        t.add(command("xadd", StreamCommands::xadd));
        t.add(command("xlen", StreamCommands::xlen));
        t.add(command("xrange", (c, a, o) -> range(c, a, o, false)));
        t.add(command("xrevrange", (c, a, o) -> range(c, a, o, true)));
        t.add(command("xdel", StreamCommands::xdel));
        t.add(command("xtrim", StreamCommands::xtrim));
        t.add(command("xsetid", StreamCommands::xsetid));
        t.add(command("xread", XReadCommand::xread));
        t.add(command("xreadgroup", XReadGroupCommand::xreadgroup));
        XInfoCommand.register(t);
        XGroupCommand.register(t);
        PendingCommands.register(t);
    }

    static StreamLimits limits(Session c) {
        return c.server().config().streamLimits;
    }

    static StreamTable open(Session c, byte[] key) {
        return StreamTable.open(c.db(), key, limits(c));
    }

    static void xadd(Session c, byte[][] a, ReplySink out) {
        AddTrimArgs args = AddTrimArgs.parse(a, true, limits(c));
        int fieldPos = args.idPos() + 1, n = a.length - fieldPos;
        if (n < 2 || n % 2 == 1) throw RedisError.err("wrong number of arguments for 'xadd' command");
        StreamIds.Parsed given = args.id();
        // Before the stream is made, so a refused 0-0 leaves no empty key behind.
        if (given != null && given.seqGiven() && given.id().isZero()) {
            throw RedisError.err("The ID specified in XADD must be greater than 0-0");
        }
        Database db = c.db();
        StreamTable s = args.noMkStream() ? StreamTable.open(db, a[1], limits(c)) : StreamTable.openOrCreate(db, a[1], limits(c));
        if (s == null) {
            out.nullBulk();
            return;
        }
        if (s.lastId().isMax()) {
            throw RedisError.err("The stream has exhausted the last possible ID, unable to add more items");
        }
        StreamId id = newId(s.lastId(), given);
        long total = 0;
        for (int i = fieldPos; i < a.length; i++) total += a[i].length;
        if (total > StreamLimits.LISTPACK_MAX_SIZE) {
            s.commit(); // Redis made the key before it found the entry too large
            throw TOO_LARGE;
        }
        s.append(id, a, fieldPos, a.length);
        boolean trimmed = args.trim() != null && s.trim(args.trim()) > 0;
        s.commit();
        out.bulk(id.bytes());
        Notify.stream(c, "xadd", a[1]);
        if (trimmed) Notify.stream(c, "xtrim", a[1]);
        // A replica must store the ID this server chose, not make its own from "*" or "ms-*".
        if (c.propagating()) c.propagateAs(Argv.replace(a, args.idPos(), id.bytes()));
    }

    /** The entry's ID as streamAppendItem makes it: given, given with the next sequence, or from the clock. */
    private static StreamId newId(StreamId last, StreamIds.Parsed given) {
        StreamId id;
        if (given == null) {
            long now = System.currentTimeMillis();
            id = Long.compareUnsigned(now, last.ms()) > 0 ? new StreamId(now, 0) : last.next();
        } else if (given.seqGiven()) {
            id = given.id();
        } else if (last.ms() == given.id().ms()) {
            // Redis fails here without setting errno, and xaddCommand's fallback reply is the size error.
            if (last.seq() == -1) throw TOO_LARGE;
            id = new StreamId(last.ms(), last.seq() + 1);
        } else {
            id = given.id();
        }
        if (!id.after(last)) throw NOT_ABOVE_TOP;
        return id;
    }

    static void xlen(Session c, byte[][] a, ReplySink out) {
        StreamTable s = open(c, a[1]);
        out.integer(s == null ? 0 : s.length());
    }

    static void range(Session c, byte[][] a, ReplySink out, boolean rev) {
        StreamIds.Bound from = StreamIds.interval(rev ? a[3] : a[2], 0);
        StreamId start = from.id();
        if (from.exclusive()) {
            start = start.next();
            if (start == null) throw RedisError.err("invalid start ID for the interval");
        }
        StreamIds.Bound to = StreamIds.interval(rev ? a[2] : a[3], -1);
        StreamId end = to.id();
        if (to.exclusive()) {
            end = end.previous();
            if (end == null) throw RedisError.err("invalid end ID for the interval");
        }
        long count = -1;
        for (int j = 4; j < a.length; j++) {
            if (Args.is(a[j], "COUNT") && a.length - j - 1 >= 1) {
                count = Math.max(0, Args.toLong(a[++j]));
            } else {
                throw RedisError.SYNTAX;
            }
        }
        StreamTable s = open(c, a[1]);
        if (s == null) {
            out.array(0);
            return;
        }
        if (count == 0) {
            out.nullArray();
            return;
        }
        List<StreamEntry> entries = s.range(start, end, count < 0 ? 0 : count, rev);
        StreamReplies.entries(out, entries);
    }

    static void xdel(Session c, byte[][] a, ReplySink out) {
        StreamTable s = open(c, a[1]);
        if (s == null) {
            out.integer(0);
            return;
        }
        // Every ID is checked before any is deleted, so a bad one leaves the stream as it was.
        StreamId[] ids = new StreamId[a.length - 2];
        for (int j = 2; j < a.length; j++) ids[j - 2] = StreamIds.strict(a[j], 0);
        long deleted = 0;
        boolean firstEntry = false;
        for (StreamId id : ids) {
            if (!s.delete(id)) continue;
            if (id.equals(s.firstId())) firstEntry = true;
            if (id.after(s.maxDeletedId())) s.setMaxDeletedId(id);
            deleted++;
        }
        if (deleted > 0) {
            if (s.length() == 0 || firstEntry) s.refreshFirstId();
            s.commit();
            Notify.stream(c, "xdel", a[1]);
        }
        out.integer(deleted);
    }

    static void xtrim(Session c, byte[][] a, ReplySink out) {
        AddTrimArgs args = AddTrimArgs.parse(a, false, limits(c));
        StreamTable s = open(c, a[1]);
        if (s == null) {
            out.integer(0);
            return;
        }
        long deleted = s.trim(args.trim());
        if (deleted > 0) {
            s.commit();
            Notify.stream(c, "xtrim", a[1]);
        }
        out.integer(deleted);
    }

    static void xsetid(Session c, byte[][] a, ReplySink out) {
        StreamId id = StreamIds.strict(a[2], 0);
        StreamId maxDeleted = StreamId.MIN;
        long entriesAdded = -1;
        for (int i = 3; i < a.length; ) {
            int more = a.length - 1 - i;
            if (Args.is(a[i], "ENTRIESADDED") && more > 0) {
                entriesAdded = Args.toLong(a[i + 1]);
                if (entriesAdded < 0) throw RedisError.err("entries_added must be positive");
                i += 2;
            } else if (Args.is(a[i], "MAXDELETEDID") && more > 0) {
                maxDeleted = StreamIds.strict(a[i + 1], 0);
                if (id.before(maxDeleted)) {
                    throw RedisError.err("The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                i += 2;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        StreamTable s = open(c, a[1]);
        if (s == null) throw RedisError.NO_SUCH_KEY;
        if (s.length() > 0) {
            if (id.before(s.lastValidId())) {
                throw RedisError.err("The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && Long.compareUnsigned(s.length(), entriesAdded) > 0) {
                throw RedisError.err("The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.setLastId(id);
        if (entriesAdded != -1) s.setEntriesAdded(entriesAdded);
        if (!maxDeleted.isZero()) s.setMaxDeletedId(maxDeleted);
        s.commitQuietly();
        out.ok();
        Notify.stream(c, "xsetid", a[1]);
    }
}
