package io.simplekv.command.scripting;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Help;
import io.simplekv.command.Session;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.scripting.EvalScript;
import io.simplekv.scripting.Reply;
import io.simplekv.scripting.ScriptFlags;
import io.simplekv.scripting.ScriptRun;
import io.simplekv.scripting.Scripts;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.simplekv.command.CommandSpec.command;
import static io.simplekv.command.ExecutionTrait.LOCK_ALL;
import static io.simplekv.command.ExecutionTrait.RUNS_SCRIPT;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT, as Redis 7.0's eval.c runs them. A script runs on the script
 * thread inside one unit of work over every key (it may touch keys it doesn't declare, as BullMQ's do), so it is
 * atomic and, on chronicle, all-or-nothing under kill -9 like an EXEC.
 */
public final class EvalCommands {
    private static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

    private EvalCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("eval", (c, a, o) -> eval(c, a, o, false, false)).traits(RUNS_SCRIPT, LOCK_ALL));
        t.add(command("evalsha", (c, a, o) -> eval(c, a, o, true, false)).traits(RUNS_SCRIPT, LOCK_ALL));
        t.add(command("eval_ro", (c, a, o) -> eval(c, a, o, false, true)).traits(RUNS_SCRIPT, LOCK_ALL));
        t.add(command("evalsha_ro", (c, a, o) -> eval(c, a, o, true, true)).traits(RUNS_SCRIPT, LOCK_ALL));
        t.add(command("script", null)
                .sub(command("load", EvalCommands::load).traits(RUNS_SCRIPT))
                .sub(command("exists", EvalCommands::exists))
                .sub(command("flush", EvalCommands::flush).traits(RUNS_SCRIPT))
                .sub(command("kill", (c, a, o) -> kill(c, o, true)))
                .sub(command("debug", EvalCommands::debug))
                .sub(command("help", (c, a, o) -> Help.reply(o, "SCRIPT",
                        "DEBUG (YES|SYNC|NO)",
                        "    Set the debug mode for subsequent scripts executed.",
                        "EXISTS <sha1> [<sha1> ...]",
                        "    Return information about the existence of the scripts in the script cache.",
                        "FLUSH [ASYNC|SYNC]",
                        "    Flush the Lua scripts cache. Very dangerous on replicas.",
                        "    When called without the optional mode argument, the behavior is determined by the",
                        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                        "    * ASYNC: Asynchronously flush the scripts cache.",
                        "    * SYNC: Synchronously flush the scripts cache.",
                        "KILL",
                        "    Kill the currently executing Lua script.",
                        "LOAD <script>",
                        "    Load a script into the scripts cache without executing it."))));
    }

    /** Redis's evalGenericCommand, on the script thread inside the command's unit of work. */
    static void eval(Session c, byte[][] a, ReplySink out, boolean bySha, boolean readOnlyCommand) {
        // EVAL is skip_monitor: it feeds MONITOR itself, first, so the commands it runs show after it (Redis too).
        if (c.server().monitors().any()) c.server().monitors().feed(c, a);
        long numkeys = Args.toLong(a[2]);
        if (numkeys > a.length - 3) throw RedisError.err("Number of keys can't be greater than number of args");
        if (numkeys < 0) throw RedisError.err("Number of keys can't be negative");
        Scripts scripts = c.server().scripts();
        EvalScript script;
        if (bySha) {
            if (a[1].length != 40) throw new RedisError(NOSCRIPT);
            script = scripts.cached(Args.text(a[1]).toLowerCase(java.util.Locale.ROOT));
            if (script == null) throw new RedisError(NOSCRIPT);
        } else {
            script = load(scripts, a[1]);
        }
        ScriptFlags flags = script.flags();
        if (!flags.compat() && !flags.noWrites() && readOnlyCommand) {
            throw RedisError.err("Can not execute a script with write flag using *_ro command.");
        }
        boolean readOnly = readOnlyCommand || (!flags.compat() && flags.noWrites());
        ScriptRun run = new ScriptRun(script.sha(), true, readOnly, !flags.compat() && flags.allowOom(), a);
        int keyCount = (int) numkeys;
        byte[][] keys = Arrays.copyOfRange(a, 3, 3 + keyCount);
        byte[][] argv = Arrays.copyOfRange(a, 3 + keyCount, a.length);
        Reply reply = ScriptCalls.run(c, run, host -> scripts.run(script, keys, argv, host));
        ScriptCalls.reply(reply, out);
    }

    /** EVAL's and SCRIPT LOAD's compile, with Redis's error texts. */
    private static EvalScript load(Scripts scripts, byte[] body) {
        try {
            return scripts.load(body);
        } catch (ScriptFlags.Invalid e) {
            throw RedisError.err(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw RedisError.err(e.getMessage());
        }
    }

    static void load(Session c, byte[][] a, ReplySink out) {
        out.bulk(load(c.server().scripts(), a[2]).sha());
    }

    static void exists(Session c, byte[][] a, ReplySink out) {
        Scripts scripts = c.server().scripts();
        out.array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            String sha = new String(a[i], StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            out.integer(scripts.exists(sha) ? 1 : 0);
        }
    }

    static void flush(Session c, byte[][] a, ReplySink out) {
        if (a.length > 3 || (a.length == 3 && !Args.is(a[2], "ASYNC") && !Args.is(a[2], "SYNC"))) {
            throw RedisError.err("SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        c.server().scripts().flush();
        out.ok();
    }

    static void kill(Session c, ReplySink out, boolean eval) {
        String refusal = c.server().scripts().kill(eval);
        if (refusal != null) throw new RedisError(refusal);
        out.ok();
    }

    /** There is no script debugger here: SCRIPT DEBUG answers as a server whose debugger never starts. */
    static void debug(Session c, byte[][] a, ReplySink out) {
        if (a.length != 3) throw RedisError.err("Use SCRIPT DEBUG YES/SYNC/NO");
        if (Args.is(a[2], "NO")) out.ok();
        else if (Args.is(a[2], "YES") || Args.is(a[2], "SYNC")) {
            throw RedisError.err("SCRIPT DEBUG is not supported by this server");
        } else throw RedisError.err("Use SCRIPT DEBUG YES/SYNC/NO");
    }
}
