package io.simplekv.command;

import io.simplekv.keyspace.ExpiryClock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CLIENT PAUSE (Redis's pauseClients for PAUSE_BY_CLIENT_COMMAND): until it ends, every command (ALL) or every one
 * that may change data (WRITE) is held back, its client waiting as if blocked, and run when the pause ends; the
 * active expirer rests meanwhile. A new pause keeps the stricter mode and the later end, as Redis's does.
 */
public final class ClientPause {
    private final Object lock = new Object();
    /** 0: no pause; otherwise the end in epoch ms (Long.MAX_VALUE for none given). */
    private volatile long end;
    private volatile boolean all;
    /** The clients whose request waits, and what wakes each (one entry per client, so counts stay true). */
    private final Map<Session, Runnable> waiting = new LinkedHashMap<>();
    private volatile int held;
    private final ExpiryClock clock;

    public ClientPause(ExpiryClock clock) {
        this.clock = clock;
    }

    /** CLIENT PAUSE: {@code timeoutMs} from now (0 pauses only until the next check, as Redis's does). */
    public void pause(long timeoutMs, boolean allCommands) {
        long until = System.currentTimeMillis() + timeoutMs;
        synchronized (lock) {
            boolean active = end != 0;
            all = allCommands || (active && all);
            end = active ? Math.max(end, until) : until;
            clock.holdDeletions(true); // Redis's expireIfNeeded: nothing is deleted while paused
        }
    }

    /** CLIENT UNPAUSE, or the end passed: the held requests run again. */
    public void unpause() {
        List<Runnable> wake;
        synchronized (lock) {
            end = 0;
            all = false;
            clock.holdDeletions(false);
            wake = new ArrayList<>(waiting.values());
            waiting.clear();
            held = 0;
        }
        wake.forEach(Runnable::run);
    }

    /** Whether a pause is on now; one whose end passed is lifted here. */
    public boolean active() {
        long e = end;
        if (e == 0) return false;
        if (System.currentTimeMillis() < e) return true;
        unpause();
        return false;
    }

    /** Under an active pause, whether a request waits: ALL holds everything, WRITE what may change data. */
    boolean holds(boolean changesData) {
        return all || changesData;
    }

    /** Calls back when the pause ends; the client's request waits until then. */
    void whenLifted(Session client, Runnable callback) {
        boolean now;
        synchronized (lock) {
            now = end == 0;
            if (!now) {
                waiting.put(client, callback);
                held = waiting.size();
            }
        }
        if (now) callback.run();
    }

    /** Whether this client's request waits for the end of the pause. */
    boolean waiting(Session client) {
        synchronized (lock) {
            return waiting.containsKey(client);
        }
    }

    /** A held client went away. */
    void forget(Session client) {
        synchronized (lock) {
            if (waiting.remove(client) != null) held = waiting.size();
        }
    }

    /** Milliseconds until the pause ends by itself. */
    long remainingMillis() {
        long e = end;
        return e == 0 ? 0 : Math.max(0, e - System.currentTimeMillis());
    }

    /** Clients whose request waits for the end of the pause (Redis counts them in blocked_clients). */
    public int heldClients() {
        return held;
    }
}
