package io.simplekv.pubsub;

import java.util.Arrays;

/**
 * A channel or pattern name as a hash key. It may view a range of a larger array, so a publish can probe the
 * pattern index with each prefix of the channel without copying it.
 */
final class Name {
    final byte[] bytes;
    final int offset;
    final int length;
    private final int hash;

    Name(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    Name(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        int h = 1;
        for (int i = offset; i < offset + length; i++) h = 31 * h + bytes[i];
        this.hash = h;
    }

    /** The bytes on their own, for replies; stored names always view a whole array. */
    byte[] toArray() {
        return offset == 0 && length == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, offset + length);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Name n && n.hash == hash
                && Arrays.equals(bytes, offset, offset + length, n.bytes, n.offset, n.offset + n.length);
    }
}
