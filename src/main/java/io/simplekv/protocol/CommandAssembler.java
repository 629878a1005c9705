package io.simplekv.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.redis.ArrayHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringRedisContent;
import io.netty.handler.codec.redis.DefaultLastBulkStringRedisContent;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.InlineCommandRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.LastBulkStringRedisContent;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.simplekv.text.ArgSplitter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.function.LongSupplier;

/**
 * Sits after Netty's {@link io.netty.handler.codec.redis.RedisDecoder} and turns its pieces (array header,
 * bulk header, content chunks, inline lines) into flat {@link Command}s. It replaces Netty's two aggregators:
 * a Redis request is always a flat array of bulk strings, so copying each bulk straight into its byte[] avoids a
 * composite buffer per argument, and knowing where in a request we are lets protocol errors carry Redis's exact
 * text. Content buffers are released here, as soon as they are copied.
 *
 * <p>Limits: a bulk longer than {@code proto-max-bulk-len} is "invalid bulk length"; a request whose announced
 * size passes {@code client-query-buffer-limit} closes the connection, as Redis does. Within them a bulk's byte[]
 * is allocated once, at the length its header announces.
 */
public final class CommandAssembler extends ChannelInboundHandlerAdapter {
    /** Arguments arrive one by one; preallocating what the header announces would let "*2000000000" OOM us. */
    private static final int MAX_PREALLOCATED_ARGS = 1024;

    private final LongSupplier maxBulkLength;
    private final LongSupplier queryBufferLimit;
    /** Whether the client may send big requests yet: before AUTH, Redis bounds what it will buffer for it. */
    private java.util.function.BooleanSupplier authenticated = () -> true;
    /** Redis's limits for a client that has not authenticated (networking.c). */
    private static final int UNAUTHENTICATED_MAX_ARGS = 10, UNAUTHENTICATED_MAX_BULK = 16384;

    private byte[][] args;
    private int expectedArgs;
    private int argCount;
    private byte[] bulk;
    private int bulkFilled;
    private long requestBytes;
    private boolean failed;
    private long bytesSinceMessage;

    public CommandAssembler(LongSupplier maxBulkLength, LongSupplier queryBufferLimit) {
        this.maxBulkLength = maxBulkLength;
        this.queryBufferLimit = queryBufferLimit;
    }

    /**
     * The handler to put before the decoder. Netty's decoder buffers a header line until its newline without a
     * bound; Redis refuses such a line past 64 KB, so this counts bytes that produced no message yet.
     */
    public ChannelInboundHandlerAdapter lineGuard() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (failed) {
                    ReferenceCountUtil.release(msg);
                    return;
                }
                bytesSinceMessage += ((ByteBuf) msg).readableBytes();
                ctx.fireChannelRead(msg);
                // Only reads that gave no message at all add up here, i.e. one unfinished header line. Inline
                // lines are bounded by the decoder itself ("too big inline request") before this check runs.
                if (bytesSinceMessage > MAX_HEADER_LINE && !failed) {
                    failed = true;
                    ctx.fireExceptionCaught(new ProtocolException(
                            insideRequest() ? "too big bulk count string" : "too big mbulk count string"));
                }
            }
        };
    }

    private static final int MAX_HEADER_LINE = 64 * 1024;
    private static final Pattern NEGATIVE_LENGTH = Pattern.compile("length: -\\d+ \\(expected: >= -1\\)");

    /** Tells the assembler how to know the client has authenticated (set once its session exists). */
    public void authenticatedBy(java.util.function.BooleanSupplier check) {
        this.authenticated = check;
    }

    /** True while a request is partly received, so a decoder error means a bad bulk, not a bad header. */
    public boolean insideRequest() {
        return args != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        bytesSinceMessage = 0;
        try {
            // Exact-class checks for the three messages every request is made of: far cheaper than a chain of
            // interface instanceof tests, and this runs once per argument.
            Class<?> type = msg.getClass();
            if (type == DefaultLastBulkStringRedisContent.class) {
                lastContent(ctx, ((DefaultLastBulkStringRedisContent) msg).content());
            } else if (type == BulkStringHeaderRedisMessage.class) {
                startBulk(((BulkStringHeaderRedisMessage) msg).bulkStringLength());
            } else if (type == ArrayHeaderRedisMessage.class) {
                startArray(((ArrayHeaderRedisMessage) msg).length());
            } else {
                accept(ctx, (RedisMessage) msg);
            }
        } catch (ProtocolException | QueryBufferExceeded e) {
            failed = true;
            args = null;
            bulk = null;
            ctx.fireExceptionCaught(e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startArray(long n) {
        if (args != null) throw new ProtocolException("expected '$', got '*'");
        if (n > Integer.MAX_VALUE) throw new ProtocolException("invalid multibulk length");
        if (n > UNAUTHENTICATED_MAX_ARGS && !authenticated.getAsBoolean()) {
            throw new ProtocolException("unauthenticated multibulk length");
        }
        if (n <= 0) return; // Redis silently skips "*0" and "*-1".
        expectedArgs = (int) n;
        args = new byte[(int) Math.min(n, MAX_PREALLOCATED_ARGS)][];
        argCount = 0;
        requestBytes = 0;
    }

    private void lastContent(ChannelHandlerContext ctx, ByteBuf content) {
        appendContent(content);
        byte[] done = bulk;
        bulk = null;
        addArg(ctx, done);
    }

    /** The rarer messages: chunks of a large bulk, empty bulks, inline commands, RESP types Redis reads as inline. */
    private void accept(ChannelHandlerContext ctx, RedisMessage msg) {
        if (msg instanceof FullBulkStringRedisMessage full) {
            // The decoder emits empty and null bulks whole.
            if (args == null) throw new ProtocolException("expected '*', got '$'");
            if (full.isNull()) throw new ProtocolException("invalid bulk length");
            addArg(ctx, new byte[0]);
        } else if (msg instanceof LastBulkStringRedisContent last) {
            lastContent(ctx, last.content());
        } else if (msg instanceof BulkStringRedisContent content) {
            appendContent(content.content());
        } else if (msg instanceof InlineCommandRedisMessage inline) {
            if (args != null) throw new ProtocolException("expected '$', got '" + firstChar(inline.content()) + "'");
            inlineCommand(ctx, inline.content());
        } else if (msg instanceof SimpleStringRedisMessage s) {
            nonRequest(ctx, '+', s.content());
        } else if (msg instanceof ErrorRedisMessage e) {
            nonRequest(ctx, '-', e.content());
        } else if (msg instanceof IntegerRedisMessage i) {
            nonRequest(ctx, ':', Long.toString(i.value()));
        } else {
            throw new ProtocolException("unexpected message");
        }
    }

    /** Redis reads any line that does not start with '*' as an inline command, even "+PING". */
    private void nonRequest(ChannelHandlerContext ctx, char type, String rest) {
        if (args != null) throw new ProtocolException("expected '$', got '" + type + "'");
        inlineCommand(ctx, type + rest);
    }

    private void startBulk(int length) {
        if (args == null) throw new ProtocolException("expected '*', got '$'");
        if (length > maxBulkLength.getAsLong()) throw new ProtocolException("invalid bulk length");
        if (length > UNAUTHENTICATED_MAX_BULK && !authenticated.getAsBoolean()) {
            throw new ProtocolException("unauthenticated bulk length");
        }
        requestBytes += length;
        if (requestBytes > queryBufferLimit.getAsLong()) {
            throw new QueryBufferExceeded("the request passed client-query-buffer-limit");
        }
        bulkFilled = 0;
        // Allocated once at the size the header announces, as Redis sizes its query buffer for a big argument:
        // growing by doubling needed 1.5 times the argument at its last step (a 150 MB argument no longer fit a
        // 256 MB heap). The limits above bound what a header can make us allocate.
        try {
            bulk = new byte[length];
        } catch (OutOfMemoryError e) {
            throw new QueryBufferExceeded("a " + length + "-byte argument does not fit in the heap");
        }
    }

    private void appendContent(ByteBuf content) {
        int n = content.readableBytes();
        // The decoder cuts content at the announced length, so it always fits.
        content.readBytes(bulk, bulkFilled, n);
        bulkFilled += n;
    }

    private void addArg(ChannelHandlerContext ctx, byte[] arg) {
        if (argCount == args.length) args = Arrays.copyOf(args, Math.min(expectedArgs, args.length * 2));
        args[argCount++] = arg;
        if (argCount == expectedArgs) {
            byte[][] done = args;
            args = null;
            ctx.fireChannelRead(new Command(done));
        }
    }

    private void inlineCommand(ChannelHandlerContext ctx, String line) {
        List<byte[]> parts = ArgSplitter.split(line.getBytes(StandardCharsets.UTF_8));
        if (parts == null) throw new ProtocolException("unbalanced quotes in request");
        if (parts.isEmpty()) return;
        ctx.fireChannelRead(new Command(parts.toArray(new byte[0][])));
    }

    private static char firstChar(String s) {
        return s.isEmpty() ? ' ' : s.charAt(0);
    }

    /** Maps the decoder's own failures to the text Redis sends for the same bytes. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && failed) {
            // The connection is already answered and closing; the decoder went on through the rest of the packet
            // and tripped on more of the same bytes. Forwarding it would log a client's garbage as our failure.
            return;
        }
        if (cause instanceof DecoderException) {
            String m = String.valueOf(cause.getMessage());
            // Netty refuses "*-10"; Redis ignores any negative multibulk length, so skip it. (Netty's decoder drops
            // the rest of the packet on any error, so commands sent in the same packet after it are lost.)
            if (!insideRequest() && NEGATIVE_LENGTH.matcher(m).find()) return;
            failed = true;
            String reason;
            if (m.contains("expected: <= 65536")) reason = "too big inline request";
            else if (insideRequest()) reason = "invalid bulk length";
            else reason = "invalid multibulk length";
            ctx.fireExceptionCaught(new ProtocolException(reason));
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /**
     * The request outgrew client-query-buffer-limit (or the heap, for one argument); Redis closes such a client
     * without a reply.
     */
    public static final class QueryBufferExceeded extends RuntimeException {
        QueryBufferExceeded(String reason) {
            super(reason, null, false, false);
        }
    }
}
