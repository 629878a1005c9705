package io.simplekv.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.simplekv.command.ClientLink;
import io.simplekv.command.ServerContext;
import io.simplekv.command.Session;
import io.simplekv.pubsub.OutputLimit;
import io.netty.util.concurrent.AbstractEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * A client's Netty side: the channel, delivery of output that is not a reply (pub/sub messages, MONITOR lines, the
 * reply that ends a wait) and the output-buffer limits that keep a slow reader from growing the heap. The client's
 * state lives in its {@link Session}; this is the session's {@link ClientLink}.
 */
final class Connection implements ClientLink {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private final Channel channel;
    private final ServerContext server;
    private final Session session;
    /** Writes a message on this connection's event loop, after any replies of the batch being processed. */
    private final Consumer<ByteBuf> messageWriter;
    /** Takes the reply that ends a wait, on our event loop; the handler resumes held-back requests with it. */
    private final Consumer<ByteBuf> resumer;
    /** Pushed messages the handler gathered and has not written to the channel yet: output all the same. */
    private final IntSupplier gatheredPushBytes;
    /** Bytes of messages handed to our event loop but not yet in Netty's outbound buffer. */
    private final AtomicLong queuedMessageBytes = new AtomicLong();
    /** When pending output first went over the soft limit; 0 while under it. */
    private volatile long overSoftLimitSince;
    private final AtomicBoolean outputLimitReached = new AtomicBoolean();
    private boolean awaitingCommit;

    Connection(Channel channel, ServerContext server, Consumer<ByteBuf> messageWriter, Consumer<ByteBuf> resumer,
               IntSupplier gatheredPushBytes) {
        this.channel = channel;
        this.server = server;
        this.messageWriter = messageWriter;
        this.resumer = resumer;
        this.gatheredPushBytes = gatheredPushBytes;
        this.session = server.newSession(this);
    }

    Session session() {
        return session;
    }

    Channel channel() {
        return channel;
    }

    /**
     * Called from the publisher's thread. The message hops to our event loop as a task, so it lands in the
     * outbound buffer behind every reply this connection has already produced, including the confirmation of
     * the SUBSCRIBE that made us a receiver. Bytes waiting in that hop count toward the output limit with the
     * outbound buffer, so a subscriber slower than its publishers is cut off instead of queueing without bound.
     */
    @Override
    public void deliver(ByteBuf message) {
        if (!admit(message)) return;
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            writeAdmitted(message);
            return;
        }
        try {
            loop.execute(() -> writeAdmitted(message));
        } catch (RejectedExecutionException e) {
            queuedMessageBytes.addAndGet(-message.readableBytes()); // the server is stopping
            message.release();
        }
    }

    @Override
    public EventLoop loop() {
        return channel.eventLoop();
    }

    @Override
    public boolean admit(ByteBuf message) {
        if (outputLimitReached.get() || !channel.isActive()) {
            message.release();
            return false;
        }
        int size = message.readableBytes();
        long pending = queuedMessageBytes.addAndGet(size) + outboundBytes();
        if (overOutputLimit(pending, server.config().pubsubOutputLimit)) {
            queuedMessageBytes.addAndGet(-size);
            message.release();
            closeForOutputLimit(pending);
            return false;
        }
        return true;
    }

    @Override
    public void writeAdmitted(ByteBuf message) {
        int size = message.readableBytes();
        try {
            messageWriter.accept(message);
        } finally {
            // Only now, with the bytes counted by the outbound buffer, so the sum we check never dips.
            queuedMessageBytes.addAndGet(-size);
        }
    }

    private long outboundBytes() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return (out == null ? 0 : out.totalPendingWriteBytes()) + gatheredPushBytes.getAsInt();
    }

    @Override
    public long pendingOutputBytes() {
        return outboundBytes() + queuedMessageBytes.get();
    }

    /** Redis's checkClientOutputBufferLimits: at or over hard, or over soft for more than the soft seconds. */
    private boolean overOutputLimit(long pending, OutputLimit limit) {
        if (limit.hard() > 0 && pending >= limit.hard()) return true;
        if (limit.soft() > 0 && pending >= limit.soft()) {
            long now = System.currentTimeMillis();
            long since = overSoftLimitSince;
            if (since == 0) {
                overSoftLimitSince = now;
                return false;
            }
            return (now - since) / 1000 > limit.softSeconds();
        }
        overSoftLimitSince = 0;
        return false;
    }

    private void closeForOutputLimit(long pending) {
        if (!outputLimitReached.compareAndSet(false, true)) return;
        log.warn("Client {} closed for overcoming of output buffer limits ({} bytes pending).", session.info(), pending);
        // Closing fails and frees whatever the outbound buffer still holds, so the memory comes back at once.
        channel.close();
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /** Ends this client's wait with a reply, on its own event loop, which also lets its held-back requests run. */
    @Override
    public void resume(ByteBuf reply) {
        try {
            channel.eventLoop().execute(resumption(reply));
        } catch (RejectedExecutionException e) {
            reply.release(); // the server is stopping
        }
    }

    @Override
    public Executor resumeQuietly(ByteBuf reply) {
        if (!(channel.eventLoop() instanceof AbstractEventExecutor loop)) {
            resume(reply);
            return null;
        }
        try {
            loop.lazyExecute(resumption(reply));
            return loop;
        } catch (RejectedExecutionException e) {
            reply.release(); // the server is stopping
            return null;
        }
    }

    private Runnable resumption(ByteBuf reply) {
        return () -> {
            session.waitEnded();
            if (channel.isActive()) resumer.accept(reply);
            else reply.release();
        };
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long millis) {
        return channel.eventLoop().schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.close();
    }

    /** Whether replies of ours wait in the event loop's group commit, so later output must queue behind them. */
    boolean awaitingCommit() { return awaitingCommit; }
    void awaitingCommit(boolean v) { this.awaitingCommit = v; }

    @Override
    public String address() {
        return format(channel.remoteAddress());
    }

    @Override
    public String localAddress() {
        return format(channel.localAddress());
    }

    @Override
    public boolean isLocal() {
        return isLocal(channel.remoteAddress());
    }

    /**
     * Redis's islocalClient: a peer at 127.0.0.1 or ::1 exactly (not all of 127/8), or no network peer at all (a
     * Unix socket there; a test's embedded channel here).
     */
    static boolean isLocal(SocketAddress a) {
        if (!(a instanceof InetSocketAddress i) || i.getAddress() == null) return true;
        java.net.InetAddress ip = i.getAddress();
        if (ip instanceof java.net.Inet6Address) return ip.isLoopbackAddress();
        byte[] b = ip.getAddress();
        return b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1;
    }

    private static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress i) return i.getAddress().getHostAddress() + ":" + i.getPort();
        return String.valueOf(a);
    }
}
