package io.simplekv.command;

import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.Glob;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static io.simplekv.command.CommandSpec.command;

/**
 * COMMAND and its subcommands, answered from the command table and the Redis metadata of each command in it: a
 * command Redis has but simplekv lacks is unknown here too.
 */
public final class CommandIntrospection {
    private CommandIntrospection() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("command", CommandIntrospection::all)
                .sub(command("count", (c, a, o) -> o.integer(c.server().commands().size())))
                .sub(command("info", CommandIntrospection::info))
                .sub(command("docs", CommandIntrospection::docs))
                .sub(command("list", CommandIntrospection::list))
                .sub(command("getkeys", (c, a, o) -> getkeys(c, a, o, false)))
                .sub(command("getkeysandflags", (c, a, o) -> getkeys(c, a, o, true)))
                .sub(command("help", (c, a, o) -> Help.reply(o, "COMMAND",
                        "(no subcommand)",
                        "    Return details about all Redis commands.",
                        "COUNT",
                        "    Return the total number of commands in this Redis server.",
                        "LIST",
                        "    Return a list of all commands in this Redis server.",
                        "INFO [<command-name> ...]",
                        "    Return details about multiple Redis commands.",
                        "    If no command names are given, documentation details for all",
                        "    commands are returned.",
                        "DOCS [<command-name> ...]",
                        "    Return documentation details about multiple Redis commands.",
                        "    If no command names are given, documentation details for all",
                        "    commands are returned.",
                        "GETKEYS <full-command>",
                        "    Return the keys from a full Redis command.",
                        "GETKEYSANDFLAGS <full-command>",
                        "    Return the keys and the access flags from a full Redis command."))));
    }

    static void all(Session c, byte[][] a, ReplySink out) {
        out.array(c.server().commands().size());
        for (CommandSpec spec : c.server().commands().all()) CommandReplies.info(spec, out);
    }

    static void info(Session c, byte[][] a, ReplySink out) {
        if (a.length == 2) {
            all(c, a, out);
            return;
        }
        out.array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            CommandSpec spec = byFullName(c.server().commands(), Args.text(a[i]));
            if (spec == null) out.nullBulk();
            else CommandReplies.info(spec, out);
        }
    }

    static void docs(Session c, byte[][] a, ReplySink out) {
        List<CommandSpec> specs = new ArrayList<>();
        if (a.length == 2) {
            specs.addAll(c.server().commands().all());
        } else {
            for (int i = 2; i < a.length; i++) {
                CommandSpec spec = byFullName(c.server().commands(), Args.text(a[i]));
                if (spec != null) specs.add(spec);
            }
        }
        out.map(specs.size());
        for (CommandSpec spec : specs) {
            out.bulk(spec.fullName);
            CommandReplies.docs(spec, out);
        }
    }

    /**
     * Redis's lookupCommandBySds: "name" or "container|sub", any case; a container's name alone is the container,
     * "name|sub" of a command without subcommands and anything with two '|' are nothing.
     */
    static CommandSpec byFullName(CommandTable table, String name) {
        String[] parts = name.toLowerCase(Locale.ROOT).split("\\|", -1);
        if (parts.length > 2) return null;
        CommandSpec spec = table.lookup(parts[0]);
        if (spec == null || parts.length == 1) return spec;
        return spec.subcommands.get(parts[1]);
    }

    /** COMMAND LIST: every command and, after each, its subcommands by full name ("config|get"). */
    static void list(Session c, byte[][] a, ReplySink out) {
        Filter filter = null;
        for (int i = 2; i < a.length; i++) {
            if (Args.is(a[i], "FILTERBY") && a.length - 1 - i == 2) {
                filter = Filter.of(a[i + 1], a[i + 2]);
                i += 2;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : c.server().commands().all()) {
            if (filter == null || filter.keeps(spec)) names.add(spec.fullName);
            for (CommandSpec sub : spec.subcommands.values()) {
                if (filter == null || filter.keeps(sub)) names.add(sub.fullName);
            }
        }
        out.array(names.size());
        for (String n : names) out.bulk(n);
    }

    /** A COMMAND LIST FILTERBY: no module ever matches, an unknown ACL category matches nothing. */
    private record Filter(String kind, byte[] pattern, AclCategory category) {
        static Filter of(byte[] kind, byte[] arg) {
            if (Args.is(kind, "MODULE")) return new Filter("module", arg, null);
            if (Args.is(kind, "ACLCAT")) return new Filter("aclcat", arg, AclCategory.byName(Args.text(arg)));
            if (Args.is(kind, "PATTERN")) return new Filter("pattern", arg, null);
            throw RedisError.SYNTAX;
        }

        boolean keeps(CommandSpec spec) {
            return switch (kind) {
                case "aclcat" -> category != null && spec.meta.aclCategories().contains(category);
                case "pattern" -> Glob.matchesIgnoreCase(pattern, Args.bytes(spec.fullName));
                default -> false;
            };
        }
    }

    /** COMMAND GETKEYS / GETKEYSANDFLAGS, with Redis's checks in Redis's order. */
    static void getkeys(Session c, byte[][] a, ReplySink out, boolean withFlags) {
        byte[][] cmd = Arrays.copyOfRange(a, 2, a.length);
        CommandTable table = c.server().commands();
        CommandSpec spec = table.lookup(cmd[0]);
        if (spec != null && spec.isContainer() && cmd.length >= 2) spec = table.subcommand(spec, cmd[1]);
        if (spec == null) throw RedisError.err("Invalid command specified");
        if (!spec.keys().any()) throw RedisError.err("The command has no key arguments");
        if (!spec.arityAccepts(cmd.length)) throw RedisError.err("Invalid number of arguments specified for command");
        List<KeyRef> keys = spec.keys().find(cmd);
        if (keys.isEmpty() && !spec.has(CommandFlag.NO_MANDATORY_KEYS)) {
            throw RedisError.err("Invalid arguments specified for command");
        }
        out.array(keys.size());
        for (KeyRef k : keys) {
            if (withFlags) {
                out.array(2);
                out.bulk(cmd[k.pos()]);
                CommandReplies.keyFlags(k.flags(), out);
            } else {
                out.bulk(cmd[k.pos()]);
            }
        }
    }
}
