package io.simplekv.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Writes replies straight into an outbound buffer, in RESP2 or RESP3 as the connection speaks (Redis's
 * networking.c is the reference for every typed form). Callers reply with semantic shapes (map, set, null, double)
 * and this writer picks the wire form. Not thread-safe: one per connection, used on its event loop.
 */
public final class RespWriter implements ReplySink {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_ARRAY = "*0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CACHED_INTEGERS = 10_000;
    private static final byte[][] INTEGERS = new byte[CACHED_INTEGERS][];
    private static final byte[][] BULK_HEADERS = new byte[CACHED_INTEGERS][];

    static {
        for (int i = 0; i < CACHED_INTEGERS; i++) {
            INTEGERS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            BULK_HEADERS[i] = ("$" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE3 = "#t\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE3 = "#f\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Bulk strings up to this long are assembled whole before they reach the buffer. */
    private static final int SMALL_BULK = 512;

    private ByteBuf buf;
    private boolean resp3;
    /** Where a small bulk string is assembled, made at first use (most writers are a connection's, used for long). */
    private byte[] scratch;

    public RespWriter(ByteBuf buf) {
        this.buf = buf;
    }

    public RespWriter(ByteBuf buf, int protocolVersion) {
        this.buf = buf;
        this.resp3 = protocolVersion >= 3;
    }

    @Override
    public void useProtocol(int version) {
        resp3 = version >= 3;
    }

    public ByteBuf buffer() {
        return buf;
    }

    public void buffer(ByteBuf buf) {
        this.buf = buf;
    }

    @Override
    public long mark() {
        return buf.writerIndex();
    }

    @Override
    public void rewind(long mark) {
        buf.writerIndex((int) mark);
    }

    @Override
    public void ok() {
        buf.writeBytes(OK);
    }

    // Text is written one byte per char (ISO-8859-1): strings built from request bytes round-trip exactly.
    @Override
    public void simple(String s) {
        buf.writeByte('+');
        buf.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        buf.writeBytes(CRLF);
    }

    /** An error line; the text carries its own prefix ("ERR ...") and newlines are flattened as Redis does. */
    @Override
    public void error(String message) {
        buf.writeByte('-');
        buf.writeCharSequence(message.replace('\r', ' ').replace('\n', ' '), StandardCharsets.ISO_8859_1);
        buf.writeBytes(CRLF);
    }

    @Override
    public void integer(long v) {
        if (v >= 0 && v < CACHED_INTEGERS) {
            buf.writeBytes(INTEGERS[(int) v]);
            return;
        }
        buf.writeByte(':');
        writeDecimal(v);
        buf.writeBytes(CRLF);
    }

    @Override
    public void bulk(byte[] b, int off, int len) {
        if (len > SMALL_BULK) {
            header('$', len);
            buf.writeBytes(b, off, len);
            buf.writeBytes(CRLF);
            return;
        }
        // One write instead of three: each write into a direct buffer pays Netty's checks and a bulk copy's set-up,
        // which for the short elements of an LRANGE or HGETALL cost more than the bytes (a third of LRANGE_100's CPU).
        byte[] s = scratch;
        if (s == null) s = scratch = new byte[SMALL_BULK + 8];
        byte[] h = BULK_HEADERS[len];
        System.arraycopy(h, 0, s, 0, h.length);
        System.arraycopy(b, off, s, h.length, len);
        int n = h.length + len;
        s[n] = '\r';
        s[n + 1] = '\n';
        growLinearlyPastThreshold();
        buf.writeBytes(s, 0, n + 2);
    }

    @Override
    public void raw(byte[] b) {
        buf.writeBytes(b);
    }

    @Override
    public void nullBulk() {
        buf.writeBytes(resp3 ? NULL3 : NULL_BULK);
    }

    /** RESP3 has no null array: Redis's addReplyNullArray writes its one null there. */
    @Override
    public void nullArray() {
        buf.writeBytes(resp3 ? NULL3 : NULL_ARRAY);
    }

    @Override
    public void array(int n) {
        if (n == 0) buf.writeBytes(EMPTY_ARRAY);
        else header('*', n);
    }

    /** A map of n pairs; an array of 2n in RESP2. */
    @Override
    public void map(int n) {
        if (resp3) header('%', n);
        else array(2 * n);
    }

    @Override
    public void set(int n) {
        if (resp3) header('~', n);
        else array(n);
    }

    @Override
    public void attribute(int n) {
        header('|', n);
    }

    @Override
    public void push(int n) {
        if (resp3) header('>', n);
        else array(n);
    }

    /** Redis's addReplyDouble: {@code %.17g}, with inf and -inf spelled out; a bulk string in RESP2. */
    @Override
    public void doubleValue(double d, String text) {
        if (!resp3) {
            ReplySink.super.doubleValue(d, text);
            return;
        }
        buf.writeByte(',');
        buf.writeCharSequence(text, StandardCharsets.US_ASCII);
        buf.writeBytes(CRLF);
    }

    @Override
    public void doubleValue(double d) {
        if (!resp3) {
            ReplySink.super.doubleValue(d);
            return;
        }
        buf.writeByte(',');
        buf.writeCharSequence(io.simplekv.text.DoubleText.format(d), StandardCharsets.US_ASCII);
        buf.writeBytes(CRLF);
    }

    @Override
    public void bool(boolean b) {
        if (resp3) buf.writeBytes(b ? TRUE3 : FALSE3);
        else integer(b ? 1 : 0);
    }

    @Override
    public void bigNumber(String digits) {
        if (!resp3) {
            bulk(digits);
            return;
        }
        buf.writeByte('(');
        buf.writeCharSequence(digits, StandardCharsets.ISO_8859_1);
        buf.writeBytes(CRLF);
    }

    /** RESP3's {@code =len\r\nfmt:text}: the format is padded or cut to three characters, as addReplyVerbatim does. */
    @Override
    public void verbatim(String format, String text) {
        if (!resp3) {
            bulk(text);
            return;
        }
        byte[] body = text.getBytes(StandardCharsets.ISO_8859_1);
        header('=', body.length + 4L);
        for (int i = 0; i < 3; i++) buf.writeByte(i < format.length() ? format.charAt(i) : ' ');
        buf.writeByte(':');
        buf.writeBytes(body);
        buf.writeBytes(CRLF);
    }

    @Override
    public void expect(long bytes) {
        long room = Math.min(bytes, buf.maxCapacity() - buf.writerIndex());
        if (room > buf.writableBytes()) buf.ensureWritable((int) room);
    }

    /** Netty grows a buffer past 4 MB by 4 MB steps (threshold of calculateNewCapacity). */
    private static final int LINEAR_GROWTH_FROM = 4 << 20;

    /**
     * Each of Netty's 4 MB growth steps is a fresh zeroed buffer and a copy, so a reply of millions of small elements
     * (a big LRANGE, SRANDMEMBER with a large negative count) cost quadratic time. Doubling past the threshold keeps
     * it linear. Headers come before every element, so checking there (and for a small bulk string) is enough.
     */
    private void growLinearlyPastThreshold() {
        if (buf.capacity() >= LINEAR_GROWTH_FROM && buf.writableBytes() < SMALL_BULK + 8) {
            buf.ensureWritable(Math.min(buf.capacity(), buf.maxCapacity() - buf.writerIndex()));
        }
    }

    private void header(char type, long n) {
        growLinearlyPastThreshold();
        if (type == '$' && n < CACHED_INTEGERS) {
            buf.writeBytes(BULK_HEADERS[(int) n]);
            return;
        }
        buf.writeByte(type);
        writeDecimal(n);
        buf.writeBytes(CRLF);
    }

    private void writeDecimal(long v) {
        if (v == Long.MIN_VALUE) {
            buf.writeCharSequence("-9223372036854775808", StandardCharsets.US_ASCII);
            return;
        }
        if (v < 0) {
            buf.writeByte('-');
            v = -v;
        }
        int digits = 1;
        for (long p = 10; digits < 19 && v >= p; p *= 10) digits++;
        int at = buf.writerIndex();
        buf.ensureWritable(digits);
        for (int i = digits - 1; i >= 0; i--) {
            buf.setByte(at + i, (int) ('0' + v % 10));
            v /= 10;
        }
        buf.writerIndex(at + digits);
    }
}
