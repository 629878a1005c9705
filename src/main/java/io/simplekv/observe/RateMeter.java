package io.simplekv.observe;

/**
 * Redis's instantaneous metrics: a ring of the last 16 per-second rates, each taken from two successive samples
 * of a running total. Sampled by the single cron thread; read by INFO from any thread.
 */
public final class RateMeter {
    private static final int SAMPLES = 16;
    private final long[] rates = new long[SAMPLES];
    private int next;
    private long lastTotal = -1;
    private long lastMillis;

    public synchronized void sample(long total, long nowMillis) {
        if (lastTotal >= 0 && nowMillis > lastMillis) {
            rates[next] = (total - lastTotal) * 1000 / (nowMillis - lastMillis);
            next = (next + 1) % SAMPLES;
        }
        lastTotal = total;
        lastMillis = nowMillis;
    }

    public synchronized long perSecond() {
        long sum = 0;
        for (long r : rates) sum += r;
        return sum / SAMPLES;
    }
}
