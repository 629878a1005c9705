package io.simplekv.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.simplekv.config.Directive.bool;
import static io.simplekv.config.Directive.integer;
import static io.simplekv.config.Directive.memoryOrPercent;
import static io.simplekv.config.Directive.memory;
import static io.simplekv.config.Directive.oneOf;
import static io.simplekv.config.Directive.string;
import static io.simplekv.config.Directive.words;

/**
 * The rest of Redis 7.0's configuration parameters (config.c's table, with its names, defaults, ranges, aliases
 * and mutability), accepted and reported but without effect here: a stock redis.conf loads, and tools that
 * CONFIG GET or SET them keep working. What does have effect is in {@link Directives}.
 */
final class CompatDirectives {
    private CompatDirectives() {}

    static final List<Directive> ALL = List.of(
            bool("rdbchecksum", true, false),
            bool("io-threads-do-reads", false, false),
            bool("always-show-logo", false, false),
            bool("rdbcompression", true, true),
            bool("rdb-del-sync-files", false, true),
            bool("stop-writes-on-bgsave-error", true, true),
            bool("set-proc-title", true, false),
            bool("dynamic-hz", true, true),
            bool("lazyfree-lazy-eviction", false, true),
            bool("lazyfree-lazy-expire", false, true),
            bool("lazyfree-lazy-server-del", false, true),
            bool("repl-disable-tcp-nodelay", false, true),
            bool("repl-diskless-sync", true, true),
            bool("aof-rewrite-incremental-fsync", true, true),
            bool("no-appendfsync-on-rewrite", false, true),
            bool("cluster-require-full-coverage", true, true),
            bool("rdb-save-incremental-fsync", true, true),
            bool("aof-load-truncated", true, true),
            bool("aof-use-rdb-preamble", true, true),
            bool("aof-timestamp-enabled", false, true),
            bool("cluster-replica-no-failover", false, true),
            bool("replica-lazy-flush", false, true),
            bool("replica-serve-stale-data", true, true),
            bool("replica-read-only", true, true),
            bool("replica-ignore-maxmemory", true, true),
            bool("jemalloc-bg-thread", true, true),
            bool("activedefrag", false, true),
            bool("syslog-enabled", false, false),
            bool("cluster-enabled", false, false),
            bool("cluster-allow-reads-when-down", false, true),
            bool("cluster-allow-pubsubshard-when-down", true, true),
            bool("crash-log-enabled", true, true),
            bool("crash-memcheck-enabled", true, true),
            bool("use-exit-on-panic", false, true),
            bool("disable-thp", true, false),
            bool("cluster-allow-replica-migration", true, true),
            bool("replica-announced", true, true),
            bool("latency-tracking", true, true),
            bool("aof-disable-auto-gc", false, true),
            bool("replica-ignore-disk-write-errors", false, true),
            bool("lua-enable-deprecated-api", false, false),
            string("aclfile", "", false),
            string("unixsocket", "", false),
            string("replica-announce-ip", "", true),
            string("masteruser", "", true),
            string("cluster-announce-ip", "", true),
            string("cluster-config-file", "nodes.conf", false),
            string("cluster-announce-hostname", "", true),
            string("syslog-ident", "redis", false),
            string("appenddirname", "appendonlydir", false),
            string("server_cpulist", "", false),
            string("bio_cpulist", "", false),
            string("aof_rewrite_cpulist", "", false),
            string("bgsave_cpulist", "", false),
            string("ignore-warnings", "", true),
            string("proc-title-template", "CONFIG_DEFAULT_PROC_TITLE_TEMPLATE", true),
            string("bind-source-addr", "", true),
            string("masterauth", "", true),
            oneOf("supervised", "no", false, "upstart", "systemd", "auto", "no"),
            oneOf("syslog-facility", "local0", false, "user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"),
            oneOf("repl-diskless-load", "disabled", true, "disabled", "on-empty-db", "swapdb"),
            oneOf("oom-score-adj", "no", true, "no", "yes", "relative", "absolute"),
            oneOf("acl-pubsub-default", "resetchannels", true, "allchannels", "resetchannels"),
            oneOf("sanitize-dump-payload", "no", true, "no", "yes", "clients"),
            oneOf("enable-protected-configs", "no", false, "no", "yes", "local"),
            oneOf("enable-module-command", "no", false, "no", "yes", "local"),
            oneOf("cluster-preferred-endpoint-type", "ip", true, "ip", "hostname", "unknown-endpoint"),
            oneOf("propagation-error-behavior", "ignore", true, "ignore", "panic", "panic-on-replicas"),
            oneOf("shutdown-on-sigint", "default", true, "default", "save", "nosave", "now", "force"),
            oneOf("shutdown-on-sigterm", "default", true, "default", "save", "nosave", "now", "force"),
            integer("auto-aof-rewrite-percentage", 100, 0, Integer.MAX_VALUE, true),
            integer("cluster-replica-validity-factor", 10, 0, Integer.MAX_VALUE, true),
            integer("cluster-migration-barrier", 1, 0, Integer.MAX_VALUE, true),
            integer("active-defrag-cycle-min", 1, 1, 99, true),
            integer("active-defrag-cycle-max", 25, 1, 99, true),
            integer("active-defrag-threshold-lower", 10, 0, 1000, true),
            integer("active-defrag-threshold-upper", 100, 0, 1000, true),
            integer("lfu-log-factor", 10, 0, Integer.MAX_VALUE, true),
            integer("lfu-decay-time", 1, 0, Integer.MAX_VALUE, true),
            integer("replica-priority", 100, 0, Integer.MAX_VALUE, true),
            integer("repl-diskless-sync-delay", 5, 0, Integer.MAX_VALUE, true),
            integer("maxmemory-eviction-tenacity", 10, 0, 100, true),
            integer("replica-announce-port", 0, 0, 65535, true),
            integer("cluster-port", 0, 0, 65535, false),
            integer("cluster-announce-bus-port", 0, 0, 65535, true),
            integer("cluster-announce-port", 0, 0, 65535, true),
            integer("cluster-announce-tls-port", 0, 0, 65535, true),
            integer("repl-timeout", 60, 1, Integer.MAX_VALUE, true),
            integer("repl-ping-replica-period", 10, 1, Integer.MAX_VALUE, true),
            integer("rdb-key-save-delay", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, true),
            integer("key-load-delay", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, true),
            integer("active-expire-effort", 1, 1, 10, true),
            integer("min-replicas-to-write", 0, 0, Integer.MAX_VALUE, true),
            integer("min-replicas-max-lag", 10, 0, Integer.MAX_VALUE, true),
            integer("watchdog-period", 0, 0, Integer.MAX_VALUE, true),
            integer("shutdown-timeout", 10, 0, Integer.MAX_VALUE, true),
            integer("repl-diskless-sync-max-replicas", 0, 0, Integer.MAX_VALUE, true),
            integer("socket-mark-id", 0, 0, 4294967295L, false),
            integer("active-defrag-max-scan-fields", 1000, 1, Long.MAX_VALUE, true),
            integer("acllog-max-len", 128, 0, Long.MAX_VALUE, true),
            integer("busy-reply-threshold", 5000, 0, Long.MAX_VALUE, true),
            integer("cluster-node-timeout", 15000, 0, Long.MAX_VALUE, true),
            memory("repl-backlog-size", "1048576", 1, true),
            memory("cluster-link-sendbuf-limit", "0", 0, true),
            memory("active-defrag-ignore-bytes", "104857600", 1, true),
            memory("hll-sparse-max-bytes", "3000", 0, true),
            integer("tracking-table-max-keys", 1000000, 0, Long.MAX_VALUE, true),
            integer("repl-backlog-ttl", 3600, 0, Long.MAX_VALUE, true),
            integer("unixsocketperm", 0, 0, 511, false),
            memoryOrPercent("maxmemory-clients", "0", true),
            memory("auto-aof-rewrite-min-size", "67108864", 0, true),
            integer("loading-process-events-interval-bytes", 2097152, 1024, Integer.MAX_VALUE, true),
            words("oom-score-adj-values", "0 200 800", true),
            // The master to follow at startup; REPLICAOF changes it at run time, and CONFIG GET reports that.
            words("replicaof", "", false),
            words("latency-tracking-info-percentiles", "50 99 99.9", true));

    /** Old names (slave-*, ...) Redis still accepts for these. */
    static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("cluster-slave-no-failover", "cluster-replica-no-failover"),
            Map.entry("slave-lazy-flush", "replica-lazy-flush"),
            Map.entry("slave-serve-stale-data", "replica-serve-stale-data"),
            Map.entry("slave-read-only", "replica-read-only"),
            Map.entry("slaveof", "replicaof"),
            Map.entry("slave-ignore-maxmemory", "replica-ignore-maxmemory"),
            Map.entry("slave-announce-ip", "replica-announce-ip"),
            Map.entry("cluster-slave-validity-factor", "cluster-replica-validity-factor"),
            Map.entry("slave-priority", "replica-priority"),
            Map.entry("slave-announce-port", "replica-announce-port"),
            Map.entry("repl-ping-slave-period", "repl-ping-replica-period"),
            Map.entry("min-slaves-to-write", "min-replicas-to-write"),
            Map.entry("min-slaves-max-lag", "min-replicas-max-lag"),
            Map.entry("lua-time-limit", "busy-reply-threshold"));

    /** Redis's HIDDEN_CONFIG: returned by CONFIG GET only when asked for by exact name, never by a pattern. */
    static final Set<String> HIDDEN = Set.of("use-exit-on-panic", "lua-enable-deprecated-api", "rdb-key-save-delay", "key-load-delay", "watchdog-period");
}
