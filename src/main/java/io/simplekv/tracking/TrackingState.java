package io.simplekv.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One client's CLIENT TRACKING settings (Redis's CLIENT_TRACKING* flags, redirection and prefixes) and the
 * invalidations its own command caused, held until that command's reply is out. Changed under {@link Tracking}'s
 * lock; the flags a command's own thread reads are volatile.
 */
public final class TrackingState {
    volatile boolean on;
    volatile boolean bcast;
    volatile boolean optin;
    volatile boolean optout;
    volatile boolean noloop;
    /** CLIENT CACHING YES (optin) or NO (optout) was given for the next command. */
    volatile boolean caching;
    volatile boolean brokenRedirect;
    volatile long redirect;
    final TreeSet<Key> prefixes = new TreeSet<>();
    /** Keys (null: everything, after a flush) invalidated by the client's own running command. */
    final List<byte[]> pending = new ArrayList<>();
    volatile boolean hasPending;

    public boolean on() {
        return on;
    }

    public boolean bcast() {
        return bcast;
    }

    public boolean brokenRedirect() {
        return brokenRedirect;
    }

    /** CLIENT GETREDIR and CLIENT LIST's redir: the redirection while tracking, -1 when not tracking. */
    public long redirection() {
        return on ? redirect : -1;
    }

    /** CLIENT TRACKINGINFO's flags, in Redis's order. */
    public List<String> flags() {
        List<String> f = new ArrayList<>();
        f.add(on ? "on" : "off");
        if (bcast) f.add("bcast");
        if (optin) {
            f.add("optin");
            if (caching) f.add("caching-yes");
        }
        if (optout) {
            f.add("optout");
            if (caching) f.add("caching-no");
        }
        if (noloop) f.add("noloop");
        if (brokenRedirect) f.add("broken_redirect");
        return f;
    }

    /** How many BCAST prefixes the client tracks. */
    public int prefixCount() {
        synchronized (prefixes) {
            return prefixes.size();
        }
    }

    public List<byte[]> prefixes() {
        synchronized (prefixes) {
            return prefixes.stream().map(Key::bytes).toList();
        }
    }

    /** What CLIENT CACHING YES/NO may say: null when allowed, else Redis's error. */
    public String cachingRefusal(boolean yes) {
        if (!on) return "CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled";
        if (yes && !optin) return "CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.";
        if (!yes && !optout) return "CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.";
        return null;
    }

    public void caching(boolean given) {
        caching = given;
    }

    /** Whether keys a read command fetches now are remembered (OPTIN needs CACHING YES, OPTOUT no CACHING NO). */
    boolean remembersReads() {
        if (!on || bcast) return false;
        return !((optin && !caching) || (optout && caching));
    }
}
