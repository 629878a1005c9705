package io.simplekv.persistence;

import io.simplekv.config.ServerConfig;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.protocol.RedisError;
import io.simplekv.cron.Chore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * When a persistent engine's files are forced to disk, and what SAVE, BGSAVE, LASTSAVE and INFO persistence say
 * about it. A write is in the mapped files (so it survives the process) before it is acknowledged whatever the
 * policy; {@code appendfsync} decides when it also survives the machine: {@code always} forces the tables a read
 * batch changed before that batch's replies are sent (group commit), {@code everysec} forces them once a second
 * on a background thread, {@code no} leaves write-back to the kernel. A "save" is a force of every changed table,
 * so the last save time is the moment every acknowledged write was last known to be on disk.
 */
public final class Persistence {
    private static final Logger log = LoggerFactory.getLogger(Persistence.class);
    private static final String SAVE_IN_PROGRESS = "Background save already in progress";
    /** Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed background save, save points wait this long to retry. */
    private static final long BGSAVE_RETRY_DELAY_MS = 5000;
    /** Heap kept free beside a snapshot's copy of the data. */
    private static final long COPY_HEADROOM = 64L << 20;

    public enum Fsync { ALWAYS, EVERYSEC, NO }

    private final Keyspace keyspace;
    private final Supplier<ServerConfig> config;
    private final boolean persistent;
    private final Object syncLock = new Object();
    private final LongAdder changes = new LongAdder();
    private volatile long changesSaved;
    private volatile long lastSaveMillis = System.currentTimeMillis();
    private volatile long saves;
    private volatile boolean lastFsyncOk = true;
    private volatile long fsyncs;
    private volatile long lastFsyncMicros;
    private volatile long maxFsyncMicros;
    private final AtomicBoolean bgsaveRunning = new AtomicBoolean();
    private volatile boolean bgsaveScheduled;
    private volatile long bgsaveStartedAt;
    private volatile long lastBgsaveSeconds = -1;
    private volatile boolean lastBgsaveOk = true;
    private volatile long lastBgsaveTry;
    /** Memory-engine snapshots in the order they were taken (under every shard), so an older one never replaces a newer file. */
    private final java.util.concurrent.atomic.AtomicLong snapshotsTaken = new java.util.concurrent.atomic.AtomicLong();
    private long snapshotInstalled; // guarded by syncLock
    private volatile boolean warnedNoRoom;
    private volatile long lastCaptureMicros;
    private volatile long backgroundSnapshots;
    private ServerConfig savePointsOf;
    private SavePoints savePoints;
    private ScheduledExecutorService worker;
    private ServerConfig policyOf;
    private Fsync policy = Fsync.EVERYSEC;

    public Persistence(Keyspace keyspace, Supplier<ServerConfig> config) {
        this.keyspace = keyspace;
        this.config = config;
        this.persistent = keyspace.engine().persistent();
    }

    public boolean persistent() {
        return persistent;
    }

    /** The {@code appendfsync} policy in force (CONFIG SET changes it at once). */
    public Fsync policy() {
        ServerConfig c = config.get();
        synchronized (this) {
            if (c != policyOf) {
                policy = Fsync.valueOf(c.get("appendfsync").toUpperCase(java.util.Locale.ROOT));
                policyOf = c;
            }
            return policy;
        }
    }

    /** A write command ran. */
    public void changed() {
        changes.increment();
    }

    /** Whether replies to writes must wait for a force (appendfsync always on a persistent engine). */
    public boolean syncsBeforeReplies() {
        return persistent && policy() == Fsync.ALWAYS;
    }

    /**
     * Forces the changed tables before replies to writes go out (appendfsync always). Returns false when the
     * force failed, in which case the replies must not be sent: the writes are in the files but not known to be
     * on disk, so no client may take them as acknowledged.
     */
    public boolean beforeReplies() {
        if (!syncsBeforeReplies()) return true;
        try {
            syncChanges(false);
            return true;
        } catch (RuntimeException e) {
            log.warn("appendfsync always: forcing the data to disk failed, closing the client without replies: {}", e.getMessage());
            return false;
        }
    }

    /** Forces every table changed since the last sync. {@code save}: count it as a SAVE even if nothing changed. */
    private void syncChanges(boolean save) {
        synchronized (syncLock) {
            long upTo = changes.sum();
            if (!save && upTo == changesSaved) return;
            long start = System.nanoTime();
            try {
                keyspace.sync();
                lastFsyncOk = true;
            } catch (RuntimeException e) {
                lastFsyncOk = false;
                throw e;
            }
            long micros = (System.nanoTime() - start) / 1000;
            fsyncs++;
            lastFsyncMicros = micros;
            if (micros > maxFsyncMicros) maxFsyncMicros = micros;
            changesSaved = upTo;
            lastSaveMillis = System.currentTimeMillis();
            if (save) saves++;
        }
    }

    /** A memory engine's RDB snapshot taken when {@code upTo} changes had been made is on disk. */
    private void snapshotSaved(long upTo) {
        synchronized (syncLock) {
            changesSaved = Math.max(changesSaved, upTo);
            lastSaveMillis = System.currentTimeMillis();
            saves++;
        }
    }

    /** The {@code save} points in force (CONFIG SET changes them at once). */
    public SavePoints savePoints() {
        ServerConfig c = config.get();
        synchronized (this) {
            if (c != savePointsOf) {
                savePoints = SavePoints.parse(c.get("save"));
                savePointsOf = c;
            }
            return savePoints;
        }
    }

    /**
     * The memory engine's synchronous save (SAVE, SHUTDOWN, FLUSHALL with save points, DEBUG RELOAD); the caller
     * holds every shard. A background save still writing is superseded: its older file is dropped, not installed,
     * as Redis kills its child.
     */
    public void saveSnapshot(SnapshotFile file) throws java.io.IOException {
        long taken = snapshotsTaken.incrementAndGet();
        long upTo = changes.sum();
        installIfNewest(file, taken, file.write(keyspace, "temp-" + ProcessHandle.current().pid() + ".rdb"));
        snapshotSaved(upTo);
    }

    /** SAVE on the memory engine refuses while a background save runs, as Redis's saveCommand does. */
    public void checkNoBackgroundSave() {
        if (bgsaveRunning.get()) throw RedisError.err(SAVE_IN_PROGRESS);
    }

    private boolean installIfNewest(SnapshotFile file, long taken, java.nio.file.Path temp) throws java.io.IOException {
        synchronized (syncLock) {
            if (taken > snapshotInstalled) {
                file.install(temp);
                snapshotInstalled = taken;
                return true;
            }
        }
        java.nio.file.Files.deleteIfExists(temp);
        return false;
    }

    /** A snapshot taken under every shard: a frozen copy of the keyspace, to be written off the locks. */
    private record Capture(Keyspace copy, long taken, long upTo) {}

    /**
     * Holding every shard: copies the keyspace when the heap has room for a second copy of the data (Redis's fork
     * gets its copy-on-write view the same way, for the time of the copy), and returns it; otherwise writes and
     * installs the file now, under the locks, and returns null.
     */
    private Capture capture(SnapshotFile file) throws java.io.IOException {
        long start = System.nanoTime();
        backgroundSnapshots++;
        try {
            return captureOrWrite(file);
        } finally {
            lastCaptureMicros = (System.nanoTime() - start) / 1000;
        }
    }

    private Capture captureOrWrite(SnapshotFile file) throws java.io.IOException {
        long taken = snapshotsTaken.incrementAndGet();
        long upTo = changes.sum();
        long data = keyspace.storedBytes();
        Keyspace copy = data >= 0 && data * 2 + COPY_HEADROOM < Runtime.getRuntime().maxMemory() ? keyspace.copy() : null;
        if (copy != null) return new Capture(copy, taken, upTo);
        if (!warnedNoRoom) {
            warnedNoRoom = true;
            log.warn("The heap has no room for a copy of the data ({} bytes): background saves write while holding the keyspace", data);
        }
        if (installIfNewest(file, taken, file.write(keyspace, bgsaveTemp()))) snapshotSaved(upTo);
        return null;
    }

    private void writeCapture(SnapshotFile file, Capture c) throws java.io.IOException {
        if (installIfNewest(file, c.taken, file.write(c.copy, bgsaveTemp()))) snapshotSaved(c.upTo);
        else log.info("Background saving superseded by a newer save; its file was dropped");
    }

    private static String bgsaveTemp() {
        return "temp-bg-" + ProcessHandle.current().pid() + ".rdb";
    }

    /**
     * BGSAVE [SCHEDULE] on the memory engine; the command holds every shard, so the snapshot is of this moment.
     * The copy is taken here and written on the background thread.
     */
    public String bgsaveSnapshot(SnapshotFile file, boolean schedule) {
        if (!bgsaveRunning.compareAndSet(false, true)) {
            if (!schedule) throw RedisError.err(SAVE_IN_PROGRESS);
            bgsaveScheduled = true;
            return "Background saving scheduled";
        }
        startedBgsave();
        Capture c;
        try {
            c = capture(file);
        } catch (java.io.IOException | RuntimeException | OutOfMemoryError e) {
            finishedBgsave(e);
            return "Background saving started";
        }
        if (c == null) finishedBgsave(null);
        else worker().execute(() -> writeInBackground(file, c));
        return "Background saving started";
    }

    /**
     * serverCron's save points on the memory engine: a background save when one is due (enough changes in enough
     * seconds, and not within 5 s of a failed one) or was scheduled. The copy is taken on the background thread,
     * under every shard.
     */
    public void saveIfDue(SnapshotFile file) {
        if (persistent || bgsaveRunning.get()) return;
        long now = System.currentTimeMillis();
        SavePoints.Point due = null;
        if (!bgsaveScheduled) {
            if (!lastBgsaveOk && now - lastBgsaveTry <= BGSAVE_RETRY_DELAY_MS) return;
            due = savePoints().due(changesSinceLastSave(), (now - lastSaveMillis) / 1000);
            if (due == null) return;
        }
        if (!bgsaveRunning.compareAndSet(false, true)) return;
        bgsaveScheduled = false;
        if (due != null) log.info("{} changes in {} seconds. Saving...", due.changes(), due.seconds());
        startedBgsave();
        worker().execute(() -> {
            Capture c;
            try (io.simplekv.keyspace.UnitOfWork unit = keyspace.unit().everything().open()) {
                c = capture(file);
            } catch (java.io.IOException | RuntimeException | OutOfMemoryError e) {
                finishedBgsave(e);
                return;
            }
            if (c == null) finishedBgsave(null);
            else writeInBackground(file, c);
        });
    }

    private void writeInBackground(SnapshotFile file, Capture c) {
        try {
            writeCapture(file, c);
            finishedBgsave(null);
        } catch (java.io.IOException | RuntimeException | OutOfMemoryError e) {
            finishedBgsave(e);
        }
    }

    private void startedBgsave() {
        bgsaveStartedAt = System.currentTimeMillis();
        lastBgsaveTry = bgsaveStartedAt;
        log.info("Background saving started");
    }

    /** Ends a background save (either engine's); {@code failure} is null when it succeeded. */
    private void finishedBgsave(Throwable failure) {
        lastBgsaveOk = failure == null;
        if (failure != null) log.warn("Background saving error: {}", failure.toString());
        lastBgsaveSeconds = (System.currentTimeMillis() - bgsaveStartedAt) / 1000;
        bgsaveRunning.set(false);
        log.info("Background saving terminated with {}", lastBgsaveOk ? "success" : "failure");
    }

    /** An RDB file was just loaded (startup, DEBUG RELOAD): its keys are what is on disk, not changes to save. */
    public void snapshotLoaded() {
        synchronized (syncLock) {
            changesSaved = changes.sum();
        }
    }

    /** The memory engine saves through {@link #saveSnapshot} and {@link #bgsaveSnapshot}, never by forcing files. */
    private void requirePersistent() {
        if (!persistent) throw new IllegalStateException("the memory engine saves an RDB snapshot, not its files");
    }

    /** SAVE: forces everything now, on the caller's thread. */
    public void save() {
        requirePersistent();
        if (bgsaveRunning.get()) throw RedisError.err(SAVE_IN_PROGRESS);
        try {
            syncChanges(true);
        } catch (RuntimeException e) {
            log.warn("SAVE failed: {}", e.getMessage());
            throw RedisError.err("SAVE failed, the data could not be forced to disk: " + e.getMessage());
        }
    }

    /** BGSAVE [SCHEDULE]: returns the status reply. */
    public String bgsave(boolean schedule) {
        requirePersistent();
        if (!bgsaveRunning.compareAndSet(false, true)) {
            if (!schedule) throw RedisError.err(SAVE_IN_PROGRESS);
            bgsaveScheduled = true;
            return "Background saving scheduled";
        }
        startedBgsave();
        worker().execute(this::runBgsave);
        return "Background saving started";
    }

    private void runBgsave() {
        Throwable failure = null;
        try {
            syncChanges(true);
        } catch (RuntimeException | OutOfMemoryError e) {
            failure = e;
        }
        finishedBgsave(failure);
        if (bgsaveScheduled) {
            bgsaveScheduled = false;
            bgsave(false);
        }
    }

    /** Starts the once-a-second force for {@code appendfsync everysec}, on the persistence thread. */
    public void start() {
        if (!persistent) return;
        worker().scheduleWithFixedDelay(Chore.guarded("appendfsync everysec", this::everySecond), 1, 1, TimeUnit.SECONDS);
    }

    private void everySecond() {
        if (policy() != Fsync.EVERYSEC) return;
        boolean wasOk = lastFsyncOk;
        try {
            syncChanges(false);
            if (!wasOk) log.warn("appendfsync everysec: forcing the data to disk works again");
        } catch (RuntimeException e) {
            if (wasOk) log.warn("appendfsync everysec: forcing the data to disk failed (retrying every second): {}", e.getMessage());
        }
    }

    /** Stops the background thread, letting a running BGSAVE finish. */
    public void stop() {
        ScheduledExecutorService w;
        synchronized (this) {
            w = worker;
            worker = null;
        }
        if (w == null) return;
        w.shutdown();
        try {
            if (!w.awaitTermination(30, TimeUnit.SECONDS)) log.warn("a background save is still running at shutdown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Forces everything as the server stops (SHUTDOWN, SIGTERM); throws when the disk refuses. */
    public void syncForShutdown() {
        if (persistent) syncChanges(true);
    }

    private synchronized ScheduledExecutorService worker() {
        if (worker == null) {
            worker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "simplekv-fsync");
                t.setDaemon(true);
                return t;
            });
        }
        return worker;
    }

    /**
     * How long the last background snapshot held the keyspace (its copy, or the whole write when the heap had no
     * room for one), in µs: INFO's latest_fork_usec, the stall Redis's fork causes.
     */
    public long lastCaptureMicros() {
        return lastCaptureMicros;
    }

    /** Background snapshots taken on the memory engine: INFO's total_forks. */
    public long backgroundSnapshots() {
        return backgroundSnapshots;
    }

    public long changesSinceLastSave() {
        return changes.sum() - changesSaved;
    }

    public long lastSaveMillis() {
        return lastSaveMillis;
    }

    public boolean bgsaveInProgress() {
        return bgsaveRunning.get();
    }

    public long bgsaveRunningSeconds() {
        return bgsaveRunning.get() ? (System.currentTimeMillis() - bgsaveStartedAt) / 1000 : -1;
    }

    public long lastBgsaveSeconds() {
        return lastBgsaveSeconds;
    }

    public boolean lastBgsaveOk() {
        return lastBgsaveOk;
    }

    public boolean lastFsyncOk() {
        return lastFsyncOk;
    }

    public long saves() {
        return saves;
    }

    public long fsyncs() {
        return fsyncs;
    }

    public long lastFsyncMicros() {
        return lastFsyncMicros;
    }

    public long maxFsyncMicros() {
        return maxFsyncMicros;
    }
}
