package io.simplekv.storage;

import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.bytes.RandomDataOutput;
import net.openhft.chronicle.hash.ChecksumEntry;
import net.openhft.chronicle.hash.ChronicleHashClosedException;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A table's values over Chronicle Maps: each key's record ({@link RecordFormat}) in the {@code records} chain, the
 * chunks of values too large for one entry in a {@link ChunkStore}. A key's record lives in one generation, the
 * newest that was written since; a write goes to the newest map and then drops older copies.
 *
 * <p>Calls on one key must not overlap (the caller serialises them): a put is "write the newest, then remove from
 * the older ones", and a get must not fall between the two steps.
 */
final class RecordMaps implements AutoCloseable {
    private final MapChain records;
    private final ChunkStore chunks;

    private RecordMaps(MapChain records, ChunkStore chunks) {
        this.records = records;
        this.chunks = chunks;
    }

    /** Opens (or, recovering, repairs) the table's two chains under {@code dir}. */
    static RecordMaps open(Path dir, ChronicleEngine.Sizing sizing, boolean recover) {
        // +1 for the tag byte.
        MapChain records = new MapChain(dir, "records", sizing.entries(), sizing.averageKeySize(),
                sizing.averageValueSize() + 1, recover);
        try {
            MapChain chunks = new MapChain(dir, "chunks", sizing.chunkEntries(), sizing.averageKeySize() + 12,
                    sizing.chunkSize(), recover);
            return new RecordMaps(records, new ChunkStore(chunks, sizing.chunkSize(), dir));
        } catch (RuntimeException e) {
            records.close();
            throw e;
        }
    }

    /** What the table's records and chunks take in their maps' files ({@link MapChain#usedBytes}). */
    long usedBytes() {
        return records.usedBytes() + chunks.usedBytes();
    }

    /** The key's value, or null. */
    byte[] get(byte[] key) {
        boolean[] inline = new boolean[1];
        byte[] rec = readRecord(key, inline);
        if (rec == null || inline[0]) return rec;
        return chunks.read(key, ChunkPointer.of(rec));
    }

    boolean contains(byte[] key) {
        try {
            List<MapChain.Generation> gens = records.generations();
            for (int i = gens.size() - 1; i >= 0; i--) {
                if (gens.get(i).map().containsKey(key)) return true;
            }
            return false;
        } catch (ChronicleHashClosedException e) {
            return false;
        }
    }

    /** The value a record holds, reading its chunks when it points at them (a record staged, not yet stored). */
    byte[] valueOf(byte[] key, byte[] rec) {
        return RecordFormat.isInline(rec) ? RecordFormat.inlineValue(rec) : chunks.read(key, ChunkPointer.of(rec));
    }

    boolean fitsInline(byte[] value) {
        return RecordFormat.fitsInline(value.length, chunks.chunkSize());
    }

    /**
     * The record that stores {@code value}: inline when it fits one chunk, else a pointer to chunks written now
     * (under a fresh nonce, so they disturb nothing until the record is stored).
     */
    byte[] record(byte[] key, byte[] value) {
        if (fitsInline(value)) return RecordFormat.inline(value);
        return chunks.write(key, value).record();
    }

    /**
     * Drops every chunk no record points at and returns how many. After a kill such chunks are left by a command
     * killed between writing a new value's chunks and its batch's commit, and by a replayed batch whose first run
     * had stored the record but not yet dropped the replaced one's chunks (the journal does not know them).
     */
    long dropOrphanChunks() {
        long dropped = 0, cursor = 0;
        List<byte[]> keys = new java.util.ArrayList<>();
        boolean[] inline = new boolean[1];
        do {
            keys.clear();
            cursor = chunks.scan(cursor, 1024, keys::add);
            for (byte[] chunkKey : keys) {
                inline[0] = false;
                byte[] rec = readRecord(ChunkPointer.ownerOf(chunkKey), inline);
                if (rec != null && !inline[0] && ChunkPointer.of(rec).nonce() == ChunkPointer.nonceOf(chunkKey)) continue;
                chunks.dropChunk(chunkKey);
                dropped++;
            }
        } while (cursor != 0);
        return dropped;
    }

    /** Drops the chunks of a chunked record that was never stored (a later write of its batch replaced it). */
    void dropChunks(byte[] key, byte[] rec) {
        chunks.drop(key, ChunkPointer.of(rec));
    }

    /** Makes {@code rec} the key's record, then drops any older copy and the chunks the replaced record pointed at. */
    void store(byte[] key, byte[] rec) {
        try {
            storeRecord(key, rec);
        } catch (IllegalArgumentException tooLarge) {
            if (!RecordFormat.isInline(rec)) throw tooLarge;
            // The newest map's entry limit is below this value (small sizing): store it chunked instead.
            storeRecord(key, chunks.write(key, RecordFormat.inlineValue(rec)).record());
        }
    }

    private void storeRecord(byte[] key, byte[] rec) {
        // A restart replays a batch a kill cut short, and the kill may have come after this very record was stored:
        // then the record it "replaces" is itself, and dropping that pointer's chunks would lose the value.
        ChunkPointer own = RecordFormat.isInline(rec) ? null : ChunkPointer.of(rec);
        Upsert done = records.writeNewest(g -> new Upsert(g, upsert(g.map(), key, rec)));
        if (done.replaced() != null && !done.replaced().equals(own)) chunks.drop(key, done.replaced());
        for (MapChain.Generation g : records.generations()) {
            if (g.number() < done.generation().number()) removeFrom(g.map(), key, own);
        }
    }

    private record Upsert(MapChain.Generation generation, ChunkPointer replaced) {}

    /**
     * Overwrites [from, to) of the key's value in place, the new value being {@code length} bytes of {@code bytes}
     * from {@code start}; only when the stored record is an inline one of that length in the newest map, where the
     * key's record lives when it is there at all (a put drops older copies). False, having written nothing, otherwise.
     */
    boolean patch(byte[] key, byte[] bytes, int start, int length, int from, int to) {
        ChronicleMap<byte[], byte[]> map = records.newest().map();
        try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(key)) {
            c.updateLock().lock();
            MapEntry<byte[], byte[]> e = c.entry();
            if (e == null) return false;
            Data<byte[]> v = e.value();
            if (v.size() != length + (long) RecordFormat.VALUE_START || !(v.bytes() instanceof RandomDataOutput<?> out)
                    || v.bytes().readByte(v.offset()) != RecordFormat.INLINE) {
                return false;
            }
            out.write(v.offset() + RecordFormat.VALUE_START + from, bytes, start + from, to - from);
            if (e instanceof ChecksumEntry checksummed) checksummed.updateChecksum();
            return true;
        }
    }

    /** Removes the key from every generation; returns whether it was anywhere. */
    boolean remove(byte[] key) {
        boolean found = false;
        try {
            for (MapChain.Generation g : records.generations()) found |= removeFrom(g.map(), key, null);
        } catch (ChronicleHashClosedException e) {
            return false;
        }
        return found;
    }

    /** Like {@link #remove}, letting a closed map's exception through: a replayed removal must not pass silently. */
    void removeEverywhere(byte[] key) {
        for (MapChain.Generation g : records.generations()) removeFrom(g.map(), key, null);
    }

    long size() {
        return records.size();
    }

    long scan(long cursor, int count, Consumer<byte[]> visitor) {
        return records.scan(cursor, count, visitor);
    }

    byte[] randomKey() {
        return records.randomKey();
    }

    java.util.List<byte[]> randomKeys(int count) {
        return records.randomKeys(count);
    }

    /** How many map generations hold records; more than one means the table outgrew its first map. */
    int generations() {
        return records.generations().size();
    }

    void clear() {
        records.clear();
        chunks.clear();
    }

    void sync() {
        records.sync();
        chunks.sync();
    }

    void close(boolean force) {
        try {
            records.close(force);
        } finally {
            chunks.close(force);
        }
    }

    @Override
    public void close() {
        close(true);
    }

    /**
     * The stored record, newest generation first, or null. An inline value comes back without its tag byte (copied
     * out of the map once), and inline[0] says so.
     */
    private byte[] readRecord(byte[] key, boolean[] inline) {
        try {
            List<MapChain.Generation> gens = records.generations();
            for (int i = gens.size() - 1; i >= 0; i--) {
                byte[] rec = read(gens.get(i).map(), key, inline);
                if (rec != null) return rec;
            }
            return null;
        } catch (ChronicleHashClosedException e) {
            // A read that raced FLUSHDB's swap to a new table sees the flushed (empty) one.
            return null;
        }
    }

    private static byte[] read(ChronicleMap<byte[], byte[]> map, byte[] key, boolean[] inline) {
        try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(key)) {
            MapEntry<byte[], byte[]> e = c.entry();
            if (e == null) return null;
            Data<byte[]> v = e.value();
            RandomDataInput in = v.bytes();
            long from = v.offset();
            int size = Math.toIntExact(v.size());
            if (in.readByte(from) == RecordFormat.INLINE) {
                inline[0] = true;
                from += RecordFormat.VALUE_START;
                size -= RecordFormat.VALUE_START;
            }
            byte[] out = new byte[size];
            in.read(from, out, 0, size);
            return out;
        }
    }

    /** Inserts or replaces in place, returning the pointer of the record replaced when it pointed at chunks. */
    private static ChunkPointer upsert(ChronicleMap<byte[], byte[]> map, byte[] key, byte[] rec) {
        try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(key)) {
            c.updateLock().lock();
            MapEntry<byte[], byte[]> e = c.entry();
            ChunkPointer old = null;
            if (e != null) {
                old = pointerOf(e.value());
                e.doReplaceValue(c.wrapValueAsData(rec));
            } else {
                c.absentEntry().doInsert(c.wrapValueAsData(rec));
            }
            return old;
        }
    }

    /**
     * Removes the key's record from one map, and the chunks it pointed at unless they are {@code kept} (the ones a
     * newer copy of the same record points at); returns whether it was there.
     */
    private boolean removeFrom(ChronicleMap<byte[], byte[]> map, byte[] key, ChunkPointer kept) {
        ChunkPointer pointer;
        try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(key)) {
            c.updateLock().lock();
            MapEntry<byte[], byte[]> e = c.entry();
            if (e == null) return false;
            pointer = pointerOf(e.value());
            e.doRemove();
        }
        if (pointer != null && !pointer.equals(kept)) chunks.drop(key, pointer);
        return true;
    }

    private static ChunkPointer pointerOf(Data<byte[]> v) {
        RandomDataInput in = v.bytes();
        if (v.size() != ChunkPointer.RECORD_SIZE || in.readByte(v.offset()) != RecordFormat.CHUNKED) return null;
        byte[] rec = new byte[ChunkPointer.RECORD_SIZE];
        in.read(v.offset(), rec, 0, ChunkPointer.RECORD_SIZE);
        return ChunkPointer.of(rec);
    }
}
