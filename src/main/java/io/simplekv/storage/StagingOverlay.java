package io.simplekv.storage;

import java.util.function.Consumer;

/**
 * A chronicle table as the keyspace sees it: while a command runs on the calling thread, its writes are staged in
 * the command's {@link WriteBatches} batch instead of reaching the maps, and its reads of single keys see what it
 * staged; the batch is applied when the command ends, all of it or (after a kill) none until replayed. Outside a
 * command every call goes straight to the table.
 *
 * <p>A walk over the table ({@link #size}, {@link #scan}, {@link #randomKey}) and {@link #clear} work on the maps,
 * which do not show staged writes, so the thread's staged writes are applied first ({@link WriteBatches#flush}):
 * answering from stale maps would be a quiet bug (DBSIZE one short after a SET in the same EXEC or read batch).
 */
final class StagingOverlay implements Storage {
    private final ChronicleStorage table;
    private final WriteBatches batches;

    StagingOverlay(ChronicleStorage table, WriteBatches batches) {
        this.table = table;
        this.batches = batches;
    }

    /** The table underneath, for the engine's own operations on it (FLUSHDB's recreate). */
    ChronicleStorage table() {
        return table;
    }

    @Override
    public byte[] get(byte[] key) {
        WriteBatches.Staged staged = batches.staged(table, key);
        if (staged == null) return table.get(key);
        if (staged.removed()) return null;
        // A staged value is handed out as it is, as the memory engine hands out what it stores: a caller holding
        // the key's lock may change it only to stage it again.
        return staged.isValue() ? staged.bytes() : table.chunkedValue(key, staged.bytes());
    }

    @Override
    public boolean contains(byte[] key) {
        WriteBatches.Staged staged = batches.staged(table, key);
        if (staged == null) return table.contains(key);
        return !staged.removed();
    }

    @Override
    public boolean readsAreCopies() {
        return table.readsAreCopies();
    }

    @Override
    public void put(byte[] key, byte[] value) {
        if (!batches.active()) table.put(key, value);
        else if (table.fitsInline(value)) batches.stageValue(table, key, value);
        else batches.stage(table, key, table.chunkedRecord(key, value));
    }

    @Override
    public void patch(byte[] key, byte[] value, int from, int to) {
        if (!batches.active()) {
            table.patch(key, value, from, to);
            return;
        }
        // Only an inline value can be patched in place; a chunked one is staged whole.
        if (table.fitsInline(value)) batches.stagePatch(table, key, value, from, to);
        else batches.stage(table, key, table.chunkedRecord(key, value));
    }

    @Override
    public boolean remove(byte[] key) {
        if (!batches.active()) return table.remove(key);
        boolean existed = contains(key);
        if (existed) batches.stage(table, key, WriteBatches.DELETED);
        return existed;
    }

    @Override
    public long size() {
        applyStaged();
        return table.size();
    }

    @Override
    public long scan(long cursor, int count, Consumer<byte[]> visitor) {
        applyStaged();
        return table.scan(cursor, count, visitor);
    }

    @Override
    public byte[] randomKey() {
        applyStaged();
        return table.randomKey();
    }

    @Override
    public java.util.List<byte[]> randomKeys(int count) {
        applyStaged();
        return table.randomKeys(count);
    }

    /** Refused with writes staged too: applied after the clear, they would bring back keys written before it. */
    @Override
    public void clear() {
        applyStaged();
        table.clear();
    }

    @Override
    public void sync() {
        table.sync();
    }

    @Override
    public void close() {
        table.close();
    }

    /**
     * A walk reads the maps, so what this thread staged is applied first: the earlier commands of a read batch
     * (group commit) or of an EXEC, or this command's own writes (RANDOMKEY's lazy expiry before it picks again).
     */
    private void applyStaged() {
        if (batches.holdsWrites()) batches.flush();
    }
}
