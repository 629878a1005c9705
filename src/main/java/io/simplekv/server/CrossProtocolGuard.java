package io.simplekv.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis's defence against cross protocol scripting (securityWarningCommand): a web page can make a browser send
 * an HTTP request to a Redis port, and the header lines after the junk would run as commands. A request named
 * {@code POST} or {@code Host:} closes the connection; the warning is logged at most once a minute, so the attack
 * can't flood the log either. One per server (the Pipeline's).
 */
final class CrossProtocolGuard {
    private static final Logger log = LoggerFactory.getLogger(CrossProtocolGuard.class);
    private static final long LOG_INTERVAL_MILLIS = 60_000;

    private final AtomicLong loggedAt = new AtomicLong(Long.MIN_VALUE / 2);

    /**
     * Whether a request with this name is an HTTP line rather than a command, as processCommand tests it
     * (case-insensitive). Runs for every request, so the length and first byte decide almost always.
     */
    static boolean isHttp(byte[] name) {
        int n = name.length;
        if (n == 4) return (name[0] | 0x20) == 'p' && equalsIgnoreCase(name, "post");
        if (n == 5) return (name[0] | 0x20) == 'h' && equalsIgnoreCase(name, "host:");
        return false;
    }

    /** Logs Redis's warning unless it was logged less than a minute ago (by any connection). */
    void warn() {
        long now = System.currentTimeMillis();
        long last = loggedAt.get();
        if (Math.abs(now - last) > LOG_INTERVAL_MILLIS && loggedAt.compareAndSet(last, now)) {
            log.warn("Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to"
                    + " Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to"
                    + " compromise your Redis instance. Connection aborted.");
        }
    }

    private static boolean equalsIgnoreCase(byte[] b, String lower) {
        for (int i = 0; i < b.length; i++) {
            if (Character.toLowerCase((char) (b[i] & 0xff)) != lower.charAt(i)) return false;
        }
        return true;
    }
}
