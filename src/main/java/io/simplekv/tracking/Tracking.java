package io.simplekv.tracking;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.simplekv.protocol.RedisError;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * Client-side caching, as Redis 7.0's tracking.c does it. The tracking table maps each key a tracking client read
 * to the ids of the clients that may cache it; a change to the key sends each of them one invalidation and forgets
 * the key. BCAST clients instead subscribe to key prefixes: the keys changed under a prefix are gathered and
 * broadcast after the command (Redis does it before the event loop sleeps). Keys are tracked without their
 * database, as in Redis.
 *
 * <p>Invalidations caused by a tracking client's own command wait until its reply is out ({@link #afterCommand});
 * the client running a command on this thread is {@link #enter}ed for that, and for NOLOOP.
 */
public final class Tracking {
    private static final Object NOT_ENTERED = new Object();
    private static final Object NO_PREVIOUS = new Object();

    private final LongFunction<TrackedClient> clientById;
    private final LongSupplier maxKeys;
    private final Object lock = new Object();
    private final Map<Key, Set<Long>> table = new HashMap<>();
    private long items;
    private final TreeMap<Key, Broadcast> prefixes = new TreeMap<>();
    private final Set<TrackedClient> trackers = new LinkedHashSet<>();
    /** Redis's tracking_clients; zero spares every command the thread-local and the table. */
    private volatile int trackingClients;
    /** Whether the table or the prefix table holds anything, so a write with no tracking costs one read. */
    private volatile boolean live;
    private volatile boolean broadcastDue;
    /** Redis's timeout_counter: rounds in a row the table stayed over its limit, each trying harder. */
    private int overLimitRounds;
    private final ThreadLocal<TrackedClient> current = new ThreadLocal<>();

    /** Keys changed under one BCAST prefix since the last broadcast, with who changed them, and its clients. */
    private static final class Broadcast {
        final TreeMap<Key, TrackedClient> changed = new TreeMap<>();
        final Set<TrackedClient> clients = new LinkedHashSet<>();
    }

    public Tracking(LongFunction<TrackedClient> clientById, LongSupplier maxKeys) {
        this.clientById = clientById;
        this.maxKeys = maxKeys;
    }

    // ---- CLIENT TRACKING ----

    /**
     * CLIENT TRACKING ON with the parsed options, checked against the client's current mode as Redis's
     * clientCommand does (the syntax and the redirect id were checked by the caller).
     */
    public void enable(TrackedClient c, long redirect, List<byte[]> prefixList, boolean bcast, boolean optin,
                       boolean optout, boolean noloop) {
        if (!bcast && !prefixList.isEmpty()) throw RedisError.err("PREFIX option requires BCAST mode to be enabled");
        TrackingState s = c.tracking();
        synchronized (lock) {
            if (s.on && s.bcast != bcast) {
                throw RedisError.err("You can't switch BCAST mode on/off before disabling tracking for this client, "
                        + "and then re-enabling it with a different mode.");
            }
            if (bcast && (optin || optout)) throw RedisError.err("OPTIN and OPTOUT are not compatible with BCAST");
            if (optin && optout) throw RedisError.err("You can't specify both OPTIN mode and OPTOUT mode");
            if ((optin && s.optout) || (optout && s.optin)) {
                throw RedisError.err("You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                        + "and then re-enabling it with a different mode.");
            }
            List<Key> wanted = prefixList.stream().map(Key::new).toList();
            if (bcast) checkCollisions(s, wanted);
            if (!s.on) {
                trackers.add(c);
                trackingClients = trackers.size();
            }
            s.on = true;
            s.brokenRedirect = false;
            s.redirect = redirect;
            s.bcast = bcast;
            s.optin = optin;
            s.optout = optout;
            s.noloop = noloop;
            if (bcast) {
                if (wanted.isEmpty()) wanted = List.of(new Key(new byte[0]));
                for (Key p : wanted) {
                    prefixes.computeIfAbsent(p, k -> new Broadcast()).clients.add(c);
                    synchronized (s.prefixes) {
                        s.prefixes.add(p);
                    }
                }
            }
            live = true;
        }
    }

    /** Redis's checkPrefixCollisionsOrReply: no prefix of a client may be a prefix of another of its own. */
    private static void checkCollisions(TrackingState s, List<Key> wanted) {
        for (int i = 0; i < wanted.size(); i++) {
            Key p = wanted.get(i);
            for (Key existing : s.prefixes) {
                if (existing.overlaps(p)) {
                    throw RedisError.err("Prefix '" + text(p) + "' overlaps with an existing prefix '" + text(existing)
                            + "'. Prefixes for a single client must not overlap.");
                }
            }
            for (int j = i + 1; j < wanted.size(); j++) {
                if (p.overlaps(wanted.get(j))) {
                    throw RedisError.err("Prefix '" + text(p) + "' overlaps with another provided prefix '"
                            + text(wanted.get(j)) + "'. Prefixes for a single client must not overlap.");
                }
            }
        }
    }

    private static String text(Key k) {
        return new String(k.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** CLIENT TRACKING OFF, and a tracking client's disconnection. Its ids left in the table are dropped lazily. */
    public void disable(TrackedClient c) {
        TrackingState s = c.tracking();
        synchronized (lock) {
            if (s.bcast) {
                synchronized (s.prefixes) {
                    for (Key p : s.prefixes) {
                        Broadcast b = prefixes.get(p);
                        if (b == null) continue;
                        b.clients.remove(c);
                        if (b.clients.isEmpty()) prefixes.remove(p);
                    }
                    s.prefixes.clear();
                }
            }
            if (s.on) {
                trackers.remove(c);
                trackingClients = trackers.size();
                s.on = s.brokenRedirect = s.bcast = s.optin = s.optout = s.noloop = s.caching = false;
            }
            live = !table.isEmpty() || !prefixes.isEmpty();
        }
    }

    // ---- the command's bracket ----

    /**
     * Marks {@code c} as the client whose command runs on this thread; returns what {@link #leave} restores.
     * Costs nothing while no client tracks.
     */
    public Object enter(TrackedClient c) {
        if (trackingClients == 0) return NOT_ENTERED;
        TrackedClient previous = current.get();
        current.set(c.tracking().on ? c : null);
        return previous == null ? NO_PREVIOUS : previous;
    }

    public void leave(Object entered) {
        if (entered == NOT_ENTERED) return;
        current.set(entered == NO_PREVIOUS ? null : (TrackedClient) entered);
    }

    /**
     * After a top-level command of {@code c}, once its reply is written (or, with {@code afterResume}, once the
     * reply handed to its event loop is): the invalidations it caused itself, then any broadcast due. CLIENT
     * CACHING lasts for one command, except across a MULTI and for CLIENT commands themselves.
     */
    /** Whether {@link #afterCommand} has nothing to do for {@code c}: no client tracks, nothing pending or due. */
    public boolean idleFor(TrackedClient c) {
        return trackingClients == 0 && !c.tracking().hasPending && !broadcastDue;
    }

    public void afterCommand(TrackedClient c, boolean keepCaching, boolean afterResume) {
        TrackingState s = c.tracking();
        if (!keepCaching) s.caching = false;
        if (s.hasPending) {
            List<byte[]> pending = new ArrayList<>(s.pending);
            s.pending.clear();
            s.hasPending = false;
            EventLoop loop = c.loop();
            if (afterResume && loop != null) loop.execute(() -> sendEach(c, pending));
            else sendEach(c, pending);
        }
        if (broadcastDue) broadcast();
    }

    private void sendEach(TrackedClient c, List<byte[]> pending) {
        for (byte[] key : pending) send(c, key == FLUSHED ? null : List.of(key));
    }

    private static final byte[] FLUSHED = new byte[0];

    // ---- reads and writes ----

    /** Whether {@code c}'s reads are remembered now (tracking, not BCAST, and OPTIN/OPTOUT allow it). */
    public boolean remembers(TrackedClient c) {
        return trackingClients > 0 && c.tracking().remembersReads();
    }

    /** Redis's trackingRememberKeys: {@code c} may now cache these keys of a read-only command. */
    public void remember(TrackedClient c, byte[][] args, int[] keyPositions) {
        if (keyPositions.length == 0) return;
        Long id = c.id();
        synchronized (lock) {
            for (int p : keyPositions) {
                Set<Long> ids = table.computeIfAbsent(new Key(args[p]), k -> new LinkedHashSet<>(2));
                if (ids.add(id)) items++;
            }
            live = true;
        }
    }

    /**
     * Redis's trackingInvalidateKey, for a key the keyspace wrote or deleted; {@code byExpiry} when it expired,
     * which no client did (a NOLOOP BCAST client hears of it even during its own command).
     */
    public void modified(byte[] key, boolean byExpiry) {
        if (live) invalidate(key, true, byExpiry);
    }

    private void invalidate(byte[] key, boolean broadcastToo, boolean byExpiry) {
        TrackedClient self = current.get();
        List<TrackedClient> targets = null;
        synchronized (lock) {
            Key k = new Key(key);
            if (broadcastToo && !prefixes.isEmpty()) rememberForBroadcast(k, byExpiry ? null : self);
            Set<Long> ids = table.remove(k);
            if (ids != null) {
                items -= ids.size();
                targets = new ArrayList<>(ids.size());
                for (long id : ids) {
                    TrackedClient t = clientById.apply(id);
                    if (t == null || !t.tracking().on || t.tracking().bcast) continue;
                    if (t == self && t.tracking().noloop) continue;
                    targets.add(t);
                }
            }
            live = !table.isEmpty() || !prefixes.isEmpty();
        }
        if (targets == null) return;
        for (TrackedClient t : targets) {
            if (t == self) {
                t.tracking().pending.add(key);
                t.tracking().hasPending = true;
            } else {
                send(t, List.of(key));
            }
        }
    }

    private void rememberForBroadcast(Key k, TrackedClient modifier) {
        for (Map.Entry<Key, Broadcast> e : prefixes.entrySet()) {
            if (k.startsWith(e.getKey())) {
                e.getValue().changed.put(k, modifier);
                broadcastDue = true;
            }
        }
    }

    /** Redis's trackingInvalidateKeysOnFlush: every tracking client hears "everything", and the table is emptied. */
    public void flushed() {
        if (trackingClients == 0 && !live) return;
        TrackedClient self = current.get();
        List<TrackedClient> all;
        synchronized (lock) {
            all = new ArrayList<>(trackers);
            table.clear();
            items = 0;
            live = !prefixes.isEmpty();
        }
        for (TrackedClient t : all) {
            if (t == self) {
                t.tracking().pending.add(FLUSHED);
                t.tracking().hasPending = true;
            } else {
                send(t, null);
            }
        }
    }

    /** Redis's trackingBroadcastInvalidationMessages: each prefix's changed keys to its clients, in key order. */
    public void broadcast() {
        if (!broadcastDue) return;
        List<Runnable> sends = new ArrayList<>();
        synchronized (lock) {
            broadcastDue = false;
            for (Broadcast b : prefixes.values()) {
                if (b.changed.isEmpty()) continue;
                List<byte[]> all = new ArrayList<>(b.changed.size());
                for (Key k : b.changed.keySet()) all.add(k.bytes());
                for (TrackedClient c : b.clients) {
                    if (!c.tracking().noloop) {
                        sends.add(() -> send(c, all));
                        continue;
                    }
                    List<byte[]> others = new ArrayList<>();
                    for (Map.Entry<Key, TrackedClient> e : b.changed.entrySet()) {
                        if (e.getValue() != c) others.add(e.getKey().bytes());
                    }
                    if (!others.isEmpty()) sends.add(() -> send(c, others));
                }
                b.changed.clear();
            }
        }
        sends.forEach(Runnable::run);
    }

    /**
     * Redis's trackingLimitUsedSlots, before each command and from the cron: over tracking-table-max-keys, keys
     * are invalidated (as if changed) until it fits again, trying 100 more keys each round it does not.
     */
    public void limit() {
        if (!live) return;
        long max = maxKeys.getAsLong();
        List<byte[]> evicted = new ArrayList<>();
        synchronized (lock) {
            if (max == 0) return;
            if (table.size() <= max) {
                overLimitRounds = 0;
                return;
            }
            int effort = 100 * (overLimitRounds + 1);
            Iterator<Key> it = table.keySet().iterator();
            while (effort-- > 0 && it.hasNext() && table.size() - evicted.size() > max) {
                evicted.add(it.next().bytes());
            }
            if (table.size() - evicted.size() > max) overLimitRounds++;
            else overLimitRounds = 0;
        }
        for (byte[] key : evicted) invalidate(key, false, true);
    }

    /**
     * Sends one invalidation for {@code tracker} (null keys: everything), to it or its redirect, as Redis's
     * sendTrackingMessage; a redirect to a client that is gone marks the redirect broken and tells a RESP3 tracker.
     */
    private void send(TrackedClient tracker, List<byte[]> keys) {
        TrackingState s = tracker.tracking();
        long redirect = s.redirect;
        TrackedClient target = tracker;
        if (redirect != 0) {
            target = clientById.apply(redirect);
            if (target == null) {
                s.brokenRedirect = true;
                if (tracker.protocolVersion() > 2) tracker.deliver(InvalidationMessage.redirectBroken(tracker, redirect));
                return;
            }
        }
        ByteBuf message = InvalidationMessage.build(tracker, target, redirect != 0, keys);
        if (message != null) target.deliver(message);
    }

    // ---- INFO ----

    public int clients() {
        return trackingClients;
    }

    public long totalKeys() {
        synchronized (lock) {
            return table.size();
        }
    }

    public long totalItems() {
        synchronized (lock) {
            return items;
        }
    }

    public long totalPrefixes() {
        synchronized (lock) {
            return prefixes.size();
        }
    }
}
