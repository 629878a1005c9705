package io.simplekv.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RESP over a plain socket, for the two places simplekv is a client of another server (MIGRATE's target, a
 * replica's master), off the event loops: commands written as arrays of bulk strings by {@link RespWriter}, and
 * reply lines read with a bound, so a misbehaving peer can't grow a line without end.
 */
public final class BlockingResp {
    /** Longer than any status, error or length line a Redis server sends. */
    public static final int MAX_LINE = 1 << 20;

    private BlockingResp() {}

    /** Writes one command; the caller flushes (MIGRATE sends all its commands in one write). */
    public static void writeCommand(OutputStream out, byte[]... argv) throws IOException {
        ByteBuf buf = Unpooled.buffer(64);
        try {
            RespWriter w = new RespWriter(buf);
            w.array(argv.length);
            for (byte[] a : argv) w.bulk(a);
            buf.readBytes(out, buf.readableBytes());
        } finally {
            buf.release();
        }
    }

    /** One line without its CRLF; IOException when the peer closes first or the line passes {@link #MAX_LINE}. */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new IOException("the connection closed");
            if (c != '\r') b.write(c);
            if (b.size() > MAX_LINE) throw new IOException("a reply line over 1 MB");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
