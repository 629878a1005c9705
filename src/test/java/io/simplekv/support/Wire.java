package io.simplekv.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.simplekv.command.ServerContext;
import io.simplekv.server.Pipeline;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A client connection through the server's real pipeline on an EmbeddedChannel: bytes in, reply bytes out,
 * on the calling thread. Replies are compared as ISO-8859-1 text so every byte is visible in assertions.
 */
public final class Wire implements AutoCloseable {
    private final EmbeddedChannel channel;
    private final ServerContext context;

    public Wire(ServerContext context) {
        this.context = context;
        this.channel = new EmbeddedChannel();
        channel.freezeTime(); // timers (blocking timeouts) fire only when a test moves the clock: see advanceTime
        makeTaskQueueThreadSafe(channel);
        new Pipeline(context).install(channel);
        channel.pipeline().fireChannelActive();
    }

    /**
     * The script thread hands its reply back with eventLoop().execute, while this (test) thread may be running the
     * loop's tasks, as writeInbound does right after the read that submitted the script. A real event loop's queue
     * is made for that; an embedded one's is a plain ArrayDeque, which two threads at once can corrupt so that every
     * later task, and so every later reply on the connection, is lost. Tests alone swap it for a concurrent queue.
     */
    private static void makeTaskQueueThreadSafe(EmbeddedChannel channel) {
        try {
            Field tasks = channel.eventLoop().getClass().getDeclaredField("tasks");
            tasks.setAccessible(true);
            tasks.set(channel.eventLoop(), new ConcurrentLinkedQueue<Runnable>());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Netty's EmbeddedEventLoop changed: Wire needs a thread-safe task queue", e);
        }
    }

    /** Sends one command as a RESP array and returns the raw reply. */
    public String call(String... args) {
        return send(Resp.command(args));
    }

    public String call(byte[]... args) {
        return sendBytes(Resp.command(args));
    }

    /** Sends raw text (e.g. malformed RESP or an inline command) and returns everything written back. */
    public String send(String raw) {
        return sendBytes(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public String sendBytes(byte[] raw) {
        channel.writeInbound(Unpooled.wrappedBuffer(raw));
        channel.runPendingTasks(); // what a real event loop does right after this read
        awaitScripts();
        return drain();
    }

    /** Scripts run on their own thread: their replies reach this connection's (test) event loop when they end. */
    private void awaitScripts() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        // The script thread queues its reply before it opens the gate; only then is the reply sure to be there.
        while (context.scripts().running() && System.nanoTime() < deadline) Thread.onSpinWait();
        channel.runPendingTasks();
    }

    /** Whatever the server wrote without a request (e.g. the reply to a refused connection), without sending. */
    public String received() {
        channel.runPendingTasks();
        awaitScripts();
        return drain();
    }

    private String drain() {
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    /** Moves this connection's (frozen) event-loop clock and runs what fell due. */
    public String advanceTime(long millis) {
        channel.advanceTimeBy(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        channel.runPendingTasks(); // a timer that fired may have queued a task of its own
        return received();
    }

    public boolean isOpen() {
        channel.runPendingTasks();
        return channel.isOpen();
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
