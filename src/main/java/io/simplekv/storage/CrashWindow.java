package io.simplekv.storage;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Tells a restart after {@code kill -9} whether Chronicle's recovery (a pass over every file) is needed at all.
 * A map is only left locked or half written by a process killed inside one of its operations, so every table
 * operation counts itself in and out of a counter kept in a small memory-mapped file. The page cache outlives the
 * process, so after a kill the counter says whether anything was in flight: if nothing was, the files are whole
 * and open as they are. A power cut or kernel crash loses the page cache itself, so the file also records the
 * kernel's boot id, and a different boot means recovery as before; so does a recovery the crash interrupted.
 *
 * <p>File layout: boot id (36 ASCII bytes) at 0, recovery-pending flag (long) at 40, in-flight count (long) at 48.
 */
final class CrashWindow implements AutoCloseable {
    static final String FILE = "chronicle.activity";
    private static final int SIZE = 64, BOOT_ID = 0, BOOT_ID_LENGTH = 36, PENDING = 40, IN_FLIGHT = 48;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final Path BOOT_ID_PATH = Path.of("/proc/sys/kernel/random/boot_id");

    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final boolean quiet;

    private CrashWindow(FileChannel channel, MappedByteBuffer map, boolean quiet) {
        this.channel = channel;
        this.map = map;
        this.quiet = quiet;
    }

    /** Maps the file, remembering whether the last process stopped with nothing in flight on this boot. */
    static CrashWindow open(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        boolean existed = Files.exists(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
            byte[] boot = bootId();
            byte[] recorded = new byte[BOOT_ID_LENGTH];
            map.get(BOOT_ID, recorded);
            boolean quiet = existed && boot != null && Arrays.equals(boot, recorded)
                    && (long) LONGS.getVolatile(map, PENDING) == 0 && (long) LONGS.getVolatile(map, IN_FLIGHT) == 0;
            if (boot != null) map.put(BOOT_ID, boot);
            LONGS.setVolatile(map, IN_FLIGHT, 0L);
            return new CrashWindow(ch, map, quiet);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Whether the previous process, if it crashed, was outside every table operation (same boot). */
    boolean previousStopWasQuiet() {
        return quiet;
    }

    /** Recovery is under way: until {@link #recovered}, a crash means the next start recovers too. */
    void recovering() {
        LONGS.setVolatile(map, PENDING, 1L);
    }

    void recovered() {
        LONGS.setVolatile(map, PENDING, 0L);
    }

    void enter() {
        LONGS.getAndAdd(map, IN_FLIGHT, 1L);
    }

    void exit() {
        LONGS.getAndAdd(map, IN_FLIGHT, -1L);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static byte[] bootId() {
        try {
            byte[] id = Files.readString(BOOT_ID_PATH, StandardCharsets.US_ASCII).trim().getBytes(StandardCharsets.US_ASCII);
            return id.length == BOOT_ID_LENGTH ? id : null;
        } catch (IOException | RuntimeException e) {
            return null; // not Linux: every unclean stop recovers
        }
    }
}
