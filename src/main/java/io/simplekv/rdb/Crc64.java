package io.simplekv.rdb;

/**
 * Redis's CRC-64 (crc64.c, the "Jones" polynomial 0xad93d23594c935a9, reflected, initial value 0, no final xor): the
 * checksum at the end of DUMP payloads and RDB files. crc64("123456789") is 0xe9c6d914c4b8d9ca.
 */
public final class Crc64 {
    private static final long REFLECTED_POLY = 0x95ac9329ac4bc9b5L;
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int b = 0; b < 8; b++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ REFLECTED_POLY : crc >>> 1;
            TABLE[i] = crc;
        }
    }

    private Crc64() {}

    public static long of(byte[] b, int off, int len) {
        return update(0, b, off, len);
    }

    public static long update(long crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) crc = TABLE[(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
        return crc;
    }
}
