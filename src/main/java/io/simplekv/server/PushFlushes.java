package io.simplekv.server;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;
import java.util.List;

/**
 * The flushes of pushed messages (pub/sub, tracking invalidations) of one event loop, done by one task per loop
 * pass. A publish writes to every subscriber; flushing each through its {@code FlushConsolidationHandler} scheduled
 * one task per subscriber per pass (a fifth of a 100-subscriber fan-out's CPU went to scheduling those tasks and
 * to writeAndFlush). Only the loop's own thread touches its instance.
 */
final class PushFlushes implements Runnable {
    private static final FastThreadLocal<PushFlushes> OF_LOOP = new FastThreadLocal<>() {
        @Override
        protected PushFlushes initialValue() {
            return new PushFlushes();
        }
    };

    private final List<ClientHandler> due = new ArrayList<>();
    private boolean scheduled;

    /** The current event loop's instance; call on an event loop only. */
    static PushFlushes ofThisLoop() {
        return OF_LOOP.get();
    }

    /** Has {@code handler}'s {@link ClientHandler#flushPushed} run at the end of this loop pass, once. */
    void flushLater(ClientHandler handler, EventExecutor loop) {
        due.add(handler);
        if (!scheduled) {
            scheduled = true;
            try {
                loop.execute(this);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // The loop is shutting down and closes its channels: nothing is left to flush them for.
                scheduled = false;
                due.clear();
            }
        }
    }

    @Override
    public void run() {
        scheduled = false;
        ClientHandler[] now = due.toArray(new ClientHandler[0]);
        due.clear();
        for (ClientHandler h : now) h.flushPushed();
    }
}
