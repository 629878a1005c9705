package io.simplekv.rdb;

import com.ning.compress.lzf.impl.VanillaChunkEncoder;

/**
 * {@code rdbcompression yes}: a string's LZF block (liblzf's format, which Redis's RDB reader decompresses), made by
 * compress-lzf's encoder. That library frames its output in chunks of its own; Redis stores the bare block, so
 * this reaches the encoder's block step directly. One instance serves one thread (a snapshot, a DUMP).
 */
public final class LzfCompressor {
    /** The encoder's largest hash table: compress-lzf sizes it from this and caps it at 16K entries. */
    private static final int HASH_SIZING = 0xFFFF;

    private Block encoder;

    /**
     * The LZF block of {@code s}, or null when it would not save at least 4 bytes (rdbSaveLzfStringObject gives the
     * compressor len - 4 bytes of room and stores the string plainly when that is not enough).
     */
    public byte[] compress(byte[] s) {
        if (s.length <= 4) return null;
        if (encoder == null) encoder = new Block();
        // The encoder may run past the room Redis allows before it gives up; liblzf's worst case is len + len/32 + 1.
        byte[] out = new byte[s.length + s.length / 32 + 16];
        int n = encoder.block(s, out);
        if (n <= 0 || n > s.length - 4) return null;
        return java.util.Arrays.copyOf(out, n);
    }

    private static final class Block extends VanillaChunkEncoder {
        Block() {
            super(HASH_SIZING, false);
        }

        int block(byte[] in, byte[] out) {
            return tryCompress(in, 0, in.length, out, 0);
        }
    }
}
