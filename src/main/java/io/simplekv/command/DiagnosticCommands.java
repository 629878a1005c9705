package io.simplekv.command;

import io.simplekv.observe.SlowLog;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import static io.simplekv.command.CommandSpec.command;

/** SLOWLOG and MONITOR: what the server tells about the commands it runs. */
final class DiagnosticCommands {
    private DiagnosticCommands() {}

    static void register(CommandTable.Builder t) {
        String g = "server";
        t.add(command("monitor", 1, "admin noscript loading stale", DiagnosticCommands::monitor)
                .docs(g, "1.0.0", "Listen for all requests received by the server in real time", ""));
        t.add(command("slowlog", -2, "", null)
                .docs(g, "2.2.12", "A container for slow log commands", "")
                .sub(command("get", -2, "admin loading stale", DiagnosticCommands::get)
                        .docs(g, "2.2.12", "Get the slow log's entries", "[count]"))
                .sub(command("len", 2, "admin loading stale", (c, a, o) -> o.integer(c.server().slowLog().size()))
                        .docs(g, "2.2.12", "Get the slow log's length", ""))
                .sub(command("reset", 2, "admin loading stale", (c, a, o) -> {
                    c.server().slowLog().reset();
                    o.ok();
                }).docs(g, "2.2.12", "Clear all entries from the slow log", ""))
                .sub(command("help", 2, "loading stale", (c, a, o) -> Help.reply(o, "SLOWLOG",
                        "GET [<count>]", "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                        "    Entries are made of:",
                        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                        "    client name",
                        "LEN", "    Return the length of the slowlog.",
                        "RESET", "    Reset the slowlog.")).docs(g, "6.2.0", "Show helpful text about the different subcommands", "")));
    }

    static void monitor(Session c, byte[][] a, ReplySink out) {
        // A client that expects one reply per command (inside EXEC) cannot turn into a stream.
        if (c.denyBlocking()) throw RedisError.err("MONITOR isn't allowed for DENY BLOCKING client");
        c.server().monitors().add(c);
        out.ok();
    }

    static void get(Session c, byte[][] a, ReplySink out) {
        if (a.length > 3) throw Help.syntaxError(a[1], "SLOWLOG");
        long count = 10;
        if (a.length == 3) {
            RedisError range = RedisError.err("count should be greater than or equal to -1");
            try {
                count = Args.toLong(a[2]);
            } catch (RedisError e) {
                throw range;
            }
            if (count < -1) throw range;
        }
        var entries = c.server().slowLog().newest(count);
        out.array(entries.size());
        for (SlowLog.Entry e : entries) {
            out.array(6);
            out.integer(e.id());
            out.integer(e.unixSeconds());
            out.integer(e.micros());
            out.array(e.args().size());
            for (byte[] arg : e.args()) out.bulk(arg);
            out.bulk(e.peer());
            out.bulk(e.clientName());
        }
    }
}
