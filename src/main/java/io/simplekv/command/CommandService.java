package io.simplekv.command;

import io.simplekv.keyspace.ShardLocks;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.RespWriter;
import io.simplekv.server.BlockedKeys;
import io.simplekv.server.ClientConnection;
import io.simplekv.server.ServerContext;
import io.simplekv.server.WatchRegistry;
import io.simplekv.storage.StorageEngine;
import io.simplekv.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one request the way Redis's processCommand does: look the name up, check arity, then auth, then lock
 * the shards of the command's keys (in ascending order), call the handler, and count it for commandstats.
 * An error thrown by a handler replaces whatever it had half-written, so a reply is always one whole RESP value.
 */
public final class CommandService {
    private static final Logger log = LoggerFactory.getLogger(CommandService.class);
    private static final String NOAUTH = "NOAUTH Authentication required.";

    private final ServerContext server;
    private final CommandTable table;
    private final ShardLocks locks;

    public CommandService(ServerContext server) {
        this.server = server;
        this.table = server.commands();
        this.locks = server.keyspace().locks();
        this.watches = server.watches();
        this.blocking = server.blocking();
        server.transactions(this);
    }

    private final WatchRegistry watches;
    private final BlockedKeys blocking;

    public void execute(ClientConnection client, byte[][] args, RespWriter out) {
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
        if (blocking.anyReady()) blocking.serveReady(server.keyspace());
    }

    /** The spec a queued request names; queueing already checked that it exists and accepts its arity. */
    private CommandSpec specOf(byte[][] args) {
        CommandSpec spec = table.lookup(args[0]);
        return spec.isContainer() && args.length >= 2 ? table.subcommand(spec, args[1]) : spec;
    }

    /**
     * EXEC: every shard any queued command (or watched key) names is locked first, in ascending order, or every
     * shard if one of them needs all; queued commands then take their own locks again (re-entrant), so no other
     * client's command can run in between and two EXECs can never deadlock. Errors stay in place, no rollback.
     */
    public void exec(ClientConnection client, RespWriter out) {
        List<byte[][]> queued = client.endMulti();
        String refusal = server.keyspace().engine().writeRefusal();
        if (refusal != null && queued.stream().anyMatch(q -> specOf(q).has(CommandFlag.DENYOOM))) {
            client.unwatchAll();
            throw new RedisError("EXECABORT Transaction discarded because of: ERR " + refusal);
        }
        boolean lockAll = false;
        int[] shards = new int[16];
        int n = 0;
        for (byte[][] args : queued) {
            CommandSpec spec = specOf(args);
            if (spec.needsEveryLock(args)) {
                lockAll = true;
                continue;
            }
            for (int i : spec.keyPositions(args)) {
                if (n == shards.length) shards = Arrays.copyOf(shards, n * 2);
                shards[n++] = ShardLocks.shardOf(args[i]);
            }
        }
        for (Object[] w : client.watchedKeys()) {
            if (n == shards.length) shards = Arrays.copyOf(shards, n * 2);
            shards[n++] = ShardLocks.shardOf((byte[]) w[1]);
        }
        if (lockAll) locks.lockEverything();
        else n = lockSorted(shards, n);
        try {
            // Redis 7 treats a watched key that has expired since WATCH as modified.
            for (Object[] w : client.watchedKeys()) server.keyspace().db((Integer) w[0]).lookup((byte[]) w[1]);
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
            if (lockAll) locks.unlockEverything();
            else locks.unlockAll(shards, n);
            client.unwatchAll();
        }
    }

    private int lockSorted(int[] shards, int n) {
        n = ShardLocks.normalize(shards, n);
        locks.lockAll(shards, n);
        return n;
    }

    private void run(CommandSpec spec, ClientConnection client, byte[][] args, RespWriter out) {
        int mark = out.buffer().writerIndex();
        long start = System.nanoTime();
        boolean failed = false;
        int[] shards = null;
        int shardCount = 0;
        int single = -1;
        boolean all = spec.needsEveryLock(args);
        if (spec.hasMovableKeys()) {
            int[] keys = spec.keyPositions(args);
            if (!all) {
                shards = new int[keys.length];
                for (int i : keys) shards[shardCount++] = ShardLocks.shardOf(args[i]);
                shardCount = ShardLocks.normalize(shards, shardCount);
                locks.lockAll(shards, shardCount);
            }
        }
        if (all) {
            locks.lockEverything();
        } else if (spec.hasMovableKeys()) {
            // locked above
        } else if (spec.firstKey > 0) {
            // A legacy range past the request's end names no key there, as Redis's getKeysUsingLegacyRangeSpec.
            int last = Math.min(spec.lastKeyIndex(args.length), args.length - 1);
            if (spec.firstKey == last) {
                single = ShardLocks.shardOf(args[spec.firstKey]);
                locks.lock(single);
            } else {
                shards = new int[(last - spec.firstKey) / spec.keyStep + 1];
                for (int i = spec.firstKey; i <= last; i += spec.keyStep) shards[shardCount++] = ShardLocks.shardOf(args[i]);
                shardCount = ShardLocks.normalize(shards, shardCount);
                locks.lockAll(shards, shardCount);
            }
        }
        if (spec.has(CommandFlag.WRITE)) client.wroteInBatch(true);
        StorageEngine engine = server.keyspace().engine();
        engine.begin();
        try {
            spec.handler.execute(client, args, out);
            if (spec.has(CommandFlag.WRITE)) server.persistence().changed();
            // FLUSHDB, FLUSHALL and SWAPDB (lock_all) tell WATCH themselves which keys they change, and so do the
            // commands flagged CHANGES_NOTIFIED, through their notifications.
            if (spec.has(CommandFlag.WRITE) && !spec.locksEverything() && !spec.has(ExecutionTrait.CHANGES_NOTIFIED)
                    && !watches.isEmpty()) {
                touchWatched(spec, client, args);
            }
            if (spec.has(CommandFlag.WRITE) && blocking.anyWaiting()) signalWaiters(spec, client, args);
        } catch (RuntimeException e) {
            failed = true;
            if (e instanceof StorageException) server.keyspace().space().writeFailed();
            replyFailure(spec, e, out, mark);
        } finally {
            // The command's writes reach storage before its locks are released (see StorageEngine.begin).
            try {
                engine.commit();
            } catch (RuntimeException e) {
                failed = true;
                server.keyspace().space().writeFailed();
                replyFailure(spec, e, out, mark);
            }
            if (all) locks.unlockEverything();
            else if (single >= 0) locks.unlock(single);
            else if (shards != null) locks.unlockAll(shards, shardCount);
        }
        long nanos = System.nanoTime() - start;
        spec.stats.calls.increment();
        spec.stats.nanos.add(nanos);
        if (failed) spec.stats.failedCalls.increment();
        observe(spec, client, args, nanos / 1000);
    }

    /** Replaces whatever the command wrote with the error reply its failure deserves, as Redis would word it. */
    private void replyFailure(CommandSpec spec, RuntimeException e, RespWriter out, int mark) {
        out.buffer().writerIndex(mark);
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
     * still blocked (the slow log gets that when it is served), never an admin command on MONITOR.
     */
    private void observe(CommandSpec spec, ClientConnection client, byte[][] args, long micros) {
        var config = server.config();
        if (config.slowlogSlowerThan >= 0 && micros >= config.slowlogSlowerThan && !spec.has(CommandFlag.SKIP_SLOWLOG)
                && client.blocked() == null) {
            server.slowLog().add(SensitiveArgs.redacted(args), micros, client.address(), client.name(), config.slowlogMaxLen);
        }
        if (server.monitors().any() && !spec.has(CommandFlag.ADMIN) && !spec.has(CommandFlag.SKIP_MONITOR)) {
            server.monitors().feed(client, SensitiveArgs.redacted(args));
        }
    }

    /**
     * Tells the blocking registry which waited-on keys a write may have filled. Commands that change whole
     * databases (lock_all: FLUSHALL, SWAPDB) wake every waiter to look again, as Redis rescans on SWAPDB; MOVE and
     * COPY ... DB signal the key of the other database themselves (ServerContext.keyWritten).
     */
    private void signalWaiters(CommandSpec spec, ClientConnection client, byte[][] args) {
        if (spec.locksEverything()) {
            blocking.signalAll();
            return;
        }
        int db = client.dbIndex();
        for (int i : spec.keyPositions(args)) blocking.signal(db, args[i]);
    }

    /** Marks watchers of the keys a write command named. */
    private void touchWatched(CommandSpec spec, ClientConnection client, byte[][] args) {
        int db = client.dbIndex();
        for (int i : spec.keyPositions(args)) watches.touch(db, args[i]);
    }

    private void reject(RespWriter out, CommandSpec spec, String message) {
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
