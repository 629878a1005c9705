package io.simplekv.command;

import java.nio.ByteBuffer;

/** A key of one database, usable as a map key (ByteBuffer compares content): what WATCH and blocking wait on. */
record DbKey(int db, ByteBuffer key) {
    static DbKey copyOf(int db, byte[] key) {
        return new DbKey(db, ByteBuffer.wrap(key.clone()));
    }

    /** For lookups only: shares the caller's array, which must not change while the probe is in use. */
    static DbKey probe(int db, byte[] key) {
        return new DbKey(db, ByteBuffer.wrap(key));
    }
}
