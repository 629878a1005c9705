package io.simplekv.command;

import io.simplekv.keyspace.ShardLocks;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.RespWriter;
import io.simplekv.server.ClientConnection;
import io.simplekv.server.ServerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

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
    }

    public void execute(ClientConnection client, byte[][] args, RespWriter out) {
        CommandSpec spec = table.lookup(args[0]);
        if (spec == null) {
            server.stats().unknownCommands.increment();
            reject(out, null, unknownCommand(args));
            return;
        }
        if (spec.isContainer() && args.length >= 2) {
            CommandSpec sub = table.subcommand(spec, args[1]);
            if (sub == null) {
                server.stats().unknownCommands.increment();
                reject(out, null, "ERR unknown subcommand '" + truncated(args[1]) + "'. Try "
                        + spec.name.toUpperCase() + " HELP.");
                return;
            }
            spec = sub;
        }
        if (!spec.arityAccepts(args.length)) {
            reject(out, spec, "ERR wrong number of arguments for '" + spec.fullName + "' command");
            return;
        }
        if (!client.authenticated() && !spec.has(CommandFlag.NO_AUTH)) {
            reject(out, spec, NOAUTH);
            return;
        }
        // After arity and auth, as in Redis: a subscribed RESP2 connection's replies are message streams.
        if (!spec.has(CommandFlag.SUBSCRIBED_OK) && client.protocolVersion() == 2 && client.subscriptions().any()) {
            reject(out, spec, "ERR Can't execute '" + spec.fullName
                    + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        client.lastCommand(spec.fullName);
        run(spec, client, args, out);
    }

    private void run(CommandSpec spec, ClientConnection client, byte[][] args, RespWriter out) {
        int mark = out.buffer().writerIndex();
        long start = System.nanoTime();
        boolean failed = false;
        int[] shards = null;
        int shardCount = 0;
        int single = -1;
        if (spec.locksEverything()) {
            locks.lockEverything();
        } else if (spec.firstKey > 0) {
            int last = spec.lastKeyIndex(args.length);
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
        try {
            spec.handler.execute(client, args, out);
        } catch (RedisError e) {
            failed = true;
            out.buffer().writerIndex(mark);
            out.error(e.getMessage());
            server.stats().countError(e.getMessage());
        } catch (RuntimeException e) {
            failed = true;
            out.buffer().writerIndex(mark);
            log.error("Command '{}' failed", spec.fullName, e);
            out.error("ERR internal error while running '" + spec.fullName + "'");
            server.stats().countError("ERR");
        } finally {
            if (spec.locksEverything()) locks.unlockEverything();
            else if (single >= 0) locks.unlock(single);
            else if (shards != null) locks.unlockAll(shards, shardCount);
        }
        spec.stats.calls.increment();
        spec.stats.nanos.add(System.nanoTime() - start);
        if (failed) spec.stats.failedCalls.increment();
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
