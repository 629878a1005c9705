package io.simplekv.command.scripting;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Help;
import io.simplekv.protocol.RedisError;

import static io.simplekv.command.CommandSpec.command;

/** FUNCTION FLUSH and LIST as a server with no libraries answers them (Redis's test suite calls them between tests). */
public final class FunctionCommands {
    private FunctionCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("function", null)
                .sub(command("flush", (c, a, o) -> {
                    if (a.length > 3 || (a.length == 3 && !Args.is(a[2], "ASYNC") && !Args.is(a[2], "SYNC"))) {
                        throw RedisError.err("FUNCTION FLUSH only supports SYNC|ASYNC option");
                    }
                    o.ok();
                }))
                .sub(command("list", (c, a, o) -> o.array(0)))
                .sub(command("help", (c, a, o) -> Help.reply(o, "FUNCTION",
                        "FLUSH [ASYNC|SYNC]", "    Delete all the libraries.",
                        "LIST [LIBRARYNAME PATTERN] [WITHCODE]", "    Return general information on all the libraries."))));
    }
}
