package io.simplekv.storage;

/**
 * A table as {@link WriteBatches} sees it: where a command's staged records are applied when it ends, and where a
 * restart replays a batch a kill cut short. Records are whole map entries, tag byte first ({@link RecordFormat}),
 * exactly as the journal holds them.
 */
interface BatchTarget {

    /** The table's name as the journal records it. */
    String name();

    /** A number that tells tables apart cheaply (for hashing staged keys; need not be unique). */
    int batchId();

    /** Makes {@code rec} the key's record. */
    void applyRecord(byte[] key, byte[] rec);

    /** Removes the key's record. */
    void applyRemoval(byte[] key);

    /**
     * Writes [from, to) of the inline {@code value} over the key's stored value in place, where the stored value
     * differs from it only there and the engine can overwrite it; false, having written nothing, otherwise.
     */
    boolean applyPatch(byte[] key, byte[] value, int from, int to);

    /**
     * Frees what a staged record holds outside itself (a chunked value's chunks) when a later write of the same
     * batch replaced it before it was applied: nothing stored or journaled points at it.
     */
    void discardUnapplied(byte[] key, byte[] rec);
}
