package io.simplekv.command;

import io.simplekv.protocol.RespWriter;

/** The reply shape of Redis's "CONTAINER HELP": a header line, the given lines, and the HELP line. */
final class Help {
    private Help() {}

    static void reply(RespWriter out, String container, String... lines) {
        out.array(lines.length + 3);
        out.simple(container + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) out.simple(l);
        out.simple("HELP");
        out.simple("    Prints this help.");
    }
}
