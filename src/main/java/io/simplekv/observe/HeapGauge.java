package io.simplekv.observe;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory INFO reports as used_memory and maxmemory is held to: the heap outside the young generation's eden
 * (what survived a collection: the data, not the garbage each command leaves, which the next young collection
 * frees), less what evictions freed that no collection has given back yet. A command reads it only while
 * maxmemory is set.
 */
public final class HeapGauge {
    private final List<MemoryPoolMXBean> kept;
    private final AtomicLong freedSince = new AtomicLong();

    public HeapGauge() {
        kept = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && !p.getName().contains("Eden"))
                .toList();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter emitter)) continue;
            emitter.addNotificationListener((n, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
                collected(info.getMemoryUsageBeforeGc(), info.getMemoryUsageAfterGc());
            }, null, null);
        }
    }

    /** A collection shrank the kept pools: the evictions' bytes are now gone for real, up to that much. */
    private void collected(Map<String, MemoryUsage> before, Map<String, MemoryUsage> after) {
        long shrunk = 0;
        for (MemoryPoolMXBean p : kept) {
            MemoryUsage b = before.get(p.getName()), a = after.get(p.getName());
            if (b != null && a != null && b.getUsed() > a.getUsed()) shrunk += b.getUsed() - a.getUsed();
        }
        long confirmed = shrunk;
        freedSince.updateAndGet(f -> Math.max(0, f - confirmed));
    }

    /** The pools' use as last read, and when: read at most once a millisecond, not on every command. */
    private volatile long pools;
    private volatile long readAt = System.nanoTime() - 2_000_000;

    /** The heap's kept bytes now (as of at most a millisecond ago), less evictions no collection has accounted for. */
    public long used() {
        long now = System.nanoTime();
        if (now - readAt > 1_000_000) {
            long used = 0;
            for (MemoryPoolMXBean p : kept) used += p.getUsage().getUsed();
            pools = used;
            readAt = now;
        }
        return Math.max(0, pools - freedSince.get());
    }

    /** An eviction freed about this many bytes: counted until a collection gives them back. */
    public void freed(long bytes) {
        freedSince.addAndGet(bytes);
    }
}
