package io.simplekv.storage;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The parts of a table's values too large for one map entry, in a chain of their own so that chunk keys
 * ({@code key + nonce + index}) can never collide with user keys. Which chunks are live is decided by the records
 * that point at them (see {@link ChunkPointer}); this class only writes, reads and drops them.
 */
final class ChunkStore implements AutoCloseable {
    private final MapChain chunks;
    private final int chunkSize;
    private final Path dir;

    /** What the chunks take in their maps' files ({@link MapChain#usedBytes}). */
    long usedBytes() {
        return chunks.usedBytes();
    }

    ChunkStore(MapChain chunks, int chunkSize, Path dir) {
        this.chunks = chunks;
        this.chunkSize = chunkSize;
        this.dir = dir;
    }

    int chunkSize() {
        return chunkSize;
    }

    /** Stores the value's chunks under a fresh nonce and returns the pointer to them. */
    ChunkPointer write(byte[] key, byte[] value) {
        ChunkPointer p = ChunkPointer.fresh(value.length, chunkSize);
        for (int i = 0; i < p.chunks(); i++) {
            byte[] k = p.chunkKey(key, i);
            int from = i * chunkSize;
            byte[] part = Arrays.copyOfRange(value, from, from + p.chunkLength(i));
            chunks.writeNewest(g -> g.map().put(k, part));
        }
        return p;
    }

    byte[] read(byte[] key, ChunkPointer p) {
        if (p.length() > Integer.MAX_VALUE - 8) throw new IllegalStateException("stored value too large: " + p.length());
        byte[] out = new byte[(int) p.length()];
        List<MapChain.Generation> gens = chunks.generations();
        for (int i = 0; i < p.chunks(); i++) {
            byte[] k = p.chunkKey(key, i);
            byte[] part = null;
            for (int g = gens.size() - 1; g >= 0 && part == null; g--) part = gens.get(g).map().get(k);
            if (part == null) {
                throw new IllegalStateException("chunk " + i + " of a " + p.length() + "-byte value is missing in " + dir);
            }
            System.arraycopy(part, 0, out, i * p.chunkSize(), part.length);
        }
        return out;
    }

    /** Removes the chunks a replaced or removed record pointed at. */
    void drop(byte[] key, ChunkPointer p) {
        for (int i = 0; i < p.chunks(); i++) {
            byte[] k = p.chunkKey(key, i);
            for (MapChain.Generation g : chunks.generations()) g.map().remove(k);
        }
    }

    /** Walks the chunk keys as {@link MapChain#scan} walks keys. */
    long scan(long cursor, int count, java.util.function.Consumer<byte[]> visitor) {
        return chunks.scan(cursor, count, visitor);
    }

    /** Removes one chunk by its chunk key. */
    void dropChunk(byte[] chunkKey) {
        for (MapChain.Generation g : chunks.generations()) g.map().remove(chunkKey);
    }

    void clear() {
        chunks.clear();
    }

    void sync() {
        chunks.sync();
    }

    void close(boolean force) {
        chunks.close(force);
    }

    @Override
    public void close() {
        close(true);
    }
}
