package io.simplekv.storage;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One table in off-heap Chronicle Maps persisted under its own directory; {@link RecordMaps} lays the values out.
 * This class makes those maps safe to share and to kill: calls on one key are serialised by a striped lock, every
 * map operation is counted in the {@link CrashWindow} (so a restart after a kill knows whether recovery is
 * needed), a failed write becomes the error its client should see, and {@link #sync} forces only what changed.
 *
 * <p>Writes here reach the maps at once. The engine hands the keyspace a {@link StagingOverlay} over this table,
 * which holds a command's writes back and applies them through {@link BatchTarget} when the command ends.
 */
public final class ChronicleStorage implements Storage, BatchTarget {
    private static final int STRIPES = 64;

    private final Path dir;
    /** Named once: every committed batch journals it, and Path.toString builds a new String each time. */
    private final String name;
    private final RecordMaps maps;
    private final Object[] stripes = new Object[STRIPES];
    /** Small values read lately; every change below forgets its key's slot, under the key's stripe. */
    private final HotValues hot = new HotValues();
    private final DiskGuard disk;
    /** Counts every map operation in and out, so a restart after kill -9 knows whether recovery is needed. */
    private final CrashWindow window;
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
                     Runnable onClose) {
        this.dir = dir;
        this.name = dir.getFileName().toString();
        this.window = window;
        this.disk = disk;
        this.onClose = onClose;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
        window.enter(); // opening may write map headers: a crash meanwhile must not pass for a quiet stop
        try {
            this.maps = RecordMaps.open(dir, sizing, recover);
        } finally {
            window.exit();
        }
    }

    Path dir() {
        return dir;
    }

    @Override
    public String name() {
        return name;
    }

    /** How many map generations hold records; more than one means the table outgrew its first map. */
    int generations() {
        return maps.generations();
    }

    @Override
    public byte[] get(byte[] key) {
        long h = ByteHash.hash(key);
        synchronized (stripe(h)) {
            byte[] cached = hot.get(key, h);
            if (cached != null) return cached;
            return counted(() -> {
                byte[] v = maps.get(key);
                if (v != null) hot.fill(key, h, v);
                return v;
            });
        }
    }

    @Override
    public boolean contains(byte[] key) {
        long h = ByteHash.hash(key);
        synchronized (stripe(h)) {
            if (hot.get(key, h) != null) return true;
            return counted(() -> maps.contains(key));
        }
    }

    @Override
    public boolean readsAreCopies() {
        return true;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        written(key, () -> {
            long h = ByteHash.hash(key);
            synchronized (stripe(h)) {
                hot.forget(h);
                maps.store(key, maps.record(key, value));
                hot.fill(key, h, value);
            }
            return null;
        });
    }

    @Override
    public void patch(byte[] key, byte[] value, int from, int to) {
        boolean patched = applyPatch(key, value, from, to);
        if (!patched) put(key, value);
    }

    @Override
    public boolean remove(byte[] key) {
        return counted(() -> {
            try {
                long h = ByteHash.hash(key);
                synchronized (stripe(h)) {
                    hot.forget(h);
                    return maps.remove(key);
                }
            } finally {
                dirty = true;
                changedSinceSample = true;
            }
        });
    }

    /**
     * What this table's entries take off the heap, in its maps' files; 0 once closed. Synchronized with
     * {@link #close}, so the maps are never unmapped under the walk.
     */
    synchronized long usedBytes() {
        if (closed) return 0;
        if (changedSinceSample) {
            changedSinceSample = false;
            lastUsedBytes = maps.usedBytes();
        }
        return lastUsedBytes;
    }

    /**
     * Set by every change, cleared by {@link #usedBytes}, so the walk over the maps is skipped for the many tables
     * (every database's three) a sample finds untouched. Plain, not volatile: a sample that misses a change this
     * instant sees it at the next one, and writes pay nothing more.
     */
    private boolean changedSinceSample = true;
    private long lastUsedBytes;

    @Override
    public long size() {
        return counted(maps::size);
    }

    @Override
    public long scan(long cursor, int count, Consumer<byte[]> visitor) {
        return counted(() -> maps.scan(cursor, count, visitor));
    }

    @Override
    public byte[] randomKey() {
        return counted(maps::randomKey);
    }

    @Override
    public java.util.List<byte[]> randomKeys(int count) {
        return counted(() -> maps.randomKeys(count));
    }

    @Override
    public void clear() {
        counted(() -> {
            try {
                // Under every stripe: a read that took its value from the maps before the clear must not cache it after.
                underAllStripes(0, () -> {
                    maps.clear();
                    hot.clear();
                });
            } finally {
                dirty = true;
                changedSinceSample = true;
            }
            return null;
        });
    }

    /** Whether {@code value} is stored inline, in its key's own entry (and so staged as the value itself). */
    boolean fitsInline(byte[] value) {
        return maps.fitsInline(value);
    }

    /**
     * The record that will store a value too large for one entry once applied: its chunks are written now, under
     * a nonce no stored record uses, so they change nothing readers see until then.
     */
    byte[] chunkedRecord(byte[] key, byte[] value) {
        return written(key, () -> maps.record(key, value));
    }

    /** The value a chunked record not yet applied points at. */
    byte[] chunkedValue(byte[] key, byte[] rec) {
        return counted(() -> {
            synchronized (stripe(key)) {
                return maps.valueOf(key, rec);
            }
        });
    }

    @Override
    public void applyRecord(byte[] key, byte[] rec) {
        written(key, () -> {
            long h = ByteHash.hash(key);
            synchronized (stripe(h)) {
                hot.forget(h);
                maps.store(key, rec);
                if (RecordFormat.isInline(rec)) hot.fillFromRecord(key, h, rec);
            }
            return null;
        });
    }

    @Override
    public void applyRemoval(byte[] key) {
        written(key, () -> {
            long h = ByteHash.hash(key);
            synchronized (stripe(h)) {
                hot.forget(h);
                maps.removeEverywhere(key);
            }
            return null;
        });
    }

    @Override
    public boolean applyPatch(byte[] key, byte[] value, int from, int to) {
        return written(key, () -> {
            long h = ByteHash.hash(key);
            synchronized (stripe(h)) {
                hot.forget(h);
                if (!maps.patch(key, value, 0, value.length, from, to)) return false;
                hot.fill(key, h, value);
                return true;
            }
        });
    }

    /** See {@link RecordMaps#dropOrphanChunks}: for a table opened after an unclean stop, before any command uses it. */
    long dropOrphanChunks() {
        return counted(maps::dropOrphanChunks);
    }

    @Override
    public int batchId() {
        return name.hashCode(); // a String caches its hash
    }

    @Override
    public void discardUnapplied(byte[] key, byte[] rec) {
        if (RecordFormat.isInline(rec)) return;
        written(key, () -> {
            synchronized (stripe(key)) {
                maps.dropChunks(key, rec);
            }
            return null;
        });
    }

    private Object stripe(byte[] key) {
        return stripe(ByteHash.hash(key));
    }

    private Object stripe(long hash) {
        return stripes[(int) hash & (STRIPES - 1)];
    }

    /** Runs {@code r} holding every stripe, taken in index order (a single-key operation holds only one). */
    private void underAllStripes(int from, Runnable r) {
        if (from == STRIPES) {
            r.run();
            return;
        }
        synchronized (stripes[from]) {
            underAllStripes(from + 1, r);
        }
    }

    /** Runs a map operation counted in and out of the crash window, so a kill inside it means recovery. */
    private <T> T counted(Supplier<T> operation) {
        window.enter();
        try {
            return operation.get();
        } finally {
            window.exit();
        }
    }

    /** A counted write: the table is dirty afterwards, and a failure is reported as {@link #writeFailure} says. */
    private <T> T written(byte[] key, Supplier<T> write) {
        window.enter();
        try {
            return write.get();
        } catch (RuntimeException | InternalError e) {
            throw writeFailure(key, e);
        } finally {
            dirty = true;
            changedSinceSample = true;
            window.exit();
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
                maps.sync();
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
        hot.clear();
        try {
            maps.close(force);
        } finally {
            onClose.run();
        }
    }
}
