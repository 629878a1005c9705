package io.simplekv.scripting;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replies handed back to an event loop without waking it: whatever runs on the script thread, the loop is woken. */
class ScriptsWakeupTest {
    private final Scripts scripts = new Scripts(() -> 5000);
    private final List<Runnable> wakeUps = new CopyOnWriteArrayList<>();
    private final Executor loop = wakeUps::add;

    @AfterEach
    void close() {
        scripts.close();
    }

    @Test
    void aQuietReplyGetsItsWakeUpWhenTheQueueRunsDryAfterAnyTask() throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        AtomicInteger deferred = new AtomicInteger();
        scripts.submit(() -> {
            await(queued);
            if (scripts.mayDeferWakeup()) {
                scripts.deferredWakeup(loop);
                deferred.incrementAndGet();
            }
        });
        CountDownLatch last = new CountDownLatch(1);
        scripts.submit(last::countDown); // not a script's task: nothing in it wakes a loop
        queued.countDown();
        assertTrue(last.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 500 && wakeUps.isEmpty(); i++) Thread.sleep(10);
        assertEquals(1, deferred.get(), "a task waited behind the first: its reply could go quietly");
        assertEquals(1, wakeUps.size(), "the queue ran dry: the loop was woken once");
    }

    @Test
    void noReplyGoesQuietlyWithoutMoreWorkQueuedOrPastEightInARow() throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        AtomicInteger quiet = new AtomicInteger();
        boolean[] alone = new boolean[1];
        CountDownLatch done = new CountDownLatch(1), checked = new CountDownLatch(1);
        scripts.submit(() -> {
            alone[0] = scripts.mayDeferWakeup();
            checked.countDown();
            await(queued);
            while (scripts.mayDeferWakeup() && quiet.get() < 100) {
                scripts.deferredWakeup(loop);
                quiet.incrementAndGet();
            }
            done.countDown();
        });
        assertTrue(checked.await(5, TimeUnit.SECONDS));
        scripts.submit(() -> await(queued));
        queued.countDown();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertFalse(alone[0], "nothing was queued behind the first task");
        assertEquals(8, quiet.get());
        CountDownLatch after = new CountDownLatch(1);
        scripts.submit(() -> {
            scripts.wakeDeferred();
            after.countDown();
        });
        assertTrue(after.await(5, TimeUnit.SECONDS));
        assertEquals(1, wakeUps.size(), "one wake-up for the one loop, however many replies went to it");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
