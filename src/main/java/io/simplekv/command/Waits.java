package io.simplekv.command;

import io.netty.buffer.ByteBuf;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.keyspace.Records;
import io.simplekv.keyspace.UnitOfWork;
import io.simplekv.protocol.RespWriter;

import java.util.List;

/**
 * Blocking commands the way Redis 7's blocked.c runs them: a command that finds nothing parks its client
 * ({@link #block}) without a thread or a lock; when a key it waits on is written, its command runs again through
 * the command service, first blocked first, with its own unit of work, stats, slow log and signals. A wait also
 * ends by its timeout, CLIENT UNBLOCK or the client's disconnect.
 */
public final class Waits {
    private static final String UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

    private final Keyspace keyspace;
    private final BlockedKeys registry;
    private final CommandService service;

    Waits(Keyspace keyspace, BlockedKeys registry, CommandService service) {
        this.keyspace = keyspace;
        this.registry = registry;
        this.service = service;
    }

    /**
     * Parks the client on its keys until one of them holds {@code type}; {@code timeoutMs} 0 waits forever. Called
     * by a blocking command's handler, which holds the keys' shard locks and has written no reply. When the command
     * is running again for a serve, it keeps its place in line instead.
     */
    public void block(Session c, byte[][] request, List<byte[]> keys, KeyType type, long timeoutMs) {
        block(c, request, keys, type, timeoutMs, false);
    }

    /**
     * Like {@link #block}; with {@code servedWhenGone} the command also runs again when a key it waits on is signalled
     * but no longer holds {@code type} (deleted, overwritten, flushed): XREADGROUP then answers that its stream is gone.
     */
    public void block(Session c, byte[][] request, List<byte[]> keys, KeyType type, long timeoutMs, boolean servedWhenGone) {
        if (c.reprocessing()) {
            c.blockedAgain(true);
            return;
        }
        park(new BlockedClient(c, request, keys, type, BlockedClient.Kind.KEYS, servedWhenGone), timeoutMs);
    }

    private void park(BlockedClient w, long timeoutMs) {
        registry.add(w);
        if (timeoutMs > 0) w.timeout(w.client().link().schedule(() -> end(w, BlockedClient.Ending.TIMEOUT), timeoutMs));
    }

    /** DEBUG SLEEP: only this client waits, and answers +OK when the time is up. */
    public void pause(Session c, byte[][] request, long millis) {
        park(new BlockedClient(c, request, List.of(), null, BlockedClient.Kind.PAUSE), millis);
    }

    /**
     * WAIT for replicas that will never acknowledge (there are none): the client waits out its timeout (0: until
     * CLIENT UNBLOCK) and is told how many acknowledged, 0, as Redis's blockForReplication ends.
     */
    public void awaitReplicas(Session c, byte[][] request, long timeoutMs) {
        park(new BlockedClient(c, request, List.of(), null, BlockedClient.Kind.REPLICAS), timeoutMs);
    }

    /**
     * Redis's handleClientsBlockedOnKeys: for each key written since the last look, each waiter on it, first
     * blocked first, whose type the key now holds gets its command run again. A serve that writes (BLMOVE's push)
     * signals more keys; the loop runs until none is left. Called after a command returned and closed its unit.
     */
    void serveReady() {
        DbKey k;
        while ((k = registry.nextReady()) != null) {
            byte[] key = k.key().array();
            for (BlockedClient w : registry.waitersOn(k)) {
                if ((!w.servedWhenGone() && !holds(k.db(), key, w.type())) || !w.claim()) continue;
                w.client().readyKey(key);
                ByteBuf reply;
                try {
                    reply = service.reprocess(w);
                } finally {
                    w.client().readyKey(null);
                }
                if (reply != null) {
                    registry.forget(w);
                    w.served();
                    w.client().link().resume(reply);
                    service.afterResume(w.client());
                } else {
                    BlockedClient.Ending e = w.unclaim();
                    if (e != null) finish(w, e);
                }
            }
        }
    }

    private boolean holds(int db, byte[] key, KeyType type) {
        try (UnitOfWork unit = keyspace.unit().key(key).open()) {
            byte[] rec = keyspace.db(db).lookup(key);
            return rec != null && Records.type(rec) == type;
        }
    }

    /** CLIENT UNBLOCK: ends a wait as its timeout would, or with the UNBLOCKED error; false if not blocked. */
    public boolean unblock(Session c, boolean withError) {
        BlockedClient w = c.blocked();
        // A DEBUG SLEEP stands for a server that is asleep: nothing can wake it early.
        if (w == null || w.isPause()) return false;
        BlockedClient.Ending e = withError ? BlockedClient.Ending.ERROR : BlockedClient.Ending.TIMEOUT;
        if (!w.claimToEnd(e)) return false;
        finish(w, e);
        return true;
    }

    /** The client went away while blocked: no reply. */
    void disconnected(Session c) {
        BlockedClient w = c.blocked();
        if (w != null && w.claimToEnd(BlockedClient.Ending.TIMEOUT)) registry.forget(w);
    }

    private void end(BlockedClient w, BlockedClient.Ending e) {
        if (w.claimToEnd(e)) finish(w, e);
    }

    /** A wait that nothing served: Redis's replyToBlockedClientTimedOut (or the UNBLOCKED error), counted as a call. */
    private void finish(BlockedClient w, BlockedClient.Ending e) {
        registry.forget(w);
        Session c = w.client();
        RespWriter out = new RespWriter(c.link().alloc().buffer(64), c.protocolVersion());
        boolean error = e == BlockedClient.Ending.ERROR && !w.isPause();
        if (w.isPause()) out.ok();
        else if (error) out.error(UNBLOCKED);
        else if (w.kind() == BlockedClient.Kind.REPLICAS) out.integer(0);
        else out.nullArray();
        service.countUnblocked(w, error ? UNBLOCKED : null);
        c.link().resume(out.buffer());
    }
}
