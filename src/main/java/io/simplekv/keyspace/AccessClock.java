package io.simplekv.keyspace;

import io.simplekv.storage.AccessStamp;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What Redis keeps in each key's 24-bit {@code lru} field, computed as evict.c does: with an LRU (or no) policy a
 * clock in seconds ({@code LRU_CLOCK}), with an LFU policy the minutes of the last decrement in the high 16 bits and
 * a logarithmic access counter in the low 8 ({@code updateLFU}, {@code LFULogIncr}, {@code LFUDecrAndReturn}).
 * The clock is read from a cached value the cron refreshes ({@link #tick}), as Redis caches {@code server.lruclock}:
 * an access costs no system call.
 */
public final class AccessClock implements AccessStamp {
    static final int LRU_CLOCK_MAX = (1 << 24) - 1;
    /** Redis's LFU_INIT_VAL: a new key starts above zero so it is not evicted before it has had a chance. */
    static final int LFU_INIT_VAL = 5;

    private final BooleanSupplier lfu;
    private final IntSupplier logFactor;
    private final IntSupplier decayTime;
    private final LongSupplier millis;
    private volatile long now;

    public AccessClock(BooleanSupplier lfu, IntSupplier logFactor, IntSupplier decayTime, LongSupplier millis) {
        this.lfu = lfu;
        this.logFactor = logFactor;
        this.decayTime = decayTime;
        this.millis = millis;
        tick();
    }

    /** A clock for tables and tests without a configuration: LRU, Redis's default LFU settings. */
    public static AccessClock lru() {
        return new AccessClock(() -> false, () -> 10, () -> 1, System::currentTimeMillis);
    }

    /** Refreshes the cached time (the cron, hz times a second). */
    public void tick() {
        now = millis.getAsLong();
    }

    public boolean lfu() {
        return lfu.getAsBoolean();
    }

    private int lruClock() {
        return (int) ((now / 1000) & LRU_CLOCK_MAX);
    }

    private int minutes() {
        return (int) ((now / 1000 / 60) & 0xFFFF);
    }

    @Override
    public int created() {
        return lfu() ? minutes() << 8 | LFU_INIT_VAL : lruClock();
    }

    @Override
    public int overwritten(int old) {
        // Redis's dbOverwrite keeps an LFU key's counter (the lookup before the write already counted it).
        return lfu() ? old : lruClock();
    }

    @Override
    public int touched(int old) {
        if (!lfu()) return lruClock();
        int counter = logIncrement(decremented(old));
        return minutes() << 8 | counter;
    }

    /** OBJECT IDLETIME: seconds since the last access, from an LRU field (estimateObjectIdleTime). */
    public long idleSeconds(int bits) {
        if (bits == UNTRACKED) return 0;
        int clock = lruClock();
        return clock >= bits ? clock - bits : clock + (LRU_CLOCK_MAX - bits);
    }

    /** OBJECT FREQ: the LFU counter, decayed by the time since its last decrement (LFUDecrAndReturn). */
    public int frequency(int bits) {
        return bits == UNTRACKED ? 0 : decremented(bits);
    }

    /** The field a key RESTOREd with IDLETIME or FREQ gets (objectSetLRUOrLFU); -1 for a value not given. */
    public int restored(long idleSeconds, int freq, int current) {
        if (lfu()) return freq >= 0 ? minutes() << 8 | freq : current;
        if (idleSeconds < 0) return current;
        long at = lruClock() - idleSeconds;
        if (at < 0) at += LRU_CLOCK_MAX;
        return (int) at;
    }

    private int decremented(int bits) {
        int lastDecrement = bits >>> 8 & 0xFFFF;
        int counter = bits & 0xFF;
        int decay = decayTime.getAsInt();
        long periods = decay > 0 ? elapsedMinutes(lastDecrement) / decay : 0;
        return periods > counter ? 0 : (int) (counter - periods);
    }

    private long elapsedMinutes(int since) {
        int minutes = minutes();
        return minutes >= since ? minutes - since : 65535 - since + minutes;
    }

    private int logIncrement(int counter) {
        if (counter == 255) return 255;
        double base = Math.max(0, counter - LFU_INIT_VAL);
        double p = 1.0 / (base * logFactor.getAsInt() + 1);
        return ThreadLocalRandom.current().nextDouble() < p ? counter + 1 : counter;
    }
}
