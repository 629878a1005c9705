package io.simplekv.command.server;

import io.simplekv.command.ServerContext;
import io.simplekv.keyspace.Database;

/**
 * Redis's getMemoryOverheadData over used_memory's measure, for MEMORY STATS and INFO memory alike: what the
 * server used at start, the clients' buffers (tot-mem), the script caches, an estimate of each database's table overhead (a slot and an entry per
 * key, as Redis's dict costs), and the dataset as what is left.
 */
record MemoryOverhead(long total, long peak, long startup, long clients, long luaCaches, long functionCaches,
                      long[] mainTables, long[] expireTables, long keys) {

    static MemoryOverhead of(ServerContext s) {
        long total = s.usedMemory().bytes();
        long startup = Math.min(total, s.usedMemory().startup());
        long peak = Math.max(total, s.usedMemory().peak());
        int dbs = s.keyspace().databases();
        long[] main = new long[dbs], expires = new long[dbs];
        long keys = 0;
        for (int i = 0; i < dbs; i++) {
            Database db = s.keyspace().db(i);
            keys += db.size();
            main[i] = tableBytes(db.size());
            expires[i] = tableBytes(db.volatileKeys());
        }
        return new MemoryOverhead(total, peak, startup, s.clients().memory(), s.scripts().cachedScriptBytes(),
                InfoReport.functionBytes(s.scripts()), main, expires, keys);
    }

    /** What a Redis dict of n entries costs: a bucket pointer and a 24-byte entry each. */
    private static long tableBytes(long entries) {
        return entries * (8 + 24);
    }

    /** overhead.total / used_memory_overhead. */
    long overhead() {
        long tables = 0;
        for (int i = 0; i < mainTables.length; i++) tables += mainTables[i] + expireTables[i];
        return startup + clients + luaCaches + functionCaches + tables;
    }

    /** dataset.bytes / used_memory_dataset. */
    long dataset() {
        return Math.max(0, total - overhead());
    }

    /** What the data added to the start: Redis's net_usage. */
    long net() {
        return total - startup;
    }

    /** dataset.percentage / used_memory_dataset_perc. */
    float datasetPercentage() {
        return net() <= 0 ? 0 : dataset() * 100f / net();
    }

    /** peak.percentage / used_memory_peak_perc. */
    float peakPercentage() {
        return peak == 0 ? 0 : total * 100f / peak;
    }
}
