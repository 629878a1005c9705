package io.simplekv.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bulk strings as Redis writes them, on both sides of the small-string path, into a direct buffer as replies use. */
class RespWriterTest {
    private static byte[] written(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    private static byte[] expected(byte[] value) {
        byte[] header = ("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(header, header.length + value.length + 2);
        System.arraycopy(value, 0, out, header.length, value.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    @Test
    void bulkStringsOfEveryLengthAroundTheSmallPathAreWrittenAsRedisWritesThem() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        try {
            RespWriter w = new RespWriter(buf);
            for (int len : new int[] {0, 1, 9, 10, 99, 100, 511, 512, 513, 9_999, 10_000, 70_000}) {
                byte[] value = new byte[len + 6];
                for (int i = 0; i < value.length; i++) value[i] = (byte) (i * 31 + len);
                buf.clear();
                w.bulk(value, 3, len);
                assertArrayEquals(expected(Arrays.copyOfRange(value, 3, 3 + len)), written(buf), "length " + len);
            }
        } finally {
            buf.release();
        }
    }

    @Test
    void anArrayOfManySmallElementsIsEachElementInTurn() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        try {
            RespWriter w = new RespWriter(buf);
            w.array(3);
            w.bulk("a".getBytes(StandardCharsets.US_ASCII));
            w.bulk(new byte[0]);
            w.bulk("xyz".getBytes(StandardCharsets.US_ASCII));
            assertEquals("*3\r\n$1\r\na\r\n$0\r\n\r\n$3\r\nxyz\r\n", new String(written(buf), StandardCharsets.US_ASCII));
        } finally {
            buf.release();
        }
    }
}
