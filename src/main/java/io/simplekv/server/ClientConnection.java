package io.simplekv.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.simplekv.keyspace.Database;
import io.simplekv.pubsub.OutputLimit;
import io.simplekv.pubsub.Subscriber;
import io.simplekv.pubsub.Subscriptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Per-connection state (Redis's client struct). Owned by the connection's event loop; fields that other
 * threads read for CLIENT LIST or the idle sweeper are volatile.
 */
public final class ClientConnection implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    private final long id;
    private final Channel channel;
    private final ServerContext server;
    private final long createdAt = System.currentTimeMillis();
    private volatile long lastInteraction = createdAt;
    private volatile int db;
    private volatile String name = "";
    private volatile String libName = "";
    private volatile String libVersion = "";
    private volatile boolean authenticated;
    private volatile String lastCommand = "NULL";
    private volatile int protocolVersion = 2;
    private boolean closeAfterReply;
    /** Read only by CLIENT LIST, a diagnostic; plain, so the two writes per command cost no memory fence. */
    private byte[][] executing;
    /** Commands queued since MULTI, or null outside a transaction. */
    private java.util.List<byte[][]> multiQueue;
    private boolean multiFailed;
    private final java.util.Set<DbKey> watched = new java.util.HashSet<>();
    private volatile boolean watchDirty;
    private boolean repliesOff;
    private boolean skipThisReply;
    private boolean skipNextReply;
    private boolean replyIsPush;
    private final Subscriptions subscriptions = new Subscriptions();
    /** Writes a message on this connection's event loop, after any replies of the batch being processed. */
    private final Consumer<ByteBuf> messageWriter;
    /** Bytes of messages handed to our event loop but not yet in Netty's outbound buffer. */
    private final AtomicLong queuedMessageBytes = new AtomicLong();
    /** When pending output first went over the soft limit; 0 while under it. */
    private volatile long overSoftLimitSince;
    private final AtomicBoolean outputLimitReached = new AtomicBoolean();
    /** The wait this client is in (BLPOP...), or null; written on our loop when blocking, read by others. */
    private volatile BlockedClient blocked;
    /** Set while EXEC runs its queue: a blocking command there answers at once, as Redis's CLIENT_DENY_BLOCKING. */
    private boolean denyBlocking;
    /** Takes the reply that ends a wait, on our event loop; the handler sets it to resume held-back requests. */
    private Consumer<ByteBuf> resumer;

    public ClientConnection(long id, Channel channel, ServerContext server) {
        this(id, channel, server, m -> channel.writeAndFlush(m));
    }

    ClientConnection(long id, Channel channel, ServerContext server, Consumer<ByteBuf> messageWriter) {
        this.id = id;
        this.channel = channel;
        this.server = server;
        this.messageWriter = messageWriter;
        this.resumer = m -> channel.writeAndFlush(m);
        this.authenticated = !server.config().requiresAuth();
    }

    @Override
    public Subscriptions subscriptions() {
        return subscriptions;
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
        write(message, message.readableBytes());
    }

    private void write(ByteBuf message, int size) {
        try {
            messageWriter.accept(message);
        } finally {
            // Only now, with the bytes counted by the outbound buffer, so the sum we check never dips.
            queuedMessageBytes.addAndGet(-size);
        }
    }

    private long outboundBytes() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
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
        log.warn("Client {} closed for overcoming of output buffer limits ({} bytes pending).", info(), pending);
        // Closing fails and frees whatever the outbound buffer still holds, so the memory comes back at once.
        channel.close();
    }

    public BlockedClient blocked() { return blocked; }
    void blocked(BlockedClient w) { this.blocked = w; }
    public boolean denyBlocking() { return denyBlocking; }
    public void denyBlocking(boolean v) { this.denyBlocking = v; }
    void resumer(Consumer<ByteBuf> r) { this.resumer = r; }

    /** Ends this client's wait with a reply, on its own event loop, which also lets its held-back requests run. */
    void resume(ByteBuf reply) {
        try {
            channel.eventLoop().execute(() -> {
                blocked = null;
                if (channel.isActive()) resumer.accept(reply);
                else reply.release();
            });
        } catch (RejectedExecutionException e) {
            reply.release(); // the server is stopping
        }
    }

    private boolean wroteInBatch;

    /** Whether a write command ran since the last flush of replies (appendfsync always forces before it). */
    public boolean wroteInBatch() { return wroteInBatch; }
    public void wroteInBatch(boolean v) { this.wroteInBatch = v; }

    private boolean awaitingCommit;

    /** Whether replies of ours wait in the event loop's group commit, so later output must queue behind them. */
    public boolean awaitingCommit() { return awaitingCommit; }
    public void awaitingCommit(boolean v) { this.awaitingCommit = v; }

    public long id() { return id; }
    public Channel channel() { return channel; }
    public ServerContext server() { return server; }
    public long createdAt() { return createdAt; }
    public long lastInteraction() { return lastInteraction; }
    public void touch(long now) { lastInteraction = now; }
    public int dbIndex() { return db; }
    public void select(int db) { this.db = db; }
    public Database db() { return server.keyspace().db(db); }
    public String name() { return name; }
    public void name(String name) { this.name = name; }
    public String libName() { return libName; }
    public void libName(String v) { this.libName = v; }
    public String libVersion() { return libVersion; }
    public void libVersion(String v) { this.libVersion = v; }
    public boolean authenticated() { return authenticated; }
    public void authenticated(boolean v) { this.authenticated = v; }
    public String lastCommand() { return lastCommand; }
    public void lastCommand(String c) { this.lastCommand = c; }
    public int protocolVersion() { return protocolVersion; }
    public void protocolVersion(int v) { this.protocolVersion = v; }

    public boolean inMulti() { return multiQueue != null; }
    public void beginMulti() { multiQueue = new java.util.ArrayList<>(); multiFailed = false; }
    public void queue(byte[][] args) { multiQueue.add(args); }
    /** A command refused while queueing dooms the transaction: EXEC answers EXECABORT. */
    public void failMulti() { if (multiQueue != null) multiFailed = true; }
    public boolean multiFailed() { return multiFailed; }

    /** Ends the transaction and hands back what was queued. */
    public java.util.List<byte[][]> endMulti() {
        java.util.List<byte[][]> q = multiQueue;
        multiQueue = null;
        multiFailed = false;
        return q;
    }

    java.util.Set<DbKey> watched() { return watched; }
    public boolean watchDirty() { return watchDirty; }
    void markWatchDirty() { watchDirty = true; }

    public void watch(int db, byte[] key) { server.watches().watch(this, db, key); }

    public void unwatchAll() {
        server.watches().unwatchAll(this);
        watchDirty = false;
    }

    /** The (db, key) pairs this client watches. */
    public java.util.List<Object[]> watchedKeys() {
        java.util.List<Object[]> out = new java.util.ArrayList<>();
        for (DbKey w : watched) out.add(new Object[] {w.db(), w.key().array()});
        return out;
    }

    /** The request being executed, so CLIENT LIST can report its size as qbuf like Redis does; null between. */
    public void executing(byte[][] args) { this.executing = args; }

    /** CLIENT REPLY ON | OFF | SKIP. */
    public void replies(boolean on) {
        repliesOff = !on;
        // ON also cancels a pending SKIP, and its own +OK must get through, as in Redis.
        if (on) {
            skipThisReply = false;
            skipNextReply = false;
        }
    }

    public void skipNextReply() {
        if (!repliesOff) skipNextReply = true;
    }

    /** Pub/sub confirmations are pushes in Redis: CLIENT REPLY OFF/SKIP does not silence them. */
    public void replyIsPush() {
        replyIsPush = true;
    }

    /** Whether the reply of the command just run must be dropped; also moves SKIP on to the next command. */
    public boolean dropReplyAndAdvance() {
        boolean drop = (repliesOff || skipThisReply) && !replyIsPush;
        replyIsPush = false;
        skipThisReply = skipNextReply;
        skipNextReply = false;
        return drop;
    }

    /** QUIT and CLIENT KILL of oneself: close once this batch's replies are written. */
    public void closeAfterReply() { closeAfterReply = true; }
    public boolean closingAfterReply() { return closeAfterReply; }

    /** Redis's islocalClient: a loopback peer (or no network peer at all, as in tests on an embedded channel). */
    public boolean isLocal() {
        SocketAddress a = channel.remoteAddress();
        return !(a instanceof InetSocketAddress i) || i.getAddress() == null || i.getAddress().isLoopbackAddress();
    }

    public String address() {
        return format(channel.remoteAddress());
    }

    public String localAddress() {
        return format(channel.localAddress());
    }

    private static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress i) return i.getAddress().getHostAddress() + ":" + i.getPort();
        return String.valueOf(a);
    }

    private static long requestSize(byte[][] args) {
        if (args == null) return 0;
        long n = 3 + Integer.toString(args.length).length();
        for (byte[] a : args) n += 5 + Integer.toString(a.length).length() + a.length;
        return n;
    }

    /** One line of CLIENT LIST / CLIENT INFO, with Redis's field names and order. */
    public String info() {
        long now = System.currentTimeMillis();
        return "id=" + id + " addr=" + address() + " laddr=" + localAddress() + " fd=" + (8 + id)
                + " name=" + name + " age=" + (now - createdAt) / 1000 + " idle=" + (now - lastInteraction) / 1000
                + " flags=" + (subscriptions.any() ? "P" : blocked != null ? "b" : server.monitors().contains(this) ? "O" : "N") + " db=" + db + " sub=" + subscriptions.channels()
                + " psub=" + subscriptions.patterns() + " ssub=" + subscriptions.shardChannels()
                + " multi=-1 qbuf=" + requestSize(executing)
                + " qbuf-free=0 argv-mem=0 multi-mem=0"
                + " rbs=0 rbp=0 obl=0 oll=0 omem=" + (outboundBytes() + queuedMessageBytes.get()) + " tot-mem=0 events=r cmd=" + lastCommand
                + " user=default redir=-1 resp=" + protocolVersion + " lib-name=" + libName + " lib-ver=" + libVersion;
    }
}
