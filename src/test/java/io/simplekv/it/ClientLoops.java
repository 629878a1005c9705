package io.simplekv.it;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Client threads that each repeat one step against a server until it is killed under them, for the kill -9 tests.
 * A lost connection ends a thread quietly, since the kill is the point; any other exception (an error reply, a
 * reply the step found wrong) is a failure that {@link #stopAndCheck} reports.
 */
final class ClientLoops {
    /** One unit of work on the thread's own connection; it counts its acknowledged operations in {@link #progress}. */
    interface Step {
        void run(Jedis j) throws Exception;
    }

    private final int port;
    private final List<Thread> threads = new ArrayList<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong progress = new AtomicLong();

    ClientLoops(int port) {
        this.port = port;
    }

    void start(String name, Step step) {
        Thread t = new Thread(() -> {
            try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
                while (!stop.get()) step.run(j);
            } catch (JedisConnectionException killed) {
                // the server died under us: what this step sent last may or may not have been applied
            } catch (Throwable e) {
                failures.add(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    /**
     * Kills the server at a random moment once the clients have acknowledged {@code atLeast} more operations, not
     * after a fixed time, so a loaded machine cannot make a round too short to count. Returns the milliseconds the
     * clients ran.
     */
    long killAtRandomMoment(ServerProcess s, long atLeast, int extraMillisAtMost, Random rnd) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(20);
        while (progress.get() < atLeast && failures.isEmpty() && System.nanoTime() < deadline) ServerProcess.sleep(10);
        ServerProcess.sleep(rnd.nextInt(extraMillisAtMost + 1));
        s.kill9();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** Stops every thread (they end once the killed server's connections drop) and fails on what they saw. */
    void stopAndCheck() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(15_000);
            assertTrue(!t.isAlive(), t.getName() + " did not end after the kill");
        }
        Throwable first = failures.peek();
        if (first != null) fail(failures.size() + " client(s) failed while the server ran; the first: " + first, first);
    }
}
