package io.simplekv.server;

import io.simplekv.command.CommandSpec;
import io.simplekv.command.CommandTable;
import io.simplekv.observe.RateMeter;
import io.simplekv.command.Commands;
import io.simplekv.storage.StorageEngine;
import io.simplekv.config.LiveConfig;
import io.simplekv.config.ServerConfig;
import io.simplekv.keyspace.ActiveExpirer;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.observe.ServerStats;
import io.simplekv.pubsub.PubSub;
import io.netty.buffer.ByteBufAllocator;

/**
 * What commands may reach beyond their own connection: the keyspace, config, clients, stats, the command
 * table, and a way to stop the server. One per server; passed down, never a global.
 */
public final class ServerContext {
    private final LiveConfig config;
    private final Keyspace keyspace;
    private final ClientRegistry clients = new ClientRegistry();
    private final PubSub pubsub = new PubSub(ByteBufAllocator.DEFAULT);
    private final io.simplekv.pubsub.KeyspaceEvents events;
    private final ServerStats stats;
    private final ActiveExpirer expirer;
    private final long startedAt = System.currentTimeMillis();
    private final String runId;
    private volatile CommandTable commands;
    private volatile Runnable shutdown = () -> {};
    private volatile int boundPort;
    private final RateMeter opsPerSecond = new RateMeter();
    private final WatchRegistry watches = new WatchRegistry();
    private final BlockedKeys blocking = new BlockedKeys(this::servedAfterBlocking);
    private final Monitors monitors = new Monitors();
    private final io.simplekv.observe.SlowLog slowLog = new io.simplekv.observe.SlowLog();
    private volatile io.simplekv.command.CommandService transactions;
    private final Persistence persistence;
    private volatile java.util.function.IntFunction<String> rebinder = port -> null;

    /** Wires a keyspace over the engine and the command table; starts no threads. */
    public static ServerContext create(ServerConfig config, StorageEngine engine) {
        ServerStats stats = new ServerStats();
        ServerContext context = new ServerContext(new LiveConfig(config), new Keyspace(engine, config.databases, stats), stats);
        context.keyspace().events(new io.simplekv.keyspace.KeyEvents() {
            @Override
            public void expired(int db, byte[] key) {
                context.watches.touch(db, key);
                context.events.notify(io.simplekv.pubsub.KeyspaceEvents.EXPIRED, "expired", db, key);
            }

            @Override
            public boolean wantsCreated() {
                return context.events.enabled(io.simplekv.pubsub.KeyspaceEvents.NEW);
            }

            @Override
            public void created(int db, byte[] key) {
                context.events.notify(io.simplekv.pubsub.KeyspaceEvents.NEW, "new", db, key);
            }
        });
        context.commands(Commands.table());
        return context;
    }

    private ServerContext(LiveConfig config, Keyspace keyspace, ServerStats stats) {
        this.config = config;
        this.events = new io.simplekv.pubsub.KeyspaceEvents(pubsub, config::get);
        this.keyspace = keyspace;
        this.stats = stats;
        this.expirer = new ActiveExpirer(keyspace, 25);
        this.persistence = new Persistence(keyspace, config::get);
        this.runId = randomHex(40);
    }

    private static String randomHex(int n) {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(Character.forDigit(r.nextInt(16), 16));
        return b.toString();
    }

    public ServerConfig config() { return config.get(); }
    public LiveConfig liveConfig() { return config; }
    public Keyspace keyspace() { return keyspace; }
    public ClientRegistry clients() { return clients; }
    public PubSub pubsub() { return pubsub; }
    public io.simplekv.pubsub.KeyspaceEvents events() { return events; }

    /** Shorthand for handlers: one keyspace notification (no-op unless notify-keyspace-events enables it). */
    public void notify(int type, String event, int db, byte[] key) { events.notify(type, event, db, key); }
    public ServerStats stats() { return stats; }
    public Persistence persistence() { return persistence; }
    public ActiveExpirer expirer() { return expirer; }
    public long startedAt() { return startedAt; }
    public String runId() { return runId; }
    public CommandTable commands() { return commands; }
    void commands(CommandTable t) { this.commands = t; }
    public int port() { return boundPort; }
    public RateMeter opsPerSecond() { return opsPerSecond; }
    public WatchRegistry watches() { return watches; }
    public BlockedKeys blocking() { return blocking; }
    public Monitors monitors() { return monitors; }
    public io.simplekv.observe.SlowLog slowLog() { return slowLog; }

    private void servedAfterBlocking(BlockedClient w, long micros) {
        ServerConfig c = config();
        if (c.slowlogSlowerThan >= 0 && micros >= c.slowlogSlowerThan) {
            ClientConnection client = w.client();
            slowLog.add(w.request(), micros, client.address(), client.name(), c.slowlogMaxLen);
        }
    }

    /**
     * A key filled outside the keys CommandService signals after a command (another database's, or a blocked
     * client's destination): wakes its waiters. WATCH hears of the write from the command's notification.
     */
    public void keyWritten(int db, byte[] key) {
        if (blocking.anyWaiting()) blocking.signal(db, key);
    }

    /** EXEC runs its queue through the command service, which registers itself here when it is made. */
    public io.simplekv.command.CommandService transactions() { return transactions; }
    public void transactions(io.simplekv.command.CommandService s) { this.transactions = s; }

    /** INFO's total_commands_processed: commands that ran, as Redis counts them (rejections are not). */
    public long commandsProcessed() {
        long n = 0;
        for (CommandSpec spec : commands.all()) {
            n += spec.stats.calls.sum();
            for (CommandSpec sub : spec.subcommands.values()) n += sub.stats.calls.sum();
        }
        return n;
    }

    /** Moves the listener to another port (CONFIG SET port); returns null or the reason it failed. */
    public String rebind(int port) {
        return rebinder.apply(port);
    }

    void rebinder(java.util.function.IntFunction<String> r) {
        this.rebinder = r;
    }
    void port(int p) { this.boundPort = p; }

    /** Asks the server to stop; the work happens off the calling event loop. */
    public void requestShutdown() {
        shutdown.run();
    }

    void onShutdown(Runnable r) {
        this.shutdown = r;
    }
}
