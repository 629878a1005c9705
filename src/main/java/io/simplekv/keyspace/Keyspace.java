package io.simplekv.keyspace;

import io.simplekv.observe.ServerStats;
import io.simplekv.storage.Storage;
import io.simplekv.storage.StorageEngine;

/** The numbered databases over one storage engine, and the shard locks that make commands atomic. */
public final class Keyspace implements AutoCloseable {
    private final StorageEngine engine;
    private final Database[] dbs;
    private final ShardLocks locks = new ShardLocks();

    public Keyspace(StorageEngine engine, int databases, ServerStats stats) {
        this.engine = engine;
        this.dbs = new Database[databases];
        for (int i = 0; i < databases; i++) {
            dbs[i] = new Database(i, engine.open(dataTable(i)), engine.open(expiresTable(i)), stats);
        }
    }

    private static String dataTable(int db) {
        return "db" + db;
    }

    private static String expiresTable(int db) {
        return "db" + db + ".expires";
    }

    public StorageEngine engine() {
        return engine;
    }

    public ShardLocks locks() {
        return locks;
    }

    public int databases() {
        return dbs.length;
    }

    public Database db(int index) {
        return dbs[index];
    }

    /** Swaps the contents of two databases; the caller holds every shard lock. */
    public void swap(int a, int b) {
        Database x = dbs[a], y = dbs[b];
        Storage xd = x.dataTable(), xe = x.expiresTable();
        x.replaceTables(y.dataTable(), y.expiresTable());
        y.replaceTables(xd, xe);
    }

    /** Empties one database; the caller holds every shard lock. */
    public void flush(int index) {
        Database d = dbs[index];
        d.replaceTables(engine.recreate(dataTable(index), d.dataTable()),
                engine.recreate(expiresTable(index), d.expiresTable()));
    }

    public void flushAll() {
        for (int i = 0; i < dbs.length; i++) flush(i);
    }

    public void sync() {
        for (Database d : dbs) {
            d.dataTable().sync();
            d.expiresTable().sync();
        }
    }

    @Override
    public void close() {
        for (Database d : dbs) {
            d.dataTable().close();
            d.expiresTable().close();
        }
        try {
            engine.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
