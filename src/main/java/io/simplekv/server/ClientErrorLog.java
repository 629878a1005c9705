package io.simplekv.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Where clients' mistakes are logged (protocol errors, an outgrown query buffer, a connection that failed): one
 * short line each, never a stack trace or more than a few escaped bytes of what the client sent, and at most one
 * line per second for the whole server; the next line that gets through says how many were left out. A client
 * that sends garbage in a loop can't fill the disk or drown the log. One per server (the Pipeline's).
 */
final class ClientErrorLog {
    private static final Logger log = LoggerFactory.getLogger(ClientErrorLog.class);
    private static final long INTERVAL_NANOS = 1_000_000_000L;
    /** Redis shows the query buffer's first bytes only; a reason quoting client bytes is cut here. */
    private static final int MAX_QUOTED = 64;

    private long lastLoggedAt = System.nanoTime() - INTERVAL_NANOS;
    private long suppressed;

    /**
     * Logs one line at this level unless another client error was logged less than a second ago; says whether it
     * did, so a caller may add detail (at debug) to the lines that got through only.
     */
    boolean log(Level level, String what) {
        if (!log.isEnabledForLevel(level)) return false;
        long skipped;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - lastLoggedAt < INTERVAL_NANOS) {
                suppressed++;
                return false;
            }
            lastLoggedAt = now;
            skipped = suppressed;
            suppressed = 0;
        }
        String line = skipped == 0 ? what : what + " (" + skipped + " similar client errors not logged)";
        log.atLevel(level).log(line);
        return true;
    }

    /** Client-chosen text made safe for one log line: non-printable bytes become '.', as Redis does, and cut short. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_QUOTED) + 3);
        for (int i = 0; i < s.length() && i < MAX_QUOTED; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        if (s.length() > MAX_QUOTED) b.append("...");
        return b.toString();
    }
}
