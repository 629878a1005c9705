package io.simplekv.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * What the chronicle engine does when the disk fills. Chronicle Map fallocates its files (a new map, a new
 * generation, an extra segment tier), so a full disk shows up as a failed put that changed nothing, never as a
 * fault on a mapped page. The put's command gets an error; from then on commands that may grow the data are
 * refused up front (so a multi-key command is not left half applied), until the free space under {@code dir} has
 * grown again. Reads, deletes and the rest keep working throughout.
 */
public final class DiskGuard {
    /** Free space that must appear after a failure before writes are let through again. */
    static final long RECOVERY_BYTES = 1L << 20;
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path dir;
    private final LongSupplier usableSpace;
    private final LongSupplier nanoClock;
    private volatile boolean full;
    private volatile long freeAtFailure;
    private volatile long checkedAt;
    private volatile String reason = "";

    public DiskGuard(Path dir) {
        this(dir, () -> usableSpace(dir), System::nanoTime);
    }

    /** With the free-space probe and the clock supplied, so a test can fill and free a disk. */
    public DiskGuard(Path dir, LongSupplier usableSpace, LongSupplier nanoClock) {
        this.dir = dir;
        this.usableSpace = usableSpace;
        this.nanoClock = nanoClock;
    }

    private static long usableSpace(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * If {@code failure} (thrown by a Chronicle write) came from the file system, records the disk as full and
     * returns the exception the command should fail with; otherwise returns null and the caller rethrows.
     */
    public StorageException onWriteFailure(Throwable failure) {
        String cause = diskCause(failure);
        if (cause == null) return null;
        reason = cause;
        freeAtFailure = usableSpace.getAsLong();
        checkedAt = nanoClock.getAsLong();
        full = true;
        return new StorageException(message());
    }

    /** The reply for a command that may grow the data while the disk is full, or null to let it run. */
    public String refusal() {
        if (!full) return null;
        long now = nanoClock.getAsLong();
        if (now - checkedAt >= RECHECK_NANOS) {
            checkedAt = now;
            if (usableSpace.getAsLong() >= freeAtFailure + RECOVERY_BYTES) {
                full = false;
                return null;
            }
        }
        return message();
    }

    public boolean full() {
        return full;
    }

    private String message() {
        return "disk full: the chronicle engine can't grow its files in " + dir.toAbsolutePath().normalize() + " ("
                + reason + "); stored data is still readable, writes are refused until space is freed";
    }

    /** The file-system error behind a Chronicle failure, or null when the failure is something else. */
    static String diskCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException || c instanceof UncheckedIOException) {
                String m = c.getMessage();
                return m == null ? c.getClass().getSimpleName() : m;
            }
            // A fault on a mapped page (SIGBUS: a page the file system could not back), should one ever happen.
            if (c instanceof InternalError && String.valueOf(c.getMessage()).contains("unsafe memory access")) {
                return c.getMessage();
            }
        }
        return null;
    }
}
