package io.simplekv.command.server;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Help;
import io.simplekv.command.ServerContext;
import io.simplekv.command.Session;
import io.simplekv.keyspace.Database;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;


import static io.simplekv.command.CommandSpec.command;

/**
 * MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS and PURGE. The replies have Redis 7.0.15's shapes and field names; the
 * numbers are the JVM's (heap in use for "allocated", committed heap for "active", the process's RSS for "resident"),
 * since there is no jemalloc to ask.
 */
final class MemoryCommands {
    /** Redis's doctor gives up below this much allocated memory; we judge emptiness by keys instead (see doctor). */
    private static final String EMPTY = "Hi Sam, this instance is empty or is using very little memory, my issues "
            + "detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with "
            + "some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
    private static final String HEALTHY = "Hi Sam, I can't find any memory issue in your instance. I can only "
            + "account for what occurs on this base.\n";

    private MemoryCommands() {}

    static void register(CommandTable.Builder t) {
        t.add(command("memory", null)
                .sub(command("usage", MemoryCommands::usage))
                .sub(command("stats", (c, a, o) -> stats(c.server(), o)))
                .sub(command("doctor", (c, a, o) -> o.verbatim("txt", keyCount(c.server()) == 0 ? EMPTY : HEALTHY)))
                // Redis without jemalloc answers these two so; the JVM's allocator has no report or purge to offer.
                .sub(command("malloc-stats", (c, a, o) -> o.bulk("Stats not supported for the current allocator")))
                .sub(command("purge", (c, a, o) -> o.ok()))
                .sub(command("help", (c, a, o) -> Help.reply(o, "MEMORY",
                        "DOCTOR", "    Return memory problems reports.",
                        "MALLOC-STATS", "    Return internal statistics report from the memory allocator.",
                        "PURGE", "    Attempt to purge dirty pages for reclamation by the allocator.",
                        "STATS", "    Return information about the memory usage of the server.",
                        "USAGE <key> [SAMPLES <count>]", "    Return memory in bytes used by <key> and its value. Nested values are",
                        "    sampled up to <count> times (default: 5, 0 means sample all)."))));
    }

    static void usage(Session c, byte[][] a, ReplySink out) {
        int samples = 5;
        if (a.length == 5 && Args.is(a[3], "SAMPLES")) samples = (int) Math.max(0, Math.min(Integer.MAX_VALUE, Args.toLong(a[4])));
        else if (a.length != 3) throw RedisError.SYNTAX;
        byte[] rec = c.db().lookup(a[2]);
        if (rec == null) out.nullBulk();
        else out.integer(c.db().memoryUsage(a[2], rec, samples));
    }

    private static long keyCount(ServerContext s) {
        long keys = 0;
        for (int i = 0; i < s.keyspace().databases(); i++) keys += s.keyspace().db(i).size();
        return keys;
    }

    /** MEMORY STATS: Redis's getMemoryOverheadData fields in its order ({@link MemoryOverhead}). */
    static void stats(ServerContext s, ReplySink out) {
        // The JVM's heap stands for the allocator's figures.
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        long active = rt.totalMemory();
        long resident = InfoReport.residentSetSize();
        MemoryOverhead m = MemoryOverhead.of(s);
        long allocated = m.total();
        int nonEmpty = 0;
        for (int i = 0; i < s.keyspace().databases(); i++) if (s.keyspace().db(i).size() > 0) nonEmpty++;
        out.map(27 + nonEmpty);
        field(out, "peak.allocated", m.peak());
        field(out, "total.allocated", allocated);
        field(out, "startup.allocated", m.startup());
        field(out, "replication.backlog", 0);
        field(out, "clients.slaves", 0);
        field(out, "clients.normal", m.clients());
        field(out, "cluster.links", 0);
        field(out, "aof.buffer", 0);
        field(out, "lua.caches", m.luaCaches());
        field(out, "functions.caches", m.functionCaches());
        for (int i = 0; i < s.keyspace().databases(); i++) {
            Database db = s.keyspace().db(i);
            if (db.size() == 0) continue;
            out.bulk("db." + i);
            out.map(3);
            field(out, "overhead.hashtable.main", m.mainTables()[i]);
            field(out, "overhead.hashtable.expires", m.expireTables()[i]);
            field(out, "overhead.hashtable.slot-to-keys", 0); // cluster mode only
        }
        field(out, "overhead.total", m.overhead());
        field(out, "keys.count", m.keys());
        field(out, "keys.bytes-per-key", m.keys() == 0 ? 0 : m.net() / m.keys());
        field(out, "dataset.bytes", m.dataset());
        ratio(out, "dataset.percentage", m.datasetPercentage());
        ratio(out, "peak.percentage", m.peakPercentage());
        field(out, "allocator.allocated", heapUsed);
        field(out, "allocator.active", active);
        field(out, "allocator.resident", resident);
        ratio(out, "allocator-fragmentation.ratio", heapUsed == 0 ? 0 : (float) active / heapUsed);
        field(out, "allocator-fragmentation.bytes", active - heapUsed);
        ratio(out, "allocator-rss.ratio", active == 0 ? 0 : (float) resident / active);
        field(out, "allocator-rss.bytes", resident - active);
        ratio(out, "rss-overhead.ratio", 1f);
        field(out, "rss-overhead.bytes", 0);
        ratio(out, "fragmentation", allocated == 0 ? 0 : (float) resident / allocated);
        field(out, "fragmentation.bytes", resident - allocated);
    }

    private static void field(ReplySink out, String name, long value) {
        out.bulk(name);
        out.integer(value);
    }

    /** Redis keeps these as floats and replies them as doubles: widening the float gives its exact digits. */
    private static void ratio(ReplySink out, String name, float value) {
        out.bulk(name);
        out.doubleValue(value);
    }
}
