package io.simplekv.command;

import io.simplekv.keyspace.Keyspace;
import io.simplekv.observe.HeapGauge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * INFO's used_memory, and what maxmemory holds the server to. On the memory engine it is counted as Redis counts
 * zmalloc's: the bytes the keyspace's records and pages take on the heap (arrays, entries and table slots, kept as
 * each write changes them), on top of the heap the server used before any data (measured once at start). So it
 * rises with the write that grew the data, not a collection later, and falls when a key goes (a big collection's
 * pages when the lazy freer has freed them). The chronicle engine keeps its data off the heap, in its maps' files,
 * and can't count it per write (an overwrite or removal does not read the old value's size): there the data is what
 * its maps' entries take, sampled by the cron ten times a second, less what evictions removed since the sample. The
 * heap's kept bytes ({@link HeapGauge}) are the measure only for an engine that reports neither.
 */
public final class UsedMemory {
    private final Keyspace keyspace;
    private final HeapGauge heap;
    private final long baseline;
    /** Evicted collections whose pages wait for the lazy freer: counted as freed until nothing waits any more. */
    private final AtomicLong evictedPending = new AtomicLong();
    /** The most {@link #bytes} has said (used_memory_peak, MEMORY STATS's peak.allocated). */
    private final AtomicLong peak = new AtomicLong();

    /** The clients' own memory (query buffers, arguments, unsent replies: tot-mem), which Redis's zmalloc counts too. */
    private final java.util.function.LongSupplier clients;

    UsedMemory(Keyspace keyspace, HeapGauge heap, java.util.function.LongSupplier clients) {
        this.keyspace = keyspace;
        this.heap = heap;
        this.clients = clients;
        this.baseline = heap.used();
    }

    /** used_memory. */
    public long bytes() {
        long data = keyspace.storedBytes();
        long used;
        if (data < 0) {
            used = heap.used();
        } else {
            if (evictedPending.get() > 0 && keyspace.space().pendingCollections() == 0) evictedPending.set(0);
            used = Math.max(0, baseline + data - evictedPending.get()) + clients.getAsLong();
        }
        if (used > peak.get()) peak.accumulateAndGet(used, Math::max);
        return used;
    }

    /** What the server used before any data (used_memory_startup, MEMORY STATS's startup.allocated). */
    public long startup() {
        return baseline;
    }

    /** The most used_memory has been, as far as anyone asked (Redis samples its peak in its cron the same way). */
    public long peak() {
        return Math.max(peak.get(), bytes());
    }

    /** An eviction freed about this many bytes; {@code pagesPending}: some of them wait for the lazy freer. */
    void evicted(long bytes, boolean pagesPending) {
        if (keyspace.storedBytes() < 0) heap.freed(bytes);
        else if (pagesPending) evictedPending.addAndGet(bytes);
        else keyspace.engine().evicted(bytes);
    }
}
