package io.simplekv.storage;

/** Keeps every table on the Java heap; nothing survives a restart. */
public final class MemoryEngine implements StorageEngine {

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Storage open(String table) {
        return table.endsWith(PAGES_SUFFIX) ? new PageTable() : new MemoryStorage();
    }

    @Override
    public Storage open(String table, AccessStamp stamp) {
        return new MemoryStorage(stamp);
    }

    @Override
    public Storage recreate(String table, Storage old) {
        // Dropping the old table lets the GC free it off the command path, like Redis's lazy FLUSHDB.
        return old instanceof MemoryStorage m ? new MemoryStorage(m.stamp()) : open(table);
    }
}
