package io.simplekv.scripting;

import io.netty.util.concurrent.DefaultEventExecutor;
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

/**
 * Hand-offs to the script thread and replies back: one event-loop pass's hand-offs cross as one task, each run on
 * its own; replies handed back without waking their loop always get the wake-up.
 */
class ScriptHandOffTest {
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

    @Test
    void aPasssHandOffsRunInOrderAndAFailingOneDoesNotStopTheRest() throws Exception {
        DefaultEventExecutor loop = new DefaultEventExecutor();
        try {
            List<String> ran = new CopyOnWriteArrayList<>();
            boolean[] deferrable = new boolean[3];
            CountDownLatch done = new CountDownLatch(1);
            loop.submit(() -> {
                scripts.submitAfterThisPass(() -> {
                    deferrable[0] = scripts.mayDeferWakeup();
                    ran.add("first");
                    throw new IllegalStateException("a hand-off that fails");
                }, () -> ran.add("refused"), loop);
                scripts.submitAfterThisPass(() -> {
                    deferrable[1] = scripts.mayDeferWakeup();
                    ran.add("second");
                }, () -> ran.add("refused"), loop);
                scripts.submitAfterThisPass(() -> {
                    deferrable[2] = scripts.mayDeferWakeup();
                    ran.add("third");
                    done.countDown();
                }, () -> ran.add("refused"), loop);
                assertTrue(ran.isEmpty(), "nothing crosses before the pass ends");
            }).sync();
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals(List.of("first", "second", "third"), ran);
            assertTrue(deferrable[0] && deferrable[1], "more of the pass followed them");
            assertFalse(deferrable[2], "the last of the pass, with nothing queued");
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHandOffTheClosedScriptThreadRefusesRunsItsRefusal() throws Exception {
        DefaultEventExecutor loop = new DefaultEventExecutor();
        try {
            scripts.close();
            List<String> ran = new CopyOnWriteArrayList<>();
            loop.submit(() -> scripts.submitAfterThisPass(() -> ran.add("ran"), () -> ran.add("refused"), loop)).sync();
            loop.submit(() -> { }).sync(); // the pass's end, where the hand-off is sent
            assertEquals(List.of("refused"), ran);
            scripts.submitAfterThisPass(() -> ran.add("ran"), () -> ran.add("refused off a loop"), null);
            assertEquals(List.of("refused", "refused off a loop"), ran);
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
