package io.simplekv.command.server;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Help;
import io.simplekv.command.Session;
import io.simplekv.observe.SlowLog;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import static io.simplekv.command.CommandSpec.command;

/** SLOWLOG and MONITOR: what the server tells about the commands it runs. */
public final class DiagnosticCommands {
    private DiagnosticCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("monitor", DiagnosticCommands::monitor));
        t.add(command("slowlog", null)
                .sub(command("get", DiagnosticCommands::get))
                .sub(command("len", (c, a, o) -> o.integer(c.server().slowLog().size())))
                .sub(command("reset", (c, a, o) -> {
                    c.server().slowLog().reset();
                    o.ok();
                }))
                .sub(command("help", (c, a, o) -> Help.reply(o, "SLOWLOG",
                        "GET [<count>]", "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                        "    Entries are made of:",
                        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                        "    client name",
                        "LEN", "    Return the length of the slowlog.",
                        "RESET", "    Reset the slowlog."))));
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
