package io.simplekv.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Where {@link WriteBatches} puts a command's writes before applying them. Chronicle Map rewrites an existing
 * entry in place, and a process killed in the middle leaves an entry whose checksum no longer matches, which
 * recovery drops (with the value the key had before); a command writing several records could also be cut between
 * them. What is left here at a restart is exactly what a kill cut short, and is applied again.
 *
 * <p>Each writing thread has its own memory-mapped slot file {@code slot-N}: {@code [length 4][crc 4][batch]}.
 * The batch is copied in first and the header written last (a release store), so a slot whose header is not whole
 * and matching is a batch that had not begun; clearing a slot is one 4-byte store. The page cache outlives a
 * killed process, so nothing here needs forcing to disk.
 */
final class RedoJournal implements AutoCloseable {
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int HEADER = 8, INITIAL = 1 << 20;

    private final Path dir;
    private final AtomicInteger nextSlot = new AtomicInteger();
    private final ThreadLocal<Slot> slot;
    private final List<Slot> opened = new ArrayList<>();

    /** One writing thread's mapped slot file. */
    final class Slot {
        final Path file;
        FileChannel channel;
        MappedByteBuffer map;

        Slot(Path file) {
            this.file = file;
            map(INITIAL);
        }

        void map(int size) {
            try {
                if (channel == null) channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
                map.order(ByteOrder.nativeOrder());
            } catch (IOException e) {
                throw new UncheckedIOException("can't map the redo journal " + file, e);
            }
        }
    }

    RedoJournal(Path dir) {
        this.dir = dir;
        this.slot = ThreadLocal.withInitial(() -> {
            Slot s = new Slot(dir.resolve("slot-" + nextSlot.getAndIncrement()));
            synchronized (opened) {
                opened.add(s);
            }
            return s;
        });
    }

    /** This thread's slot, for {@link #record} and {@link #done}: looked up once per batch. */
    Slot slot() {
        return slot.get();
    }

    /** Before applying a batch: the batch, in this thread's slot. */
    void record(Slot s, byte[] batch) {
        if (HEADER + batch.length > s.map.capacity()) s.map(Integer.highestOneBit(HEADER + batch.length) << 1);
        CRC32C crc = new CRC32C();
        crc.update(batch);
        s.map.put(HEADER, batch);
        s.map.putInt(4, (int) crc.getValue());
        INTS.setRelease(s.map, 0, batch.length);
    }

    /** After the batch is applied: nothing of it needs replaying any more. */
    void done(Slot s) {
        INTS.setRelease(s.map, 0, 0);
    }

    /** Every whole batch the last process left; a torn one (it was never begun) is skipped. */
    List<byte[]> unfinished() {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().startsWith("slot-")) continue;
                byte[] all = Files.readAllBytes(f);
                if (all.length < HEADER) continue;
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(all).order(ByteOrder.nativeOrder());
                int length = b.getInt(0), stored = b.getInt(4);
                if (length <= 0 || length > all.length - HEADER) continue;
                CRC32C crc = new CRC32C();
                crc.update(all, HEADER, length);
                if ((int) crc.getValue() == stored) out.add(java.util.Arrays.copyOfRange(all, HEADER, HEADER + length));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("can't read the redo journal in " + dir, e);
        }
        return out;
    }

    /** After a replay: every slot file is emptied (the next process maps its own). */
    void clear() {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().startsWith("slot-")) Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("can't clear the redo journal in " + dir, e);
        }
    }

    @Override
    public void close() {
        synchronized (opened) {
            for (Slot s : opened) {
                try {
                    s.channel.close();
                } catch (IOException ignored) {
                    // the mapping stays valid until collected; nothing is lost
                }
            }
        }
    }
}
