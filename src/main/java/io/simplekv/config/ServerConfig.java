package io.simplekv.config;

import io.simplekv.keyspace.CollectionLimits;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.simplekv.pubsub.OutputLimit;

/**
 * An immutable snapshot of every directive's value. The values the hot paths read are parsed once here;
 * CONFIG SET makes a new snapshot with {@link #with}.
 */
public final class ServerConfig {
    private final Map<String, String> values;
    /** The config file's "user" lines, each one's words after "user", in file order (loaded at startup). */
    public final List<List<String>> users;

    public final int port;
    /** Redis's tls-port: 0 means no TLS listener. */
    public final int tlsPort;
    public final List<String> bind;
    public final String dir;
    public final String storage;
    public final String requirepass;
    public final int databases;
    public final String loglevel;
    public final String logfile;
    public final int maxclients;
    public final long timeoutSeconds;
    /** Bytes, 0 for no limit: read on every command, so parsed once here. */
    public final long maxmemory;
    /** Whether maxmemory-policy is an LFU one, and lfu-log-factor / lfu-decay-time: read on every key access. */
    public final boolean lfu;
    public final int lfuLogFactor;
    public final int lfuDecayTime;
    /** min-replicas-to-write, 0 when min-replicas-max-lag is 0 (either turns the check off): read on every command. */
    public final long minReplicasToWrite;
    public final long protoMaxBulkLen;
    public final long clientQueryBufferLimit;
    public final int hz;
    public final int tcpBacklog;
    public final int tcpKeepalive;
    public final int ioThreads;
    public final CollectionLimits hashLimits;
    public final CollectionLimits setLimits;
    public final CollectionLimits zsetLimits;
    /** A stream's page (Redis's listpack node) bounds: stream-node-max-entries and -bytes (0: no bound). */
    public final io.simplekv.keyspace.StreamLimits streamLimits;
    public final OutputLimit pubsubOutputLimit;
    /** Bounds the replies a command sets out to build (ReplyBudget); Redis drops a client past it. */
    public final OutputLimit normalOutputLimit;
    /** Microseconds; negative turns the slow log off, 0 logs every command. */
    public final boolean protectedMode;
    public final long slowlogSlowerThan;
    /** latency-monitor-threshold in ms: commands at least this slow are LATENCY samples (0: off). */
    public final long latencyMonitorThreshold;
    /** busy-reply-threshold (lua-time-limit) in ms: read for every script run. */
    public final long busyReplyThreshold;
    public final int slowlogMaxLen;

    private ServerConfig(Map<String, String> values) {
        this(values, List.of());
    }

    private ServerConfig(Map<String, String> values, List<List<String>> users) {
        this.values = Collections.unmodifiableMap(values);
        this.users = List.copyOf(users);
        port = Integer.parseInt(values.get("port"));
        tlsPort = Integer.parseInt(values.get("tls-port"));
        bind = List.copyOf(Arrays.asList(values.get("bind").trim().split("\\s+")));
        dir = values.get("dir");
        storage = values.get("storage");
        requirepass = values.get("requirepass");
        databases = Integer.parseInt(values.get("databases"));
        loglevel = values.get("loglevel");
        logfile = values.get("logfile");
        maxclients = (int) Math.min(Integer.MAX_VALUE, Long.parseLong(values.get("maxclients")));
        timeoutSeconds = Long.parseLong(values.get("timeout"));
        maxmemory = Long.parseLong(values.get("maxmemory"));
        lfu = values.get("maxmemory-policy").endsWith("-lfu");
        lfuLogFactor = Integer.parseInt(values.get("lfu-log-factor"));
        lfuDecayTime = Integer.parseInt(values.get("lfu-decay-time"));
        minReplicasToWrite = Long.parseLong(values.get("min-replicas-max-lag")) > 0
                ? Long.parseLong(values.get("min-replicas-to-write")) : 0;
        // An argument is one byte[] and both engines are tested to 512 MB strings, so a larger value is accepted but
        // capped.
        protoMaxBulkLen = Math.min(Long.parseLong(values.get("proto-max-bulk-len")), 512L * 1024 * 1024);
        clientQueryBufferLimit = Long.parseLong(values.get("client-query-buffer-limit"));
        hz = Integer.parseInt(values.get("hz"));
        tcpBacklog = Integer.parseInt(values.get("tcp-backlog"));
        tcpKeepalive = Integer.parseInt(values.get("tcp-keepalive"));
        ioThreads = Integer.parseInt(values.get("io-threads"));
        hashLimits = new CollectionLimits(intValue(values, "hash-max-listpack-entries"), intValue(values, "hash-max-listpack-value"));
        // Redis 7.0 keeps small sets as intsets; one packed run serves any small set here, within the same bounds.
        setLimits = new CollectionLimits(intValue(values, "set-max-intset-entries"), hashLimits.maxPackedValue());
        zsetLimits = new CollectionLimits(intValue(values, "zset-max-listpack-entries"), intValue(values, "zset-max-listpack-value"));
        streamLimits = new io.simplekv.keyspace.StreamLimits(Long.parseLong(values.get("stream-node-max-entries")),
                Long.parseLong(values.get("stream-node-max-bytes")));
        pubsubOutputLimit = OutputLimit.of(values.get("client-output-buffer-limit"), "pubsub");
        normalOutputLimit = OutputLimit.of(values.get("client-output-buffer-limit"), "normal");
        protectedMode = values.get("protected-mode").equals("yes");
        slowlogSlowerThan = Long.parseLong(values.get("slowlog-log-slower-than"));
        latencyMonitorThreshold = Long.parseLong(values.get("latency-monitor-threshold"));
        busyReplyThreshold = Long.parseLong(values.get("busy-reply-threshold"));
        slowlogMaxLen = intValue(values, "slowlog-max-len");
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

    /** A config file's "user name rules..." line; Redis refuses a second line for the same user. */
    public ServerConfig withUser(List<String> words) {
        if (words.isEmpty()) throw new ConfigException("Bad directive or wrong number of arguments");
        for (List<String> u : users) {
            if (u.get(0).equals(words.get(0))) {
                throw new ConfigException("Error in user declaration '" + words.get(0) + "': Duplicate user found. "
                        + "A user can only be defined once in config files");
            }
        }
        List<List<String>> more = new java.util.ArrayList<>(users);
        more.add(List.copyOf(words));
        return new ServerConfig(values, more);
    }

    public boolean requiresAuth() {
        return !requirepass.isEmpty();
    }

    /** rdbcompression: LZF for strings over 20 bytes in RDB files and DUMP payloads. */
    public boolean rdbCompression() {
        return !"no".equals(get("rdbcompression"));
    }

    /** A further save line of a config file: its points add to those already read ({@code save ""} clears them). */
    public ServerConfig withMoreSavePoints(List<String> args) {
        ServerConfig next = with("save", args);
        String added = next.get("save").trim();
        String before = values.get("save").trim();
        if (added.isEmpty() || before.isEmpty()) return next;
        return with("save", List.of((before + " " + added).split("\\s+")));
    }

    /** A snapshot with one directive changed; throws {@link ConfigException} for unknown names or bad values. */
    public ServerConfig with(String name, List<String> args) {
        Directive d = Directives.find(name);
        if (d == null) throw new ConfigException("Bad directive or wrong number of arguments");
        Map<String, String> v = new LinkedHashMap<>(values);
        String value = d.name().equals(OUTPUT_LIMIT) ? mergeOutputLimits(values.get(OUTPUT_LIMIT), args) : d.normalise(args);
        // Keyspace-event flags are validated and kept in Redis's own spelling ("KA" reads back as "AK").
        if (d.name().equals("notify-keyspace-events")) value = io.simplekv.pubsub.KeyspaceEvents.canonical(value);
        v.put(d.name(), value);
        return new ServerConfig(v, users);
    }

    private static final String OUTPUT_LIMIT = "client-output-buffer-limit";
    private static final List<String> LIMIT_CLASSES = List.of("normal", "slave", "pubsub");

    /**
     * Redis's client-output-buffer-limit: "class hard soft seconds" groups change only the classes they name (a
     * config file may repeat the directive once per class) and the value always shows all three, in Redis's order.
     */
    private static String mergeOutputLimits(String current, List<String> args) {
        if (args.size() % 4 != 0) throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
        Map<String, String> byClass = new LinkedHashMap<>();
        String[] w = current.trim().split("\\s+");
        for (int i = 0; i + 3 < w.length; i += 4) byClass.put(w[i], w[i + 1] + " " + w[i + 2] + " " + w[i + 3]);
        for (int i = 0; i < args.size(); i += 4) {
            String c = args.get(i).toLowerCase(java.util.Locale.ROOT);
            if (c.equals("replica")) c = "slave";
            if (!LIMIT_CLASSES.contains(c)) throw new ConfigException("Invalid client class specified in buffer limit configuration.");
            long hard = Directive.parseMemory(args.get(i + 1));
            long soft = Directive.parseMemory(args.get(i + 2));
            long seconds;
            try {
                seconds = Long.parseLong(args.get(i + 3));
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (hard < 0 || soft < 0 || seconds < 0) {
                throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            byClass.put(c, hard + " " + soft + " " + seconds);
        }
        StringBuilder b = new StringBuilder();
        for (String c : LIMIT_CLASSES) {
            if (b.length() > 0) b.append(' ');
            b.append(c).append(' ').append(byClass.getOrDefault(c, "0 0 0"));
        }
        return b.toString();
    }
}
