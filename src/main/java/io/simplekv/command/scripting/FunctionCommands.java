package io.simplekv.command.scripting;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Help;
import io.simplekv.command.Session;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.scripting.Functions;
import io.simplekv.scripting.Reply;
import io.simplekv.scripting.ScriptRun;
import io.simplekv.scripting.Scripts;
import io.simplekv.text.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.simplekv.command.CommandSpec.command;
import static io.simplekv.command.ExecutionTrait.LOCK_ALL;
import static io.simplekv.command.ExecutionTrait.RUNS_SCRIPT;

/**
 * FUNCTION LOAD, DELETE, FLUSH, LIST, DUMP, RESTORE, STATS, KILL and FCALL/FCALL_RO, as Redis 7.0's functions.c
 * answers them. Libraries are part of the data: every change is written into the keyspace's meta table inside the
 * command's unit of work, so the chronicle engine keeps them across restarts.
 */
public final class FunctionCommands {
    private static final String[] FLAG_ORDER = {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"};

    private FunctionCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("fcall", (c, a, o) -> fcall(c, a, o, false)).traits(RUNS_SCRIPT, LOCK_ALL));
        t.add(command("fcall_ro", (c, a, o) -> fcall(c, a, o, true)).traits(RUNS_SCRIPT, LOCK_ALL));
        t.add(command("function", null)
                .sub(command("load", FunctionCommands::load).traits(RUNS_SCRIPT))
                .sub(command("delete", FunctionCommands::delete).traits(RUNS_SCRIPT))
                .sub(command("flush", FunctionCommands::flush).traits(RUNS_SCRIPT))
                .sub(command("list", FunctionCommands::list).traits(RUNS_SCRIPT))
                .sub(command("dump", (c, a, o) -> o.bulk(c.server().scripts().functions().dump())).traits(RUNS_SCRIPT))
                .sub(command("restore", FunctionCommands::restore).traits(RUNS_SCRIPT))
                .sub(command("stats", FunctionCommands::stats))
                .sub(command("kill", (c, a, o) -> EvalCommands.kill(c, o, false)))
                .sub(command("help", (c, a, o) -> Help.reply(o, "FUNCTION",
                        "LOAD [REPLACE] <FUNCTION CODE>",
                        "    Create a new library with the given library name and code.",
                        "DELETE <LIBRARY NAME>",
                        "    Delete the given library.",
                        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                        "    Return general information on all the libraries:",
                        "    * Library name",
                        "    * The engine used to run the Library",
                        "    * Library description",
                        "    * Functions list",
                        "    * Library code (if WITHCODE is given)",
                        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                        "STATS",
                        "    Return information about the current function running:",
                        "    * Function name",
                        "    * Command used to run the function",
                        "    * Duration in MS that the function is running",
                        "    If no function is running, return nil",
                        "    In addition, returns a list of available engines.",
                        "KILL",
                        "    Kill the current running function.",
                        "FLUSH [ASYNC|SYNC]",
                        "    Delete all the libraries.",
                        "    When called without the optional mode argument, the behavior is determined by the",
                        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                        "    * ASYNC: Asynchronously flush the libraries.",
                        "    * SYNC: Synchronously flush the libraries.",
                        "DUMP",
                        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
                        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                        "    control how to handle existing libraries (default APPEND):",
                        "    * FLUSH: delete all existing libraries.",
                        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                        "      in case of functions name collision with another library)."))));
    }

    /** FCALL's run, on the script thread inside the command's unit of work over every key. */
    static void fcall(Session c, byte[][] a, ReplySink out, boolean readOnlyCommand) {
        // FCALL is skip_monitor: it feeds MONITOR itself, first, so its commands show after it (Redis too).
        if (c.server().monitors().any()) c.server().monitors().feed(c, a);
        Scripts scripts = c.server().scripts();
        Functions.Function f = scripts.functions().function(Args.text(a[1]));
        if (f == null) throw RedisError.err("Function not found");
        long numkeys;
        try {
            numkeys = Args.toLong(a[2]);
        } catch (RedisError e) {
            throw RedisError.err("Bad number of keys provided");
        }
        if (numkeys > a.length - 3) throw RedisError.err("Number of keys can't be greater than number of args");
        if (numkeys < 0) throw RedisError.err("Number of keys can't be negative");
        boolean noWrites = f.has("no-writes");
        if (!noWrites && readOnlyCommand) throw RedisError.err("Can not execute a script with write flag using *_ro command.");
        ScriptRun run = new ScriptRun(f.name(), false, readOnlyCommand || noWrites, f.has("allow-oom"), a);
        int keyCount = (int) numkeys;
        byte[][] keys = Arrays.copyOfRange(a, 3, 3 + keyCount);
        byte[][] args = Arrays.copyOfRange(a, 3 + keyCount, a.length);
        Reply reply = ScriptCalls.run(c, run, host -> scripts.call(f, keys, args, host));
        ScriptCalls.reply(reply, out);
    }

    static void load(Session c, byte[][] a, ReplySink out) {
        boolean replace = false;
        int at = 2;
        for (; at < a.length - 1; at++) {
            if (Args.is(a[at], "REPLACE")) replace = true;
            else throw RedisError.err("Unknown option given: " + Args.text(a[at]));
        }
        if (at >= a.length) throw RedisError.err("Function code is missing");
        Functions functions = c.server().scripts().functions();
        String name;
        try {
            name = functions.load(a[at], replace);
        } catch (Functions.Refused e) {
            throw RedisError.err(e.getMessage());
        }
        stored(c);
        out.bulk(name);
    }

    static void delete(Session c, byte[][] a, ReplySink out) {
        if (!c.server().scripts().functions().delete(Args.text(a[2]))) throw RedisError.err("Library not found");
        stored(c);
        out.ok();
    }

    static void flush(Session c, byte[][] a, ReplySink out) {
        if (a.length > 3) throw Help.syntaxError(a[1], "FUNCTION");
        if (a.length == 3 && !Args.is(a[2], "ASYNC") && !Args.is(a[2], "SYNC")) {
            throw RedisError.err("FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        c.server().scripts().functions().flush();
        stored(c);
        out.ok();
    }

    static void restore(Session c, byte[][] a, ReplySink out) {
        Functions.RestorePolicy policy = Functions.RestorePolicy.APPEND;
        if (a.length > 4) throw Help.syntaxError(a[1], "FUNCTION");
        if (a.length == 4) {
            if (Args.is(a[3], "FLUSH")) policy = Functions.RestorePolicy.FLUSH;
            else if (Args.is(a[3], "APPEND")) policy = Functions.RestorePolicy.APPEND;
            else if (Args.is(a[3], "REPLACE")) policy = Functions.RestorePolicy.REPLACE;
            else throw RedisError.err("Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        }
        try {
            c.server().scripts().functions().restore(a[2], policy);
        } catch (Functions.Refused e) {
            throw RedisError.err(e.getMessage());
        }
        stored(c);
        out.ok();
    }

    /** The libraries as they are now, written beside the data in the command's unit of work. */
    private static void stored(Session c) {
        c.server().keyspace().meta().put(Functions.STORAGE_KEY, c.server().scripts().functions().serialize());
    }

    static void list(Session c, byte[][] a, ReplySink out) {
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < a.length; i++) {
            if (!withCode && Args.is(a[i], "WITHCODE")) {
                withCode = true;
                continue;
            }
            if (pattern == null && Args.is(a[i], "LIBRARYNAME")) {
                if (i >= a.length - 1) throw RedisError.err("library name argument was not given");
                pattern = a[++i];
                continue;
            }
            throw RedisError.err("Unknown argument " + Args.text(a[i]));
        }
        List<Functions.Library> chosen = new ArrayList<>();
        for (Functions.Library lib : c.server().scripts().functions().libraries()) {
            if (pattern == null || Glob.matches(pattern, lib.name().getBytes(StandardCharsets.ISO_8859_1))) chosen.add(lib);
        }
        out.array(chosen.size());
        for (Functions.Library lib : chosen) {
            out.map(withCode ? 4 : 3);
            out.bulk("library_name");
            out.bulk(lib.name());
            out.bulk("engine");
            out.bulk("LUA");
            out.bulk("functions");
            out.array(lib.functions().size());
            for (Functions.Function f : lib.functions().values()) {
                out.map(3);
                out.bulk("name");
                out.bulk(f.name());
                out.bulk("description");
                if (f.description() == null) out.nullBulk();
                else out.bulk(f.description());
                out.bulk("flags");
                List<String> flags = new ArrayList<>();
                for (String flag : FLAG_ORDER) if (f.has(flag)) flags.add(flag);
                out.set(flags.size());
                for (String flag : flags) out.simple(flag);
            }
            if (withCode) {
                out.bulk("library_code");
                out.bulk(lib.code());
            }
        }
    }

    static void stats(Session c, byte[][] a, ReplySink out) {
        Scripts scripts = c.server().scripts();
        ScriptRun running = scripts.current();
        if (running != null && running.eval()) throw new RedisError(Scripts.busyError(true));
        out.map(2);
        out.bulk("running_script");
        if (running == null) {
            out.nullBulk();
        } else {
            out.map(3);
            out.bulk("name");
            out.bulk(running.name());
            out.bulk("command");
            byte[][] command = running.command();
            out.array(command.length);
            for (byte[] arg : command) out.bulk(arg);
            out.bulk("duration_ms");
            out.integer(running.elapsedMillis());
        }
        out.bulk("engines");
        out.map(1);
        out.bulk("LUA");
        out.map(2);
        out.bulk("libraries_count");
        out.integer(scripts.functions().libraryCount());
        out.bulk("functions_count");
        out.integer(scripts.functions().functionCount());
    }
}
