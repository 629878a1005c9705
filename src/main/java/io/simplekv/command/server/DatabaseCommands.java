package io.simplekv.command.server;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Session;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import static io.simplekv.command.CommandSpec.command;
import static io.simplekv.command.ExecutionTrait.LOCK_ALL;

/**
 * DBSIZE, FLUSHDB, FLUSHALL, SWAPDB: the commands over whole databases. Each walks or replaces whole tables, so it
 * first flushes what its unit of work (an EXEC's) staged.
 */
public final class DatabaseCommands {
    private DatabaseCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("dbsize", (c, a, o) -> {
            c.unit().flush();
            o.integer(c.db().size());
        }));
        t.add(command("flushdb", DatabaseCommands::flushdb).traits(LOCK_ALL));
        t.add(command("flushall", DatabaseCommands::flushall).traits(LOCK_ALL));
        t.add(command("swapdb", DatabaseCommands::swapdb).traits(LOCK_ALL));
    }

    static void flushdb(Session c, byte[][] a, ReplySink out) {
        checkFlushMode(a);
        c.unit().flush();
        c.server().keyspace().flush(c.dbIndex());
        c.forcePropagation(); // even an empty database's flush goes to replicas, as in Redis
        out.ok();
    }

    static void flushall(Session c, byte[][] a, ReplySink out) {
        checkFlushMode(a);
        c.unit().flush();
        c.server().keyspace().flushAll();
        // As flushAllDataAndResetRDB: with save points the emptied dataset is saved at once, so a restart can't
        // bring the flushed keys back from an older file.
        var persistence = c.server().persistence();
        if (!persistence.persistent() && persistence.savePoints().any()) {
            try {
                persistence.saveSnapshot(RdbSnapshot.files(c.server()));
            } catch (java.io.IOException e) {
                RdbSnapshot.logFailure("FLUSHALL's save", e);
            }
        }
        c.forcePropagation();
        out.ok();
    }

    private static void checkFlushMode(byte[][] a) {
        if (a.length > 2 || (a.length == 2 && !Args.is(a[1], "ASYNC") && !Args.is(a[1], "SYNC"))) {
            throw RedisError.SYNTAX;
        }
    }

    static void swapdb(Session c, byte[][] a, ReplySink out) {
        int x, y;
        try {
            x = Args.toInt(a[1]);
        } catch (RedisError e) {
            throw RedisError.err("invalid first DB index");
        }
        try {
            y = Args.toInt(a[2]);
        } catch (RedisError e) {
            throw RedisError.err("invalid second DB index");
        }
        int n = c.server().keyspace().databases();
        if (x < 0 || x >= n || y < 0 || y >= n) throw RedisError.DB_INDEX;
        if (x != y) {
            c.unit().flush();
            c.server().keyspace().swap(x, y);
        }
        c.forcePropagation(); // Redis counts every successful SWAPDB as a change
        out.ok();
    }
}
