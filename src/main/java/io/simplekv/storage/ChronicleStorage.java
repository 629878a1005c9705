package io.simplekv.storage;

import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.bytes.RandomDataOutput;
import net.openhft.chronicle.hash.ChecksumEntry;
import net.openhft.chronicle.hash.ChronicleHashClosedException;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One table in off-heap Chronicle Maps persisted under its own directory. User records live in the
 * {@code records} chain; a value too large for one map entry is split into the separate {@code chunks} chain,
 * so chunk keys can never collide with user keys. Every stored record starts with a tag byte:
 * {@code INLINE} then the value, or {@code CHUNKED} then the value's length, a nonce and the chunk size, and the
 * chunks sit under {@code key + nonce + index}. A fresh nonce per write means a new chunked value is complete
 * before its record replaces the old one, and the old chunks are deleted only after that.
 *
 * <p>Calls on one key are serialised by a striped lock: with several generations a put is "write the newest,
 * then remove from the older ones", and a concurrent get must not fall between the two steps.
 *
 * <p>Inside a command, puts and removes are staged in the thread's {@link WriteBatches} batch (gets see them) and
 * reach the maps through {@link #apply} when the command ends; every map operation is counted in the
 * {@link CrashWindow}, so a restart after a kill knows whether recovery is needed.
 */
public final class ChronicleStorage implements Storage {
    private static final byte INLINE = 0;
    private static final byte CHUNKED = 1;
    private static final int POINTER_SIZE = 1 + 8 + 8 + 4;
    private static final int STRIPES = 64;
    private static final long GENERATION_SHIFT = 32;

    private final Path dir;
    private final ChronicleEngine.Sizing sizing;
    private final MapChain records;
    private final MapChain chunks;
    private final Object[] stripes = new Object[STRIPES];
    private final DiskGuard disk;
    /** Counts every map operation in and out, so a restart after kill -9 knows whether recovery is needed. */
    private final CrashWindow window;
    /** A command's writes are staged here until it ends, then applied through the redo journal. */
    private final WriteBatches batches;
    private final Runnable onClose;
    private volatile boolean closed;
    /**
     * Set after every change to the maps and cleared just before a sync forces them, so a sync skips a table
     * nothing touched, and a change made while a sync runs is forced by the next one. (Set after the change, not
     * before: a sync that saw the flag clear must not be able to miss a change it did not wait for.)
     */
    private volatile boolean dirty;
    private final Object syncLock = new Object();

    ChronicleStorage(Path dir, ChronicleEngine.Sizing sizing, boolean recover, DiskGuard disk, CrashWindow window,
                     WriteBatches batches, Runnable onClose) {
        this.dir = dir;
        this.window = window;
        this.batches = batches;
        this.sizing = sizing;
        this.disk = disk;
        this.onClose = onClose;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
        // +1 for the tag byte.
        window.enter(); // opening may write map headers: a crash meanwhile must not pass for a quiet stop
        try {
            this.records = new MapChain(dir, "records", sizing.entries(), sizing.averageKeySize(), sizing.averageValueSize() + 1, recover);
            MapChain c;
            try {
                c = new MapChain(dir, "chunks", sizing.chunkEntries(), sizing.averageKeySize() + 12, sizing.chunkSize(), recover);
            } catch (RuntimeException e) {
                records.close();
                throw e;
            }
            this.chunks = c;
        } finally {
            window.exit();
        }
    }

    @Override
    public byte[] get(byte[] key) {
        return counted(() -> getInside(key));
    }

    @Override
    public boolean contains(byte[] key) {
        return counted(() -> containsInside(key));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        counted(() -> {
            putInside(key, value);
            return null;
        });
    }

    @Override
    public boolean remove(byte[] key) {
        return counted(() -> removeInside(key));
    }

    @Override
    public long scan(long cursor, int count, Consumer<byte[]> visitor) {
        return counted(() -> scanInside(cursor, count, visitor));
    }

    @Override
    public byte[] randomKey() {
        return counted(() -> randomKeyInside());
    }

    @Override
    public void clear() {
        counted(() -> {
            clearInside();
            return null;
        });
    }

    /** Runs a map operation counted in and out of the crash window, so a kill inside it means recovery. */
    private <T> T counted(java.util.function.Supplier<T> operation) {
        window.enter();
        try {
            return operation.get();
        } finally {
            window.exit();
        }
    }

    Path dir() {
        return dir;
    }

    /** The table's name as the journal records it: its directory's. */
    String name() {
        return dir.getFileName().toString();
    }

    /** Applies one write of a batch ({@link WriteBatches#DELETED} removes); also how a restart replays one. */
    void apply(byte[] key, byte[] rec) {
        window.enter();
        try {
            synchronized (stripe(key)) {
                if (rec == WriteBatches.DELETED) {
                    for (MapChain.Generation g : records.generations()) removeFrom(g.map(), key);
                } else {
                    try {
                        putRecordNow(key, rec);
                    } catch (IllegalArgumentException tooLarge) {
                        if (rec[0] != INLINE) throw tooLarge;
                        // The newest map's entry limit is below this value (small sizing): store it chunked instead.
                        putRecordNow(key, writeChunks(key, Arrays.copyOfRange(rec, 1, rec.length)));
                    }
                }
            }
        } catch (RuntimeException | InternalError e) {
            throw writeFailure(key, e);
        } finally {
            dirty = true;
            window.exit();
        }
    }

    /**
     * Applies a staged patch: [from, to) of {@code rec} over the stored record in place, when that record is an
     * inline one of the same length in the newest map; false, having written nothing, otherwise.
     */
    boolean applyPatch(byte[] key, byte[] rec, int from, int to) {
        window.enter();
        try {
            synchronized (stripe(key)) {
                return patchInPlace(records.newest().map(), key, rec, from - 1, to - 1, rec.length - 1, 1);
            }
        } catch (RuntimeException | InternalError e) {
            throw writeFailure(key, e);
        } finally {
            dirty = true;
            window.exit();
        }
    }

    /** How many map generations hold records; more than one means the table outgrew its first map. */
    int generations() {
        return records.generations().size();
    }

    private Object stripe(byte[] key) {
        return stripes[(int) ByteHash.hash(key) & (STRIPES - 1)];
    }

    private byte[] getInside(byte[] key) {
        byte[] staged = batches.staged(this, key);
        if (staged != null) {
            if (staged == WriteBatches.DELETED) return null;
            if (staged[0] == INLINE) return Arrays.copyOfRange(staged, 1, staged.length);
            synchronized (stripe(key)) {
                return readChunks(key, staged);
            }
        }
        synchronized (stripe(key)) {
            boolean[] inline = new boolean[1];
            byte[] rec = readRecord(key, inline);
            if (rec == null || inline[0]) return rec;
            return readChunks(key, rec);
        }
    }

    @Override
    public boolean readsAreCopies() {
        return true;
    }

    private boolean containsInside(byte[] key) {
        byte[] staged = batches.staged(this, key);
        if (staged != null) return staged != WriteBatches.DELETED;
        synchronized (stripe(key)) {
            try {
                List<MapChain.Generation> gens = records.generations();
                for (int i = gens.size() - 1; i >= 0; i--) {
                    if (gens.get(i).map().containsKey(key)) return true;
                }
                return false;
            } catch (ChronicleHashClosedException e) {
                return false;
            }
        }
    }

    /** The stored record (tag byte first), newest generation first, or null. */
    private byte[] readRecord(byte[] key) {
        return readRecord(key, null);
    }

    /**
     * Like {@link #readRecord(byte[])}; given {@code inline}, an inline value comes back without its tag byte,
     * copied out of the map once, and inline[0] says so.
     */
    private byte[] readRecord(byte[] key, boolean[] inline) {
        try {
            List<MapChain.Generation> gens = records.generations();
            for (int i = gens.size() - 1; i >= 0; i--) {
                byte[] rec = read(gens.get(i).map(), key, inline);
                if (rec != null) return rec;
            }
            return null;
        } catch (ChronicleHashClosedException e) {
            // A read that raced FLUSHDB's swap to a new table sees the flushed (empty) one.
            return null;
        }
    }

    private static byte[] read(ChronicleMap<byte[], byte[]> map, byte[] key, boolean[] inline) {
        try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(key)) {
            MapEntry<byte[], byte[]> e = c.entry();
            if (e == null) return null;
            Data<byte[]> v = e.value();
            RandomDataInput in = v.bytes();
            long from = v.offset();
            int size = Math.toIntExact(v.size());
            if (inline != null && in.readByte(from) == INLINE) {
                inline[0] = true;
                from++;
                size--;
            }
            byte[] out = new byte[size];
            in.read(from, out, 0, size);
            return out;
        }
    }

    private byte[] readChunks(byte[] key, byte[] pointer) {
        ByteBuffer p = ByteBuffer.wrap(pointer, 1, POINTER_SIZE - 1);
        long length = p.getLong();
        long nonce = p.getLong();
        int chunkSize = p.getInt();
        if (length > Integer.MAX_VALUE - 8) throw new IllegalStateException("stored value too large: " + length);
        byte[] out = new byte[(int) length];
        int count = chunkCount(length, chunkSize);
        for (int i = 0; i < count; i++) {
            byte[] part = null;
            List<MapChain.Generation> gens = chunks.generations();
            for (int g = gens.size() - 1; g >= 0 && part == null; g--) part = gens.get(g).map().get(chunkKey(key, nonce, i));
            if (part == null) throw new IllegalStateException("chunk " + i + " of a " + length + "-byte value is missing in " + dir);
            System.arraycopy(part, 0, out, i * chunkSize, part.length);
        }
        return out;
    }

    private static int chunkCount(long length, int chunkSize) {
        return (int) ((length + chunkSize - 1) / chunkSize);
    }

    private static byte[] chunkKey(byte[] key, long nonce, int index) {
        byte[] k = Arrays.copyOf(key, key.length + 12);
        ByteBuffer.wrap(k, key.length, 12).putLong(nonce).putInt(index);
        return k;
    }

    @Override
    public void patch(byte[] key, byte[] value, int from, int to) {
        counted(() -> {
            patchInside(key, value, from, to);
            return null;
        });
    }

    private void patchInside(byte[] key, byte[] value, int from, int to) {
        if (batches.active()) {
            if (value.length + 1 > sizing.chunkSize()) {
                put(key, value); // staged whole; the batch applies it
                return;
            }
            byte[] rec = new byte[value.length + 1];
            rec[0] = INLINE;
            System.arraycopy(value, 0, rec, 1, value.length);
            batches.stagePatch(this, key, rec, from + 1, to + 1);
            return;
        }
        try {
            synchronized (stripe(key)) {
                if (patchInPlace(records.newest().map(), key, value, from, to, value.length, 0)) return;
            }
        } catch (RuntimeException | InternalError e) {
            throw writeFailure(key, e);
        } finally {
            dirty = true;
        }
        put(key, value);
    }

    /**
     * Overwrites [from, to) of an inline value of the same length in the newest map, where the key's current
     * record lives when it is there at all (a put drops older copies); false, having written nothing, otherwise.
     * The new value is {@code length} bytes of {@code value} from {@code valueStart} (1 when it is a whole record,
     * tag byte first).
     */
    private static boolean patchInPlace(ChronicleMap<byte[], byte[]> map, byte[] key, byte[] value, int from, int to,
            int length, int valueStart) {
        try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(key)) {
            c.updateLock().lock();
            MapEntry<byte[], byte[]> e = c.entry();
            if (e == null) return false;
            Data<byte[]> v = e.value();
            if (v.size() != length + 1L || !(v.bytes() instanceof RandomDataOutput<?> out)
                    || v.bytes().readByte(v.offset()) != INLINE) {
                return false;
            }
            out.write(v.offset() + 1 + from, value, valueStart + from, to - from);
            if (e instanceof ChecksumEntry checksummed) checksummed.updateChecksum();
            return true;
        }
    }

    private void putInside(byte[] key, byte[] value) {
        try {
            putValue(key, value);
        } catch (RuntimeException | InternalError e) {
            throw writeFailure(key, e);
        } finally {
            dirty = true;
        }
    }

    /**
     * What a failed write becomes: values are chunked, so only a key can be too large for one map entry; a full
     * disk is reported as such (and refuses further writes); anything else is rethrown as it is.
     */
    private RuntimeException writeFailure(byte[] key, Throwable e) {
        if (e instanceof IllegalArgumentException) {
            return new StorageException("key of " + key.length + " bytes is too large for the chronicle engine "
                    + "(raise chronicle-average-key-size)");
        }
        StorageException diskFull = disk.onWriteFailure(e);
        if (diskFull != null) return diskFull;
        if (e instanceof RuntimeException r) return r;
        throw (Error) e;
    }

    private void putValue(byte[] key, byte[] value) {
        synchronized (stripe(key)) {
            byte[] rec = null;
            if (value.length + 1 <= sizing.chunkSize()) {
                rec = new byte[value.length + 1];
                rec[0] = INLINE;
                System.arraycopy(value, 0, rec, 1, value.length);
                try {
                    putRecord(key, rec);
                    return;
                } catch (IllegalArgumentException tooLarge) {
                    // The newest map's entry limit is below one chunk (small sizing): store it chunked instead.
                }
            }
            putRecord(key, writeChunks(key, value));
        }
    }

    private byte[] writeChunks(byte[] key, byte[] value) {
        int chunkSize = sizing.chunkSize();
        long nonce = ThreadLocalRandom.current().nextLong();
        int count = chunkCount(value.length, chunkSize);
        for (int i = 0; i < count; i++) {
            int from = i * chunkSize;
            putInto(chunks, chunkKey(key, nonce, i), Arrays.copyOfRange(value, from, Math.min(value.length, from + chunkSize)));
        }
        byte[] pointer = new byte[POINTER_SIZE];
        pointer[0] = CHUNKED;
        ByteBuffer.wrap(pointer, 1, POINTER_SIZE - 1).putLong(value.length).putLong(nonce).putInt(chunkSize);
        return pointer;
    }

    /** Makes {@code rec} the key's record, at once or, inside a command, when the command's batch is applied. */
    private void putRecord(byte[] key, byte[] rec) {
        if (!batches.stageIfActive(this, key, rec)) putRecordNow(key, rec);
    }

    /** Makes {@code rec} the key's record, then drops any older copy and the chunks the replaced record pointed to. */
    private void putRecordNow(byte[] key, byte[] rec) {
        Upsert done = putInto(records, key, rec);
        if (done.replacedPointer() != null) dropChunks(key, done.replacedPointer());
        for (MapChain.Generation g : records.generations()) {
            if (g.number() < done.generation().number()) removeFrom(g.map(), key);
        }
    }

    private record Upsert(MapChain.Generation generation, byte[] replacedPointer) {}

    /**
     * Puts into the chain's newest map, growing the chain when that map is full. Chronicle reports a full map
     * as IllegalStateException ("... extra segment tier ... is maximum") and an entry larger than the map allows
     * as IllegalArgumentException, which is left to the caller.
     */
    private static Upsert putInto(MapChain chain, byte[] key, byte[] value) {
        MapChain.Generation g = chain.newest();
        for (int attempt = 0; ; attempt++) {
            try {
                return new Upsert(g, upsert(g.map(), key, value));
            } catch (ChronicleHashClosedException e) {
                throw e;
            } catch (IllegalStateException full) {
                // A generation just made for this put that still refuses it is not a capacity problem.
                if (attempt >= 2) throw full;
                g = chain.grow(g);
            }
        }
    }

    /** Inserts or replaces in place, returning the record replaced when it pointed at chunks. */
    private static byte[] upsert(ChronicleMap<byte[], byte[]> map, byte[] key, byte[] value) {
        try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(key)) {
            c.updateLock().lock();
            MapEntry<byte[], byte[]> e = c.entry();
            byte[] old = null;
            if (e != null) {
                old = pointerOf(e.value());
                e.doReplaceValue(c.wrapValueAsData(value));
            } else {
                c.absentEntry().doInsert(c.wrapValueAsData(value));
            }
            return old;
        }
    }

    private static byte[] pointerOf(Data<byte[]> v) {
        RandomDataInput in = v.bytes();
        if (v.size() != POINTER_SIZE || in.readByte(v.offset()) != CHUNKED) return null;
        byte[] p = new byte[POINTER_SIZE];
        in.read(v.offset(), p, 0, POINTER_SIZE);
        return p;
    }

    /** Removes the key's record from one map; returns whether it was there. */
    private boolean removeFrom(ChronicleMap<byte[], byte[]> map, byte[] key) {
        byte[] pointer;
        try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(key)) {
            c.updateLock().lock();
            MapEntry<byte[], byte[]> e = c.entry();
            if (e == null) return false;
            pointer = pointerOf(e.value());
            e.doRemove();
        }
        if (pointer != null) dropChunks(key, pointer);
        return true;
    }

    private void dropChunks(byte[] key, byte[] pointer) {
        ByteBuffer p = ByteBuffer.wrap(pointer, 1, POINTER_SIZE - 1);
        long length = p.getLong();
        long nonce = p.getLong();
        int count = chunkCount(length, p.getInt());
        for (int i = 0; i < count; i++) {
            byte[] k = chunkKey(key, nonce, i);
            for (MapChain.Generation g : chunks.generations()) g.map().remove(k);
        }
    }

    private boolean removeInside(byte[] key) {
        if (batches.active()) {
            boolean existed = getInside(key) != null;
            if (existed || batches.staged(this, key) != null) batches.stage(this, key, WriteBatches.DELETED);
            return existed;
        }
        synchronized (stripe(key)) {
            boolean found = false;
            try {
                for (MapChain.Generation g : records.generations()) found |= removeFrom(g.map(), key);
            } catch (ChronicleHashClosedException e) {
                return false;
            } finally {
                dirty = true;
            }
            return found;
        }
    }

    @Override
    public long size() {
        batches.flush();
        return counted(() -> records.size());
    }

    /**
     * The cursor is {@code generation << 32 | segment}. A key's segment within a map never changes and a key
     * only ever moves to a newer generation, which the walk (oldest to newest) has not reached yet, so every key
     * present for the whole walk is visited.
     */
    private long scanInside(long cursor, int count, Consumer<byte[]> visitor) {
        batches.flush();
        int generation = (int) (cursor >>> GENERATION_SHIFT);
        int segment = (int) cursor;
        List<byte[]> keys = new ArrayList<>();
        try {
            for (MapChain.Generation g : records.generations()) {
                if (g.number() < generation) continue;
                if (g.number() > generation) {
                    generation = g.number();
                    segment = 0;
                }
                ChronicleMap<byte[], byte[]> map = g.map();
                int segments = map.segments();
                while (segment < segments) {
                    collectSegment(map, segment++, keys);
                    if (keys.size() >= count) {
                        keys.forEach(visitor);
                        return segment < segments ? ((long) generation << GENERATION_SHIFT) | segment
                                : ((long) (generation + 1) << GENERATION_SHIFT);
                    }
                }
                generation++;
                segment = 0;
            }
        } catch (ChronicleHashClosedException e) {
            return 0;
        }
        keys.forEach(visitor);
        return 0;
    }

    private static void collectSegment(ChronicleMap<byte[], byte[]> map, int segment, List<byte[]> into) {
        // Keys are copied out under the segment lock and handed to the visitor after it is released.
        try (MapSegmentContext<byte[], byte[], ?> c = map.segmentContext(segment)) {
            c.forEachSegmentEntry(e -> into.add(e.key().getUsing(null)));
        }
    }

    private byte[] randomKeyInside() {
        batches.flush();
        try {
            List<MapChain.Generation> gens = records.generations();
            long total = 0;
            for (MapChain.Generation g : gens) total += g.map().longSize();
            if (total == 0) return null;
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            long pick = rnd.nextLong(total);
            for (MapChain.Generation g : gens) {
                ChronicleMap<byte[], byte[]> map = g.map();
                long n = map.longSize();
                if (pick >= n) {
                    pick -= n;
                    continue;
                }
                int segments = map.segments();
                int start = rnd.nextInt(segments);
                List<byte[]> keys = new ArrayList<>();
                for (int i = 0; i < segments && keys.isEmpty(); i++) collectSegment(map, (start + i) % segments, keys);
                if (!keys.isEmpty()) return keys.get(rnd.nextInt(keys.size()));
            }
            return null;
        } catch (ChronicleHashClosedException e) {
            return null;
        }
    }

    private void clearInside() {
        batches.flush();
        try {
            records.clear();
            chunks.clear();
        } finally {
            dirty = true;
        }
    }

    /**
     * Forces both chains when anything changed since the last sync; on failure the table stays dirty. Syncs are
     * serialised: a caller that finds the flag clear because another sync just took it must still wait for that
     * sync's force to finish before it may count its own writes as on disk.
     */
    @Override
    public void sync() {
        synchronized (syncLock) {
            if (closed || !dirty) return;
            dirty = false;
            try {
                records.sync();
                chunks.sync();
            } catch (RuntimeException e) {
                dirty = true;
                throw e;
            }
        }
    }

    @Override
    public void close() {
        close(true);
    }

    /** Closes without forcing the files to disk: FLUSHDB deletes them next. */
    void discard() {
        close(false);
    }

    private synchronized void close(boolean force) {
        counted(() -> {
            closeInside(force);
            return null;
        });
    }

    private void closeInside(boolean force) {
        if (closed) return;
        closed = true;
        try {
            records.close(force);
        } finally {
            try {
                chunks.close(force);
            } finally {
                onClose.run();
            }
        }
    }
}
