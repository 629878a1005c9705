package io.simplekv.command;

import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.Glob;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.simplekv.command.CommandSpec.command;

/** COMMAND and its subcommands, all answered from the command table. */
final class CommandIntrospection {
    private CommandIntrospection() {}

    static void register(CommandTable.Builder t) {
        String g = "server";
        t.add(command("command", -1, "loading stale", CommandIntrospection::all)
                .docs(g, "2.8.13", "Returns detailed information about all commands.", "")
                .sub(command("count", 2, "loading stale", (c, a, o) -> o.integer(c.server().commands().size()))
                        .docs(g, "2.8.13", "Returns a count of commands.", ""))
                .sub(command("info", -2, "loading stale", CommandIntrospection::info)
                        .docs(g, "2.8.13", "Returns information about one, multiple or all commands.", "[command-name [command-name ...]]"))
                .sub(command("docs", -2, "loading stale", CommandIntrospection::docs)
                        .docs(g, "7.0.0", "Returns documentary information about one, multiple or all commands.", "[command-name [command-name ...]]"))
                .sub(command("list", -2, "loading stale", CommandIntrospection::list)
                        .docs(g, "7.0.0", "Returns a list of command names.",
                                "[FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]"))
                .sub(command("getkeys", -4, "loading stale", CommandIntrospection::getkeys)
                        .docs(g, "2.8.13", "Extracts the key names from an arbitrary command.", "command [arg [arg ...]]"))
                .sub(command("help", 2, "loading stale", (c, a, o) -> Help.reply(o, "COMMAND",
                        "(no subcommand)", "    Return details about all Redis commands.",
                        "COUNT", "    Return the total number of commands in this Redis server.",
                        "LIST", "    Return a list of all commands in this Redis server.",
                        "INFO [<command-name> ...]", "    Return details about multiple Redis commands.",
                        "DOCS [<command-name> ...]", "    Return documentation details about multiple Redis commands.",
                        "GETKEYS <full-command>", "    Return the keys from a full Redis command."))));
    }

    static void all(Session c, byte[][] a, ReplySink out) {
        if (a.length > 1) throw RedisError.err("unknown subcommand '" + Args.text(a[1]) + "'. Try COMMAND HELP.");
        out.array(c.server().commands().size());
        for (CommandSpec spec : c.server().commands().all()) writeInfo(spec, out);
    }

    static void info(Session c, byte[][] a, ReplySink out) {
        if (a.length == 2) {
            all(c, new byte[][] {a[0]}, out);
            return;
        }
        out.array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            CommandSpec spec = find(c, Args.text(a[i]));
            if (spec == null) out.nullBulk();
            else writeInfo(spec, out);
        }
    }

    private static CommandSpec find(Session c, String name) {
        String[] parts = name.toLowerCase(Locale.ROOT).split("\\|", 2);
        CommandSpec spec = c.server().commands().lookup(parts[0]);
        if (spec != null && parts.length == 2) spec = spec.subcommands.get(parts[1]);
        return spec;
    }

    private static void writeInfo(CommandSpec spec, ReplySink out) {
        out.array(10);
        out.bulk(spec.fullName);
        out.integer(spec.arity);
        List<String> flags = new ArrayList<>();
        for (CommandFlag f : spec.flags) if (f.redisName != null) flags.add(f.redisName);
        if (spec.hasMovableKeys()) flags.add("movablekeys");
        out.array(flags.size());
        for (String f : flags) out.simple(f);
        out.integer(spec.firstKey);
        out.integer(spec.lastKey);
        out.integer(spec.keyStep);
        List<String> cats = aclCategories(spec);
        out.array(cats.size());
        for (String cat : cats) out.simple(cat);
        out.array(0);
        writeKeySpecs(spec, out);
        out.array(spec.subcommands.size());
        for (CommandSpec sub : spec.subcommands.values()) writeInfo(sub, out);
    }

    /** Redis lists a command's ACL categories in the order of its category table. */
    private static final List<String> CATEGORY_ORDER = List.of("@keyspace", "@read", "@write", "@set", "@sortedset",
            "@list", "@hash", "@string", "@bitmap", "@hyperloglog", "@geo", "@stream", "@pubsub", "@admin", "@fast",
            "@slow", "@blocking", "@dangerous", "@connection", "@transaction", "@scripting");

    static List<String> aclCategories(CommandSpec spec) {
        java.util.Set<String> cats = new java.util.HashSet<>();
        if (spec.has(CommandFlag.WRITE)) cats.add("@write");
        if (spec.has(CommandFlag.READONLY)) cats.add("@read");
        cats.add(switch (spec.docs.group()) {
            case "generic" -> "@keyspace";
            case "server" -> "@admin";
            case "sorted_set" -> "@sortedset";
            default -> "@" + spec.docs.group();
        });
        if (spec.has(CommandFlag.ADMIN)) cats.add("@admin");
        if (spec.has(CommandFlag.ADMIN) || spec.has(CommandFlag.LOCK_ALL)) cats.add("@dangerous");
        cats.add(spec.has(CommandFlag.FAST) ? "@fast" : "@slow");
        List<String> ordered = new ArrayList<>();
        for (String cat : CATEGORY_ORDER) if (cats.contains(cat)) ordered.add(cat);
        return ordered;
    }

    /**
     * Redis 7's key specs, derived from the table's key positions: keys start at an index and run to a last key
     * (relative to the first, or from the end when negative) in steps. Read-only commands access their keys;
     * the others update them.
     */
    private static void writeKeySpecs(CommandSpec spec, ReplySink out) {
        if (spec.firstKey == 0) {
            out.array(0);
            return;
        }
        out.array(1);
        out.map(3);
        out.bulk("flags");
        out.array(2);
        out.simple(spec.has(CommandFlag.READONLY) ? "RO" : "RW");
        out.simple(spec.has(CommandFlag.READONLY) ? "access" : "update");
        out.bulk("begin_search");
        out.map(2);
        out.bulk("type");
        out.bulk("index");
        out.bulk("spec");
        out.map(1);
        out.bulk("index");
        out.integer(spec.firstKey);
        out.bulk("find_keys");
        out.map(2);
        out.bulk("type");
        out.bulk("range");
        out.bulk("spec");
        out.map(3);
        out.bulk("lastkey");
        out.integer(spec.lastKey < 0 ? spec.lastKey : spec.lastKey - spec.firstKey);
        out.bulk("keystep");
        out.integer(spec.keyStep);
        out.bulk("limit");
        out.integer(0);
    }

    static void docs(Session c, byte[][] a, ReplySink out) {
        List<CommandSpec> specs = new ArrayList<>();
        if (a.length == 2) {
            specs.addAll(c.server().commands().all());
        } else {
            for (int i = 2; i < a.length; i++) {
                CommandSpec spec = find(c, Args.text(a[i]));
                if (spec != null) specs.add(spec);
            }
        }
        out.map(specs.size());
        for (CommandSpec spec : specs) {
            out.bulk(spec.fullName);
            writeDocs(spec, out);
        }
    }

    private static void writeDocs(CommandSpec spec, ReplySink out) {
        List<SyntaxArguments.Arg> args = SyntaxArguments.parse(spec.docs.syntax());
        int fields = 3 + (args.isEmpty() ? 0 : 1) + (spec.isContainer() ? 1 : 0);
        out.map(fields);
        out.bulk("summary");
        out.bulk(spec.docs.summary());
        out.bulk("since");
        out.bulk(spec.docs.since());
        out.bulk("group");
        out.bulk(spec.docs.group());
        if (!args.isEmpty()) {
            out.bulk("arguments");
            writeArgs(args, out);
        }
        if (spec.isContainer()) {
            out.bulk("subcommands");
            out.map(spec.subcommands.size());
            for (CommandSpec sub : spec.subcommands.values()) {
                out.bulk(sub.fullName);
                writeDocs(sub, out);
            }
        }
    }

    private static void writeArgs(List<SyntaxArguments.Arg> args, ReplySink out) {
        out.array(args.size());
        for (SyntaxArguments.Arg arg : args) {
            List<String> flags = new ArrayList<>();
            if (arg.optional()) flags.add("optional");
            if (arg.multiple()) flags.add("multiple");
            int fields = 2 + (arg.token() != null ? 1 : 0) + (flags.isEmpty() ? 0 : 1) + (arg.children().isEmpty() ? 0 : 1);
            out.map(fields);
            out.bulk("name");
            out.bulk(arg.name());
            out.bulk("type");
            out.bulk(arg.type());
            if (arg.token() != null) {
                out.bulk("token");
                out.bulk(arg.token());
            }
            if (!flags.isEmpty()) {
                out.bulk("flags");
                out.array(flags.size());
                for (String f : flags) out.simple(f);
            }
            if (!arg.children().isEmpty()) {
                out.bulk("arguments");
                writeArgs(arg.children(), out);
            }
        }
    }

    /** COMMAND LIST: every command and, as Redis 7 lists them, every subcommand by its full name ("config|get"). */
    static void list(Session c, byte[][] a, ReplySink out) {
        List<CommandSpec> all = new ArrayList<>();
        for (CommandSpec spec : c.server().commands().all()) {
            all.add(spec);
            all.addAll(spec.subcommands.values());
        }
        List<String> names = new ArrayList<>();
        if (a.length == 2) {
            for (CommandSpec spec : all) names.add(spec.fullName);
        } else if (a.length == 5 && Args.is(a[2], "FILTERBY")) {
            String value = Args.text(a[4]);
            for (CommandSpec spec : all) {
                boolean keep;
                if (Args.is(a[3], "PATTERN")) keep = Glob.matchesIgnoreCase(a[4], Args.bytes(spec.fullName));
                else if (Args.is(a[3], "ACLCAT")) keep = aclCategories(spec).contains("@" + value.toLowerCase(Locale.ROOT));
                else if (Args.is(a[3], "MODULE")) keep = false;
                else throw RedisError.SYNTAX;
                if (keep) names.add(spec.fullName);
            }
        } else {
            throw RedisError.SYNTAX;
        }
        out.array(names.size());
        for (String n : names) out.bulk(n);
    }

    static void getkeys(Session c, byte[][] a, ReplySink out) {
        CommandSpec spec = c.server().commands().lookup(a[2]);
        byte[][] cmd = java.util.Arrays.copyOfRange(a, 2, a.length);
        if (spec != null && spec.isContainer() && cmd.length >= 2) spec = c.server().commands().subcommand(spec, cmd[1]);
        if (spec == null) throw RedisError.err("Invalid command specified");
        if (!spec.arityAccepts(cmd.length)) throw RedisError.err("Invalid number of arguments specified for command");
        if (spec.firstKey == 0) throw RedisError.err("The command has no key arguments");
        List<byte[]> keys = new ArrayList<>();
        for (int i : spec.keyPositions(cmd)) keys.add(cmd[i]);
        out.array(keys.size());
        for (byte[] k : keys) out.bulk(k);
    }
}
