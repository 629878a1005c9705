package io.simplekv.command;

import io.simplekv.protocol.ReplySink;

/** The reply shape of Redis's "CONTAINER HELP": a header line, the given lines, and the HELP line. */
public final class Help {
    private Help() {}

    public static void reply(ReplySink out, String container, String... lines) {
        out.array(lines.length + 3);
        out.simple(container + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) out.simple(l);
        out.simple("HELP");
        out.simple("    Prints this help.");
    }

    /** Redis's addReplySubcommandSyntaxError, for a subcommand given arguments it does not take. */
    public static io.simplekv.protocol.RedisError syntaxError(byte[] subcommand, String container) {
        return io.simplekv.protocol.RedisError.err("unknown subcommand or wrong number of arguments for '"
                + Args.text(subcommand) + "'. Try " + container + " HELP.");
    }
}
