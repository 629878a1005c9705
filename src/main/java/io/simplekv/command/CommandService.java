package io.simplekv.command;

import io.netty.buffer.ByteBuf;
import io.simplekv.acl.AclLog;
import io.simplekv.acl.User;
import io.simplekv.keyspace.UnitOfWork;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.protocol.RespWriter;
import io.simplekv.replication.ReplicationFeed;
import io.simplekv.scripting.Reply;
import io.simplekv.scripting.ReplyCollector;
import io.simplekv.scripting.ScriptRun;
import io.simplekv.scripting.Scripts;
import io.simplekv.storage.StorageException;
import io.simplekv.tracking.Tracking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Runs one request the way Redis's processCommand and call() do: look the name up, check arity, protection and
 * auth, queue it inside MULTI, else run it in a unit of work over its keys, count it for commandstats, feed the
 * slow log and MONITOR, then serve the clients its writes unblocked. An error thrown by a handler replaces whatever
 * it had half-written, so a reply is always one whole value. Every command, EXEC, served blocked client (and later
 * script) comes through here; nothing else opens a unit of work for a command.
 */
public final class CommandService {
    private static final Logger log = LoggerFactory.getLogger(CommandService.class);
    private static final String NOAUTH = "NOAUTH Authentication required.";

    private final ServerContext server;
    private final CommandTable table;
    private final BlockedKeys blocking;
    private final Waits waits;
    private final CommandSpec exec;
    private final Scripts scripts;
    /** How many pipelined scripts of one client cross to the script thread together, at most. */
    private static final int MAX_SCRIPT_BATCH = 64;
    /** Used on the script thread only. */
    private final KeyspaceHold hold;
    private final Tracking tracking;
    private final ClientPause pause;
    private final ReplicationFeed replication;
    /** The engine stages writes, so commands of one read batch gain by committing together. */
    private final boolean deferring;

    CommandService(ServerContext server) {
        this.server = server;
        this.table = server.commands();
        this.blocking = server.blocking();
        this.waits = new Waits(server.keyspace(), blocking, this);
        this.exec = table.lookup("exec");
        this.scripts = server.scripts();
        this.hold = new KeyspaceHold(server.keyspace());
        this.tracking = server.tracking();
        this.pause = server.pause();
        this.replication = server.replication();
        this.deferring = server.keyspace().engine().stagesWrites();
    }

    public Waits waits() {
        return waits;
    }

    /** The client went away: it leaves every registry it may be in. */
    public void disconnected(Session client) {
        server.clients().remove(client);
        server.pubsub().unsubscribeAll(client);
        waits.disconnected(client);
        server.monitors().remove(client);
        if (client.replica() != null) server.replication().detach(client.replica());
        client.unwatchAll();
        tracking.disable(client);
        pause.forget(client);
    }

    /**
     * After a request's reply is in the client's output (CLIENT REPLY applied): the invalidations its command
     * caused for itself follow it, as Redis's trackingHandlePendingKeyInvalidations.
     */
    public void afterReply(Session client) {
        afterCommand(client, false);
    }

    /** As {@link #afterReply}, for a reply handed to the client's event loop to write (a served wait). */
    void afterResume(Session client) {
        afterCommand(client, true);
    }

    /** Every command pays only tracking's idle check; the CLIENT CACHING bookkeeping runs while someone tracks. */
    private void afterCommand(Session client, boolean afterResume) {
        if (!tracking.idleFor(client)) tracking.afterCommand(client, keepsCaching(client), afterResume);
    }

    /** CLIENT CACHING lasts one command, but not across a MULTI and not past a CLIENT command (Redis's resetClient). */
    private static boolean keepsCaching(Session client) {
        return client.inMulti() || client.lastCommand().startsWith("client|");
    }

    /**
     * Runs one request of a client. False when it did nothing because a script holds the server: the caller holds
     * the request back and runs it again once {@link #whenAllowed} calls back (nothing was written).
     */
    public boolean execute(Session client, byte[][] args, ReplySink out) {
        return execute(client, args, out, null);
    }

    /**
     * As {@link #execute(Session, byte[][], ReplySink)}, for a request with more of the client's requests behind
     * it: when this one goes to the script thread, the script requests right behind it go along (they are taken
     * off {@code followers}) and run there one after another, their replies coming back in one piece, so a
     * pipeline of scripts crosses threads once, not once per script.
     */
    public boolean execute(Session client, byte[][] args, ReplySink out, Deque<byte[][]> followers) {
        if (tracking.clients() > 0) tracking.limit();
        CommandSpec spec = table.lookup(args[0]);
        // Redis reads nothing while a script runs, until busy-reply-threshold: then it answers. Another script
        // needs no wait: it queues on the script thread behind the running one, unless other requests already
        // wait for the gate (they would starve behind an endless stream of scripts).
        boolean behindScript = false;
        if (scripts.running() && !scripts.onScriptThread() && !scripts.timedOut()) {
            if (spec == null || !spec.has(ExecutionTrait.RUNS_SCRIPT) || client.inMulti() || !scripts.mayQueue()) {
                return false;
            }
            behindScript = true;
        }
        if (spec == null) {
            server.stats().unknownCommands.increment();
            client.failMulti();
            reject(client, out, null, unknownCommand(args));
            return true;
        }
        if (spec.isContainer() && args.length >= 2) {
            CommandSpec sub = table.subcommand(spec, args[1]);
            if (sub == null) {
                server.stats().unknownCommands.increment();
                client.failMulti();
                reject(client, out, null, "ERR unknown subcommand '" + truncated(args[1]) + "'. Try "
                        + spec.name.toUpperCase() + " HELP.");
                return true;
            }
            spec = sub;
        }
        if (!spec.arityAccepts(args.length)) {
            client.failMulti();
            reject(client, out, spec, "ERR wrong number of arguments for '" + spec.fullName + "' command");
            return true;
        }
        // Before auth, as in Redis: a protected command is refused to everyone the config doesn't allow.
        if (spec.has(ExecutionTrait.PROTECTED) && !protectedAllowed(client)) {
            client.failMulti();
            reject(client, out, spec, "ERR " + spec.name.toUpperCase() + " command not allowed. If the enable-" + spec.name
                    + "-command option is set to \"local\", you can run it from a local connection, otherwise you need"
                    + " to set this option in the configuration file, and then restart the server.");
            return true;
        }
        if (!client.authenticated() && !spec.has(CommandFlag.NO_AUTH) && server.acl().authRequired()) {
            client.failMulti();
            reject(client, out, spec, NOAUTH);
            return true;
        }
        // ACL, after auth as in Redis's processCommand. The default user allows everything: one test, no more.
        User user = client.user();
        if (!user.unrestricted()) {
            AclCheck.Denial denial = AclCheck.check(user.rules(), spec, args);
            if (denial != null) {
                client.lastCommand(spec.fullName); // Redis's lastcmd is set at lookup: the log's cmd= names it
                logDenial(client, denial, spec, args, client.inMulti() ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL);
                client.failMulti();
                reject(client, out, spec, denial.message(spec));
                return true;
            }
        }
        // Redis flags a MONITOR client as a replica, and a replica may not touch the keyspace (its reads, writes, or
        // what may replicate): the feed is all it gets, plus the commands that leave data alone.
        if (server.monitors().contains(client) && touchesKeyspace(spec)) {
            client.failMulti();
            reject(client, out, spec, "ERR Replica can't interact with the keyspace");
            return true;
        }
        // After arity and auth, as in Redis: a subscribed RESP2 connection's replies are message streams.
        if (!spec.has(ExecutionTrait.SUBSCRIBED_OK) && client.protocolVersion() == 2 && client.subscriptions().any()) {
            reject(client, out, spec, "ERR Can't execute '" + spec.fullName
                    + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return true;
        }
        // Replication's refusals, in Redis's processCommand order: min-replicas-to-write (no replica here ever
        // acknowledges, so none counts as good), a read-only replica (only its master writes), a stale replica.
        io.simplekv.command.server.MasterLink master = server.masterLink();
        if (master == null && server.config().minReplicasToWrite > 0 && !client.obeysMaster() && writes(spec, client, args)) {
            client.failMulti();
            reject(client, out, spec, "NOREPLICAS Not enough good replicas to write.");
            return true;
        }
        if (master != null && !client.obeysMaster() && "yes".equals(server.config().get("replica-read-only"))
                && writes(spec, client, args)) {
            client.failMulti();
            reject(client, out, spec, "READONLY You can't write against a read only replica.");
            return true;
        }
        if (master != null && master.state() != io.simplekv.command.server.MasterLink.State.CONNECTED
                && "no".equals(server.config().get("replica-serve-stale-data")) && deniedWhenStale(spec, client)) {
            client.failMulti();
            reject(client, out, spec, "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
            return true;
        }
        // Redis's processCommand: over maxmemory, keys are evicted first, and a command that may grow the dataset is
        // refused when that was not enough. Not inside a unit (a script's commands): eviction takes its own locks.
        // A replica leaves eviction to its master (replica-ignore-maxmemory), and the master's client is obeyed.
        if (server.config().maxmemory > 0 && client.unit() == null && !client.obeysMaster()
                && !(server.masterLink() != null && "yes".equals(server.config().get("replica-ignore-maxmemory")))
                && !server.makeRoom() && growsDataset(spec, client, args)) {
            client.failMulti();
            reject(client, out, spec, "OOM command not allowed when used memory > 'maxmemory'.");
            return true;
        }
        // As Redis refuses a denyoom command when memory is full: here when the engine can't grow (disk full).
        if (spec.has(CommandFlag.DENYOOM)) {
            String refusal = server.keyspace().engine().writeRefusal();
            if (refusal != null) {
                client.failMulti();
                reject(client, out, spec, "ERR " + refusal);
                return true;
            }
        }
        // Past the threshold only what may run beside a busy script does (SCRIPT KILL, SHUTDOWN NOSAVE...).
        if (!behindScript && scripts.running() && !scripts.onScriptThread() && !spec.has(CommandFlag.ALLOW_BUSY)) {
            ScriptRun busy = scripts.current();
            client.failMulti(); // a refused command dooms the transaction, as Redis's rejectCommand flags it
            reject(client, out, spec, Scripts.busyError(busy == null || busy.eval()));
            return true;
        }
        // CLIENT PAUSE: the request waits, as Redis's blockPostponeClient (a MONITOR, a replica to Redis, never does).
        if (pause.active() && !server.monitors().contains(client) && pause.holds(changesData(spec, client, args))) {
            client.heldByPause(true);
            return false;
        }
        if (client.inMulti() && !spec.has(ExecutionTrait.NOT_QUEUED)) {
            if (spec.has(CommandFlag.NO_MULTI)) {
                client.failMulti();
                reject(client, out, spec, "ERR Command not allowed inside a transaction");
                return true;
            }
            client.queue(args);
            out.simple("QUEUED");
            return true;
        }
        client.lastCommand(spec.fullName);
        if (runsScript(spec, client) && !scripts.onScriptThread()) {
            runOnScriptThread(spec, client, args, scriptsAmong(followers));
            return true;
        }
        Object entered = tracking.enter(client);
        try {
            run(spec, client, args, out);
        } finally {
            tracking.leave(entered);
        }
        if (blocking.anyReady() && !scripts.running()) waits.serveReady();
        return true;
    }

    /**
     * Calls back once the request execute() refused may run: the pause is over, or no script is queued or running.
     * The caller holds back its requests until then.
     */
    public void whenAllowed(Session client, Runnable callback) {
        if (client.heldByPause()) {
            client.heldByPause(false);
            pause.whenLifted(client, callback);
        } else {
            scripts.whenIdle(callback);
        }
    }

    /** Milliseconds after which a refused request should be tried again (-1: only when called back). */
    public long retryMillis(Session client) {
        return pause.waiting(client) ? pause.remainingMillis() : scripts.untilTimeout();
    }

    /**
     * Whether a request may change data, for CLIENT PAUSE WRITE (Redis's is_may_replicate_command): a write or a
     * may_replicate command, a script unless its flags say no-writes, an EXEC whose queue holds one of those.
     */
    private boolean changesData(CommandSpec spec, Session client, byte[][] args) {
        if (spec == exec && client.inMulti()) {
            for (byte[][] q : client.queued()) if (changesData(specOf(q), client, q)) return true;
            return false;
        }
        if (!spec.mayReplicate()) return false;
        return !spec.has(ExecutionTrait.RUNS_SCRIPT) || !scripts.declaresNoWrites(spec.name, args);
    }

    /** Redis's is_denystale_command: not flagged stale, or an EXEC with such a command queued. */
    private boolean deniedWhenStale(CommandSpec spec, Session client) {
        if (!spec.has(CommandFlag.STALE)) return true;
        return spec == exec && anyQueued(client, (q, a) -> !q.has(CommandFlag.STALE));
    }

    /** Redis's is_write_command: a write, a script whose flags say it may write, or an EXEC with one queued. */
    private boolean writes(CommandSpec spec, Session client, byte[][] args) {
        if (spec.has(CommandFlag.WRITE)) return true;
        if (spec.has(ExecutionTrait.RUNS_SCRIPT)) return scripts.declaresWrites(spec.name, args);
        return spec == exec && anyQueued(client, (q, a) -> writes(q, client, a));
    }

    /** Redis's is_denyoom_command: a denyoom command, a script whose flags make it one, or an EXEC with one queued. */
    private boolean growsDataset(CommandSpec spec, Session client, byte[][] args) {
        if (spec.has(CommandFlag.DENYOOM)) return true;
        if (spec.has(ExecutionTrait.RUNS_SCRIPT)) return scripts.deniedOnOom(spec.name, args);
        return spec == exec && anyQueued(client, (q, a) -> growsDataset(q, client, a));
    }

    /** Whether a command queued by the client's MULTI (none outside one) passes the test: what EXEC will run. */
    private boolean anyQueued(Session client, java.util.function.BiPredicate<CommandSpec, byte[][]> test) {
        if (!client.inMulti()) return false;
        for (byte[][] q : client.queued()) if (test.test(specOf(q), q)) return true;
        return false;
    }

    /** A script command (EVAL, FCALL...) or an EXEC with one in its queue: it must run on the script thread. */
    private boolean runsScript(CommandSpec spec, Session client) {
        if (spec.has(ExecutionTrait.RUNS_SCRIPT)) return true;
        if (spec != exec || !client.inMulti() || client.multiFailed()) return false;
        for (byte[][] q : client.queued()) if (specOf(q).has(ExecutionTrait.RUNS_SCRIPT)) return true;
        return false;
    }

    /**
     * Hands the command to the script thread: the client is suspended (its later requests wait) and the gate is
     * closed before this returns, so no event loop blocks on the script's locks; the reply comes back when the
     * script's unit of work has committed.
     */
    private void runOnScriptThread(CommandSpec spec, Session client, byte[][] args, List<byte[][]> followers) {
        client.suspend();
        scripts.enter();
        scripts.submitAfterThisPass(() -> {
            RespWriter reply = new RespWriter(client.link().alloc().buffer(64), client.protocolVersion());
            Object entered = tracking.enter(client);
            boolean stored = true;
            try {
                hold.enter();
                // The hand-off holds every shard, so its scripts may share one commit (chronicle), made before their
                // reply or a waiter they served sees their writes: a group commit, as a read batch's commands have,
                // and under the same conditions (no keyspace events or replicas, which are told of a write at once).
                boolean grouped = commitsMayGroup();
                if (grouped) server.keyspace().engine().begin();
                try {
                    run(spec, client, args, reply);
                    dropIfOff(client, reply, 0);
                    for (byte[][] next : followers) {
                        int mark = reply.buffer().writerIndex();
                        reply.useProtocol(client.protocolVersion());
                        execute(client, next, reply);
                        dropIfOff(client, reply, mark);
                    }
                } finally {
                    if (grouped) stored = commitScripts(spec);
                }
                if (stored && blocking.anyReady()) waits.serveReady();
            } catch (RuntimeException | Error e) {
                log.error("Script command '{}' failed", spec.fullName, e);
                reply.rewind(0);
                reply.error("ERR internal error while running '" + spec.fullName + "'");
            } finally {
                hold.leave(scripts.moreWork());
                tracking.leave(entered);
                // The reply is on its way before the gate opens, so whoever waits for the gate sees it first.
                if (!stored) {
                    // As for a read batch whose commit failed: none of its replies may go, and the client is closed.
                    reply.buffer().release();
                    client.link().close();
                } else if (scripts.mayDeferWakeup()) {
                    Executor loop = client.link().resumeQuietly(reply.buffer());
                    if (loop != null) scripts.deferredWakeup(loop);
                } else {
                    client.link().resume(reply.buffer());
                    scripts.wakeDeferred();
                }
                afterCommand(client, true);
                scripts.exit();
            }
        }, () -> {
            scripts.exit(); // the script thread is gone (shutdown): nothing will run
            client.link().resume(client.link().alloc().buffer(0));
        }, client.link().loop());
    }

    /** The shared commit of a hand-off's scripts; false (logged) when their writes could not be stored. */
    private boolean commitScripts(CommandSpec spec) {
        try {
            server.keyspace().engine().commit();
            return true;
        } catch (RuntimeException e) {
            server.keyspace().space().writeFailed();
            log.warn("The writes of '{}' and the scripts sent with it could not be stored ({}); their client is closed",
                    spec.fullName, e.toString());
            return false;
        }
    }

    /**
     * EVAL, EVALSHA, FCALL and their _RO forms: a client's handler may hold one back until the end of its read
     * batch, so the scripts pipelined behind it cross to the script thread with it.
     */
    public boolean isScriptCall(byte[][] args) {
        byte[] name = args[0];
        // A look at the first letter spares every other command a second table lookup.
        if (name.length < 4 || ((name[0] | 0x20) != 'e' && (name[0] | 0x20) != 'f')) return false;
        CommandSpec spec = table.lookup(name);
        return spec != null && spec.has(ExecutionTrait.RUNS_SCRIPT) && !spec.isContainer();
    }

    /** CLIENT REPLY OFF or SKIP, for a request that ran here rather than on the client's event loop. */
    private static void dropIfOff(Session client, RespWriter reply, int mark) {
        if (client.dropReplyAndAdvance()) reply.buffer().writerIndex(mark);
    }

    /** The script requests at the head of {@code requests}, taken off it (at most {@link #MAX_SCRIPT_BATCH}). */
    private List<byte[][]> scriptsAmong(Deque<byte[][]> requests) {
        if (requests == null || requests.isEmpty()) return List.of();
        List<byte[][]> taken = new ArrayList<>();
        while (taken.size() < MAX_SCRIPT_BATCH && !requests.isEmpty()) {
            if (!isScriptCall(requests.peekFirst())) break;
            taken.add(requests.pollFirst());
        }
        return taken;
    }

    /** Redis's allowProtectedAction: "yes" for everyone, "local" for loopback clients only. */
    private boolean protectedAllowed(Session client) {
        return server.allows("enable-debug-command", client);
    }

    /** The spec a request names; for a queued or blocked one, queueing already checked that it exists and fits. */
    private CommandSpec specOf(byte[][] args) {
        CommandSpec spec = table.lookup(args[0]);
        return spec.isContainer() && args.length >= 2 ? table.subcommand(spec, args[1]) : spec;
    }

    /**
     * EXEC, inside the unit of work {@link #unitFor} opened over every key its queued commands and watched keys
     * name (or everything, if one of them needs it), so no other client's command runs in between and two EXECs
     * can never deadlock. The queued commands run in that unit; errors stay in place, with no rollback.
     */
    public void exec(Session client, ReplySink out) {
        List<byte[][]> queued = client.endMulti();
        try {
            // Redis 7 treats a watched key that has expired since WATCH as modified.
            for (DbKey w : client.watched()) server.keyspace().db(w.db()).lookupQuietly(w.key().array());
            if (client.watchDirty()) {
                out.nullArray();
                return;
            }
            out.array(queued.size());
            client.denyBlocking(true);
            for (byte[][] args : queued) {
                CommandSpec spec = specOf(args);
                // The rules may have changed since the command was queued (multi.c checks again here).
                User user = client.user();
                AclCheck.Denial denial = user.unrestricted() ? null : AclCheck.check(user.rules(), spec, args);
                if (denial != null) {
                    logDenial(client, denial, spec, args, AclLog.Context.MULTI);
                    out.error("NOPERM ACLs rules changed between the moment the transaction was accumulated and the "
                            + "EXEC call. This command is no longer allowed for the following reason: " + denial.execReason());
                    continue;
                }
                client.lastCommand(spec.fullName);
                run(spec, client, args, out);
            }
        } finally {
            client.denyBlocking(false);
            client.unwatchAll();
        }
    }

    /** The unit a top-level request runs in: its own keys, or for EXEC every key of its queue and watch list. */
    private UnitOfWork unitFor(CommandSpec spec, Session client, byte[][] args, boolean deferrable) {
        UnitOfWork unit = server.keyspace().unit();
        // Beside a busy script (SCRIPT KILL, WATCH...) nothing may wait for the script's locks: an event loop
        // blocked there could never take the SCRIPT KILL that would free them.
        if (scripts.running() && !scripts.onScriptThread()) return unit.open();
        if (deferrable) unit.deferrable();
        if (spec == exec && client.inMulti()) {
            List<byte[][]> queued = client.queued();
            // A transaction already doomed by a queueing error is aborted by EXEC itself, with that reason.
            String refusal = client.multiFailed() ? null : server.keyspace().engine().writeRefusal();
            if (refusal != null && queued.stream().anyMatch(q -> specOf(q).has(CommandFlag.DENYOOM))) {
                client.endMulti();
                client.unwatchAll();
                throw new RedisError("EXECABORT Transaction discarded because of: ERR " + refusal);
            }
            for (byte[][] q : queued) addKeys(unit, specOf(q), q);
            for (DbKey w : client.watched()) unit.key(w.key().array());
        } else {
            addKeys(unit, spec, args);
        }
        return unit.open();
    }

    /**
     * Whether a client's command may leave its commit to the end of its read batch (see {@link
     * io.simplekv.keyspace.Keyspace#deferCommits}): only one whose effects reach no one else before that commit. Not
     * a waiter's command run again, EXEC, a script, a blocking or pub/sub command (their replies or messages go to
     * other clients), nor while keyspace events are published or replicas are fed (both send a write on at once).
     */
    private boolean defers(CommandSpec spec, Session client) {
        return commitsMayGroup() && !client.reprocessing() && !client.isScript() && spec != exec
                && !spec.has(ExecutionTrait.RUNS_SCRIPT) && !spec.has(CommandFlag.BLOCKING) && !spec.has(CommandFlag.PUBSUB);
    }

    /**
     * Whether several units' writes may share one commit at all (a read batch's commands, a hand-off's scripts): the
     * engine stages writes, and nobody is told of a write as it happens (keyspace events, replicas).
     */
    private boolean commitsMayGroup() {
        return deferring && !replication.active() && !server.events().any();
    }

    /** A read batch of {@code owner} starts on this thread: its commands may share one commit (chronicle). */
    public void beginReadBatch(Object owner) {
        if (deferring) server.keyspace().deferCommits(owner);
    }

    /**
     * The read batch ends: what its commands deferred is committed. False when that failed, and none of the
     * batch's replies may be sent.
     */
    public boolean endReadBatch(Object owner) {
        if (!deferring) return true;
        boolean stored = server.keyspace().endDeferral(owner);
        if (!stored) server.keyspace().space().writeFailed();
        return stored;
    }

    private static void addKeys(UnitOfWork unit, CommandSpec spec, byte[][] args) {
        if (spec.needsEveryLock(args)) {
            unit.everything();
        } else if (spec.hasMovableKeys()) {
            for (int i : spec.keyPositions(args)) unit.key(args[i]);
        } else if (spec.firstKey > 0) {
            // A legacy range past the request's end names no key there, as Redis's getKeysUsingLegacyRangeSpec.
            int last = Math.min(spec.lastKeyIndex(args.length), args.length - 1);
            for (int i = spec.firstKey; i <= last; i += spec.keyStep) unit.key(args[i]);
        }
    }

    /**
     * redis.call and redis.pcall (Redis's scriptCall): runs a command for a script on the script's own session,
     * inside the script's unit of work, with the checks Redis makes for scripts, and returns its reply as a value.
     * A refusal comes back as an error reply, counted as a rejected call.
     */
    public Reply callFromScript(Session caller, Session scriptSession, ScriptRun run, byte[][] args) {
        ReplyCollector out = new ReplyCollector(run.resp());
        CommandSpec spec = table.lookup(args[0]);
        // lookupCommandLogic: a container alone is itself; with a second word, that subcommand or nothing.
        if (spec != null && spec.isContainer() && args.length >= 2) spec = table.subcommand(spec, args[1]);
        String refusal = null;
        if (spec == null) refusal = "Unknown Redis command called from script";
        else if (!spec.arityAccepts(args.length)) refusal = "Wrong number of args calling Redis command from script";
        else if (spec.has(CommandFlag.NOSCRIPT) && scripts.deniesNoscript()) refusal = "This Redis command is not allowed from script";
        else if ((refusal = scriptAclRefusal(caller, spec, args)) != null) {
            server.stats().countError("ERR");
            spec.stats.rejectedCalls.increment();
            return new Reply.Error("ERR " + refusal);
        }
        else if (run.readOnly() && spec.mayReplicate()) refusal = "Write commands are not allowed from read-only scripts.";
        else if (spec.has(CommandFlag.WRITE) && server.masterLink() == null && server.config().minReplicasToWrite > 0
                && !caller.obeysMaster()) {
            server.stats().countError("NOREPLICAS");
            spec.stats.rejectedCalls.increment();
            return new Reply.Error("NOREPLICAS Not enough good replicas to write.");
        }
        else if (spec.has(CommandFlag.WRITE) && server.masterLink() != null && !caller.obeysMaster()
                && "yes".equals(server.config().get("replica-read-only"))) {
            server.stats().countError("READONLY");
            spec.stats.rejectedCalls.increment();
            return new Reply.Error("READONLY You can't write against a read only replica.");
        }
        else if (spec.has(CommandFlag.DENYOOM) && !run.allowOom() && !run.wrote()) {
            long max = server.config().maxmemory;
            if (max > 0 && server.usedMemory().bytes() > max) {
                // Redis's shared.oomerr, as scriptCall gives it: no ERR in front.
                server.stats().countError("OOM");
                spec.stats.rejectedCalls.increment();
                return new Reply.Error("OOM command not allowed when used memory > 'maxmemory'.");
            }
            String full = server.keyspace().engine().writeRefusal();
            if (full != null) refusal = full;
        }
        if (refusal != null) {
            server.stats().countError("ERR");
            if (spec != null) spec.stats.rejectedCalls.increment();
            return new Reply.Error("ERR " + refusal);
        }
        if (spec.has(CommandFlag.WRITE)) run.markWrote();
        scriptSession.unit(caller.unit());
        scriptSession.user(caller.user()); // Redis's lua client runs as its caller's user
        try {
            scriptSession.lastCommand(spec.fullName);
            run(spec, scriptSession, args, out);
        } finally {
            scriptSession.unit(null);
        }
        // A read inside a script lets the caller cache the keys the script declared, as Redis's call() does.
        if (spec.has(CommandFlag.READONLY) && tracking.remembers(caller)) {
            byte[][] script = run.command();
            tracking.remember(caller, script, specOf(script).keyPositions(script));
        }
        return out.reply();
    }

    /**
     * ACL DRYRUN: null when the user may run the request, else why not, in Redis's words. A request that names no
     * command, or has the wrong number of arguments, is an error.
     */
    public String dryRun(User user, byte[][] args) {
        CommandSpec spec = table.lookup(args[0]);
        if (spec != null && spec.isContainer() && args.length >= 2) spec = table.subcommand(spec, args[1]);
        if (spec == null) throw RedisError.err("Command '" + new String(args[0], StandardCharsets.ISO_8859_1) + "' not found");
        if (!spec.arityAccepts(args.length)) {
            throw RedisError.err("wrong number of arguments for '" + spec.fullName + "' command");
        }
        AclCheck.Denial denial = user.unrestricted() ? null : AclCheck.check(user.rules(), spec, args);
        if (denial == null) return null;
        return switch (denial.reason()) {
            case COMMAND -> "This user has no permissions to run the '" + spec.fullName + "' command";
            case KEY -> "This user has no permissions to access the '"
                    + new String(args[denial.argPos()], StandardCharsets.ISO_8859_1) + "' key";
            default -> "This user has no permissions to access the '"
                    + new String(args[denial.argPos()], StandardCharsets.ISO_8859_1) + "' channel";
        };
    }

    /**
     * redis.acl_check_cmd (ACLCheckAllUserCommandPerm): whether the client's user may run the command with these
     * arguments; null when there is no such command (or subcommand). Arity is not checked, as in Redis.
     */
    public Boolean permits(Session client, byte[][] args) {
        CommandSpec spec = table.lookup(args[0]);
        // lookupCommandLogic: a container alone is itself; with a second word, that subcommand or nothing.
        if (spec != null && spec.isContainer() && args.length >= 2) spec = table.subcommand(spec, args[1]);
        if (spec == null) return null;
        User user = client.user();
        return user.unrestricted() || AclCheck.check(user.rules(), spec, args) == null;
    }

    /** A script's command as its caller's user may not run it (Redis's scriptVerifyACL), or null. */
    private String scriptAclRefusal(Session caller, CommandSpec spec, byte[][] args) {
        User user = caller.user();
        if (user.unrestricted()) return null;
        AclCheck.Denial denial = AclCheck.check(user.rules(), spec, args);
        if (denial == null) return null;
        logDenial(caller, denial, spec, args, AclLog.Context.LUA);
        return denial.scriptMessage();
    }

    /** An ACL LOG entry for a refusal (Redis's addACLLogEntry): the command's name, or the key or channel refused. */
    private void logDenial(Session client, AclCheck.Denial denial, CommandSpec spec, byte[][] args, AclLog.Context context) {
        String object = denial.reason() == AclLog.Reason.COMMAND ? spec.fullName
                : new String(args[denial.argPos()], StandardCharsets.ISO_8859_1);
        server.aclLog().add(denial.reason(), context, object, client.user().name(), client.info(),
                Long.parseLong(server.config().get("acllog-max-len")));
    }

    /**
     * A served waiter's command, run again on the serving thread for the waiter's session; returns its reply, or
     * null when it found nothing after all and keeps waiting.
     */
    ByteBuf reprocess(BlockedClient w) {
        Session client = w.client();
        RespWriter out = new RespWriter(client.link().alloc().buffer(64), client.protocolVersion());
        client.reprocessing(true);
        client.blockedAgain(false);
        Object entered = tracking.enter(client);
        try {
            run(specOf(w.request()), client, w.request(), out);
        } finally {
            tracking.leave(entered);
            client.reprocessing(false);
        }
        if (client.blockedAgain()) {
            out.buffer().release();
            return null;
        }
        return out.buffer();
    }

    private void run(CommandSpec spec, Session client, byte[][] args, ReplySink out) {
        long mark = out.mark();
        long start = System.nanoTime();
        boolean failed = false;
        boolean write = spec.has(CommandFlag.WRITE);
        // Inside EXEC the queued commands share EXEC's unit; anything else opens its own.
        UnitOfWork unit = client.unit();
        boolean own = unit == null;
        // Redis 7 judges TTLs inside a script at the instant it started: nothing expires under it.
        boolean frozen = spec.has(ExecutionTrait.RUNS_SCRIPT) && scripts.onScriptThread();
        if (frozen) server.keyspace().clock().freeze();
        ReplicationFeed.Call call = null;
        long dirtyBefore = 0;
        try {
            if (own) {
                unit = unitFor(spec, client, args, defers(spec, client));
                client.unit(unit);
            }
            // Decided once the shards are held: a replica attaches holding them all, so a command that runs after
            // its snapshot always sees it.
            if (replication.active()) {
                call = replication.enter();
                dirtyBefore = call.dirty();
            }
            if (write && !client.reprocessing()) client.wroteInBatch(true);
            spec.handler.execute(client, args, out);
        } catch (RuntimeException e) {
            failed = true;
            if (e instanceof StorageException) server.keyspace().space().writeFailed();
            replyFailure(spec, e, out, mark);
        } catch (OutOfMemoryError e) {
            // A legal request too big for this heap (SETRANGE to 512 MB under a small -Xmx, a huge reply): the
            // allocation that failed was this command's own, so the client gets an error, not a dropped
            // connection, and everyone else goes on. The wording starts as Redis's maxmemory refusal does.
            failed = true;
            out.rewind(mark);
            String error = "OOM command not allowed when the server is out of memory: '" + spec.fullName
                    + "' needed more than the JVM heap (-Xmx) could give";
            out.error(error);
            server.stats().countError(error);
            log.warn("Command '{}' ran out of memory ({}); replied -OOM", spec.fullName, e.getMessage());
        } finally {
            if (frozen) server.keyspace().clock().thaw();
            if (call != null) propagate(call, spec, client, args, call.dirty() != dirtyBefore);
            else client.takePropagation(args, false); // a rewrite made as a replica attached
            if (own && unit != null) {
                client.unit(null);
                // The command's writes reach storage before its locks are released.
                try {
                    unit.close();
                } catch (RuntimeException e) {
                    failed = true;
                    server.keyspace().space().writeFailed();
                    replyFailure(spec, e, out, mark);
                }
            }
        }
        if (spec.has(CommandFlag.READONLY) && !client.isScript() && tracking.remembers(client)
                && !spec.has(ExecutionTrait.RUNS_SCRIPT) && !spec.has(CommandFlag.PUBSUB)) {
            tracking.remember(client, args, spec.keyPositions(args));
        }
        long nanos = System.nanoTime() - start;
        // A command that parked its client is counted when its wait ends, as Redis's updateStatsOnUnblock does.
        boolean parked = client.reprocessing() ? client.blockedAgain() : client.blocked() != null;
        if (parked) {
            if (client.reprocessing()) out.rewind(mark);
            else observe(spec, client, args, nanos / 1000, false);
            return;
        }
        count(spec, nanos, failed);
        if (client.reprocessing()) slowLog(spec, client, args, nanos / 1000);
        else observe(spec, client, args, nanos / 1000, true);
    }

    /**
     * Redis's call() propagation: a command that changed data (or forced it) goes to the replicas as run or as its
     * rewrite, except EXEC and scripts, whose commands propagate themselves; the outermost call sends the lot.
     */
    private void propagate(ReplicationFeed.Call call, CommandSpec spec, Session client, byte[][] args, boolean changed) {
        byte[][] argv = client.takePropagation(args, changed);
        if (argv != null && spec != exec && !spec.has(ExecutionTrait.RUNS_SCRIPT)) replication.propagate(client.dbIndex(), argv);
        replication.exit(call, !spec.has(ExecutionTrait.TOUCHES_ARBITRARY_KEYS));
    }

    private void count(CommandSpec spec, long nanos, boolean failed) {
        spec.stats.calls.increment();
        spec.stats.nanos.add(nanos);
        spec.stats.recordLatency(nanos);
        if (failed) spec.stats.failedCalls.increment();
        long threshold = server.config().latencyMonitorThreshold;
        if (threshold > 0) {
            server.latency().sample(spec.has(CommandFlag.FAST) ? "fast-command" : "command", nanos / 1_000_000, threshold);
        }
    }

    /** A wait nothing served ended (timeout, CLIENT UNBLOCK, DEBUG SLEEP's end): the command counts as run now. */
    void countUnblocked(BlockedClient w, String error) {
        CommandSpec spec = specOf(w.request());
        long nanos = System.nanoTime() - w.blockedAt();
        if (error != null) server.stats().countError(error);
        // A pause ran for all of its wait, as Redis's DEBUG SLEEP does inside the command: the slow log sees that.
        long micros = w.isPause() ? nanos / 1000 : 0;
        count(spec, w.isPause() ? nanos : 0, error != null);
        slowLog(spec, w.client(), w.request(), micros);
    }

    /** Replaces whatever the command wrote with the error reply its failure deserves, as Redis would word it. */
    private void replyFailure(CommandSpec spec, RuntimeException e, ReplySink out, long mark) {
        out.rewind(mark);
        if (e instanceof RedisError r) {
            out.error(e.getMessage());
            if (!r.counted()) server.stats().countError(e.getMessage());
        } else if (e instanceof StorageException) {
            out.error("ERR " + e.getMessage());
            server.stats().countError("ERR");
            log.warn("Command '{}' refused by the storage engine: {}", spec.fullName, e.getMessage());
        } else {
            log.error("Command '{}' failed", spec.fullName, e);
            out.error("ERR internal error while running '" + spec.fullName + "'");
            server.stats().countError("ERR");
        }
    }

    /**
     * The slow log and MONITOR see a command once it has run, as in Redis's call(): not a rejected one, not one
     * still blocked (the slow log gets that when its wait ends), never an admin command on MONITOR.
     */
    private void observe(CommandSpec spec, Session client, byte[][] args, long micros, boolean slowLog) {
        if (slowLog) slowLog(spec, client, args, micros);
        if (server.monitors().any() && !spec.has(CommandFlag.ADMIN) && !spec.has(CommandFlag.SKIP_MONITOR)) {
            server.monitors().feed(client, SensitiveArgs.redacted(args));
        }
    }

    private void slowLog(CommandSpec spec, Session client, byte[][] args, long micros) {
        var config = server.config();
        if (config.slowlogSlowerThan >= 0 && micros >= config.slowlogSlowerThan && !spec.has(CommandFlag.SKIP_SLOWLOG)) {
            server.slowLog().add(SensitiveArgs.redacted(args), micros, client.address(), client.name(), config.slowlogMaxLen);
        }
    }

    private static boolean touchesKeyspace(CommandSpec spec) {
        return spec.mayReplicate() || spec.has(CommandFlag.READONLY);
    }

    /**
     * A refusal before the command runs. For EXEC it ends the transaction, as Redis's rejectCommand calls
     * execCommandAbort: a client that sent MULTI and EXEC before AUTH gets "-EXECABORT ... because of: NOAUTH ...".
     */
    private void reject(Session client, ReplySink out, CommandSpec spec, String message) {
        if (spec != null && spec.fullName.equals("exec")) {
            if (client.inMulti()) client.endMulti();
            client.unwatchAll();
            message = "EXECABORT Transaction discarded because of: " + message;
        }
        if (spec != null) spec.stats.rejectedCalls.increment();
        server.stats().countError(message);
        out.error(message);
    }

    /** Redis's text: the name and up to 128 characters of arguments, each quoted and followed by a space. */
    static String unknownCommand(byte[][] args) {
        StringBuilder a = new StringBuilder();
        for (int i = 1; i < args.length && a.length() < 128; i++) {
            // Only what is shown is decoded: an argument may be hundreds of megabytes.
            int room = 128 - a.length();
            a.append('\'').append(new String(args[i], 0, Math.min(args[i].length, room), StandardCharsets.ISO_8859_1))
                    .append("' ");
        }
        return "ERR unknown command '" + truncated(args[0]) + "', with args beginning with: " + a;
    }

    private static String truncated(byte[] b) {
        return new String(b, 0, Math.min(b.length, 128), StandardCharsets.ISO_8859_1);
    }
}
