package io.simplekv.storage;

/** Keeps every table on the Java heap; only an RDB snapshot (command.server.RdbSnapshot) outlives the process. */
public final class MemoryEngine implements StorageEngine {
    /** What every table of this engine holds, in bytes: each counts its writes here (used_memory's data). */
    private final java.util.concurrent.atomic.LongAdder bytes = new java.util.concurrent.atomic.LongAdder();

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Storage open(String table) {
        return table.endsWith(PAGES_SUFFIX) ? new PageTable(bytes) : new MemoryStorage(AccessStamp.NONE, bytes);
    }

    @Override
    public Storage open(String table, AccessStamp stamp) {
        return new MemoryStorage(stamp, bytes);
    }

    @Override
    public Storage recreate(String table, Storage old) {
        // Dropping the old table lets the GC free it off the command path, like Redis's lazy FLUSHDB.
        if (old instanceof SegmentedTable<?> dropped) dropped.forget();
        return old instanceof MemoryStorage m ? new MemoryStorage(m.stamp(), bytes) : open(table);
    }

    @Override
    public Storage copy(Storage table) {
        return table instanceof SegmentedTable<?> t ? t.copy() : null;
    }

    @Override
    public long bytes() {
        return bytes.sum();
    }
}
