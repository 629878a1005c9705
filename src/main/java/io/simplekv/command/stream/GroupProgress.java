package io.simplekv.command.stream;

import io.simplekv.keyspace.StreamGroups;
import io.simplekv.keyspace.StreamId;
import io.simplekv.keyspace.StreamTable;

/**
 * A consumer group's read counter and lag, as Redis 7.0 keeps them (t_stream.c): entries-read counts the entries
 * the group has read since the stream's first, exact while no deletion (tombstone) lies ahead of the group, and
 * estimated, or unknown, otherwise.
 */
public final class GroupProgress {
    private GroupProgress() {}

    /** streamRangeHasTombstones with no end: whether the max deleted ID lies at or after {@code start}. */
    static boolean hasTombstonesFrom(StreamTable s, StreamId start) {
        if (s.length() == 0 || s.maxDeletedId().isZero()) return false;
        if (s.firstId().after(s.maxDeletedId())) return false;
        return !start.after(s.maxDeletedId());
    }

    /** streamEstimateDistanceFromFirstEverEntry: the read counter of {@code id}, or INVALID when unknowable. */
    public static long estimateDistance(StreamTable s, StreamId id) {
        if (s.entriesAdded() == 0) return 0;
        if (s.length() == 0 && !id.after(s.lastId())) return s.entriesAdded();
        int cmpLast = id.compareTo(s.lastId());
        if (cmpLast == 0) return s.entriesAdded();
        if (cmpLast > 0) return StreamGroups.INVALID_ENTRIES_READ;
        int cmpFirst = id.compareTo(s.firstId());
        if (s.maxDeletedId().isZero() || s.maxDeletedId().before(s.firstId())) {
            if (cmpFirst < 0) return s.entriesAdded() - s.length();
            if (cmpFirst == 0) return s.entriesAdded() - s.length() + 1;
        }
        return StreamGroups.INVALID_ENTRIES_READ;
    }

    /** A delivery moved the group past {@code id}: its counter follows, as in streamReplyWithRange. */
    static void delivered(StreamTable s, StreamGroups.Group g, StreamId id) {
        if (!id.after(g.lastId)) return;
        if (g.entriesRead != StreamGroups.INVALID_ENTRIES_READ && !hasTombstonesFrom(s, id)) {
            g.entriesRead++;
        } else if (s.entriesAdded() != 0) {
            g.entriesRead = estimateDistance(s, id);
        }
        g.lastId = id;
    }

    /** streamReplyWithCGLag: the entries the group has yet to read, or null when it can't be known. */
    static Long lag(StreamTable s, StreamGroups.Group g) {
        if (s.entriesAdded() == 0) return 0L;
        if (g.entriesRead != StreamGroups.INVALID_ENTRIES_READ && !hasTombstonesFrom(s, g.lastId)) {
            return s.entriesAdded() - g.entriesRead;
        }
        long read = estimateDistance(s, g.lastId);
        return read == StreamGroups.INVALID_ENTRIES_READ ? null : s.entriesAdded() - read;
    }
}
