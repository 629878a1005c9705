package io.simplekv.scripting;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Where scripts run: one thread of their own, so a script in an endless loop never holds an event loop, which
 * keeps reading other clients, answering them BUSY past {@code busy-reply-threshold} and taking SCRIPT KILL. Owns
 * the EVAL cache and its Lua state (both used on the script thread only) and what is running now.
 *
 * <p>While a script runs it holds every shard lock (its unit of work), so nothing else touches the keyspace; the
 * command service parks other clients' commands until {@link #whenIdle} calls back, as Redis serves no one while a
 * script runs below the threshold.
 */
public final class Scripts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scripts.class);
    /** How often the hook checks for SCRIPT KILL (Redis's luaMaskCountHook every 100,000 instructions). */
    private static final int HOOK_INSTRUCTIONS = 100_000;
    private static final int GC_PERIOD = 50;

    private static final int MAX_QUIET_REPLIES = 8;
    private static final Runnable NOTHING = () -> {};

    private final LongSupplier busyThresholdMillis;
    /** Event loops handed replies without a wake-up since the last {@link #wakeDeferred} (script thread only). */
    private final List<Executor> unwoken = new ArrayList<>(4);
    private int quietReplies;
    /** Hand-offs still to run in the pass being run now (script thread only). */
    private int followingInPass;
    /** The hand-offs of the current event-loop pass (see {@link #submitAfterThisPass}), per loop thread. */
    private final FastThreadLocal<List<HandOff>> passHandOffs = new FastThreadLocal<>() {
        @Override
        protected List<HandOff> initialValue() {
            return new ArrayList<>();
        }
    };
    private final ThreadPoolExecutor thread;
    private volatile Thread scriptThread;
    private volatile ScriptRun current;
    private volatile int pending;
    private final List<Runnable> idleWaiters = new ArrayList<>();
    /** SHA1 → script, readable from any thread (SCRIPT EXISTS); changed on the script thread. */
    private final Map<String, EvalScript> cache = new ConcurrentHashMap<>();
    private volatile long cachedBytes;
    private volatile long evalMemory;
    private LuaRuntime eval;
    private final Functions functions = new Functions();
    private int runs;

    public Scripts(LongSupplier busyThresholdMillis) {
        this.busyThresholdMillis = busyThresholdMillis;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            // Deep Lua values convert recursively; a generous stack keeps that away from StackOverflowError.
            Thread t = new Thread(null, r, "simplekv-scripts", 64L << 20);
            t.setDaemon(true);
            scriptThread = t;
            return t;
        });
    }

    // ---- the thread ----------------------------------------------------------------------------------------

    public boolean onScriptThread() {
        return Thread.currentThread() == scriptThread;
    }

    /** Runs a task on the script thread, after those submitted before it. */
    public void submit(Runnable task) {
        thread.execute(() -> {
            try {
                task.run();
            } finally {
                if (!queued()) wakeDeferred();
            }
        });
    }

    /**
     * Runs a task on the script thread, after those submitted before it, sent with the other hand-offs this event
     * loop makes in its current pass as one task when the pass ends. An unparked script thread per client request
     * was most of the event loop's system time for unpipelined scripts. Off an event loop, submits at once. If the
     * script thread is gone (shutdown), {@code refused} runs instead, on the calling loop.
     */
    public void submitAfterThisPass(Runnable task, Runnable refused, EventExecutor loop) {
        if (loop == null || !loop.inEventLoop()) {
            try {
                submit(task);
            } catch (RejectedExecutionException e) {
                refused.run();
            }
            return;
        }
        List<HandOff> pass = passHandOffs.get();
        pass.add(new HandOff(task, refused));
        if (pass.size() > 1) return;
        try {
            loop.execute(() -> sendPass(pass));
        } catch (RejectedExecutionException stopping) {
            sendPass(pass); // a stopping loop runs no more tasks: send what there is now
        }
    }

    private record HandOff(Runnable task, Runnable refused) {}

    private void sendPass(List<HandOff> pass) {
        HandOff[] handOffs = pass.toArray(new HandOff[0]);
        pass.clear();
        try {
            submit(() -> runInOrder(handOffs));
        } catch (RejectedExecutionException e) {
            for (HandOff h : handOffs) h.refused().run();
        }
    }

    /** One pass's hand-offs, each on its own: one that fails must not keep the clients behind it waiting forever. */
    private void runInOrder(HandOff[] tasks) {
        for (int i = 0; i < tasks.length; i++) {
            followingInPass = tasks.length - 1 - i;
            try {
                tasks[i].task().run();
            } catch (RuntimeException | Error e) {
                log.error("A script hand-off failed", e);
            }
        }
        followingInPass = 0;
    }

    /**
     * Whether a reply may go back to its event loop without waking it (script thread): more work waits here, whose
     * end wakes it, and fewer than {@link #MAX_QUIET_REPLIES} replies went back so since the last wake-up. A
     * sleeping loop woken once per batch of pipelined scripts was a sixth of the CPU per script.
     */
    public boolean mayDeferWakeup() {
        return quietReplies < MAX_QUIET_REPLIES && moreWork();
    }

    /** More hand-offs wait to run after the current one (script thread). */
    public boolean moreWork() {
        return followingInPass > 0 || queued();
    }

    /** A reply went back to {@code loop} without waking it (script thread): {@link #wakeDeferred} will. */
    public void deferredWakeup(Executor loop) {
        quietReplies++;
        if (!unwoken.contains(loop)) unwoken.add(loop);
    }

    /**
     * Wakes the event loops that replies went back to quietly (script thread): when the queue runs dry, before a
     * reply that may not wait, and from the kill hook of a script that runs long, so a slow script behind them
     * holds no earlier reply back.
     */
    public void wakeDeferred() {
        quietReplies = 0;
        if (unwoken.isEmpty()) return;
        for (Executor loop : unwoken) {
            try {
                loop.execute(NOTHING);
            } catch (RejectedExecutionException e) {
                // a loop that refuses tasks is stopping: its replies no longer matter
            }
        }
        unwoken.clear();
    }

    /** Another task waits on the script thread's queue. */
    public boolean queued() {
        return !thread.getQueue().isEmpty();
    }

    private volatile boolean denyNoscript = true;

    /** Whether scripts are refused commands flagged noscript (DEBUG SET-DISABLE-DENY-SCRIPTS turns it off). */
    public boolean deniesNoscript() {
        return denyNoscript;
    }

    public void denyNoscript(boolean deny) {
        denyNoscript = deny;
    }

    // ---- what runs now -------------------------------------------------------------------------------------

    /**
     * A script is queued or running: other clients' commands wait (or get BUSY past the threshold). Set by the
     * event loop that hands a script over ({@link #enter}), before the script thread takes any lock, so no event
     * loop ever blocks on the script's locks.
     */
    public boolean running() {
        return pending > 0;
    }

    /** Redis's scriptIsTimedout: running for longer than busy-reply-threshold. */
    public boolean timedOut() {
        ScriptRun r = current;
        long threshold = busyThresholdMillis.getAsLong();
        return r != null && threshold > 0 && r.elapsedMillis() >= threshold;
    }

    /** Milliseconds until the running script times out (0 if it has; -1 when none runs yet or there is no limit). */
    public long untilTimeout() {
        ScriptRun r = current;
        long threshold = busyThresholdMillis.getAsLong();
        if (threshold <= 0) return -1;
        if (r == null) return threshold;
        return Math.max(0, threshold - r.elapsedMillis());
    }

    public ScriptRun current() {
        return current;
    }

    /** A script is handed to the script thread; until {@link #exit}, the gate is closed. */
    public void enter() {
        synchronized (idleWaiters) {
            pending++;
        }
    }

    /** A handed-over script is done (its unit of work committed): when none is left, everything parked may go. */
    public void exit() {
        List<Runnable> waiting;
        synchronized (idleWaiters) {
            if (--pending > 0) return;
            waiting = new ArrayList<>(idleWaiters);
            idleWaiters.clear();
        }
        for (Runnable r : waiting) r.run();
    }

    /** The script starts running (script thread): what SCRIPT KILL and the BUSY check look at. */
    public void begin(ScriptRun run) {
        current = run;
    }

    /** The script stopped running. */
    public void end() {
        current = null;
    }

    /** No request waits for the gate to open, so a new script may queue behind the running ones without jumping one. */
    public boolean mayQueue() {
        synchronized (idleWaiters) {
            return idleWaiters.isEmpty();
        }
    }

    /** Calls back once no script is queued or running (at once if none is). */
    public void whenIdle(Runnable callback) {
        synchronized (idleWaiters) {
            if (pending > 0) {
                idleWaiters.add(callback);
                return;
            }
        }
        callback.run();
    }

    /**
     * SCRIPT KILL ({@code eval}) and FUNCTION KILL: null when the running script will stop, else Redis's error
     * (NOTBUSY, UNKILLABLE, or the BUSY text that names the other KILL).
     */
    public String kill(boolean eval) {
        ScriptRun r = current;
        if (r == null) return "NOTBUSY No scripts in execution right now.";
        if (r.wrote()) {
            return "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either "
                    + "wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";
        }
        if (eval && !r.eval()) return busyError(false);
        if (!eval && r.eval()) return busyError(true);
        r.requestKill();
        return null;
    }

    /** The BUSY error for the running script's kind. */
    public static String busyError(boolean eval) {
        return "BUSY Redis is busy running a script. You can only call " + (eval ? "SCRIPT KILL" : "FUNCTION KILL")
                + " or SHUTDOWN NOSAVE.";
    }

    // ---- the EVAL cache (script thread only, but for exists) --------------------------------------------------

    public boolean exists(String sha) {
        return cache.containsKey(sha);
    }

    public EvalScript cached(String sha) {
        return cache.get(sha);
    }

    /** What a script command's script declares; null when it is not known here (an EVALSHA of no cached script). */
    private record Declared(boolean compat, boolean noWrites, boolean allowOom) {}

    private Declared declared(String command, byte[][] args) {
        if (args.length < 2) return null;
        boolean readOnly = command.endsWith("_ro"); // EVAL_RO and friends never write, whatever they declare
        try {
            switch (command) {
                case "eval", "eval_ro" -> {
                    ScriptFlags f = ScriptFlags.parse(args[1]);
                    return new Declared(f.compat(), f.noWrites() || readOnly, f.allowOom());
                }
                case "evalsha", "evalsha_ro" -> {
                    EvalScript s = cache.get(new String(args[1], java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase());
                    if (s == null) return null;
                    return new Declared(s.flags().compat(), s.flags().noWrites() || readOnly, s.flags().allowOom());
                }
                case "fcall", "fcall_ro" -> {
                    Functions.Function f = functions.function(new String(args[1], java.nio.charset.StandardCharsets.UTF_8));
                    if (f == null) return null;
                    return new Declared(false, f.has("no-writes") || readOnly, f.has("allow-oom"));
                }
                default -> {
                    return null;
                }
            }
        } catch (ScriptFlags.Invalid e) {
            return null;
        }
    }

    /**
     * Whether EVAL's body, EVALSHA's cached script or FCALL's function declares no-writes (Redis's
     * evalGetCommandFlags / fcallGetCommandFlags), so CLIENT PAUSE WRITE lets it run; false when unknown.
     */
    public boolean declaresNoWrites(String command, byte[][] args) {
        Declared d = declared(command, args);
        return d != null && d.noWrites();
    }

    /**
     * Whether the script may grow the dataset, so it is refused while memory is over maxmemory (Redis's
     * scriptFlagsToCmdFlags adding CMD_DENYOOM): a script that declares flags, unless they say no-writes or
     * allow-oom. A script without flags (or unknown here) is judged by its calls instead.
     */
    public boolean deniedOnOom(String command, byte[][] args) {
        Declared d = declared(command, args);
        return d != null && !d.compat() && !d.allowOom() && !d.noWrites();
    }

    /** Whether the script declares flags without no-writes (Redis adds CMD_WRITE); a script without flags does not. */
    public boolean declaresWrites(String command, byte[][] args) {
        Declared d = declared(command, args);
        return d != null && !d.compat() && !d.noWrites();
    }

    /**
     * The cached script with this body, compiling it first if new (EVAL, SCRIPT LOAD).
     *
     * @throws ScriptFlags.Invalid for a shebang Redis refuses
     * @throws IllegalArgumentException with Redis's "Error compiling script" text for a body that does not compile
     */
    public EvalScript load(byte[] body) {
        String sha = Sha1.hex(body);
        EvalScript s = cache.get(sha);
        if (s != null) return s;
        ScriptFlags flags = ScriptFlags.parse(body);
        int ref;
        try {
            ref = eval().compile(body, flags.shebangLength());
        } catch (ScriptError e) {
            throw new IllegalArgumentException("Error compiling script (new function): " + e.getMessage());
        }
        s = new EvalScript(sha, body, flags, ref);
        cache.put(sha, s);
        cachedBytes += body.length + 40 + 64;
        measure();
        return s;
    }

    /** SCRIPT FLUSH: the cache and the Lua state that holds the compiled scripts, gone. */
    public void flush() {
        cache.clear();
        cachedBytes = 0;
        if (eval != null) {
            eval.close();
            eval = null;
        }
        evalMemory = 0;
    }

    public int cachedScripts() {
        return cache.size();
    }

    /** INFO's used_memory_scripts_eval: the cached bodies and their names. */
    public long cachedScriptBytes() {
        return cachedBytes;
    }

    /**
     * INFO's used_memory_lua: the EVAL state's Lua heap as the script thread last measured it (a Lua state is not
     * for two threads, and INFO runs on an event loop).
     */
    public long luaMemory() {
        return evalMemory;
    }

    /** Records the states' heap sizes; on the script thread, after each run and load. */
    public void measure() {
        evalMemory = eval == null ? 0 : eval.memory();
        functions.measure();
    }

    /** Runs a cached script (script thread, inside the run's unit of work) and returns its reply. */
    public Reply run(EvalScript script, byte[][] keys, byte[][] argv, ScriptHost host) {
        int hook = busyThresholdMillis.getAsLong() > 0 ? HOOK_INSTRUCTIONS : 0;
        LuaRuntime lua = eval();
        Reply r = lua.run(script.ref(), keys, argv, script.sha(), host, hook);
        if (++runs % GC_PERIOD == 0) lua.gcStep();
        evalMemory = lua.memory();
        return r;
    }

    /**
     * Loads the libraries stored with the data (a restart of the chronicle engine), on the script thread before any
     * command can run a function there.
     */
    public void restoreFunctions(byte[] stored, java.util.function.Consumer<String> onFailure) {
        if (stored == null) return;
        submit(() -> functions.deserialize(stored).forEach(onFailure));
    }

    /**
     * The libraries of a loaded RDB file, on the script thread: after dropping every library when {@code flushFirst}
     * (a reload that emptied the dataset), each replaces any of its name; then {@code afterwards} runs (storing
     * them with the data). A library that fails to compile is reported to {@code onFailure} and skipped.
     *
     * <p>The caller waits for it (so FUNCTION STATS and INFO, which read off the script thread, see the libraries
     * once the load has answered), but at most {@link #LOAD_WAIT_SECONDS}: a caller holding every shard must not
     * wait forever on a script thread that a racing script has blocked on those shards.
     */
    public void loadLibraries(List<byte[]> codes, boolean flushFirst, java.util.function.Consumer<String> onFailure,
                              Runnable afterwards) {
        java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> {
            if (flushFirst) functions.flush();
            for (byte[] code : codes) {
                try {
                    functions.load(code, true);
                } catch (Functions.Refused e) {
                    onFailure.accept(e.getMessage());
                }
            }
            afterwards.run();
        }, null);
        submit(task);
        try {
            task.get(LOAD_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            onFailure.accept("the script thread is busy; the libraries load when it is free");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            onFailure.accept(String.valueOf(e.getCause()));
        }
    }

    private static final int LOAD_WAIT_SECONDS = 5;

    /** The FUNCTION libraries (changed on the script thread only). */
    public Functions functions() {
        return functions;
    }

    /** Runs a function (FCALL) on the script thread, inside the caller's unit of work, and returns its reply. */
    public Reply call(Functions.Function f, byte[][] keys, byte[][] args, ScriptHost host) {
        int hook = busyThresholdMillis.getAsLong() > 0 ? HOOK_INSTRUCTIONS : 0;
        Reply r = functions.call(f, keys, args, host, hook);
        functions.measure();
        return r;
    }

    private LuaRuntime eval() {
        if (eval == null) eval = new LuaRuntime(false);
        return eval;
    }

    /** Frees the Lua state on its own thread and stops the thread (a script still running is left to the process's end). */
    @Override
    public void close() {
        try {
            thread.execute(() -> {
                flush();
                functions.flush();
            });
        } catch (RuntimeException e) {
            return; // already closed
        }
        thread.shutdown();
        try {
            thread.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
