package io.simplekv.storage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * Where {@link WriteBatches} puts a command's writes before applying them. Chronicle Map rewrites an existing
 * entry in place, and a process killed in the middle leaves an entry whose checksum no longer matches, which
 * recovery drops (with the value the key had before); a command writing several records could also be cut between
 * them. What is left here at a restart is exactly what a kill cut short, and is applied again. Each writing thread
 * has its own slot, and a slot's value carries a CRC, so a torn journal write (whose batch had not begun) is
 * ignored. The page cache outlives a killed process, so nothing here needs forcing to disk.
 */
final class RedoJournal implements AutoCloseable {
    private static final AtomicLong NEXT_SLOT = new AtomicLong();
    private static final ThreadLocal<byte[]> SLOT = ThreadLocal.withInitial(
            () -> ByteBuffer.allocate(8).putLong(NEXT_SLOT.getAndIncrement()).array());

    private final MapChain slots;

    RedoJournal(Path dir, boolean recover) {
        this.slots = new MapChain(dir, "journal", 1024, 8, 4096, recover);
    }

    /** Before applying a batch: the batch, in this thread's slot. */
    void record(byte[] batch) {
        byte[] entry = new byte[4 + batch.length];
        System.arraycopy(batch, 0, entry, 4, batch.length);
        CRC32C crc = new CRC32C();
        crc.update(entry, 4, batch.length);
        ByteBuffer.wrap(entry).putInt((int) crc.getValue());
        slots.newest().map().put(SLOT.get(), entry);
    }

    /** After the batch is applied: nothing of it needs replaying any more. */
    void done() {
        byte[] slot = SLOT.get();
        for (MapChain.Generation g : slots.generations()) g.map().remove(slot);
    }

    /** Every whole batch left from the last process; a torn one (it was never applied) is skipped. */
    List<byte[]> unfinished() {
        List<byte[]> out = new ArrayList<>();
        for (MapChain.Generation g : slots.generations()) {
            g.map().forEach((slot, entry) -> {
                if (entry.length < 4) return;
                CRC32C crc = new CRC32C();
                crc.update(entry, 4, entry.length - 4);
                if (ByteBuffer.wrap(entry).getInt() == (int) crc.getValue()) out.add(Arrays.copyOfRange(entry, 4, entry.length));
            });
        }
        return out;
    }

    void clear() {
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
