package io.simplekv.keyspace;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis's LRU clock and LFU counter arithmetic (evict.c), on a clock the test moves. */
class AccessClockTest {
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
    private boolean lfu;
    private int decay = 1;
    private final AccessClock clock = new AccessClock(() -> lfu, () -> 10, () -> decay, millis::get);

    private void advance(long ms) {
        millis.addAndGet(ms);
        clock.tick();
    }

    @Test
    void lruIdleTimeCountsSecondsSinceTheLastAccessAndOnlyMovesWithTheCachedClock() {
        int created = clock.created();
        millis.addAndGet(5_000);
        assertEquals(0, clock.idleSeconds(created), "the clock moves when the cron ticks, not per call");
        clock.tick();
        assertEquals(5, clock.idleSeconds(created));
        int touched = clock.touched(created);
        assertEquals(0, clock.idleSeconds(touched));
        advance(2_000);
        assertEquals(2, clock.idleSeconds(touched));
        assertEquals(0, clock.idleSeconds(clock.overwritten(touched)), "an overwrite is an access under LRU");
        assertEquals(0, clock.idleSeconds(-1), "an engine without the field reports 0");
    }

    @Test
    void theLruClockWrapsAt24Bits() {
        int justBeforeWrap = AccessClock.LRU_CLOCK_MAX - 10;
        long nowClock = millis.get() / 1000 & AccessClock.LRU_CLOCK_MAX;
        // A field from before the wrap is nowClock + (MAX - field) seconds old, as estimateObjectIdleTime says.
        if (nowClock < justBeforeWrap) assertEquals(nowClock + 10, clock.idleSeconds(justBeforeWrap));
    }

    @Test
    void restoredIdleTimeIsAnAbsoluteAccessInThePast() {
        assertEquals(1000, clock.idleSeconds(clock.restored(1000, -1, 0)));
        assertEquals(123, clock.restored(-1, 42, 123), "no IDLETIME given under LRU: the field stays");
        lfu = true;
        assertEquals(42, clock.frequency(clock.restored(1000, 42, 0)), "under LFU the frequency counts");
    }

    @Test
    void lfuCountersStartAtFiveGrowLogarithmicallyAndDecayPerMinute() {
        lfu = true;
        int bits = clock.created();
        assertEquals(AccessClock.LFU_INIT_VAL, clock.frequency(bits));
        bits = clock.touched(bits);
        assertEquals(6, clock.frequency(bits), "at the initial value the first access always counts");
        for (int i = 0; i < 1_000; i++) bits = clock.touched(bits);
        int counter = clock.frequency(bits);
        // With lfu-log-factor 10, redis.conf's table gives 18 after 1K hits (and 255 only after ~1M).
        assertTrue(counter > 12 && counter < 26, "counter " + counter);
        assertEquals(bits, clock.overwritten(bits), "an overwrite keeps the counter under LFU");
        advance(3 * 60_000);
        assertEquals(counter - 3, clock.frequency(bits), "one decrement per lfu-decay-time minute");
        decay = 0;
        assertEquals(counter, clock.frequency(bits), "lfu-decay-time 0: no decay");
        decay = 1;
        advance(600 * 60_000L);
        assertEquals(0, clock.frequency(bits), "decays to zero, not below");
    }
}
