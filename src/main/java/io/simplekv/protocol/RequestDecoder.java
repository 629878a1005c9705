package io.simplekv.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.simplekv.text.ArgSplitter;

import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Reads requests off the socket as Redis's networking.c does ({@code processInlineBuffer} and
 * {@code processMultibulkBuffer}), byte for byte: a request starting with '*' is an array of bulk strings, any
 * other line is an inline command (raw bytes, split as sdssplitargs does, ended by LF or CRLF). It emits one
 * {@link Command} per decode call, so the command runs (and AUTH takes effect) before the next header is judged.
 *
 * <p>Limits, each checked at the header, before any of the data it announces is buffered:
 * <ul>
 *   <li>a count line without its CR past 64 KB: "too big mbulk count string" / "too big bulk count string";</li>
 *   <li>a bulk longer than {@code proto-max-bulk-len}: "invalid bulk length";</li>
 *   <li>before AUTH (while {@code authRequired}), more than 10 arguments or a bulk over 16 KB: Redis's
 *       "unauthenticated multibulk length" / "unauthenticated bulk length";</li>
 *   <li>a request whose announced size passes {@code client-query-buffer-limit}: the connection is closed.</li>
 * </ul>
 * An argument's byte[] is allocated once, at its header's length, and filled as the bytes arrive: a 500 MB value
 * costs 500 MB, not the 2-3x a doubling buffer would.
 *
 * <p>After a protocol error the rest of the input is dropped: the client gets the error and is closed.
 */
public final class RequestDecoder extends ByteToMessageDecoder {
    /** Redis's PROTO_INLINE_MAX_SIZE: the longest inline request, and the longest count line. */
    static final int MAX_LINE = 64 * 1024;
    /** Arguments arrive one by one; preallocating what the header announces would let "*2000000000" OOM us. */
    private static final int MAX_PREALLOCATED_ARGS = 1024;
    /** Redis's limits for a client that has not authenticated yet (networking.c). */
    static final int UNAUTHENTICATED_MAX_ARGS = 10;
    static final int UNAUTHENTICATED_MAX_BULK = 16 * 1024;
    /** A count is at most 20 characters (LONG_STR_SIZE); longer is invalid without being copied. */
    private static final int MAX_COUNT_DIGITS = 21;

    private final LongSupplier maxBulkLength;
    private final LongSupplier queryBufferLimit;
    private final BooleanSupplier authRequired;
    private final QueryBuffer queryBuffer;

    /** The request being assembled, null between requests. */
    private byte[][] args;
    /** The lengths of the arguments of the request being read, so far (Redis's argv_len_sum while it assembles). */
    private long argBytes;
    private int expectedArgs;
    private int argCount;
    /** The argument being filled, null while its header is awaited. */
    private byte[] bulk;
    private int bulkFilled;
    private long requestBytes;
    private boolean failed;

    public RequestDecoder(LongSupplier maxBulkLength, LongSupplier queryBufferLimit, BooleanSupplier authRequired,
                          QueryBuffer queryBuffer) {
        this.maxBulkLength = maxBulkLength;
        this.queryBufferLimit = queryBufferLimit;
        this.authRequired = authRequired;
        this.queryBuffer = queryBuffer;
    }

    /** Keeps {@link QueryBuffer} told what a socket read brought and what the requests in it left held. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf read) queryBuffer.read(read.readableBytes());
        super.channelRead(ctx, msg);
        boolean bigArgument = bulk != null && bulk.length >= QueryBuffer.BIG_ARG;
        queryBuffer.parsed(internalBuffer().readableBytes() + (bigArgument ? bulkFilled : 0), bigArgument,
                args == null ? 0 : argBytes + 8L * argCount);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            Command command = args != null ? continueArray(in)
                    : in.getByte(in.readerIndex()) == '*' ? startArray(in) : inline(in);
            if (command != null) out.add(command);
        } catch (ProtocolException | QueryBufferExceeded e) {
            failed = true;
            args = null;
            bulk = null;
            in.skipBytes(in.readableBytes());
            ctx.fireExceptionCaught(e);
        }
    }

    /**
     * Where the line at the reader index ends (the index of {@code terminator}), or -1 while it is incomplete; one
     * still open past 64 KB is refused with {@code tooBig}, as Redis refuses it.
     */
    private static int lineEnd(ByteBuf in, byte terminator, String tooBig) {
        int at = in.indexOf(in.readerIndex(), in.writerIndex(), terminator);
        if (at < 0 && in.readableBytes() > MAX_LINE) throw new ProtocolException(tooBig);
        return at;
    }

    private Command inline(ByteBuf in) {
        int start = in.readerIndex();
        int newline = lineEnd(in, (byte) '\n', "too big inline request");
        if (newline < 0) return null;
        int end = newline > start && in.getByte(newline - 1) == '\r' ? newline - 1 : newline;
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(newline + 1);
        List<byte[]> parts = ArgSplitter.split(line);
        if (parts == null) throw new ProtocolException("unbalanced quotes in request");
        return parts.isEmpty() ? null : new Command(parts.toArray(new byte[0][]));
    }

    private Command startArray(ByteBuf in) {
        int start = in.readerIndex();
        int cr = lineEnd(in, (byte) '\r', "too big mbulk count string");
        if (cr < 0 || cr + 1 >= in.writerIndex()) return null; // the line, or its LF, is not all here yet
        long n = count(in, start + 1, cr);
        if (n == Long.MIN_VALUE || n > Integer.MAX_VALUE) throw new ProtocolException("invalid multibulk length");
        if (n > UNAUTHENTICATED_MAX_ARGS && authRequired.getAsBoolean()) {
            throw new ProtocolException("unauthenticated multibulk length");
        }
        // Redis skips the two bytes after the count whatever they are, and ignores a count of zero or less.
        in.readerIndex(cr + 2);
        if (n <= 0) return null;
        expectedArgs = (int) n;
        args = new byte[(int) Math.min(n, MAX_PREALLOCATED_ARGS)][];
        argCount = 0;
        argBytes = 0;
        requestBytes = 0;
        return continueArray(in);
    }

    private Command continueArray(ByteBuf in) {
        while (true) {
            if (bulk == null && !bulkHeader(in)) return null;
            int n = Math.min(bulk.length - bulkFilled, in.readableBytes());
            in.readBytes(bulk, bulkFilled, n);
            bulkFilled += n;
            // As Redis, the two bytes after the data are skipped unchecked.
            if (bulkFilled < bulk.length || in.readableBytes() < 2) return null;
            in.skipBytes(2);
            if (argCount == args.length) args = Arrays.copyOf(args, (int) Math.min(expectedArgs, 2L * args.length));
            args[argCount++] = bulk;
            argBytes += bulk.length;
            bulk = null;
            if (argCount == expectedArgs) {
                byte[][] done = args;
                args = null;
                return new Command(done);
            }
        }
    }

    /** Reads a "$len" line and allocates its argument; false when the line is not whole yet. */
    private boolean bulkHeader(ByteBuf in) {
        int start = in.readerIndex();
        if (!in.isReadable()) return false;
        int cr = lineEnd(in, (byte) '\r', "too big bulk count string");
        if (cr < 0 || cr + 1 >= in.writerIndex()) return false;
        byte type = in.getByte(start);
        if (type != '$') throw new ProtocolException("expected '$', got '" + (char) (type & 0xff) + "'");
        long length = count(in, start + 1, cr);
        if (length < 0 || length > maxBulkLength.getAsLong()) throw new ProtocolException("invalid bulk length");
        if (length > UNAUTHENTICATED_MAX_BULK && authRequired.getAsBoolean()) {
            throw new ProtocolException("unauthenticated bulk length");
        }
        requestBytes += length;
        if (requestBytes > queryBufferLimit.getAsLong()) {
            throw new QueryBufferExceeded("the request passed client-query-buffer-limit");
        }
        in.readerIndex(cr + 2);
        bulk = allocate((int) length);
        bulkFilled = 0;
        if (length >= QueryBuffer.BIG_ARG) queryBuffer.bigArgument(length);
        return true;
    }

    /** Sized from the header, once; a heap that can't hold it costs this client its connection, not the server. */
    private static byte[] allocate(int length) {
        try {
            return new byte[length];
        } catch (OutOfMemoryError e) {
            throw new QueryBufferExceeded("a " + length + "-byte argument does not fit in the heap");
        }
    }

    /**
     * The count between {@code from} and {@code cr} as Redis's string2ll reads it (optional '-', no '+', no leading
     * zero, no overflow), or Long.MIN_VALUE if invalid; LONG_MIN itself comes back as LONG_MIN + 1, still negative.
     * Read in place: this runs for every argument of every request.
     */
    private static long count(ByteBuf in, int from, int cr) {
        int len = cr - from;
        if (len <= 0 || len > MAX_COUNT_DIGITS) return Long.MIN_VALUE;
        if (len == 1 && in.getByte(from) == '0') return 0;
        int i = from;
        boolean negative = in.getByte(i) == '-';
        if (negative && ++i == cr) return Long.MIN_VALUE;
        byte first = in.getByte(i);
        if (first < '1' || first > '9') return Long.MIN_VALUE;
        // Accumulated negatively, so LONG_MIN parses without overflow.
        long v = 0;
        for (; i < cr; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) return Long.MIN_VALUE;
            v = v * 10 - d;
        }
        if (negative) return v == Long.MIN_VALUE ? Long.MIN_VALUE + 1 : v;
        return v == Long.MIN_VALUE ? Long.MIN_VALUE : -v;
    }

    /** The request outgrew client-query-buffer-limit (or the heap); Redis closes such a client without a reply. */
    public static final class QueryBufferExceeded extends RuntimeException {
        QueryBufferExceeded(String why) {
            super(why, null, false, false);
        }
    }
}
