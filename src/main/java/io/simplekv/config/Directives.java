package io.simplekv.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.simplekv.config.Directive.bool;
import static io.simplekv.config.Directive.clamped;
import static io.simplekv.config.Directive.integer;
import static io.simplekv.config.Directive.memory;
import static io.simplekv.config.Directive.oneOf;
import static io.simplekv.config.Directive.string;
import static io.simplekv.config.Directive.words;

/**
 * Every directive simplekv knows, with Redis's names and defaults. Some are accepted and reported without
 * effect yet (persistence and encoding knobs whose issues have not landed) so that a redis.conf and tools that
 * CONFIG SET them keep working; conf/simplekv.conf says which.
 */
public final class Directives {
    private Directives() {}

    public static final Map<String, Directive> ALL = index(List.of(
            integer("port", 6379, 0, 65535, true),
            words("bind", "127.0.0.1", true),
            string("dir", "./data", false),
            oneOf("storage", "memory", false, "memory", "chronicle"),
            // Sizing of each new Chronicle Map file; a table that outgrows it chains a larger map, so these tune
            // space and speed, not limits.
            integer("chronicle-entries", 1_000_000, 16, 1L << 40, false),
            integer("chronicle-average-key-size", 32, 1, 1 << 20, false),
            integer("chronicle-average-value-size", 64, 1, 1 << 20, false),
            // A Redis RDB file the chronicle engine imports once at startup (moving from Redis); "" for none.
            string("import-rdb", "", false),
            string("requirepass", "", true),
            integer("databases", 16, 1, 1_000_000, false),
            // slf4j-simple fixes levels when the first logger is made, so the level is set at startup only.
            oneOf("loglevel", "notice", false, "debug", "verbose", "notice", "warning", "nothing"),
            string("logfile", "", false),
            integer("maxclients", 10000, 1, 4294967295L, true),
            integer("timeout", 0, 0, Integer.MAX_VALUE, true),
            memory("proto-max-bulk-len", "512mb", 1024 * 1024, true),
            memory("client-query-buffer-limit", "1gb", 1024 * 1024, true),
            clamped("hz", 10, 1, 500, true),
            integer("tcp-keepalive", 300, 0, Integer.MAX_VALUE, true),
            integer("tcp-backlog", 511, 0, Integer.MAX_VALUE, false),
            bool("daemonize", false, false),
            string("pidfile", "", false),
            bool("protected-mode", true, true),
            // DEBUG can stop a client for as long as it asks and read any value's internals: off unless enabled.
            oneOf("enable-debug-command", "no", false, "no", "yes", "local"),
            words("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", true),
            // TLS (Redis 7.0 config.c's names, defaults and ranges); the tls package gives them effect. An empty
            // string is Redis's NULL: not set.
            integer("tls-port", 0, 0, 65535, true),
            integer("tls-session-cache-size", 20480, 0, Integer.MAX_VALUE, true),
            integer("tls-session-cache-timeout", 300, 0, Integer.MAX_VALUE, true),
            oneOf("tls-auth-clients", "yes", true, "no", "yes", "optional"),
            bool("tls-prefer-server-ciphers", false, true),
            bool("tls-session-caching", true, true),
            string("tls-cert-file", "", true),
            string("tls-key-file", "", true),
            string("tls-key-file-pass", "", true),
            string("tls-client-cert-file", "", true),
            string("tls-client-key-file", "", true),
            string("tls-client-key-file-pass", "", true),
            string("tls-dh-params-file", "", true),
            string("tls-ca-cert-file", "", true),
            string("tls-ca-cert-dir", "", true),
            string("tls-protocols", "", true),
            string("tls-ciphers", "", true),
            string("tls-ciphersuites", "", true),
            // Accepted for redis.conf compatibility: no replication or cluster here to secure.
            bool("tls-cluster", false, true),
            bool("tls-replication", false, true),
            // Accepted for compatibility; their issues give them effect.
            words("save", "3600 1 300 100 60 10000", true),
            bool("appendonly", false, true),
            oneOf("appendfsync", "everysec", true, "always", "everysec", "no"),
            string("dbfilename", "dump.rdb", true),
            string("appendfilename", "appendonly.aof", false),
            string("notify-keyspace-events", "", true),
            memory("maxmemory", "0", true),
            oneOf("maxmemory-policy", "noeviction", true, "volatile-lru", "volatile-lfu", "volatile-random",
                    "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"),
            integer("maxmemory-samples", 5, 1, 64, true),
            integer("hash-max-listpack-entries", 128, 0, Integer.MAX_VALUE, true),
            memory("hash-max-listpack-value", "64", true),
            integer("list-max-listpack-size", -2, Integer.MIN_VALUE, Integer.MAX_VALUE, true),
            integer("list-compress-depth", 0, 0, Integer.MAX_VALUE, true),
            integer("set-max-intset-entries", 512, 0, Integer.MAX_VALUE, true),
            integer("zset-max-listpack-entries", 128, 0, Integer.MAX_VALUE, true),
            memory("zset-max-listpack-value", "64", true),
            integer("stream-node-max-entries", 100, 0, Long.MAX_VALUE, true),
            memory("stream-node-max-bytes", "4096", 0, true),
            bool("lazyfree-lazy-user-del", false, true),
            bool("lazyfree-lazy-user-flush", false, true),
            integer("slowlog-log-slower-than", 10000, -1, Long.MAX_VALUE, true),
            integer("slowlog-max-len", 128, 0, Long.MAX_VALUE, true),
            integer("latency-monitor-threshold", 0, 0, Long.MAX_VALUE, true),
            bool("activerehashing", true, true),
            // Netty event loops serving clients; 0 means one per core.
            integer("io-threads", 1, 0, 128, false)));

    /** Old names Redis 7 still accepts (and CONFIG GET still reports) for renamed directives. */
    public static final Map<String, String> ALIASES = aliases(Map.of(
            "hash-max-ziplist-entries", "hash-max-listpack-entries",
            "hash-max-ziplist-value", "hash-max-listpack-value",
            "zset-max-ziplist-entries", "zset-max-listpack-entries",
            "zset-max-ziplist-value", "zset-max-listpack-value",
            "list-max-ziplist-size", "list-max-listpack-size",
            "slaveof", "replicaof"));

    /** Whether CONFIG GET may return the directive for a pattern (Redis hides some unless named exactly). */
    public static boolean listed(String name) {
        return !CompatDirectives.HIDDEN.contains(name);
    }

    private static Map<String, String> aliases(Map<String, String> own) {
        Map<String, String> m = new LinkedHashMap<>(own);
        m.putAll(CompatDirectives.ALIASES);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The directive by name or alias, case-insensitive; null if unknown. */
    public static Directive find(String name) {
        String lower = name.toLowerCase();
        return ALL.get(ALIASES.getOrDefault(lower, lower));
    }

    private static Map<String, Directive> index(List<Directive> list) {
        Map<String, Directive> m = new LinkedHashMap<>();
        for (Directive d : list) m.put(d.name(), d);
        for (Directive d : CompatDirectives.ALL) m.putIfAbsent(d.name(), d);
        return java.util.Collections.unmodifiableMap(m);
    }
}
