package io.simplekv.config;

import io.simplekv.keyspace.CollectionLimits;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of every directive's value. The values the hot paths read are parsed once here;
 * CONFIG SET makes a new snapshot with {@link #with}.
 */
public final class ServerConfig {
    private final Map<String, String> values;

    public final int port;
    public final List<String> bind;
    public final String dir;
    public final String storage;
    public final String requirepass;
    public final int databases;
    public final String loglevel;
    public final String logfile;
    public final int maxclients;
    public final long timeoutSeconds;
    public final long protoMaxBulkLen;
    public final long clientQueryBufferLimit;
    public final int hz;
    public final int tcpBacklog;
    public final int tcpKeepalive;
    public final int ioThreads;
    public final CollectionLimits hashLimits;
    public final CollectionLimits setLimits;

    private ServerConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
        port = Integer.parseInt(values.get("port"));
        bind = List.copyOf(Arrays.asList(values.get("bind").trim().split("\\s+")));
        dir = values.get("dir");
        storage = values.get("storage");
        requirepass = values.get("requirepass");
        databases = Integer.parseInt(values.get("databases"));
        loglevel = values.get("loglevel");
        logfile = values.get("logfile");
        maxclients = (int) Math.min(Integer.MAX_VALUE, Long.parseLong(values.get("maxclients")));
        timeoutSeconds = Long.parseLong(values.get("timeout"));
        // Netty's decoder stops at 512 MB, so a larger proto-max-bulk-len is accepted but capped.
        protoMaxBulkLen = Math.min(Long.parseLong(values.get("proto-max-bulk-len")), 512L * 1024 * 1024);
        clientQueryBufferLimit = Long.parseLong(values.get("client-query-buffer-limit"));
        hz = Integer.parseInt(values.get("hz"));
        tcpBacklog = Integer.parseInt(values.get("tcp-backlog"));
        tcpKeepalive = Integer.parseInt(values.get("tcp-keepalive"));
        ioThreads = Integer.parseInt(values.get("io-threads"));
        hashLimits = new CollectionLimits(intValue(values, "hash-max-listpack-entries"), intValue(values, "hash-max-listpack-value"));
        // Redis 7.0 keeps small sets as intsets; one packed run serves any small set here, within the same bounds.
        setLimits = new CollectionLimits(intValue(values, "set-max-intset-entries"), hashLimits.maxPackedValue());
    }

    private static int intValue(Map<String, String> values, String name) {
        return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(values.get(name)));
    }

    public static ServerConfig defaults() {
        Map<String, String> v = new LinkedHashMap<>();
        for (Directive d : Directives.ALL.values()) v.put(d.name(), d.defaultValue());
        return new ServerConfig(v);
    }

    public String get(String name) {
        return values.get(name);
    }

    public Map<String, String> values() {
        return values;
    }

    public boolean requiresAuth() {
        return !requirepass.isEmpty();
    }

    /** A snapshot with one directive changed; throws {@link ConfigException} for unknown names or bad values. */
    public ServerConfig with(String name, List<String> args) {
        Directive d = Directives.find(name);
        if (d == null) throw new ConfigException("Bad directive or wrong number of arguments");
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(d.name(), d.normalise(args));
        return new ServerConfig(v);
    }
}
