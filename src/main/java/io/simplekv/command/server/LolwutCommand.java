package io.simplekv.command.server;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Session;
import io.simplekv.protocol.ReplySink;

import static io.simplekv.command.CommandSpec.command;

/**
 * LOLWUT [VERSION v]: Redis 7.0's answer for its own version, which is its "unstable" rendering, the version line.
 * Redis draws computer art for VERSION 5 and 6; we answer those with the version line too.
 */
final class LolwutCommand {
    private LolwutCommand() {}

    static void register(CommandTable.Builder t) {
        t.add(command("lolwut", LolwutCommand::lolwut));
    }

    static void lolwut(Session c, byte[][] a, ReplySink out) {
        // Redis parses VERSION's number (an error if it is not one) only when it is given one.
        if (a.length >= 3 && Args.is(a[1], "VERSION")) Args.toLong(a[2]);
        out.verbatim("txt", "Redis ver. " + io.simplekv.command.connection.ConnectionCommands.REDIS_VERSION + "\n");
    }
}
