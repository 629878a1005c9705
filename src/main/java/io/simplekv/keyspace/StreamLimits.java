package io.simplekv.keyspace;

/**
 * When a stream starts a new page: Redis's stream-node-max-entries (entries in a node, deleted ones included) and
 * stream-node-max-bytes (the node's listpack size). 0 means no bound, except that bytes are capped as Redis caps
 * them (a listpack can't pass 1 GB).
 */
public record StreamLimits(long maxEntries, long maxBytes) {
    public static final StreamLimits REDIS_DEFAULTS = new StreamLimits(100, 4096);
    /** Redis's STREAM_LISTPACK_MAX_SIZE: no listpack, and no single entry, may pass it. */
    public static final long LISTPACK_MAX_SIZE = 1L << 30;

    long effectiveMaxBytes() {
        return maxBytes == 0 || maxBytes > LISTPACK_MAX_SIZE ? LISTPACK_MAX_SIZE : maxBytes;
    }
}
