package io.simplekv.cron;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChoreTest {
    /** A body that throws an Error on its first run (as a chore does when a client has just exhausted the heap). */
    private static Runnable failingOnce(AtomicInteger runs, CountDownLatch later) {
        return () -> {
            if (runs.incrementAndGet() == 1) throw new OutOfMemoryError("Java heap space");
            later.countDown();
        };
    }

    @Test
    void aGuardedChoreRunsOnAfterAnError() throws InterruptedException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch later = new CountDownLatch(3);
            timer.scheduleAtFixedRate(Chore.guarded("test", failingOnce(runs, later)), 0, 1, TimeUnit.MILLISECONDS);
            assertTrue(later.await(10, TimeUnit.SECONDS), "runs after the error: " + (runs.get() - 1));
        } finally {
            timer.shutdownNow();
        }
    }

    /** Why the guard exists: unguarded, the executor drops the task for good at the first Error. */
    @Test
    void anUnguardedChoreStopsForGood() throws InterruptedException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch later = new CountDownLatch(1);
            timer.scheduleAtFixedRate(failingOnce(runs, later), 0, 1, TimeUnit.MILLISECONDS);
            assertFalse(later.await(300, TimeUnit.MILLISECONDS));
        } finally {
            timer.shutdownNow();
        }
    }
}
