package io.simplekv.command;

import io.simplekv.keyspace.KeyType;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client waiting in BLPOP, BLMOVE, BZPOPMIN and the like (or paused by DEBUG SLEEP): the command it sent, the
 * keys of which database it waits on and the type that can serve it. When a key it waits on gets data, its command
 * runs again through the command service, as Redis's blocked.c re-runs it. Whoever ends the wait (a serve, the
 * timeout, CLIENT UNBLOCK, the disconnect) must first win {@link #claim} or {@link #claimToEnd}, so exactly one of
 * them answers the client; a serve holds its claim while the command runs, without holding any monitor.
 */
public final class BlockedClient {
    private static final int WAITING = 0, SERVING = 1, DONE = 2;

    /** How a wait ends when nothing served it. */
    public enum Ending { TIMEOUT, ERROR }

    /** What the client waits for: data on its keys, the end of a DEBUG SLEEP, or replica acknowledgements (WAIT). */
    enum Kind { KEYS, PAUSE, REPLICAS }

    private final Session client;
    private final byte[][] request;
    private final int db;
    private final List<byte[]> keys;
    private final KeyType type;
    private final Kind kind;
    private final boolean servedWhenGone;
    private final long blockedAt = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(WAITING);
    /** An end asked for while a serve held the claim, carried out by that serve if it served nothing. */
    private volatile Ending deferredEnd;
    private ScheduledFuture<?> timeout;

    BlockedClient(Session client, byte[][] request, List<byte[]> keys, KeyType type, Kind kind) {
        this(client, request, keys, type, kind, false);
    }

    BlockedClient(Session client, byte[][] request, List<byte[]> keys, KeyType type, Kind kind, boolean servedWhenGone) {
        this.kind = kind;
        this.servedWhenGone = servedWhenGone;
        this.client = client;
        this.request = request;
        this.db = client.dbIndex();
        this.keys = List.copyOf(keys);
        this.type = type;
    }

    public Session client() { return client; }
    /** The blocking command as the client sent it: what runs again, and what the slow log shows. */
    public byte[][] request() { return request; }
    public int db() { return db; }
    public List<byte[]> keys() { return keys; }
    /** The type a key must hold to serve this waiter; null for a pause. */
    KeyType type() { return type; }
    /**
     * Whether a signal on a key that no longer holds {@link #type} runs the command again too: XREADGROUP's, which
     * answers that its stream is gone, as Redis's unblockDeletedStreamReadgroupClients does.
     */
    boolean servedWhenGone() { return servedWhenGone; }
    /** A pause (DEBUG SLEEP) waits on no key, can't be ended by CLIENT UNBLOCK, and answers +OK when time is up. */
    public boolean isPause() { return kind == Kind.PAUSE; }
    Kind kind() { return kind; }
    long blockedAt() { return blockedAt; }

    /** A serve takes the waiter for the run of its command; false if someone else holds or ended it. */
    boolean claim() {
        return state.compareAndSet(WAITING, SERVING);
    }

    /** The serve answered the client. */
    void served() {
        state.set(DONE);
        cancelTimeout();
    }

    /**
     * The serve answered nothing (the key held nothing after all): the waiter waits on, unless an end was asked
     * for meanwhile, which is returned for the caller to carry out.
     */
    Ending unclaim() {
        state.set(WAITING);
        Ending e = deferredEnd;
        if (e != null && state.compareAndSet(WAITING, DONE)) {
            cancelTimeout();
            return e;
        }
        return null;
    }

    /**
     * The timeout, CLIENT UNBLOCK or the disconnect want the wait over: true when the caller ends it now; false
     * when it was over already, or when a serve holds it, which then ends it if it serves nothing.
     */
    boolean claimToEnd(Ending e) {
        while (true) {
            int s = state.get();
            if (s == DONE) return false;
            if (s == WAITING && state.compareAndSet(WAITING, DONE)) {
                cancelTimeout();
                return true;
            }
            if (s == SERVING) {
                deferredEnd = e;
                if (state.get() == SERVING) return false;
            }
        }
    }

    synchronized void timeout(ScheduledFuture<?> t) {
        if (state.get() == DONE) t.cancel(false);
        else timeout = t;
    }

    private synchronized void cancelTimeout() {
        if (timeout != null) timeout.cancel(false);
    }
}
