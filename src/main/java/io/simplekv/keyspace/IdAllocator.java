package io.simplekv.keyspace;

import io.simplekv.storage.Storage;

import java.nio.charset.StandardCharsets;

/**
 * Hands out the ids that name a big collection's pages. Ids are reserved in blocks recorded in the meta table
 * before use, so after a restart (of a persistent engine) no id is handed out twice.
 */
final class IdAllocator {
    private static final byte[] KEY = "next-collection-id".getBytes(StandardCharsets.US_ASCII);
    private static final long BLOCK = 1 << 16;

    private final Storage meta;
    private long next;
    private long reservedUpTo;

    IdAllocator(Storage meta) {
        this.meta = meta;
        byte[] stored = meta.get(KEY);
        this.next = stored == null ? 1 : Records.getLong(stored, 0);
        this.reservedUpTo = next;
    }

    synchronized long next() {
        if (next == reservedUpTo) {
            reservedUpTo = next + BLOCK;
            meta.put(KEY, Records.longBytes(reservedUpTo));
        }
        return next++;
    }
}
