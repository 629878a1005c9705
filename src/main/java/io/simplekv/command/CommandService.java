package io.simplekv.command;

import io.netty.buffer.ByteBuf;
import io.simplekv.keyspace.UnitOfWork;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.protocol.RespWriter;
import io.simplekv.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;

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

    CommandService(ServerContext server) {
        this.server = server;
        this.table = server.commands();
        this.blocking = server.blocking();
        this.waits = new Waits(server.keyspace(), blocking, this);
        this.exec = table.lookup("exec");
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
        client.unwatchAll();
    }

    public void execute(Session client, byte[][] args, ReplySink out) {
        CommandSpec spec = table.lookup(args[0]);
        if (spec == null) {
            server.stats().unknownCommands.increment();
            client.failMulti();
            reject(out, null, unknownCommand(args));
            return;
        }
        if (spec.isContainer() && args.length >= 2) {
            CommandSpec sub = table.subcommand(spec, args[1]);
            if (sub == null) {
                server.stats().unknownCommands.increment();
                client.failMulti();
                reject(out, null, "ERR unknown subcommand '" + truncated(args[1]) + "'. Try "
                        + spec.name.toUpperCase() + " HELP.");
                return;
            }
            spec = sub;
        }
        if (!spec.arityAccepts(args.length)) {
            client.failMulti();
            reject(out, spec, "ERR wrong number of arguments for '" + spec.fullName + "' command");
            return;
        }
        // Before auth, as in Redis: a protected command is refused to everyone the config doesn't allow.
        if (spec.has(ExecutionTrait.PROTECTED) && !protectedAllowed(client)) {
            client.failMulti();
            reject(out, spec, "ERR " + spec.name.toUpperCase() + " command not allowed. If the enable-" + spec.name
                    + "-command option is set to \"local\", you can run it from a local connection, otherwise you need"
                    + " to set this option in the configuration file, and then restart the server.");
            return;
        }
        if (!client.authenticated() && !spec.has(CommandFlag.NO_AUTH)) {
            client.failMulti();
            reject(out, spec, NOAUTH);
            return;
        }
        // After arity and auth, as in Redis: a subscribed RESP2 connection's replies are message streams.
        if (!spec.has(ExecutionTrait.SUBSCRIBED_OK) && client.protocolVersion() == 2 && client.subscriptions().any()) {
            reject(out, spec, "ERR Can't execute '" + spec.fullName
                    + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        // As Redis refuses a denyoom command when memory is full: here when the engine can't grow (disk full).
        if (spec.has(CommandFlag.DENYOOM)) {
            String refusal = server.keyspace().engine().writeRefusal();
            if (refusal != null) {
                client.failMulti();
                reject(out, spec, "ERR " + refusal);
                return;
            }
        }
        if (client.inMulti() && !spec.has(ExecutionTrait.NOT_QUEUED)) {
            if (spec.has(CommandFlag.NO_MULTI)) {
                client.failMulti();
                reject(out, spec, "ERR Command not allowed inside a transaction");
                return;
            }
            client.queue(args);
            out.simple("QUEUED");
            return;
        }
        client.lastCommand(spec.fullName);
        run(spec, client, args, out);
        if (blocking.anyReady()) waits.serveReady();
    }

    /** Redis's allowProtectedAction: "yes" for everyone, "local" for loopback clients only. */
    private boolean protectedAllowed(Session client) {
        String allowed = server.config().get("enable-debug-command");
        return allowed.equals("yes") || (allowed.equals("local") && client.isLocal());
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
            for (DbKey w : client.watched()) server.keyspace().db(w.db()).lookup(w.key().array());
            if (client.watchDirty()) {
                out.nullArray();
                return;
            }
            out.array(queued.size());
            client.denyBlocking(true);
            for (byte[][] args : queued) {
                CommandSpec spec = specOf(args);
                client.lastCommand(spec.fullName);
                run(spec, client, args, out);
            }
        } finally {
            client.denyBlocking(false);
            client.unwatchAll();
        }
    }

    /** The unit a top-level request runs in: its own keys, or for EXEC every key of its queue and watch list. */
    private UnitOfWork unitFor(CommandSpec spec, Session client, byte[][] args) {
        UnitOfWork unit = server.keyspace().unit();
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
     * A served waiter's command, run again on the serving thread for the waiter's session; returns its reply, or
     * null when it found nothing after all and keeps waiting.
     */
    ByteBuf reprocess(BlockedClient w) {
        Session client = w.client();
        RespWriter out = new RespWriter(client.link().alloc().buffer(64));
        client.reprocessing(true);
        client.blockedAgain(false);
        try {
            run(specOf(w.request()), client, w.request(), out);
        } finally {
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
        try {
            if (own) {
                unit = unitFor(spec, client, args);
                client.unit(unit);
            }
            if (write && !client.reprocessing()) client.wroteInBatch(true);
            spec.handler.execute(client, args, out);
        } catch (RuntimeException e) {
            failed = true;
            if (e instanceof StorageException) server.keyspace().space().writeFailed();
            replyFailure(spec, e, out, mark);
        } finally {
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

    private void count(CommandSpec spec, long nanos, boolean failed) {
        spec.stats.calls.increment();
        spec.stats.nanos.add(nanos);
        if (failed) spec.stats.failedCalls.increment();
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
        if (e instanceof RedisError) {
            out.error(e.getMessage());
            server.stats().countError(e.getMessage());
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

    private void reject(ReplySink out, CommandSpec spec, String message) {
        if (spec != null) spec.stats.rejectedCalls.increment();
        server.stats().countError(message);
        out.error(message);
    }

    /** Redis's text: the name and up to 128 characters of arguments, each quoted and followed by a space. */
    static String unknownCommand(byte[][] args) {
        StringBuilder a = new StringBuilder();
        for (int i = 1; i < args.length && a.length() < 128; i++) {
            String s = new String(args[i], StandardCharsets.ISO_8859_1);
            int room = 128 - a.length();
            a.append('\'').append(s, 0, Math.min(s.length(), room)).append("' ");
        }
        return "ERR unknown command '" + truncated(args[0]) + "', with args beginning with: " + a;
    }

    private static String truncated(byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        return s.length() > 128 ? s.substring(0, 128) : s;
    }
}
