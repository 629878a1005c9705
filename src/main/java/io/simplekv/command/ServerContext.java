package io.simplekv.command;

import io.netty.buffer.ByteBufAllocator;
import io.simplekv.config.LiveConfig;
import io.simplekv.config.ServerConfig;
import io.simplekv.keyspace.ActiveExpirer;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.observe.RateMeter;
import io.simplekv.observe.ServerStats;
import io.simplekv.observe.SlowLog;
import io.simplekv.persistence.Persistence;
import io.simplekv.pubsub.KeyspaceEvents;
import io.simplekv.pubsub.PubSub;
import io.simplekv.scripting.Scripts;
import io.simplekv.storage.StorageEngine;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * What commands may reach beyond their own session: the keyspace, config, clients, stats, the command table and
 * service, and the network server's controls. One per server, made whole by its constructor and passed down,
 * never a global.
 */
public final class ServerContext {
    public static final String VERSION = versionOf();

    private final LiveConfig config;
    private final ServerStats stats = new ServerStats();
    private final Keyspace keyspace;
    private final ClientRegistry clients = new ClientRegistry();
    private final PubSub pubsub = new PubSub(ByteBufAllocator.DEFAULT);
    private final KeyspaceEvents events;
    private final ActiveExpirer expirer;
    private final long startedAt = System.currentTimeMillis();
    private final String runId = randomHex(40);
    private final UsedMemory usedMemory;
    private final Eviction eviction = new Eviction(this);
    private final ClientEviction clientEviction = new ClientEviction(this);
    private final java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "simplekv-background");
        t.setDaemon(true);
        return t;
    });
    private final io.simplekv.replication.ReplicationFeed replication =
            new io.simplekv.replication.ReplicationFeed(ByteBufAllocator.DEFAULT, runId);
    private final RateMeter opsPerSecond = new RateMeter();
    private final WatchRegistry watches = new WatchRegistry();
    private final Monitors monitors = new Monitors();
    private final SlowLog slowLog = new SlowLog();
    private final io.simplekv.observe.LatencyMonitor latency = new io.simplekv.observe.LatencyMonitor();
    private final BlockedKeys blocking;
    private final Persistence persistence;
    private final ServerControl control;
    /** The config file the server started from (absolute), for CONFIG REWRITE; null when there is none. */
    private volatile java.nio.file.Path configFile;
    /** INFO's process_supervised: "systemd" when systemd is told the server's state, else "no". */
    private volatile String supervised = "no";
    private final CommandTable commands;
    private final Scripts scripts;
    private final CommandService service;
    private final io.simplekv.tracking.Tracking tracking;
    private volatile boolean cronPaused;
    private final ClientPause pause;
    private final io.simplekv.acl.AclUsers acl;
    private final io.simplekv.acl.AclLog aclLog = new io.simplekv.acl.AclLog();

    /** Wires a keyspace over the engine, the command table and the service; starts no threads. */
    public ServerContext(ServerConfig config, StorageEngine engine, ServerControl control, CommandTable commands) {
        this.config = new LiveConfig(config);
        this.control = control;
        this.keyspace = new Keyspace(engine, config.databases, stats, new io.simplekv.keyspace.AccessClock(
                () -> config().lfu, () -> config().lfuLogFactor, () -> config().lfuDecayTime,
                System::currentTimeMillis));
        this.usedMemory = new UsedMemory(keyspace, new io.simplekv.observe.HeapGauge(), clients::memory);
        this.events = new KeyspaceEvents(pubsub, this.config::get);
        this.expirer = new ActiveExpirer(keyspace, 25);
        this.persistence = new Persistence(keyspace, this.config::get);
        this.commands = commands;
        this.acl = AclStartup.load(config, commands, this.config);
        // requirepass is the default user's password (Redis's updateRequirePass).
        this.config.onChange("requirepass", c -> acl.defaultPassword(c.requirepass));
        this.blocking = new BlockedKeys();
        this.pause = new ClientPause(keyspace.clock());
        this.tracking = new io.simplekv.tracking.Tracking(clients::get,
                () -> Long.parseLong(this.config.get().get("tracking-table-max-keys")));
        keyspace.events(new ChangeSignals(this));
        this.scripts = new Scripts(() -> this.config.get().busyReplyThreshold);
        scripts.restoreFunctions(keyspace.meta().get(io.simplekv.scripting.Functions.STORAGE_KEY),
                reason -> org.slf4j.LoggerFactory.getLogger(ServerContext.class).warn("A stored FUNCTION library did not load: {}", reason));
        this.service = new CommandService(this);
    }

    private static String versionOf() {
        String v = ServerContext.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    private static String randomHex(int n) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(Character.forDigit(r.nextInt(16), 16));
        return b.toString();
    }

    public ServerConfig config() { return config.get(); }
    public java.nio.file.Path configFile() { return configFile; }
    public void configFile(java.nio.file.Path file) { this.configFile = file == null ? null : file.toAbsolutePath(); }
    public String supervised() { return supervised; }
    public void supervised(String mode) { this.supervised = mode; }
    public LiveConfig liveConfig() { return config; }
    public Keyspace keyspace() { return keyspace; }
    public ClientRegistry clients() { return clients; }
    public PubSub pubsub() { return pubsub; }
    public io.simplekv.tracking.Tracking tracking() { return tracking; }
    public ClientPause pause() { return pause; }
    /** The users (ACL) and the default user every new client starts as. */
    public io.simplekv.acl.AclUsers acl() { return acl; }
    public io.simplekv.acl.AclLog aclLog() { return aclLog; }
    public io.simplekv.observe.LatencyMonitor latency() { return latency; }
    /** DEBUG PAUSE-CRON: whether the periodic chores are suspended. */
    public boolean cronPaused() { return cronPaused; }
    public void pauseCron(boolean paused) { this.cronPaused = paused; }
    public KeyspaceEvents events() { return events; }

    /** Shorthand for handlers: one keyspace notification (no-op unless notify-keyspace-events enables it). */
    public void notify(int type, String event, int db, byte[] key) { events.notify(type, event, db, key); }
    public ServerStats stats() { return stats; }
    public Persistence persistence() { return persistence; }
    public ActiveExpirer expirer() { return expirer; }
    public long startedAt() { return startedAt; }
    public String runId() { return runId; }

    /** The replication stream to attached replicas (SYNC/PSYNC). */
    public io.simplekv.replication.ReplicationFeed replication() {
        return replication;
    }

    /**
     * Where work that waits on the network runs, off the event loops (MIGRATE's exchange with its target): daemon
     * threads made as needed and kept a minute.
     */
    public java.util.concurrent.Executor background() {
        return background;
    }

    private volatile io.simplekv.command.server.MasterLink masterLink;

    /** The master this server replicates (REPLICAOF host port), or null for a master. */
    public io.simplekv.command.server.MasterLink masterLink() {
        return masterLink;
    }

    /**
     * REPLICAOF: follow a new master (null: none, REPLICAOF NO ONE). The old link stops; becoming a replica also
     * drops this server's own replicas, which a new dataset would leave behind, as Redis's replicationSetMaster.
     */
    public synchronized void followMaster(io.simplekv.command.server.MasterLink link) {
        if (masterLink != null) masterLink.stop();
        masterLink = link;
        if (link != null) {
            for (Session c : clients.all()) if (c.replica() != null) c.link().close();
            link.start();
        }
    }

    /** Redis's allowProtectedAction over a yes|no|local directive: "yes" for everyone, "local" for loopback. */
    public boolean allows(String directive, Session client) {
        String allowed = config().get(directive);
        return allowed.equals("yes") || (allowed.equals("local") && client.isLocal());
    }

    /** INFO's used_memory, what maxmemory is held to. */
    public UsedMemory usedMemory() {
        return usedMemory;
    }

    /**
     * Evicts keys while memory is over maxmemory, as the policy allows; false when it is still over (Redis's
     * performEvictions). The command service calls it before each command; the cron between commands.
     */
    /** maxmemory-clients: closes the biggest clients while the clients' memory is over it. */
    public ClientEviction clientEviction() {
        return clientEviction;
    }

    public boolean makeRoom() {
        return eviction.makeRoom();
    }
    public CommandTable commands() { return commands; }
    public CommandService service() { return service; }
    /** Where scripts run, and what is running now. */
    public Scripts scripts() { return scripts; }
    public RateMeter opsPerSecond() { return opsPerSecond; }
    public WatchRegistry watches() { return watches; }
    public BlockedKeys blocking() { return blocking; }
    /** Parks and serves clients of blocking commands. */
    public Waits waits() { return service.waits(); }
    public Monitors monitors() { return monitors; }
    public SlowLog slowLog() { return slowLog; }
    public int port() { return control.port(); }

    private Session scriptClient;

    /** The session scripts run their redis.call commands on (Redis's lua client); used on the script thread. */
    public synchronized Session scriptClient() {
        if (scriptClient == null) {
            scriptClient = new Session(0, this, ClientLink.SCRIPT);
            scriptClient.authenticated(true);
        }
        return scriptClient;
    }

    /** A new session for a client on {@code link}. */
    public Session newSession(ClientLink link) {
        return new Session(clients.nextId(), this, link);
    }

    /** INFO's total_commands_processed: commands that ran, as Redis counts them (rejections are not). */
    public long commandsProcessed() {
        long n = 0;
        for (LongAdder calls : callCounters()) n += calls.sum();
        return n;
    }

    /**
     * Every command's and subcommand's call counter, gathered once: the cron's ops-per-second sample sums them ten
     * times a second, and walking the table's maps for it was 30% of the cron thread's samples under load, time
     * taken from the event loop or the clients on a machine with two cores.
     */
    private LongAdder[] callCounters() {
        LongAdder[] counters = callCounters;
        if (counters != null && callCountersOf == commands.size()) return counters;
        java.util.List<LongAdder> all = new java.util.ArrayList<>();
        for (CommandSpec spec : commands.all()) {
            all.add(spec.stats.calls);
            for (CommandSpec sub : spec.subcommands.values()) all.add(sub.stats.calls);
        }
        callCountersOf = commands.size();
        return callCounters = all.toArray(new LongAdder[0]);
    }

    private volatile LongAdder[] callCounters;
    private volatile int callCountersOf;

    /** Moves the listener to another port (CONFIG SET port); returns null or the reason it failed. */
    public String rebind(java.util.List<String> bind, int port) {
        return control.rebind(bind, port);
    }

    /** CONFIG SET of a tls-* directive; returns null or the reason it failed. */
    public String reconfigureTls(ServerConfig before, ServerConfig after) {
        return control.reconfigureTls(before, after);
    }

    /** Asks the server to stop; the work happens off the calling thread. */
    public void requestShutdown() {
        control.requestShutdown();
    }
}
