package io.simplekv.command.transactions;

import io.simplekv.command.CommandTable;
import io.simplekv.command.Session;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import static io.simplekv.command.CommandSpec.command;
import static io.simplekv.command.ExecutionTrait.NOT_QUEUED;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queueing itself happens in {@link CommandService}. */
public final class TransactionCommands {
    private TransactionCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("multi", TransactionCommands::multi).traits(NOT_QUEUED));
        t.add(command("exec", (c, a, o) -> {
            if (!c.inMulti()) throw RedisError.err("EXEC without MULTI");
            if (c.multiFailed()) {
                c.endMulti();
                c.unwatchAll();
                throw new RedisError("EXECABORT Transaction discarded because of previous errors.");
            }
            c.server().service().exec(c, o);
        }).traits(NOT_QUEUED));
        t.add(command("discard", TransactionCommands::discard).traits(NOT_QUEUED));
        t.add(command("watch", TransactionCommands::watch).traits(NOT_QUEUED));
        t.add(command("unwatch", (c, a, o) -> {
            c.unwatchAll();
            o.ok();
        }));
    }

    static void multi(Session c, byte[][] a, ReplySink out) {
        if (c.inMulti()) throw RedisError.err("MULTI calls can not be nested");
        c.beginMulti();
        out.ok();
    }

    static void discard(Session c, byte[][] a, ReplySink out) {
        if (!c.inMulti()) throw RedisError.err("DISCARD without MULTI");
        c.endMulti();
        c.unwatchAll();
        out.ok();
    }

    static void watch(Session c, byte[][] a, ReplySink out) {
        if (c.inMulti()) throw RedisError.err("WATCH inside MULTI is not allowed");
        for (int i = 1; i < a.length; i++) c.watch(c.dbIndex(), a[i]);
        out.ok();
    }
}
