package io.simplekv.observe;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory maxmemory is held to: the JVM heap as the last garbage collection left it (the live data, not the
 * garbage made since, which the heap's current use counts and the next collection frees), less what evictions have
 * freed since that collection. Read on every command while maxmemory is set, so it is kept up to date by the
 * collectors' notifications rather than asked for.
 */
public final class HeapGauge {
    private volatile long afterLastGc = -1;
    private final AtomicLong freedSince = new AtomicLong();

    public HeapGauge() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter emitter)) continue;
            emitter.addNotificationListener((n, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = 0;
                for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) used += u.getUsed();
                afterLastGc = used;
                freedSince.set(0);
            }, null, null);
        }
    }

    /** The heap's live bytes as of the last collection (before any, its current use), less evictions since. */
    public long used() {
        long base = afterLastGc;
        if (base < 0) {
            Runtime rt = Runtime.getRuntime();
            base = rt.totalMemory() - rt.freeMemory();
        }
        return Math.max(0, base - freedSince.get());
    }

    /** An eviction freed about this many bytes: counted until the next collection measures it for real. */
    public void freed(long bytes) {
        freedSince.addAndGet(bytes);
    }
}
