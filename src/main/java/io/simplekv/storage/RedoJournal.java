package io.simplekv.storage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.zip.CRC32C;

/**
 * Chronicle Map rewrites an existing entry in place. A process killed in the middle of that leaves an entry whose
 * checksum no longer matches, and recovery drops it: the key loses the value it had, which was acknowledged.
 * So a rewrite first records the key and its new record here and clears the record once the rewrite is done;
 * recovery replays whatever is left, which is exactly the rewrites a kill cut short. Each writing thread has its
 * own slot, and a slot's value carries a CRC, so a torn journal write (its rewrite had not begun) is ignored.
 * The page cache outlives a killed process, so nothing here needs forcing to disk.
 */
final class RedoJournal implements AutoCloseable {
    private static final AtomicLong NEXT_SLOT = new AtomicLong();
    private static final ThreadLocal<byte[]> SLOT = ThreadLocal.withInitial(
            () -> ByteBuffer.allocate(8).putLong(NEXT_SLOT.getAndIncrement()).array());

    private final MapChain slots;

    RedoJournal(Path dir, boolean recover) {
        this.slots = new MapChain(dir, "journal", 1024, 8, 4096, recover);
    }

    /** Before rewriting {@code key}: its new record, in this thread's slot. */
    void record(byte[] key, byte[] rec) {
        ByteBuffer b = ByteBuffer.allocate(8 + key.length + rec.length);
        b.putInt(0).putInt(key.length).put(key).put(rec);
        byte[] entry = b.array();
        CRC32C crc = new CRC32C();
        crc.update(entry, 4, entry.length - 4);
        ByteBuffer.wrap(entry).putInt((int) crc.getValue());
        slots.newest().map().put(SLOT.get(), entry);
    }

    /** After the rewrite: nothing of it needs replaying any more. */
    void done() {
        byte[] slot = SLOT.get();
        for (MapChain.Generation g : slots.generations()) g.map().remove(slot);
    }

    /** Recovery: hands every whole recorded rewrite to {@code put}, then empties the journal. */
    void replay(BiConsumer<byte[], byte[]> put) {
        for (MapChain.Generation g : slots.generations()) {
            g.map().forEach((slot, entry) -> {
                if (entry.length < 8) return;
                ByteBuffer b = ByteBuffer.wrap(entry);
                int stored = b.getInt();
                CRC32C crc = new CRC32C();
                crc.update(entry, 4, entry.length - 4);
                int keyLength = b.getInt();
                if (stored != (int) crc.getValue() || keyLength < 0 || keyLength > entry.length - 8) return;
                byte[] key = new byte[keyLength];
                b.get(key);
                byte[] rec = new byte[b.remaining()];
                b.get(rec);
                put.accept(key, rec);
            });
        }
        slots.clear();
    }

    void close(boolean force) {
        slots.close(force);
    }

    @Override
    public void close() {
        close(true);
    }
}
