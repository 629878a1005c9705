package io.simplekv.command;

import java.util.ArrayList;
import java.util.List;

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
    private final List<Runnable> waiting = new ArrayList<>();
    private volatile int held;

    /** CLIENT PAUSE: {@code timeoutMs} from now (0 pauses only until the next check, as Redis's does). */
    public void pause(long timeoutMs, boolean allCommands) {
        long until = System.currentTimeMillis() + timeoutMs;
        synchronized (lock) {
            boolean active = end != 0;
            all = allCommands || (active && all);
            end = active ? Math.max(end, until) : until;
        }
    }

    /** CLIENT UNPAUSE, or the end passed: the held requests run again. */
    public void unpause() {
        List<Runnable> wake;
        synchronized (lock) {
            end = 0;
            all = false;
            wake = new ArrayList<>(waiting);
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

    /** Calls back when the pause ends; the caller's request waits until then. */
    void whenLifted(Runnable callback) {
        boolean now;
        synchronized (lock) {
            now = end == 0;
            if (!now) {
                waiting.add(callback);
                held = waiting.size();
            }
        }
        if (now) callback.run();
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
