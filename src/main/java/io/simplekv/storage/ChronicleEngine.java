package io.simplekv.storage;

import io.simplekv.config.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Tables as off-heap Chronicle Maps persisted under {@code dir}, one directory per table
 * ({@code dir/db0.chronicle/}). The data directory is locked for the life of the engine. A marker file written
 * by {@link #close} and deleted at open tells a restart whether the last process shut down cleanly; if not,
 * every map is opened with Chronicle's recovery, which repairs segments a killed writer left locked or half
 * written. Each table is handed out behind a {@link StagingOverlay}, which makes a command's writes all-or-nothing
 * (see {@link WriteBatches}).
 */
public final class ChronicleEngine implements StorageEngine {
    public static final String LOCK_FILE = "simplekv.lock";
    static final String CLEAN_MARKER = "chronicle.clean-shutdown";
    static final String JOURNAL_DIR = "redo.journal";
    private static final String TABLE_SUFFIX = ".chronicle";
    private static final String TRASH_PREFIX = ".trash-";

    /**
     * How new maps are sized; files already on disk keep the sizing they were made with. {@code chunkSize} bounds
     * the part of a large value stored per map entry, {@code chunkEntries} sizes the first chunk map.
     */
    public record Sizing(long entries, int averageKeySize, int averageValueSize, int chunkSize, long chunkEntries) {
        public static final int DEFAULT_CHUNK_SIZE = 16 * 1024;

        public static Sizing of(ServerConfig config) {
            long entries = Long.parseLong(config.get("chronicle-entries"));
            return new Sizing(entries, Integer.parseInt(config.get("chronicle-average-key-size")),
                    Integer.parseInt(config.get("chronicle-average-value-size")), DEFAULT_CHUNK_SIZE,
                    Math.max(64, entries / 256));
        }
    }

    /** Another process holds the data directory. */
    public static final class DirectoryLockedException extends IOException {
        DirectoryLockedException(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final Sizing sizing;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final boolean recover;
    private final CrashWindow window;
    private final RedoJournal journal;
    private final WriteBatches batches;
    /** Writes of batches a kill cut short, by table name, applied as each table opens. */
    private final Map<String, List<WriteBatches.Replayed>> replay = new ConcurrentHashMap<>();
    private boolean killedQuietly;
    /** The last process did not close the engine: its tables may hold chunks no record points at. */
    private boolean uncleanStop;
    /** Table directories still to be opened with recovery; when none is left, recovery is complete. */
    private final Set<Path> awaitingRecovery = ConcurrentHashMap.newKeySet();
    private final Set<ChronicleStorage> open = ConcurrentHashMap.newKeySet();
    private final DiskGuard disk;
    private volatile boolean closed;

    private ChronicleEngine(Path dir, Sizing sizing, FileChannel lockChannel, FileLock lock, CrashWindow window,
                            List<Path> recoverTables, RedoJournal journal) {
        this.dir = dir;
        this.sizing = sizing;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.window = window;
        this.journal = journal;
        this.batches = new WriteBatches(journal, window);
        for (byte[] batch : journal.unfinished()) {
            for (WriteBatches.Replayed w : WriteBatches.decode(batch)) {
                replay.computeIfAbsent(w.table(), t -> new java.util.ArrayList<>()).add(w);
            }
        }
        if (replay.isEmpty()) journal.clear();
        this.recover = !recoverTables.isEmpty();
        this.awaitingRecovery.addAll(recoverTables);
        this.disk = new DiskGuard(dir);
    }

    /** Locks {@code dir} and decides between a plain open and recovery; throws DirectoryLockedException if in use. */
    public static ChronicleEngine open(Path dir, Sizing sizing) throws IOException {
        Files.createDirectories(dir);
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new DirectoryLockedException("data directory " + dir.toAbsolutePath().normalize()
                    + " is in use by another simplekv process (" + lockFile.getFileName() + " is locked)");
        }
        CrashWindow window = null;
        try {
            Path marker = dir.resolve(CLEAN_MARKER);
            boolean clean = Files.deleteIfExists(marker);
            // The marker's removal must be on disk before any write, or a crash now would pass for a clean stop.
            if (clean) fsyncDirectory(dir);
            deleteTrash(dir);
            window = CrashWindow.open(dir);
            // Killed with no map operation in flight (and no reboot since): the files are whole, no recovery needed.
            boolean whole = clean || window.previousStopWasQuiet();
            List<Path> recoverTables = whole ? List.of() : tables(dir);
            if (recoverTables.isEmpty()) window.recovered();
            else window.recovering();
            Path journalDir = dir.resolve(JOURNAL_DIR);
            Files.createDirectories(journalDir);
            RedoJournal journal = new RedoJournal(journalDir);
            ChronicleEngine engine = new ChronicleEngine(dir, sizing, ch, lock, window, recoverTables, journal);
            engine.killedQuietly = !clean && whole && !tables(dir).isEmpty();
            engine.uncleanStop = !clean;
            return engine;
        } catch (IOException | RuntimeException e) {
            if (window != null) window.close();
            lock.release();
            ch.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "chronicle";
    }

    /** The tables' entries as last sampled; -1 until the first sample. */
    private volatile long sampledBytes = -1;
    private final java.util.concurrent.atomic.AtomicLong evictedSinceSample = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The entries of every open table, in their maps' files (keys, values and entry headers; not the hash slots
     * and other space a map reserves up front), as of the last {@link #sampleBytes}, less what evictions removed
     * since. Counting per write would need each overwritten or removed value's size, which a write does not read.
     */
    @Override
    public long bytes() {
        if (sampledBytes < 0) sampleBytes();
        return Math.max(0, sampledBytes - evictedSinceSample.get());
    }

    @Override
    public synchronized void sampleBytes() {
        long used = 0;
        for (ChronicleStorage s : open) used += s.usedBytes();
        sampledBytes = used;
        evictedSinceSample.set(0);
    }

    @Override
    public void evicted(long bytes) {
        evictedSinceSample.addAndGet(bytes);
    }

    @Override
    public void begin() {
        batches.begin();
    }

    @Override
    public void commit() {
        batches.commit();
    }

    @Override
    public void flush() {
        batches.flush();
    }

    @Override
    public boolean stagesWrites() {
        return true;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public String writeRefusal() {
        return disk.refusal();
    }

    /** The last process was killed, but outside every map operation: its files open as they are. */
    public boolean killedQuietly() {
        return killedQuietly;
    }

    /** Whether tables are opened with recovery because the last process did not shut down cleanly. */
    public boolean recovering() {
        return recover;
    }

    @Override
    public Storage open(String table) {
        Path d = tableDir(table);
        ChronicleStorage s = track(d, awaitingRecovery.contains(d));
        if (uncleanStop) {
            long dropped = s.dropOrphanChunks();
            if (dropped > 0) {
                org.slf4j.LoggerFactory.getLogger("simplekv").warn("dropped {} chunks of values never stored in {} "
                        + "(writes the last process's kill cut short)", dropped, d);
            }
        }
        if (awaitingRecovery.remove(d) && awaitingRecovery.isEmpty()) window.recovered();
        return new StagingOverlay(s, batches);
    }

    private Path tableDir(String table) {
        return dir.resolve(table + TABLE_SUFFIX);
    }

    private ChronicleStorage track(Path tableDir, boolean recoverTable) {
        if (closed) throw new IllegalStateException("engine closed");
        ChronicleStorage[] self = new ChronicleStorage[1];
        ChronicleStorage s = new ChronicleStorage(tableDir, sizing, recoverTable, disk, window, () -> open.remove(self[0]));
        self[0] = s;
        List<WriteBatches.Replayed> cut = replay.remove(s.name());
        if (cut != null) {
            WriteBatches.replay(s, cut);
            if (replay.isEmpty()) journal.clear();
        }
        open.add(s);
        return s;
    }

    /**
     * Renames the old table's directory away (atomic, so a crash never leaves half a flushed table behind),
     * deletes it, and starts an empty table in its place. The old storage's own directory is reused, not
     * {@code table}'s, because SWAPDB may have moved storages between databases.
     */
    @Override
    public Storage recreate(String table, Storage old) {
        if (!(old instanceof StagingOverlay overlay)) throw new IllegalArgumentException("not a chronicle table: " + table);
        batches.flush(); // writes this command staged before the flush (inside EXEC) land first, as they would have
        ChronicleStorage cs = overlay.table();
        Path d = cs.dir();
        cs.discard();
        try {
            if (Files.exists(d)) {
                Path trash = dir.resolve(TRASH_PREFIX + d.getFileName() + "-" + System.nanoTime());
                Files.move(d, trash, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(trash);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("can't flush " + d, e);
        }
        return new StagingOverlay(track(d, false), batches);
    }

    /**
     * Forces and closes every table, then writes the clean-shutdown marker, which promises the next start that
     * every file is whole on disk. If any table could not be forced the marker is not written (the next start
     * recovers) and the failure is rethrown after everything is closed.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            RuntimeException failed = null;
            for (ChronicleStorage s : List.copyOf(open)) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    if (failed == null) failed = e;
                    else failed.addSuppressed(e);
                }
            }
            if (failed != null) throw failed;
            journal.close();
            window.close();
            Files.createFile(dir.resolve(CLEAN_MARKER));
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("can't mark " + dir + " as cleanly closed", e);
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException ignored) {
                // the process is going away; the OS drops the lock with it
            }
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static List<Path> tables(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(TABLE_SUFFIX)).toList();
        }
    }

    private static void deleteTrash(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().startsWith(TRASH_PREFIX)) deleteTree(p);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
