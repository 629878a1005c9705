package io.simplekv.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The record of a value split into chunks: its length, the nonce its chunk keys carry and the chunk size it was
 * cut with (files outlive a change of sizing). Chunk {@code i} sits under {@code key + nonce + i}. A fresh nonce
 * per write means a new value's chunks never overwrite the ones the current record points to: the new value is
 * complete before its record replaces the old one, and the old chunks are dropped only after that.
 */
record ChunkPointer(long length, long nonce, int chunkSize) {
    /** Tag byte, length, nonce, chunk size. */
    static final int RECORD_SIZE = 1 + 8 + 8 + 4;
    private static final int KEY_SUFFIX = 8 + 4;

    /** A pointer for a new value, with a nonce no stored value of the key uses. */
    static ChunkPointer fresh(long length, int chunkSize) {
        return new ChunkPointer(length, ThreadLocalRandom.current().nextLong(), chunkSize);
    }

    /** Reads a {@link RecordFormat#CHUNKED} record. */
    static ChunkPointer of(byte[] rec) {
        ByteBuffer p = ByteBuffer.wrap(rec, 1, RECORD_SIZE - 1);
        return new ChunkPointer(p.getLong(), p.getLong(), p.getInt());
    }

    byte[] record() {
        byte[] rec = new byte[RECORD_SIZE];
        rec[0] = RecordFormat.CHUNKED;
        ByteBuffer.wrap(rec, 1, RECORD_SIZE - 1).putLong(length).putLong(nonce).putInt(chunkSize);
        return rec;
    }

    int chunks() {
        return (int) ((length + chunkSize - 1) / chunkSize);
    }

    /** How many bytes chunk {@code index} holds. */
    int chunkLength(int index) {
        return (int) Math.min(chunkSize, length - (long) index * chunkSize);
    }

    /** The key whose value a chunk key ({@link #chunkKey}) holds a part of. */
    static byte[] ownerOf(byte[] chunkKey) {
        return Arrays.copyOf(chunkKey, chunkKey.length - KEY_SUFFIX);
    }

    /** The nonce a chunk key carries. */
    static long nonceOf(byte[] chunkKey) {
        return ByteBuffer.wrap(chunkKey, chunkKey.length - KEY_SUFFIX, 8).getLong();
    }

    byte[] chunkKey(byte[] key, int index) {
        byte[] k = Arrays.copyOf(key, key.length + KEY_SUFFIX);
        ByteBuffer.wrap(k, key.length, KEY_SUFFIX).putLong(nonce).putInt(index);
        return k;
    }
}
