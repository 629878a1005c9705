package io.simplekv.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.simplekv.command.CommandService;
import io.simplekv.command.ServerContext;
import io.simplekv.command.Session;
import io.simplekv.protocol.Command;
import io.simplekv.protocol.ProtocolException;
import io.simplekv.protocol.QueryBuffer;
import io.simplekv.protocol.RequestDecoder;
import io.simplekv.protocol.RespWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The end of the pipeline: runs each command and gathers the replies of one read batch into one buffer that is
 * written and flushed once, in {@link #channelReadComplete}, so pipelined requests cost one syscall per batch.
 * When the client stops reading our replies, we stop reading its requests (autoRead off until writable).
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);
    private static final byte[] MAX_CLIENTS = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerContext server;
    private final CommandService service;
    private final GroupCommits groupCommits;
    private Connection connection;
    private Session client;
    private ByteBuf pending;
    /** A pushed message was written and waits for {@link PushFlushes} to flush it. */
    private boolean pushFlushDue;
    /**
     * The messages pushed since the last flush of pushes, gathered into one buffer as Redis appends them to the
     * client's reply buffer: a fan-out wrote each message to each subscriber as an outbound buffer entry of its own.
     * Whatever else is written to the channel writes this first, so nothing overtakes a message pushed before it.
     */
    private ByteBuf pushed;
    /** This handler's context, where the gathered pushes are written from (set with the connection). */
    private ChannelHandlerContext pushCtx;
    /** The channel's FlushConsolidationHandler's context (or this handler's, without one), found at the first push. */
    private ChannelHandlerContext flushCtx;
    private final RespWriter writer = new RespWriter(null);
    /** Requests that arrived while the client was blocked; Redis also reads nothing more from a blocked client. */
    private final ArrayDeque<byte[][]> heldBack = new ArrayDeque<>();
    private boolean touchedThisRead;
    /** The request at the head of heldBack waits for a running script (see park). */
    private boolean parked;
    /** Wakes the parked request when the script it waits for reaches busy-reply-threshold. */
    private ScheduledFuture<?> retryTimer;

    private final CrossProtocolGuard crossProtocolGuard;
    private final ClientErrorLog errorLog;

    private final QueryBuffer queryBuffer;

    ClientHandler(ServerContext server, GroupCommits groupCommits, CrossProtocolGuard crossProtocolGuard,
                  ClientErrorLog errorLog, QueryBuffer queryBuffer) {
        this.queryBuffer = queryBuffer;
        this.crossProtocolGuard = crossProtocolGuard;
        this.errorLog = errorLog;
        this.server = server;
        this.service = server.service();
        this.groupCommits = groupCommits;
    }

    /** Redis's authRequired: whether the header limits for a client that has not authenticated apply. */
    boolean authRequired() {
        return client != null && !client.authenticated();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        server.stats().connectionsReceived.increment();
        if (server.clients().size() >= server.config().maxclients) {
            server.stats().rejectedConnections.increment();
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(MAX_CLIENTS)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (ProtectedMode.denies(server.config(), server.acl().defaultUser().rules().nopass(), Connection.isLocal(ctx.channel().remoteAddress()))) {
            server.stats().rejectedConnections.increment();
            ctx.writeAndFlush(ctx.alloc().buffer(ProtectedMode.DENIED.length).writeBytes(ProtectedMode.DENIED))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        pushCtx = ctx;
        connection = new Connection(ctx.channel(), server, m -> pushMessage(ctx, m), reply -> resume(ctx, reply),
                this::gatheredPushBytes);
        client = connection.session();
        client.queryBuffer(queryBuffer);
        server.clients().add(client);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        service.endReadBatch(this); // a connection closed mid-batch: its writes still commit, as Redis's would stay
        if (client != null) service.disconnected(client);
        releasePending();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (client == null || client.closingAfterReply()) return;
        byte[][] args = ((Command) msg).args();
        if (CrossProtocolGuard.isHttp(args[0])) {
            // Before anything else, as processCommand: no reply; the replies already made go out, then the close.
            crossProtocolGuard.warn();
            client.closeAfterReply();
            if (pending == null) ctx.close();
            return;
        }
        if (!touchedThisRead) {
            // Once per socket read, as Redis stamps lastinteraction in readQueryFromClient: the clock is a
            // measurable share of a pipelined command's cost on a virtual machine.
            client.touch(System.currentTimeMillis());
            touchedThisRead = true;
            service.beginReadBatch(this);
        }
        // A script waits for the end of the read batch, so the scripts pipelined behind it go along with it.
        if (client.waiting() || parked || !heldBack.isEmpty() || (!client.inMulti() && service.isScriptCall(args))) {
            heldBack.add(args);
            return;
        }
        run(ctx, args);
    }

    private void run(ChannelHandlerContext ctx, byte[][] args) {
        if (pending == null) {
            pending = ctx.alloc().ioBuffer(256);
            writer.buffer(pending);
        }
        int mark = pending.writerIndex();
        client.executing(args);
        writer.useProtocol(client.protocolVersion());
        boolean ran = service.execute(client, args, writer, heldBack);
        client.executing(null);
        if (!ran) {
            park(ctx, args);
            return;
        }
        if (!client.suspended()) {
            if (client.dropReplyAndAdvance()) pending.writerIndex(mark);
            service.afterReply(client);
        }
        // A blocked client reads nothing more until its wait ends, so a pipeline behind it waits too.
        if (client.waiting()) ctx.channel().config().setAutoRead(false);
    }

    /**
     * A script holds the server, or CLIENT PAUSE holds this request: it waits (with everything behind it) until the
     * script is done or the pause is over, or until the script has run past busy-reply-threshold, when the request
     * is tried again and answered BUSY (or, for SCRIPT KILL and the like, run), as Redis does once it starts
     * reading beside a slow script.
     */
    private void park(ChannelHandlerContext ctx, byte[][] args) {
        heldBack.addFirst(args);
        parked = true;
        ctx.channel().config().setAutoRead(false);
        service.whenAllowed(client, () -> ctx.channel().eventLoop().execute(() -> unpark(ctx)));
        long retry = service.retryMillis(client);
        if (retry >= 0) retryTimer = ctx.channel().eventLoop().schedule(() -> unpark(ctx), retry + 1, TimeUnit.MILLISECONDS);
    }

    private void unpark(ChannelHandlerContext ctx) {
        if (!parked || !ctx.channel().isActive()) return;
        parked = false;
        // A timer left behind by every park would pile up in the loop's queue under a stream of scripts.
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
        runHeldBack(ctx);
        flushReplies(ctx);
        if (!client.waiting() && !parked && ctx.channel().isWritable()) ctx.channel().config().setAutoRead(true);
    }

    /** Runs the requests held back, in order, until one makes the client wait again. */
    private void runHeldBack(ChannelHandlerContext ctx) {
        while (!client.waiting() && !parked && !heldBack.isEmpty() && !client.closingAfterReply()) run(ctx, heldBack.poll());
    }

    /** The reply that ends a wait, on our loop; then the requests held back meanwhile run, in order. */
    private void resume(ChannelHandlerContext ctx, ByteBuf reply) {
        if (pending == null) {
            pending = ctx.alloc().ioBuffer(256);
            writer.buffer(pending);
        }
        pending.writeBytes(reply);
        reply.release();
        client.wroteInBatch(true); // the command that ended the wait (a pop) changed the data
        runHeldBack(ctx);
        flushReplies(ctx);
        if (!client.waiting() && !parked && ctx.channel().isWritable()) ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        touchedThisRead = false;
        if (client != null) runHeldBack(ctx);
        flushReplies(ctx);
        if (!ctx.channel().isWritable()) ctx.channel().config().setAutoRead(false);
        // As Redis after each command: the client's memory is counted again (its query buffer, arguments and
        // unsent replies), and maxmemory-clients, if set, closes the biggest clients while the total is over it.
        if (client != null) {
            client.recountMemory();
            server.clientEviction().evict();
        }
    }

    private void flushReplies(ChannelHandlerContext ctx) {
        // The writes the replies acknowledge are committed before any of them leaves.
        if (!service.endReadBatch(this)) {
            errorLog.log(Level.WARN, "Closing client " + peer() + ": the writes of its last requests could not be "
                    + "stored, and their replies are not sent");
            releasePending();
            ctx.close();
            return;
        }
        if (pending == null) return;
        ByteBuf out = pending;
        pending = null;
        writer.buffer(null);
        server.stats().netOutputBytes.add(out.readableBytes());
        writePushed();
        if (client != null) {
            boolean wrote = client.wroteInBatch();
            client.wroteInBatch(false);
            // appendfsync always: replies to writes leave only after the loop's next force (see GroupCommit).
            if ((wrote || connection.awaitingCommit()) && server.persistence().syncsBeforeReplies()) {
                groupCommits.of(ctx.channel().eventLoop()).enqueue(ctx, out, connection);
                return;
            }
        }
        var future = ctx.writeAndFlush(out);
        if (client != null && client.closingAfterReply()) future.addListener(ChannelFutureListener.CLOSE);
        else if (authRequired() && connection.pendingOutputBytes() > UNAUTHENTICATED_OUTPUT_LIMIT) {
            // CVE-2025-21605, as Debian's redis-server 7.0.15 has it fixed: a client that has not authenticated
            // and does not read its (-NOAUTH) replies may leave at most 1 KB of them with us, else it is closed.
            errorLog.log(Level.WARN, "Client " + peer() + " closed for overcoming of output buffer limits "
                    + "(unauthenticated)");
            ctx.close();
        }
    }

    /** checkClientOutputBufferLimits's bound for a client that has not authenticated. */
    private static final long UNAUTHENTICATED_OUTPUT_LIMIT = 1024;

    /**
     * A published message, on our event loop. In the middle of a read batch it goes after the replies gathered so
     * far (as Redis appends it to the client's reply buffer), otherwise straight out: either way it cannot
     * overtake a reply, such as a SUBSCRIBE confirmation, that was produced before it.
     */
    private void pushMessage(ChannelHandlerContext ctx, ByteBuf message) {
        if (!ctx.channel().isActive()) {
            message.release();
            return;
        }
        if (pending != null) {
            pending.writeBytes(message);
            message.release();
            return;
        }
        server.stats().netOutputBytes.add(message.readableBytes());
        if (connection != null && connection.awaitingCommit()) {
            // A reply ahead of it waits for the group commit; the message must not overtake it.
            writePushed();
            groupCommits.of(ctx.channel().eventLoop()).enqueue(ctx, message, connection);
            return;
        }
        if (message.readableBytes() > GATHERED_PUSH_MAX) {
            // A big message is one buffer shared by every subscriber: written as it is, after what was gathered.
            writePushed();
            ctx.write(message, ctx.voidPromise());
        } else {
            if (pushed == null) pushed = ctx.alloc().ioBuffer(PUSH_BUFFER);
            pushed.writeBytes(message);
            message.release();
        }
        if (!pushFlushDue) {
            pushFlushDue = true;
            if (flushCtx == null) {
                ChannelHandlerContext consolidating = ctx.pipeline().context(FlushConsolidationHandler.class);
                flushCtx = consolidating != null ? consolidating : ctx;
            }
            PushFlushes.ofThisLoop().flushLater(this, ctx.executor());
        }
    }

    /**
     * The pushes written since the last call go to the socket. Flushed at the consolidation handler's context, so
     * the flush goes on toward the socket instead of scheduling a task of that handler's own.
     */
    void flushPushed() {
        pushFlushDue = false;
        writePushed();
        flushCtx.flush();
    }

    /** The gathered pushes go into the channel's outbound buffer (unflushed), ahead of whatever is written next. */
    private void writePushed() {
        if (pushed == null) return;
        ByteBuf out = pushed;
        pushed = null;
        pushCtx.write(out, pushCtx.voidPromise());
    }

    /** Read by publishers on other threads for the output limit: an estimate, as the outbound buffer's is. */
    private int gatheredPushBytes() {
        ByteBuf p = pushed;
        return p == null ? 0 : p.readableBytes();
    }

    /** The first size of a connection's buffer of gathered pushes (it grows as Netty's buffers do). */
    private static final int PUSH_BUFFER = 512;
    /** Larger messages are not copied into the gathered pushes. */
    private static final int GATHERED_PUSH_MAX = 1024;

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && (client == null || (!client.waiting() && !parked))) ctx.channel().config().setAutoRead(true);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolException p) {
            // Replies to the requests before the bad one go first, then the error, then the connection closes.
            if (pending == null) {
                pending = ctx.alloc().ioBuffer(64);
                writer.buffer(pending);
            }
            writer.error(p.reply());
            server.stats().countError(p.reply());
            if (client != null) client.closeAfterReply();
            else ctx.close();
            flushReplies(ctx);
            // Redis logs these at verbose only: a client's mistake, not the server's.
            errorLog.log(Level.DEBUG, "Protocol error (" + ClientErrorLog.escape(p.getMessage()) + ") from client "
                    + peer());
        } else if (cause instanceof RequestDecoder.QueryBufferExceeded) {
            errorLog.log(Level.WARN, "Closing client that reached max query buffer length (" + cause.getMessage()
                    + "): " + peer());
            ctx.close();
        } else if (cause instanceof IOException) {
            ctx.close(); // the peer went away; nothing to report
        } else if (tlsFailure(cause)) {
            // A failed handshake (no client certificate, plain text on the TLS port): Redis logs it at verbose.
            log.debug("TLS error on client {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.close();
        } else {
            // One line, rate-limited: whatever this is, a client that can trigger it must not flood the log.
            boolean logged = errorLog.log(Level.WARN, "Closing client " + peer() + " after an unexpected error: "
                    + ClientErrorLog.escape(String.valueOf(cause)));
            if (logged && log.isDebugEnabled()) log.debug("The unexpected error on client {}", peer(), cause);
            ctx.close();
        }
    }

    private static boolean tlsFailure(Throwable cause) {
        return cause instanceof javax.net.ssl.SSLException || cause instanceof io.netty.handler.ssl.NotSslRecordException
                || cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() instanceof javax.net.ssl.SSLException;
    }

    private String peer() {
        return client == null ? "?" : "id=" + client.id() + " addr=" + client.address();
    }

    private void releasePending() {
        if (pushed != null) {
            pushed.release();
            pushed = null;
        }
        if (pending != null) {
            pending.release();
            pending = null;
            writer.buffer(null);
        }
    }
}
