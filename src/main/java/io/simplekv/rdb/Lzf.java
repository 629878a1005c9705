package io.simplekv.rdb;

/** LZF decompression (liblzf's format, as Redis compresses RDB strings): literal runs and back references. */
public final class Lzf {
    private Lzf() {}

    /**
     * Decompresses {@code in} into exactly {@code outLength} bytes.
     *
     * @throws IllegalArgumentException for data that is not valid LZF of that length
     */
    public static byte[] decompress(byte[] in, int outLength) {
        byte[] out = new byte[outLength];
        int ip = 0, op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (op + run > outLength || ip + run > in.length) throw new IllegalArgumentException("bad LZF data");
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (len == 7) {
                    if (ip >= in.length) throw new IllegalArgumentException("bad LZF data");
                    len += in[ip++] & 0xff;
                }
                if (ip >= in.length) throw new IllegalArgumentException("bad LZF data");
                ref -= in[ip++] & 0xff;
                len += 2;
                if (ref < 0 || op + len > outLength) throw new IllegalArgumentException("bad LZF data");
                for (int i = 0; i < len; i++) out[op++] = out[ref++]; // may overlap: byte by byte
            }
        }
        if (op != outLength) throw new IllegalArgumentException("bad LZF data");
        return out;
    }
}
