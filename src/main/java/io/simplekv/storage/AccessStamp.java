package io.simplekv.storage;

/**
 * Redis's 24-bit per-key access field ({@code robj.lru}): an LRU clock, or with an LFU policy the minutes of the
 * last decrement and a logarithmic counter. The keyspace decides what the bits mean; an engine that keeps them
 * beside its records asks this for their value as a key is created, overwritten and read.
 */
public interface AccessStamp {
    /** No field is kept (-1 is what {@link Storage#access} answers then). */
    int UNTRACKED = -1;

    /** The field of a key that did not exist. */
    int created();

    /** The field of an existing key whose record is replaced. */
    int overwritten(int old);

    /** The field after a read that counts as an access. */
    int touched(int old);

    /** Keeps nothing meaningful: every key's field stays 0. */
    AccessStamp NONE = new AccessStamp() {
        @Override
        public int created() {
            return 0;
        }

        @Override
        public int overwritten(int old) {
            return old;
        }

        @Override
        public int touched(int old) {
            return old;
        }
    };
}
