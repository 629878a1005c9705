package io.simplekv.storage;

import java.util.Arrays;

/**
 * How a chronicle table lays a key's value out as a record, the bytes of one map entry. Every record starts with
 * a tag byte: {@link #INLINE} then the value itself, or {@link #CHUNKED} then a {@link ChunkPointer} to a value
 * too large for one entry. The tag travels with the record everywhere (staged, journaled, replayed), so whoever
 * holds a record can tell the two kinds apart without asking the maps.
 */
final class RecordFormat {
    static final byte INLINE = 0;
    static final byte CHUNKED = 1;
    /** Where an inline record's value starts: after its tag byte. */
    static final int VALUE_START = 1;

    private RecordFormat() {}

    /** Whether a value of this length is stored inline by a table that cuts values into {@code chunkSize} parts. */
    static boolean fitsInline(int valueLength, int chunkSize) {
        return valueLength + VALUE_START <= chunkSize;
    }

    static byte[] inline(byte[] value) {
        byte[] rec = new byte[value.length + VALUE_START];
        rec[0] = INLINE;
        System.arraycopy(value, 0, rec, VALUE_START, value.length);
        return rec;
    }

    static boolean isInline(byte[] rec) {
        return rec[0] == INLINE;
    }

    /** A copy of an inline record's value. */
    static byte[] inlineValue(byte[] rec) {
        return Arrays.copyOfRange(rec, VALUE_START, rec.length);
    }
}
