package io.simplekv.tracking;

import java.util.Arrays;

/** A key or prefix as a map key: equal by bytes, ordered as Redis's radix trees iterate (unsigned bytes). */
record Key(byte[] bytes) implements Comparable<Key> {
    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Key o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    boolean startsWith(Key prefix) {
        return bytes.length >= prefix.bytes.length
                && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
    }

    /** stringCheckPrefix: one is a prefix of the other. */
    boolean overlaps(Key other) {
        int n = Math.min(bytes.length, other.bytes.length);
        return Arrays.equals(bytes, 0, n, other.bytes, 0, n);
    }
}
