package io.simplekv.keyspace;

import io.simplekv.observe.ServerStats;
import io.simplekv.storage.Storage;
import io.simplekv.storage.StorageEngine;

/** The numbered databases over one storage engine, and the shard locks that make commands atomic. */
public final class Keyspace implements AutoCloseable {
    private final StorageEngine engine;
    private final Database[] dbs;
    private final ShardLocks locks = new ShardLocks();
    /** Null when the engine applies writes as they are made (memory): nothing to gain from deferring. */
    private final DeferredCommits deferred;
    private final Storage meta;
    private final PageSpace space;
    private volatile KeyEvents events = KeyEvents.NONE;
    private final ExpiryClock clock = new ExpiryClock();

    private final AccessClock access;

    public Keyspace(StorageEngine engine, int databases, ServerStats stats) {
        this(engine, databases, stats, AccessClock.lru());
    }

    public Keyspace(StorageEngine engine, int databases, ServerStats stats, AccessClock access) {
        this.engine = engine;
        this.deferred = engine.stagesWrites() ? new DeferredCommits(locks, engine) : null;
        this.access = access;
        this.meta = engine.open("meta");
        this.space = new PageSpace(meta, stats.lazyfreedObjects);
        this.dbs = new Database[databases];
        for (int i = 0; i < databases; i++) {
            dbs[i] = new Database(i, engine.open(dataTable(i), access), engine.open(expiresTable(i)),
                    engine.open(pagesTable(i)), space, stats, clock);
        }
    }

    /**
     * A deep copy of every database and the meta table, frozen now, or null where the engine can't copy its tables.
     * For an RDB snapshot written off the locks: the caller holds every shard while this runs, and the copy, which
     * no one else can reach, is then read without locks. It counts nothing in the server's stats.
     */
    public Keyspace copy() {
        Storage metaCopy = engine.copy(meta);
        if (metaCopy == null) return null;
        Storage[][] tables = new Storage[dbs.length][];
        for (int i = 0; i < dbs.length; i++) {
            Storage[] t = dbs[i].tables();
            tables[i] = new Storage[] {engine.copy(t[0]), engine.copy(t[1]), engine.copy(t[2])};
        }
        return new Keyspace(engine, access, metaCopy, tables);
    }

    private Keyspace(StorageEngine engine, AccessClock access, Storage meta, Storage[][] tables) {
        this.engine = engine;
        this.deferred = null;
        this.access = access;
        this.meta = meta;
        ServerStats quiet = new ServerStats();
        this.space = new PageSpace(meta, quiet.lazyfreedObjects);
        this.dbs = new Database[tables.length];
        for (int i = 0; i < tables.length; i++) {
            dbs[i] = new Database(i, tables[i][0], tables[i][1], tables[i][2], space, quiet, clock);
        }
    }

    /** What the keys' access fields mean (OBJECT IDLETIME and FREQ, eviction's ranking). */
    public AccessClock access() {
        return access;
    }

    /** The table of server-wide records beside the databases (FUNCTION libraries, page-space bookkeeping). */
    public ExpiryClock clock() {
        return clock;
    }

    public Storage meta() {
        return meta;
    }

    public PageSpace space() {
        return space;
    }

    /** Who hears about keys the keyspace changes on its own (expiry). */
    public void events(KeyEvents events) {
        this.events = events;
        for (Database d : dbs) d.events(events);
    }

    private static String dataTable(int db) {
        return "db" + db;
    }

    private static String expiresTable(int db) {
        return "db" + db + ".expires";
    }

    private static String pagesTable(int db) {
        return "db" + db + StorageEngine.PAGES_SUFFIX;
    }

    public StorageEngine engine() {
        return engine;
    }

    /**
     * Takes every shard for the calling thread until {@link #releaseEverything}: units it opens meanwhile need no
     * locking of their own (the script thread holds the keyspace across a run of queued scripts).
     */
    public void holdEverything() {
        locks.lockEverything();
    }

    public void releaseEverything() {
        locks.unlockEverything();
    }

    /** Some thread waits for a shard lock: a long hold should let it in. */
    public boolean lockWanted() {
        return locks.contended();
    }

    /** A unit of work over this keyspace: name its keys, then open it. */
    public UnitOfWork unit() {
        return new UnitOfWork(locks, engine, deferred);
    }

    /**
     * Group commit on this thread for {@code owner}'s read batch, when the engine stages writes (else nothing):
     * units marked {@link UnitOfWork#deferrable} share one write batch until {@link #endDeferral}.
     */
    public void deferCommits(Object owner) {
        if (deferred != null) deferred.begin(owner);
    }

    /**
     * Commits what {@code owner}'s read batch deferred and ends the deferral; false when a commit of the batch
     * failed (none of its replies may then go out as if its writes were stored).
     */
    public boolean endDeferral(Object owner) {
        return deferred == null || deferred.end(owner);
    }

    public int databases() {
        return dbs.length;
    }

    /** What every database's records and pages cost as the engine holds them, or -1 where it does not count. */
    public long storedBytes() {
        return engine.bytes();
    }

    public Database db(int index) {
        return dbs[index];
    }

    /**
     * Swaps the contents of two databases; the caller's unit of work holds every shard lock and has flushed what it
     * staged (the swapped tables are sized afterwards).
     */
    public void swap(int a, int b) {
        events.swapping(a, b);
        Database x = dbs[a], y = dbs[b];
        Storage[] xt = x.tables(), yt = y.tables();
        x.replaceTables(yt[0], yt[1], yt[2]);
        y.replaceTables(xt[0], xt[1], xt[2]);
        events.swapped(a, b);
    }

    /** Empties one database; the caller's unit of work holds every shard lock and has flushed what it staged. */
    public void flush(int index) {
        empty(index);
        events.flushed();
    }

    public void flushAll() {
        for (int i = 0; i < dbs.length; i++) empty(i);
        events.flushed();
    }

    private void empty(int index) {
        events.emptying(index);
        Database d = dbs[index];
        Storage[] t = d.tables();
        space.indexes().forget(t[2]);
        d.replaceTables(engine.recreate(dataTable(index), t[0]), engine.recreate(expiresTable(index), t[1]),
                engine.recreate(pagesTable(index), t[2]));
    }

    public void sync() {
        for (Database d : dbs) for (Storage t : d.tables()) t.sync();
        meta.sync();
    }

    @Override
    public void close() {
        for (Database d : dbs) for (Storage t : d.tables()) t.close();
        meta.close();
        try {
            engine.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
