package io.simplekv.command.server;

import io.simplekv.command.Args;
import io.simplekv.command.CommandSpec;
import io.simplekv.command.ServerContext;
import io.simplekv.command.Session;
import io.simplekv.command.connection.ConnectionCommands;
import io.simplekv.config.ServerConfig;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.observe.ServerStats;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Renders INFO with Redis's section and field names, so tools that parse INFO keep working. */
public final class InfoReport {
    private InfoReport() {}

    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");
    private static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace");

    static String render(Session c, byte[][] a) {
        Set<String> wanted = new LinkedHashSet<>();
        if (a.length == 1) wanted.addAll(DEFAULT);
        for (int i = 1; i < a.length; i++) {
            String s = Args.text(a[i]).toLowerCase(Locale.ROOT);
            switch (s) {
                case "default" -> wanted.addAll(DEFAULT);
                case "all", "everything" -> wanted.addAll(ALL);
                default -> wanted.add(s);
            }
        }
        ServerContext server = c.server();
        c.unit().flush(); // the keyspace section sizes tables, which must hold what this EXEC staged so far
        StringBuilder b = new StringBuilder();
        for (String section : ALL) {
            if (!wanted.contains(section)) continue;
            if (b.length() > 0) b.append("\r\n");
            switch (section) {
                case "server" -> server(b, server);
                case "clients" -> clients(b, server);
                case "memory" -> memory(b, server);
                case "persistence" -> persistence(b, server);
                case "stats" -> stats(b, server.stats(), server);
                case "replication" -> replication(b, server);
                case "cpu" -> cpu(b);
                case "modules" -> header(b, "Modules");
                case "commandstats" -> commandStats(b, server);
                case "errorstats" -> errorStats(b, server.stats());
                case "latencystats" -> latencyStats(b, server);
                case "cluster" -> {
                    header(b, "Cluster");
                    field(b, "cluster_enabled", 0);
                }
                case "keyspace" -> keyspace(b, server.keyspace());
                default -> { }
            }
        }
        return b.toString();
    }

    private static void header(StringBuilder b, String name) {
        b.append("# ").append(name).append("\r\n");
    }

    private static void field(StringBuilder b, String name, Object value) {
        b.append(name).append(':').append(value).append("\r\n");
    }

    private static void server(StringBuilder b, ServerContext s) {
        long uptime = (System.currentTimeMillis() - s.startedAt()) / 1000;
        header(b, "Server");
        field(b, "redis_version", ConnectionCommands.REDIS_VERSION);
        field(b, "simplekv_version", ServerContext.VERSION);
        field(b, "redis_git_sha1", "00000000");
        field(b, "redis_git_dirty", 0);
        field(b, "redis_mode", "standalone");
        field(b, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        field(b, "arch_bits", 64);
        field(b, "multiplexing_api", "netty");
        field(b, "java_version", System.getProperty("java.version"));
        field(b, "process_id", ProcessHandle.current().pid());
        field(b, "process_supervised", s.supervised());
        field(b, "run_id", s.runId());
        field(b, "tcp_port", s.port());
        field(b, "server_time_usec", System.currentTimeMillis() * 1000);
        field(b, "uptime_in_seconds", uptime);
        field(b, "uptime_in_days", uptime / 86400);
        field(b, "hz", s.config().hz);
        field(b, "configured_hz", s.config().hz);
        field(b, "storage_engine", s.keyspace().engine().name());
        field(b, "executable", "");
        field(b, "config_file", "");
        field(b, "io_threads_active", 0);
    }

    private static void clients(StringBuilder b, ServerContext s) {
        header(b, "Clients");
        field(b, "connected_clients", s.clients().size());
        field(b, "cluster_connections", 0);
        field(b, "maxclients", s.config().maxclients);
        field(b, "client_recent_max_input_buffer", 0);
        field(b, "client_recent_max_output_buffer", 0);
        field(b, "blocked_clients", s.blocking().blockedClients() + s.pause().heldClients());
        field(b, "tracking_clients", s.tracking().clients());
        field(b, "clients_in_timeout_table", 0);
    }

    private static void memory(StringBuilder b, ServerContext s) {
        ServerConfig config = s.config();
        Runtime rt = Runtime.getRuntime();
        // What maxmemory is held to (UsedMemory): the keyspace's bytes on the memory engine, the kept heap on chronicle.
        MemoryOverhead m = MemoryOverhead.of(s);
        long used = m.total();
        long rss = residentSetSize();
        header(b, "Memory");
        field(b, "used_memory", used);
        field(b, "used_memory_human", human(used));
        field(b, "used_memory_rss", rss);
        field(b, "used_memory_rss_human", human(rss));
        field(b, "used_memory_peak", m.peak());
        field(b, "used_memory_peak_human", human(m.peak()));
        field(b, "used_memory_peak_perc", String.format(Locale.ROOT, "%.2f%%", m.peakPercentage()));
        field(b, "used_memory_overhead", m.overhead());
        field(b, "used_memory_startup", m.startup());
        field(b, "used_memory_dataset", m.dataset());
        field(b, "used_memory_dataset_perc", String.format(Locale.ROOT, "%.2f%%", m.datasetPercentage()));
        field(b, "total_system_memory", totalSystemMemory());
        scriptMemory(b, s.scripts());
        field(b, "maxmemory", config.get("maxmemory"));
        field(b, "maxmemory_human", human(Long.parseLong(config.get("maxmemory"))));
        field(b, "maxmemory_policy", config.get("maxmemory-policy"));
        // Redis leaves replica and AOF buffers out of what it evicts for; simplekv has neither.
        field(b, "mem_not_counted_for_evict", 0);
        field(b, "mem_fragmentation_ratio", used == 0 ? "0.00" : String.format(Locale.ROOT, "%.2f", (double) rss / used));
        field(b, "mem_clients_slaves", 0);
        field(b, "mem_clients_normal", s.clients().memory());
        field(b, "mem_allocator", "jvm");
        field(b, "jvm_heap_max", rt.maxMemory());
        field(b, "lazyfree_pending_objects", s.keyspace().space().pendingCollections());
    }

    /** Redis 7.0's scripting fields: the two Lua states' heaps, the cached EVAL scripts and the FUNCTION libraries. */
    private static void scriptMemory(StringBuilder b, io.simplekv.scripting.Scripts scripts) {
        long eval = scripts.luaMemory(), functions = scripts.functions().luaMemory();
        long cached = scripts.cachedScriptBytes();
        long functionBytes = functionBytes(scripts);
        field(b, "used_memory_lua", eval);
        field(b, "used_memory_vm_eval", eval);
        field(b, "used_memory_lua_human", human(eval));
        field(b, "used_memory_scripts_eval", cached);
        field(b, "number_of_cached_scripts", scripts.cachedScripts());
        field(b, "number_of_functions", scripts.functions().functionCount());
        field(b, "number_of_libraries", scripts.functions().libraryCount());
        field(b, "used_memory_vm_functions", functions);
        field(b, "used_memory_vm_total", eval + functions);
        field(b, "used_memory_vm_total_human", human(eval + functions));
        field(b, "used_memory_functions", functionBytes);
        field(b, "used_memory_scripts", cached + functionBytes);
        field(b, "used_memory_scripts_human", human(cached + functionBytes));
    }

    /**
     * Redis's fields, truthful for our engines: a "save" is a force of the chronicle files to disk (SAVE, BGSAVE,
     * or appendfsync), so rdb_changes_since_last_save counts write commands not yet known to be on disk. The
     * memory engine never saves: its count only grows and its last save time is the start. There is no append-only
     * file (aof_enabled:0); storage_* fields say what the engine does instead.
     */
    private static void persistence(StringBuilder b, ServerContext s) {
        io.simplekv.persistence.Persistence p = s.persistence();
        header(b, "Persistence");
        field(b, "loading", 0);
        field(b, "async_loading", 0);
        field(b, "rdb_changes_since_last_save", p.changesSinceLastSave());
        field(b, "rdb_bgsave_in_progress", p.bgsaveInProgress() ? 1 : 0);
        field(b, "rdb_last_save_time", p.lastSaveMillis() / 1000);
        field(b, "rdb_last_bgsave_status", p.lastBgsaveOk() ? "ok" : "err");
        field(b, "rdb_last_bgsave_time_sec", p.lastBgsaveSeconds());
        field(b, "rdb_current_bgsave_time_sec", p.bgsaveRunningSeconds());
        field(b, "rdb_saves", p.saves());
        field(b, "aof_enabled", 0);
        field(b, "aof_rewrite_in_progress", 0);
        field(b, "aof_rewrite_scheduled", 0);
        field(b, "aof_last_write_status", "ok");
        field(b, "storage_engine", s.keyspace().engine().name());
        field(b, "storage_persistent", p.persistent() ? 1 : 0);
        if (p.persistent()) {
            field(b, "storage_fsync", p.policy().name().toLowerCase(Locale.ROOT));
            field(b, "storage_fsyncs", p.fsyncs());
            field(b, "storage_last_fsync_status", p.lastFsyncOk() ? "ok" : "err");
            field(b, "storage_last_fsync_usec", p.lastFsyncMicros());
            field(b, "storage_max_fsync_usec", p.maxFsyncMicros());
            String refusal = s.keyspace().engine().writeRefusal();
            field(b, "storage_disk_full", refusal == null ? 0 : 1);
        }
    }

    private static void stats(StringBuilder b, ServerStats st, ServerContext s) {
        header(b, "Stats");
        field(b, "total_connections_received", st.connectionsReceived.sum());
        field(b, "total_commands_processed", s.commandsProcessed());
        field(b, "instantaneous_ops_per_sec", s.opsPerSecond().perSecond());
        field(b, "total_net_input_bytes", st.netInputBytes.sum());
        field(b, "total_net_output_bytes", st.netOutputBytes.sum());
        field(b, "rejected_connections", st.rejectedConnections.sum());
        field(b, "expired_keys", st.expiredKeys.sum());
        field(b, "evicted_keys", st.evictedKeys.sum());
        field(b, "evicted_clients", st.evictedClients.sum());
        field(b, "keyspace_hits", st.keyspaceHits.sum());
        field(b, "keyspace_misses", st.keyspaceMisses.sum());
        field(b, "pubsub_channels", s.pubsub().channelCount(false));
        field(b, "pubsub_patterns", s.pubsub().numPat());
        field(b, "pubsubshard_channels", s.pubsub().channelCount(true));
        // No fork: a background save's copy of the data, taken holding the keyspace, is the stall a fork would be.
        // MIGRATE opens its connection per call (Redis keeps one cached for 10 s), so that count stays 0.
        field(b, "latest_fork_usec", s.persistence().lastCaptureMicros());
        field(b, "total_forks", s.persistence().backgroundSnapshots());
        field(b, "migrate_cached_sockets", 0);
        field(b, "tracking_total_keys", s.tracking().totalKeys());
        field(b, "tracking_total_items", s.tracking().totalItems());
        field(b, "tracking_total_prefixes", s.tracking().totalPrefixes());
        field(b, "total_error_replies", st.errorReplies.sum());
        field(b, "lazyfreed_objects", st.lazyfreedObjects.sum());
    }

    private static void replication(StringBuilder b, ServerContext s) {
        header(b, "Replication");
        MasterLink link = s.masterLink();
        field(b, "role", link == null ? "master" : "slave");
        if (link != null) {
            field(b, "master_host", link.host());
            field(b, "master_port", link.port());
            field(b, "master_link_status", link.state() == MasterLink.State.CONNECTED ? "up" : "down");
            field(b, "master_last_io_seconds_ago", link.state() == MasterLink.State.CONNECTED ? link.secondsSinceIo() : -1);
            field(b, "master_sync_in_progress", link.state() == MasterLink.State.SYNC ? 1 : 0);
            field(b, "slave_read_repl_offset", link.offset());
            field(b, "slave_repl_offset", link.offset());
            field(b, "slave_priority", 100);
            field(b, "slave_read_only", "yes".equals(s.config().get("replica-read-only")) ? 1 : 0);
            field(b, "replica_announced", 1);
        }
        field(b, "connected_slaves", s.replication().replicas());
        field(b, "master_replid", s.replication().replId());
        field(b, "master_repl_offset", s.replication().offset());
    }

    private static void cpu(StringBuilder b) {
        header(b, "CPU");
        double[] cpu = io.simplekv.observe.ProcessCpu.systemAndUser();
        field(b, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", cpu[0]));
        field(b, "used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu[1]));
        // No child processes: a BGSAVE here is a thread, not a fork.
        field(b, "used_cpu_sys_children", "0.000000");
        field(b, "used_cpu_user_children", "0.000000");
    }

    /**
     * INFO latencystats: per command with calls, the latency-tracking-info-percentiles of its latency histogram, as
     * upper bounds of the buckets they fall in (Redis reads them off its HDR histogram).
     */
    private static void latencyStats(StringBuilder b, ServerContext s) {
        header(b, "Latencystats");
        String[] wanted = s.config().get("latency-tracking-info-percentiles").trim().split("\\s+");
        for (CommandSpec spec : s.commands().all()) {
            List<CommandSpec> specs = new ArrayList<>(List.of(spec));
            specs.addAll(spec.subcommands.values());
            for (CommandSpec x : specs) {
                long calls = 0;
                for (int i = 0; i < io.simplekv.command.CommandStats.BUCKETS; i++) calls += x.stats.latencyCount(i);
                if (calls == 0) continue;
                b.append("latency_percentiles_usec_").append(x.fullName).append(':');
                for (int p = 0; p < wanted.length; p++) {
                    if (wanted[p].isEmpty()) continue;
                    double pct = Double.parseDouble(wanted[p]);
                    long rank = (long) Math.ceil(pct / 100.0 * calls), seen = 0;
                    double at = 0;
                    for (int i = 0; i < io.simplekv.command.CommandStats.BUCKETS; i++) {
                        seen += x.stats.latencyCount(i);
                        if (seen >= Math.max(1, rank)) {
                            at = io.simplekv.command.CommandStats.bucketMicros(i);
                            break;
                        }
                    }
                    if (p > 0) b.append(',');
                    b.append('p').append(new java.math.BigDecimal(wanted[p]).stripTrailingZeros().toPlainString()).append('=')
                            .append(String.format(Locale.ROOT, "%.3f", at));
                }
                b.append("\r\n");
            }
        }
    }

    private static void commandStats(StringBuilder b, ServerContext s) {
        header(b, "Commandstats");
        List<CommandSpec> specs = new ArrayList<>();
        for (CommandSpec spec : s.commands().all()) {
            specs.add(spec);
            specs.addAll(spec.subcommands.values());
        }
        for (CommandSpec spec : specs) {
            long calls = spec.stats.calls.sum(), rejected = spec.stats.rejectedCalls.sum();
            if (calls == 0 && rejected == 0) continue;
            long usec = spec.stats.nanos.sum() / 1000;
            b.append("cmdstat_").append(spec.fullName).append(":calls=").append(calls).append(",usec=").append(usec)
                    .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : (double) usec / calls))
                    .append(",rejected_calls=").append(rejected).append(",failed_calls=").append(spec.stats.failedCalls.sum())
                    .append("\r\n");
        }
    }

    private static void errorStats(StringBuilder b, ServerStats st) {
        header(b, "Errorstats");
        new java.util.TreeMap<>(st.errorsByPrefix).forEach((prefix, n) ->
                b.append("errorstat_").append(prefix).append(":count=").append(n.sum()).append("\r\n"));
    }

    private static void keyspace(StringBuilder b, Keyspace ks) {
        header(b, "Keyspace");
        for (int i = 0; i < ks.databases(); i++) {
            Database db = ks.db(i);
            long keys = db.size();
            if (keys == 0) continue;
            b.append("db").append(i).append(":keys=").append(keys).append(",expires=").append(db.volatileKeys())
                    .append(",avg_ttl=0\r\n");
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + "B";
        String[] units = {"K", "M", "G", "T", "P"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, units[u]);
    }

    /** The FUNCTION libraries' code and bookkeeping, as used_memory_functions and MEMORY STATS count them. */
    static long functionBytes(io.simplekv.scripting.Scripts scripts) {
        long bytes = 0;
        for (io.simplekv.scripting.Functions.Library lib : scripts.functions().libraries()) bytes += lib.code().length + 64;
        return bytes;
    }

    static long residentSetSize() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }
}
