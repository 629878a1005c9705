package io.simplekv.cron;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A periodic background chore that survives whatever one run throws. A ScheduledExecutorService cancels a periodic
 * task for good at its first uncaught throwable, without a word; an OutOfMemoryError caused by one client's huge
 * request would then stop active expiry, idle-client timeouts and page freeing for the life of the process.
 */
public final class Chore {
    private static final Logger log = LoggerFactory.getLogger(Chore.class);

    private Chore() {}

    public static Runnable guarded(String name, Runnable body) {
        return () -> run(name, body);
    }

    /** Runs one step of a chore; a failure is logged and the next step runs as usual. */
    public static void run(String name, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            log.error("Background chore '{}' failed; it runs again at its next period", name, e);
        } catch (Throwable t) {
            // No stack trace: with the heap exhausted, formatting one may fail in turn.
            log.error("Background chore '{}' failed with {}; it runs again at its next period", name, t.toString());
        }
    }
}
