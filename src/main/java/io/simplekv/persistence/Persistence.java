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
    public static final String MEMORY_ENGINE_SAVE =
            "the memory storage engine keeps nothing on disk, so there is nothing to save (start with --storage chronicle to persist data)";
    private static final String SAVE_IN_PROGRESS = "Background save already in progress";

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

    /** A memory engine's RDB snapshot was written (SAVE, BGSAVE): every change so far is on disk. */
    public void snapshotSaved() {
        synchronized (syncLock) {
            changesSaved = changes.sum();
            lastSaveMillis = System.currentTimeMillis();
            saves++;
        }
    }

    /** An RDB file was just loaded (startup, DEBUG RELOAD): its keys are what is on disk, not changes to save. */
    public void snapshotLoaded() {
        synchronized (syncLock) {
            changesSaved = changes.sum();
        }
    }

    /** SAVE: forces everything now, on the caller's thread. */
    public void save() {
        if (!persistent) throw RedisError.err(MEMORY_ENGINE_SAVE);
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
        if (!persistent) throw RedisError.err(MEMORY_ENGINE_SAVE);
        if (!bgsaveRunning.compareAndSet(false, true)) {
            if (!schedule) throw RedisError.err(SAVE_IN_PROGRESS);
            bgsaveScheduled = true;
            return "Background saving scheduled";
        }
        bgsaveStartedAt = System.currentTimeMillis();
        worker().execute(this::runBgsave);
        return "Background saving started";
    }

    private void runBgsave() {
        try {
            syncChanges(true);
            lastBgsaveOk = true;
        } catch (RuntimeException | OutOfMemoryError e) {
            lastBgsaveOk = false;
            log.warn("Background saving failed: {}", e.getMessage());
        } finally {
            lastBgsaveSeconds = (System.currentTimeMillis() - bgsaveStartedAt) / 1000;
            bgsaveRunning.set(false);
        }
        if (bgsaveScheduled) {
            bgsaveScheduled = false;
            bgsave(false);
        }
        log.info("Background saving terminated with {}", lastBgsaveOk ? "success" : "failure");
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
