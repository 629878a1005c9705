package io.simplekv.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis's latency monitor (latency.c): for each event class ("command", "fast-command"...), the samples at or over
 * latency-monitor-threshold, one per second (the worst of that second), the last 160 kept, and the all-time max.
 */
public final class LatencyMonitor {
    private static final int SAMPLES = 160;

    /** One event class's samples: seconds since the epoch and milliseconds, a ring. */
    public static final class Series {
        final long[] time = new long[SAMPLES];
        final long[] latency = new long[SAMPLES];
        int idx;
        long max;

        /** The samples, oldest first, each {time, latency}. */
        public List<long[]> samples() {
            List<long[]> out = new ArrayList<>();
            for (int j = 0; j < SAMPLES; j++) {
                int i = (idx + j) % SAMPLES;
                if (time[i] != 0) out.add(new long[] {time[i], latency[i]});
            }
            return out;
        }

        public long[] latest() {
            int last = (idx + SAMPLES - 1) % SAMPLES;
            return new long[] {time[last], latency[last]};
        }

        public long max() {
            return max;
        }
    }

    private final Map<String, Series> events = new LinkedHashMap<>();

    /** latencyAddSampleIfNeeded: records {@code millis} for the event when the threshold is set and reached. */
    public void sample(String event, long millis, long thresholdMillis) {
        if (thresholdMillis <= 0 || millis < thresholdMillis) return;
        long now = System.currentTimeMillis() / 1000;
        synchronized (events) {
            Series ts = events.computeIfAbsent(event, e -> new Series());
            if (millis > ts.max) ts.max = millis;
            int prev = (ts.idx + SAMPLES - 1) % SAMPLES;
            if (ts.time[prev] == now) {
                if (millis > ts.latency[prev]) ts.latency[prev] = millis;
                return;
            }
            ts.time[ts.idx] = now;
            ts.latency[ts.idx] = millis;
            ts.idx = (ts.idx + 1) % SAMPLES;
        }
    }

    /** A copy of the event classes and their series, in the order they first appeared. */
    public Map<String, Series> events() {
        synchronized (events) {
            return new LinkedHashMap<>(events);
        }
    }

    public Series series(String event) {
        synchronized (events) {
            return events.get(event);
        }
    }

    /** LATENCY RESET: forgets one event class (or all, for null); how many were forgotten. */
    public int reset(String event) {
        synchronized (events) {
            if (event == null) {
                int n = events.size();
                events.clear();
                return n;
            }
            return events.remove(event) != null ? 1 : 0;
        }
    }
}
