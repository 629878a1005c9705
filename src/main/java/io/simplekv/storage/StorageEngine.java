package io.simplekv.storage;

/** Opens the tables a keyspace needs; one engine per server process. */
public interface StorageEngine extends AutoCloseable {

    /** Name shown in INFO and the startup line ("memory", "chronicle"). */
    String name();

    /**
     * How the keyspace names a database's table of big-collection pages ("db0.pages"): every key there is 16 bytes,
     * a collection id and a page number, which an engine may store in a table of its own kind.
     */
    String PAGES_SUFFIX = ".pages";

    /**
     * What all of this engine's tables hold, in bytes, kept as each write lands (used_memory's data), or -1 where
     * the engine does not count it.
     */
    default long bytes() {
        return -1;
    }

    /**
     * Refreshes what {@link #bytes} reports, for an engine that can't count its bytes per write and samples them
     * instead (the chronicle engine reads its maps' allocation); the server's cron calls it.
     */
    default void sampleBytes() {}

    /**
     * An eviction just removed about this many bytes: an engine whose {@link #bytes} is sampled counts them as gone
     * until its next sample, so the eviction loop sees its progress at once.
     */
    default void evicted(long bytes) {}

    /** Opens (or creates) the named table, e.g. "db0" or "db0.expires". */
    Storage open(String table);

    /**
     * Opens a database's records table, whose keys carry Redis's access field where the engine can keep it beside
     * them at no cost (the memory engine does; Chronicle would have to write on every read, so it keeps none).
     */
    default Storage open(String table, AccessStamp stamp) {
        return open(table);
    }

    /** A fresh empty table that replaces {@code table}'s contents, used by FLUSHDB to drop data in O(1). */
    default Storage recreate(String table, Storage old) {
        old.clear();
        return old;
    }

    /**
     * A deep copy of one of this engine's tables, frozen at the call (a snapshot written off the locks, as Redis's
     * forked child writes its copy-on-write view), or null where the engine can't copy. The caller keeps writers out.
     */
    default Storage copy(Storage table) {
        return null;
    }

    /**
     * A command starts on this thread, under its keys' locks: an engine may hold its writes back until
     * {@link #commit} so that a crash applies all of them or none (commands inside EXEC join the EXEC's).
     */
    default void begin() {}

    /** The command that called {@link #begin} ends: its writes are applied before its locks are released. */
    default void commit() {}

    /**
     * Applies the writes this thread's command has staged so far; its batch stays open. A walk over a table (its
     * size, a scan, a random key) reads what the table holds, not what is staged, so the keyspace calls this
     * before one: an engine that stages applies pending writes before such a walk in any case.
     * Splitting a command's writes in two this way gives up their all-or-nothing only across the flush.
     */
    default void flush() {}

    /** Whether writes are staged per thread until {@link #commit} (so committing several commands at once pays). */
    default boolean stagesWrites() {
        return false;
    }

    /** Whether tables live on disk, so SAVE, BGSAVE and appendfsync have something to force. */
    default boolean persistent() {
        return false;
    }

    /**
     * Why a command that may grow the data must be refused right now (e.g. the disk is full), or null. The
     * command service asks before running such a command, so it is refused whole, never half applied.
     */
    default String writeRefusal() {
        return null;
    }

    @Override
    default void close() {}
}
