package io.simplekv.command;

import io.simplekv.protocol.ReplySink;

import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * A client waiting in BLPOP, BLMOVE, BZPOPMIN and the like: which keys of which database it waits on and how to
 * serve it when one of them gets data. Whoever ends the wait (a server of a ready key, the timeout, CLIENT UNBLOCK
 * or the disconnect) does so inside {@code synchronized (this)} by calling {@link #finish}, so exactly one of them
 * answers the client.
 */
public final class BlockedClient {
    /** Runs under the shard locks of the ready key and of {@link #target}: pops and writes the reply, or declines. */
    public interface Server {
        /** Returns false, having written nothing, when the key holds nothing this waiter can take. */
        boolean serve(BlockedClient waiter, byte[] readyKey, ReplySink out);
    }

    private final Session client;
    private final int db;
    private final List<byte[]> keys;
    private final byte[] target;
    private final Server server;
    private final byte[][] request;
    private final long blockedAt;
    private boolean finished;
    private ScheduledFuture<?> timeout;

    /** A pause (DEBUG SLEEP): waits on no key, cannot be ended by CLIENT UNBLOCK, answers +OK when time is up. */
    public static BlockedClient pause(Session client, byte[][] request) {
        return new BlockedClient(client, request, client.dbIndex(), List.of(), null, (w, k, o) -> false);
    }

    public BlockedClient(Session client, byte[][] request, int db, List<byte[]> keys, byte[] target, Server server) {
        this.client = client;
        this.blockedAt = System.nanoTime();
        this.request = request;
        this.db = db;
        this.keys = List.copyOf(keys);
        this.target = target;
        this.server = server;
    }

    public Session client() { return client; }
    public boolean isPause() { return keys.isEmpty(); }
    /** When the wait began, in System.nanoTime() terms. */
    long blockedAt() { return blockedAt; }
    public int db() { return db; }
    public List<byte[]> keys() { return keys; }
    /** A second key the serve writes to (BLMOVE's destination), locked with the ready key; null if none. */
    public byte[] target() { return target; }
    Server server() { return server; }
    /** The blocking command as the client sent it, for the slow log once it is served. */
    public byte[][] request() { return request; }

    /** Claims the right to answer; false when someone already did. Callers hold this object's monitor. */
    boolean finish() {
        if (finished) return false;
        finished = true;
        if (timeout != null) timeout.cancel(false);
        return true;
    }

    boolean finished() {
        return finished;
    }

    synchronized void timeout(ScheduledFuture<?> t) {
        if (finished) t.cancel(false);
        else timeout = t;
    }
}
