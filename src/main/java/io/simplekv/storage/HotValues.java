package io.simplekv.storage;

import java.util.Arrays;

/**
 * Small values of one chronicle table read lately, on the heap: a read of a hot key (a GET, or the record every
 * collection command reads first) costs a Chronicle Map query context, a key search and a copy out of the file,
 * about 0.4 µs, where this is an array slot and a copy of a few bytes. Direct-mapped by the key's hash, so a slot
 * holds the last key read there and nothing is ever walked or evicted by age.
 *
 * <p>Coherence rests on the table's striped lock: every read and every change of a key runs under its stripe, and
 * a change empties the key's slot unconditionally (whatever key it holds) before it touches the maps, then caches
 * what it stored, so a value cached before the change is overwritten in the order the stripe imposes and no later
 * reader of that key can see it; a change that fails leaves the slot empty. Keys of other stripes
 * may overwrite a slot at any time, which only costs a miss. Slots hold immutable entries; a hit is copied out,
 * as a read of the maps would be.
 */
final class HotValues {
    /** Values up to this size are kept: a string, a collection's header, a small page. */
    static final int MAX_VALUE = 256;
    static final int SLOTS = 4096;

    private record Entry(byte[] key, long hash, byte[] value) {}

    private final Entry[] slots = new Entry[SLOTS];

    /** A copy of the key's cached value, or null when its slot holds something else. */
    byte[] get(byte[] key, long hash) {
        Entry e = slots[slot(hash)];
        if (e == null || e.hash != hash || !Arrays.equals(e.key, key)) return null;
        return e.value.clone();
    }

    /** Keeps the value just read from the maps or written to them (the caller's array stays the caller's). */
    void fill(byte[] key, long hash, byte[] value) {
        if (value.length <= MAX_VALUE) slots[slot(hash)] = new Entry(key.clone(), hash, value.clone());
    }

    /** Keeps the value of an inline record just stored. */
    void fillFromRecord(byte[] key, long hash, byte[] rec) {
        int n = rec.length - RecordFormat.VALUE_START;
        if (n <= MAX_VALUE) slots[slot(hash)] = new Entry(key.clone(), hash, Arrays.copyOfRange(rec, RecordFormat.VALUE_START, rec.length));
    }

    /** The key changes: its slot is emptied, whoever holds it. */
    void forget(long hash) {
        slots[slot(hash)] = null;
    }

    void clear() {
        Arrays.fill(slots, null);
    }

    private static int slot(long hash) {
        // The stripe takes the low bits; the slot the high ones.
        return (int) (hash >>> 40) & (SLOTS - 1);
    }
}
