package io.simplekv.support;

import io.simplekv.storage.DiskGuard;
import io.simplekv.storage.MemoryEngine;
import io.simplekv.storage.Storage;
import io.simplekv.storage.StorageEngine;
import io.simplekv.storage.StorageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A persistent-looking engine over memory tables whose disk can be made to fail on cue: {@link #fillDisk} makes
 * the next puts fail as a full disk does in the chronicle engine (through the same {@link DiskGuard}),
 * {@link #failSyncs} makes forcing to disk fail. {@link #syncs} counts forces of a changed table.
 */
public final class FailingEngine implements StorageEngine {
    public volatile boolean diskFull;
    public volatile boolean failSyncs;
    public volatile long freeBytes = 1L << 30;
    public volatile long nanos;
    public final AtomicInteger syncs = new AtomicInteger();
    private final DiskGuard guard;
    private final MemoryEngine memory = new MemoryEngine();

    public FailingEngine(Path dir) {
        this.guard = new DiskGuard(dir, () -> freeBytes, () -> nanos);
    }

    public void fillDisk() {
        diskFull = true;
        freeBytes = 0;
    }

    public void freeDisk() {
        diskFull = false;
        freeBytes = 1L << 30;
        nanos += 2_000_000_000L; // past the guard's once-a-second recheck
    }

    @Override
    public String name() {
        return "failing";
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public String writeRefusal() {
        return guard.refusal();
    }

    @Override
    public Storage open(String table) {
        return new Table(memory.open(table));
    }

    @Override
    public Storage recreate(String table, Storage old) {
        return new Table(memory.open(table));
    }

    private final class Table implements Storage {
        private final Storage inner;
        private volatile boolean dirty;

        Table(Storage inner) {
            this.inner = inner;
        }

        @Override
        public byte[] get(byte[] key) {
            return inner.get(key);
        }

        @Override
        public void put(byte[] key, byte[] value) {
            if (diskFull) {
                StorageException e = guard.onWriteFailure(new UncheckedIOException(new IOException("No space left on device")));
                throw e;
            }
            inner.put(key, value);
            dirty = true;
        }

        @Override
        public boolean remove(byte[] key) {
            dirty = true;
            return inner.remove(key);
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public long scan(long cursor, int count, Consumer<byte[]> visitor) {
            return inner.scan(cursor, count, visitor);
        }

        @Override
        public byte[] randomKey() {
            return inner.randomKey();
        }

        @Override
        public void clear() {
            dirty = true;
            inner.clear();
        }

        @Override
        public void sync() {
            if (!dirty) return;
            if (failSyncs) throw new UncheckedIOException(new IOException("Input/output error"));
            dirty = false;
            syncs.incrementAndGet();
        }
    }
}
