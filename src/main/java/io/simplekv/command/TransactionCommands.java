package io.simplekv.command;

import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import static io.simplekv.command.CommandSpec.command;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queueing itself happens in {@link CommandService}. */
final class TransactionCommands {
    private TransactionCommands() {}

    static void register(CommandTable.Builder t) {
        String g = "transactions";
        t.add(command("multi", 1, "noscript loading stale fast allow_busy not_queued", TransactionCommands::multi)
                .docs(g, "1.2.0", "Starts a transaction.", ""));
        t.add(command("exec", 1, "noscript loading stale skip_slowlog not_queued", (c, a, o) -> {
            if (!c.inMulti()) throw RedisError.err("EXEC without MULTI");
            if (c.multiFailed()) {
                c.endMulti();
                c.unwatchAll();
                throw new RedisError("EXECABORT Transaction discarded because of previous errors.");
            }
            c.server().service().exec(c, o);
        }).docs(g, "1.2.0", "Executes all commands in a transaction.", ""));
        t.add(command("discard", 1, "noscript loading stale fast allow_busy not_queued", TransactionCommands::discard)
                .docs(g, "2.0.0", "Discards a transaction.", ""));
        t.add(command("watch", -2, "noscript loading stale fast allow_busy not_queued", TransactionCommands::watch).keys(1, -1, 1)
                .docs(g, "2.2.0", "Monitors changes to keys to determine the execution of a transaction.", "key [key ...]"));
        t.add(command("unwatch", 1, "noscript loading stale fast allow_busy", (c, a, o) -> {
            c.unwatchAll();
            o.ok();
        }).docs(g, "2.2.0", "Forgets about watched keys of a transaction.", ""));
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
