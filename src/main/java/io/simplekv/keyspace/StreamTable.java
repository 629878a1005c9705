package io.simplekv.keyspace;

import io.simplekv.protocol.RedisError;
import io.simplekv.storage.Storage;

import java.util.ArrayList;
import java.util.List;

/**
 * A stream opened for the length of one command, under its key's lock.
 *
 * <p>The key's record holds the stream's metadata (Redis's {@code stream} struct: length, last id, first id,
 * max deleted id, entries added) and where its pages are; the entries live in {@link StreamPage}s, records
 * {@code [id][page]} of the pages table numbered in ID order from {@code firstPage} to {@code endPage - 1}. XADD
 * reads and writes the last page only; reading from either end starts at the first or last page; reading from an
 * ID binary-searches the page numbers on the pages' id ranges (after trying the ends), so every command touches
 * O(log n) records however long the stream is. XTRIM removes whole pages from the front.
 *
 * <p>Record payload: {@code [1 paged][id 8][length 8][last id 16][max deleted id 16][entries added 8][first id 16]
 * [first page 8][end page 8][nodes 8][groups 8][next aux page 8]}; nodes counts the pages Redis would have (its
 * radix tree keys), and the last two are for consumer groups, whose records take page numbers from {@link #AUX}.
 */
public final class StreamTable {
    static final int PAGED = 1;
    /** Page numbers at and above this are the consumer groups' records, never entry pages. */
    static final long AUX = 1L << 62;
    private static final int META_BYTES = 121;
    private static final long NONE = -1;

    private final Database db;
    private final byte[] key;
    private final long expireAt;
    private final StreamLimits limits;
    private long id;
    private long length;
    private StreamId lastId = StreamId.MIN, maxDeletedId = StreamId.MIN, firstId = StreamId.MIN;
    private long entriesAdded;
    private long firstPage, endPage, nodes;
    private long groups = NONE, nextAux = AUX;
    private boolean changed;
    private StreamGroups groupState; // read at first use
    private boolean groupsChanged;
    /** The last page as read or written by this command, so a run of XADDs in one command reads it once. */
    private byte[] tail;
    private long tailNo = NONE;

    private StreamTable(Database db, byte[] key, long expireAt, StreamLimits limits) {
        this.db = db;
        this.key = key;
        this.expireAt = expireAt;
        this.limits = limits;
    }

    /** The stream at key, or null; WRONGTYPE for a key of another type. */
    public static StreamTable open(Database db, byte[] key, StreamLimits limits) {
        byte[] rec = db.lookup(key);
        if (rec == null) return null;
        if (Records.type(rec) != KeyType.STREAM) throw RedisError.WRONGTYPE;
        StreamTable t = new StreamTable(db, key, Records.expireAt(rec), limits);
        int off = Records.payloadOffset(rec);
        t.id = Records.getLong(rec, off + 1);
        t.length = Records.getLong(rec, off + 9);
        t.lastId = StreamId.read(rec, off + 17);
        t.maxDeletedId = StreamId.read(rec, off + 33);
        t.entriesAdded = Records.getLong(rec, off + 49);
        t.firstId = StreamId.read(rec, off + 65);
        t.firstPage = Records.getLong(rec, off + 81);
        t.endPage = Records.getLong(rec, off + 89);
        t.nodes = Records.getLong(rec, off + 97);
        t.groups = Records.getLong(rec, off + 105);
        t.nextAux = Records.getLong(rec, off + 113);
        return t;
    }

    /** The stream at key, or a new empty one (stored by {@link #commit}, even empty, as XADD's dbAdd does). */
    public static StreamTable openOrCreate(Database db, byte[] key, StreamLimits limits) {
        StreamTable t = open(db, key, limits);
        if (t != null) return t;
        t = new StreamTable(db, key, Records.NO_EXPIRY, limits);
        t.id = db.space().allocateId();
        t.changed = true;
        return t;
    }

    public long length() {
        return length;
    }

    public StreamId lastId() {
        return lastId;
    }

    public StreamId firstId() {
        return firstId;
    }

    public StreamId maxDeletedId() {
        return maxDeletedId;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    /** Pages as Redis counts its radix tree's keys (XINFO STREAM's radix-tree-keys). */
    public long nodes() {
        return nodes;
    }

    // ---- consumer groups ----

    /** The stream's consumer groups, read at first use; changes reach storage at {@link #commit}. */
    public StreamGroups groups() {
        if (groupState == null) {
            byte[] raw = groups == NONE ? null : db.pagesTable().get(pageKey(AUX));
            groupState = raw == null ? StreamGroups.empty(db) : StreamGroups.decode(db, raw);
        }
        return groupState;
    }

    /** The groups (a group's position, consumers or pending list) changed: {@link #commit} writes them. */
    public void groupsChanged() {
        groupsChanged = true;
    }

    // ---- metadata writes ----

    public void setLastId(StreamId id) {
        lastId = id;
        changed = true;
    }

    public void setEntriesAdded(long n) {
        entriesAdded = n;
        changed = true;
    }

    public void setMaxDeletedId(StreamId id) {
        maxDeletedId = id;
        changed = true;
    }

    // ---- adding ----

    /**
     * Appends an entry with an id the caller checked is above {@link #lastId}: to the last page unless Redis would
     * start a new node there. {@code fv} holds field, value... from {@code from} to {@code to}.
     */
    public void append(StreamId entryId, byte[][] fv, int from, int to) {
        long fieldBytes = 0;
        for (int i = from; i < to; i++) fieldBytes += fv[i].length;
        byte[] last = endPage > firstPage ? lastPage() : null;
        if (last != null && !StreamPage.full(last, fieldBytes, limits)) {
            byte[] grown = StreamPage.append(last, entryId, fv, from, to);
            if (grown == last) appendedInPlace(endPage - 1, grown);
            else writePage(endPage - 1, grown);
        } else {
            byte[] sealed = last == null ? null : StreamPage.sealed(last);
            if (sealed != last) writePage(endPage - 1, sealed);
            writePage(endPage++, StreamPage.create(entryId, fv, from, to));
            nodes++;
        }
        length++;
        entriesAdded++;
        lastId = entryId;
        if (length == 1) firstId = entryId;
        changed = true;
    }

    // ---- reading ----

    /** What a range read does with each entry; returning false stops the read. */
    public interface EntryVisitor {
        boolean visit(StreamEntry entry);
    }

    /**
     * Live entries from {@code start} to {@code end} inclusive, ascending (or descending from end to start), up to
     * {@code count} of them (0: no limit).
     */
    public List<StreamEntry> range(StreamId start, StreamId end, long count, boolean reverse) {
        List<StreamEntry> out = new ArrayList<>();
        walk(start, end, reverse, e -> {
            out.add(e);
            return count == 0 || out.size() < count;
        });
        return out;
    }

    /** Visits live entries in [start, end], ascending or descending, until the visitor says stop. */
    public void walk(StreamId start, StreamId end, boolean reverse, EntryVisitor v) {
        if (length == 0 || start.after(end)) return;
        if (!reverse) {
            for (long page = seekForward(start); page >= 0 && page < endPage; page++) {
                byte[] p = page(page);
                for (int at = StreamPage.firstEntry(p); at >= 0; at = StreamPage.nextEntry(p, at)) {
                    StreamId eid = StreamPage.idAt(p, at);
                    if (eid.before(start) || StreamPage.isDeleted(p, at)) continue;
                    if (eid.after(end)) return;
                    if (!v.visit(new StreamEntry(eid, StreamPage.fieldsAt(p, at)))) return;
                }
            }
            return;
        }
        for (long page = seekBackward(end); page >= firstPage; page--) {
            byte[] p = page(page);
            int[] offsets = StreamPage.entryOffsets(p);
            for (int i = offsets.length - 1; i >= 0; i--) {
                int at = offsets[i];
                StreamId eid = StreamPage.idAt(p, at);
                if (eid.after(end) || StreamPage.isDeleted(p, at)) continue;
                if (eid.before(start)) return;
                if (!v.visit(new StreamEntry(eid, StreamPage.fieldsAt(p, at)))) return;
            }
        }
    }

    /** The first or last live entry, or null when empty (XINFO STREAM's first-entry and last-entry). */
    public StreamEntry edge(boolean first) {
        StreamEntry[] found = new StreamEntry[1];
        walk(StreamId.MIN, StreamId.MAX, !first, e -> {
            found[0] = e;
            return false;
        });
        return found[0];
    }

    /** The id of the last live entry (Redis's streamLastValidID), or 0-0 when empty. */
    public StreamId lastValidId() {
        StreamEntry e = edge(false);
        return e == null ? StreamId.MIN : e.id();
    }

    /** The first page whose range reaches {@code start} (its last id is at or above it), or -1. */
    private long seekForward(StreamId start) {
        byte[] first = page(firstPage);
        if (!StreamPage.lastId(first).before(start)) return firstPage;
        byte[] last = lastPage();
        if (StreamPage.lastId(last).before(start)) return NONE;
        if (!StreamPage.firstId(last).after(start)) return endPage - 1;
        long lo = firstPage + 1, hi = endPage - 1; // the answer is in (firstPage, endPage - 1]
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (StreamPage.lastId(page(mid)).before(start)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** The last page whose range starts at or below {@code end}, or -1. */
    private long seekBackward(StreamId end) {
        byte[] last = lastPage();
        if (!StreamPage.firstId(last).after(end)) return endPage - 1;
        byte[] first = page(firstPage);
        if (StreamPage.firstId(first).after(end)) return NONE;
        if (!StreamPage.lastId(first).before(end)) return firstPage;
        long lo = firstPage, hi = endPage - 2; // the answer is in [firstPage, endPage - 1)
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (StreamPage.firstId(page(mid)).after(end)) hi = mid - 1;
            else lo = mid;
        }
        return lo;
    }

    // ---- deleting ----

    /** Deletes one entry (XDEL's streamDeleteItem); false when there is no live entry with that id. */
    public boolean delete(StreamId target) {
        if (length == 0) return false;
        long page = seekBackward(target);
        if (page < 0) return false;
        byte[] p = page(page);
        for (int at = StreamPage.firstEntry(p); at >= 0; at = StreamPage.nextEntry(p, at)) {
            int c = StreamPage.idAt(p, at).compareTo(target);
            if (c > 0) break;
            if (c < 0) continue;
            if (StreamPage.isDeleted(p, at)) return false;
            if (StreamPage.live(p) == 1) removeNode(page, p);
            else writePage(page, StreamPage.markDeleted(p, at));
            length--;
            changed = true;
            return true;
        }
        return false;
    }

    /** After deletes: the first id is the first live entry's, or 0-0 for an empty stream, as XDEL keeps it. */
    public void refreshFirstId() {
        StreamEntry e = length == 0 ? null : edge(true);
        firstId = e == null ? StreamId.MIN : e.id();
        changed = true;
    }

    /** A page whose last live entry went: Redis frees the node; here an end page goes and a middle one is a stub. */
    private void removeNode(long page, byte[] p) {
        nodes--;
        if (page == endPage - 1 || page == firstPage) {
            removePage(page);
            if (page == endPage - 1) {
                endPage--;
                while (endPage > firstPage && StreamPage.isStub(page(endPage - 1))) removePage(--endPage);
            } else {
                firstPage++;
                dropLeadingStubs();
            }
        } else {
            writePage(page, StreamPage.stub(p));
        }
    }

    private void dropLeadingStubs() {
        while (firstPage < endPage && StreamPage.isStub(page(firstPage))) removePage(firstPage++);
    }

    // ---- trimming ----

    /** How XADD and XTRIM trim: MAXLEN keeps at most {@code maxLen} entries, MINID drops entries below {@code minId}. */
    public record Trim(boolean byMinId, long maxLen, StreamId minId, boolean approx, long limit) {}

    /** Redis's streamTrim: whole pages from the front, then (unless approximate) entries of the first page left. */
    public long trim(Trim t) {
        long deleted = 0;
        while (firstPage < endPage) {
            if (!t.byMinId() && length <= t.maxLen()) break;
            byte[] p = page(firstPage);
            long entries = StreamPage.live(p);
            if (t.limit() != 0 && deleted + entries > t.limit()) break;
            boolean removeNode = t.byMinId() ? StreamPage.lastId(p).before(t.minId()) : length - entries >= t.maxLen();
            if (removeNode) {
                removePage(firstPage++);
                nodes--;
                dropLeadingStubs();
                length -= entries;
                deleted += entries;
                continue;
            }
            if (t.approx()) break;
            byte[] np = p;
            for (int at = StreamPage.firstEntry(p); at >= 0; at = StreamPage.nextEntry(p, at)) {
                boolean stop = t.byMinId() ? !StreamPage.idAt(p, at).before(t.minId()) : length <= t.maxLen();
                if (stop) break;
                if (!StreamPage.isDeleted(p, at)) {
                    np = StreamPage.markDeleted(np, at);
                    length--;
                    deleted++;
                }
            }
            if (np != p) writePage(firstPage, np);
            break;
        }
        if (length == 0) firstId = StreamId.MIN;
        else if (deleted > 0) firstId = edge(true).id();
        if (deleted > 0) changed = true;
        return deleted;
    }

    // ---- record ----

    /** Writes the key's record back after changes. An emptied stream stays, as in Redis. */
    public void commit() {
        boolean quietly = false;
        if (groupsChanged) {
            groupsChanged = false;
            db.changedQuietly(); // Redis counts group changes dirty without signalling the key
            groupState.flush();
            long before = groups;
            if (groupState.size() == 0) {
                if (groups != NONE) db.pagesTable().remove(pageKey(AUX));
                groups = NONE;
                nextAux = AUX;
            } else {
                db.pagesTable().put(pageKey(AUX), groupState.encode());
                groups = AUX;
                nextAux = AUX + 1;
            }
            // Where the groups are is no change Redis signals: only a stream's entries and IDs are.
            quietly = before != groups;
        }
        if (changed) {
            changed = false;
            db.putCollection(key, record());
        } else if (quietly) {
            db.restate(key, record());
        }
    }

    /**
     * Writes the record without a change event: XSETID changes a stream's metadata without signalling the key
     * modified in Redis 7.0, so it touches no WATCH.
     */
    public void commitQuietly() {
        if (!changed) return;
        changed = false;
        db.restate(key, record());
        db.changedQuietly();
    }


    private byte[] record() {
        byte[] p = new byte[META_BYTES];
        p[0] = PAGED;
        Records.putLong(p, 1, id);
        Records.putLong(p, 9, length);
        StreamId.write(p, 17, lastId);
        StreamId.write(p, 33, maxDeletedId);
        Records.putLong(p, 49, entriesAdded);
        StreamId.write(p, 65, firstId);
        Records.putLong(p, 81, firstPage);
        Records.putLong(p, 89, endPage);
        Records.putLong(p, 97, nodes);
        Records.putLong(p, 105, groups);
        Records.putLong(p, 113, nextAux);
        return Records.encode(KeyType.STREAM, expireAt, p, 0, p.length, false);
    }

    /**
     * Queues every page of a dead stream for freeing: its entries, its groups record and each group's pending list
     * (which the groups record names, read here once).
     */
    static void release(Database db, byte[] rec) {
        long[] s = layout(rec);
        PageSpace space = db.space();
        space.release(db.pagesTable(), s[0], s[1], s[2]);
        if (s[4] <= s[3]) return;
        byte[] k = new byte[16];
        Records.putLong(k, 0, s[0]);
        Records.putLong(k, 8, AUX);
        byte[] groups = db.pagesTable().get(k);
        if (groups != null) {
            for (long[] pel : StreamGroups.pendingLayouts(groups)) space.release(db.pagesTable(), pel[0], pel[1], pel[2]);
        }
        space.release(db.pagesTable(), s[0], s[3], s[4]);
    }

    /**
     * COPY and MOVE: the stream's pages under {@code newId} in {@code to}, and each group's pending list under a
     * new id of its own, which the copied groups record names.
     */
    static void copyPages(byte[] rec, Database from, Database to, long newId) {
        long[] s = layout(rec);
        FieldTable.copyPages(from, to, s[0], newId, s[1], s[2]);
        if (s[4] <= s[3]) return;
        byte[] k = new byte[16];
        Records.putLong(k, 0, s[0]);
        Records.putLong(k, 8, AUX);
        byte[] groups = from.pagesTable().get(k);
        if (groups == null) return;
        List<long[]> pels = StreamGroups.pendingLayouts(groups);
        long[] newIds = new long[pels.size()];
        for (int i = 0; i < newIds.length; i++) {
            long[] pel = pels.get(i);
            newIds[i] = to.space().allocateId();
            FieldTable.copyPages(from, to, pel[0], newIds[i], pel[1], pel[2]);
        }
        byte[] nk = k.clone();
        Records.putLong(nk, 0, newId);
        to.pagesTable().put(nk, StreamGroups.withPendingIds(groups, newIds));
    }

    /** {id, first entry page, end entry page, first aux page, end aux page} of a stream record, to free or copy it. */
    static long[] layout(byte[] rec) {
        int off = Records.payloadOffset(rec);
        return new long[] {Records.getLong(rec, off + 1), Records.getLong(rec, off + 81), Records.getLong(rec, off + 89),
                AUX, Records.getLong(rec, off + 113)};
    }

    // ---- pages ----

    private byte[] lastPage() {
        if (tailNo == endPage - 1 && tail != null) return tail;
        tail = page(endPage - 1);
        tailNo = endPage - 1;
        return tail;
    }

    private byte[] page(long no) {
        if (no == tailNo && tail != null) return tail;
        byte[] p = db.pagesTable().get(pageKey(no));
        if (p == null) throw new IllegalStateException("stream page " + no + " of collection " + id + " is missing");
        return p;
    }

    private void writePage(long no, byte[] p) {
        db.pagesTable().put(pageKey(no), p);
        if (no == endPage - 1 || no == tailNo) {
            tail = p;
            tailNo = no;
        }
    }

    /**
     * The page {@code p}, read by {@link #page}, got an entry in its room. An engine that hands out its stored
     * arrays already holds the change; for one whose reads are copies, the stored page differs only up to the
     * entries' end (header, then the new entry), so only that range is written.
     */
    private void appendedInPlace(long no, byte[] p) {
        Storage pages = db.pagesTable();
        if (pages.readsAreCopies()) pages.patch(pageKey(no), p, 0, StreamPage.end(p));
    }

    private void removePage(long no) {
        Storage pages = db.pagesTable();
        pages.remove(pageKey(no));
        if (no == tailNo) {
            tail = null;
            tailNo = NONE;
        }
    }

    private byte[] pageKey(long no) {
        byte[] k = new byte[16];
        Records.putLong(k, 0, id);
        Records.putLong(k, 8, no);
        return k;
    }
}
