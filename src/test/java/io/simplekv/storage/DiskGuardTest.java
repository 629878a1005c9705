package io.simplekv.storage;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskGuardTest {
    private final AtomicLong free = new AtomicLong(100);
    private final AtomicLong clock = new AtomicLong();
    private final DiskGuard guard = new DiskGuard(Path.of("/data"), free::get, clock::get);

    @Test
    void aChronicleFailureCausedByTheFileSystemIsADiskFull() {
        // The shape Chronicle Map throws when it can't fallocate an extra segment tier.
        RuntimeException tier = new RuntimeException("ChronicleMap{name=null, file=/data/x.cmap}",
                new IOException("Not enough space to fallocate 1 MiB to / unallocated was 0 MiB"));
        StorageException e = guard.onWriteFailure(tier);
        assertNotNull(e);
        assertTrue(e.getMessage().startsWith("disk full: the chronicle engine can't grow its files in /data "
                + "(Not enough space to fallocate 1 MiB"), e.getMessage());
        assertNotNull(guard.onWriteFailure(new UncheckedIOException("can't create g3", new IOException("No space left on device"))));
    }

    @Test
    void otherFailuresAreNotDiskFull() {
        assertNull(guard.onWriteFailure(new IllegalStateException("a bug")));
        assertNull(guard.refusal());
    }

    @Test
    void writesAreRefusedUntilFreeSpaceGrows() {
        guard.onWriteFailure(new UncheckedIOException(new IOException("No space left on device")));
        assertNotNull(guard.refusal());
        free.addAndGet(DiskGuard.RECOVERY_BYTES);
        assertNotNull(guard.refusal(), "free space is looked at once a second, not per command");
        clock.addAndGet(1_000_000_000L);
        assertNull(guard.refusal());
        assertEquals(false, guard.full());
    }

    @Test
    void aSmallGainIsNotEnough() {
        guard.onWriteFailure(new UncheckedIOException(new IOException("No space left on device")));
        free.addAndGet(DiskGuard.RECOVERY_BYTES - 1);
        clock.addAndGet(2_000_000_000L);
        assertNotNull(guard.refusal());
    }
}
