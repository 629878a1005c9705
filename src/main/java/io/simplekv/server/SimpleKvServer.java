package io.simplekv.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.simplekv.command.ServerContext;
import io.simplekv.command.ServerControl;
import io.simplekv.command.Session;
import io.simplekv.cron.Chore;
import io.simplekv.config.ServerConfig;
import io.simplekv.storage.StorageEngine;
import io.simplekv.tls.ServerTls;
import io.simplekv.tls.TlsSettings;
import io.simplekv.tls.TlsSetupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Boots Netty (epoll where available, NIO otherwise) with the pipeline
 * of {@link Pipeline},
 * and runs Redis's periodic chores (active expiry, idle-client timeout) on one small scheduler thread.
 */
public final class SimpleKvServer implements ServerControl, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimpleKvServer.class);
    public static final String VERSION = ServerContext.VERSION;

    private final ServerContext context;
    private final Pipeline pipeline;
    private volatile int boundPort;
    private volatile int boundTlsPort;
    private final ServerTls tls = new ServerTls();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> channelType;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Channel> tlsListeners = new ArrayList<>();
    private ServerBootstrap bootstrap;
    private ServerBootstrap tlsBootstrap;
    private final ScheduledExecutorService cron;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    /** Told first when a shutdown begins (a supervisor's STOPPING=1). */
    private volatile Runnable onShutdown = () -> { };
    private ScheduledFuture<?> cronTask;
    private volatile int cronHz;

    public SimpleKvServer(ServerConfig config, StorageEngine engine) {
        this.context = new ServerContext(config, engine, this, CommandGroups.table());
        this.pipeline = new Pipeline(context);
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.channelType = Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.boss = new MultiThreadIoEventLoopGroup(1, io);
        int loops = config.ioThreads > 0 ? config.ioThreads : Runtime.getRuntime().availableProcessors();
        this.workers = new MultiThreadIoEventLoopGroup(loops, io);
        this.cron = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simplekv-cron");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void requestShutdown() {
        new Thread(this::close, "simplekv-shutdown").start();
    }

    /** Redis's tcp_port: the plain port, or the TLS port when plain TCP is off. */
    @Override
    public int port() {
        return boundPort != 0 ? boundPort : boundTlsPort;
    }

    /** The TLS port actually bound; 0 when TLS is off. */
    public int tlsPort() {
        return boundTlsPort;
    }

    /** Whether plain TCP is being served (with a TLS port set, port 0 turns it off, as in Redis). */
    public boolean plainTcp() {
        return boundPort != 0;
    }

    /** OPENSSL or JDK while TLS is configured, null otherwise. */
    public io.netty.handler.ssl.SslProvider tlsProvider() {
        return tls.provider();
    }

    public ServerContext context() {
        return context;
    }

    public String transport() {
        return Epoll.isAvailable() ? "epoll" : "nio";
    }

    /** A {@code replicaof host port} line in the config (or --replicaof): follow that master once listening. */
    public void followConfiguredMaster() {
        String[] master = context.config().get("replicaof").trim().split("\\s+");
        if (master.length != 2) return;
        try {
            int port = Integer.parseInt(master[1]);
            context.followMaster(new io.simplekv.command.server.MasterLink(context, master[0], port));
        } catch (NumberFormatException e) {
            log.warn("replicaof {}: the port is not a number; not following a master", context.config().get("replicaof"));
        }
    }

    /** Where the chronicle engine remembers which file import-rdb brought in, so it is imported once. */
    private static final byte[] IMPORTED_KEY = "import-rdb".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * import-rdb: the chronicle engine takes a Redis RDB file into its maps once, for moving from Redis. Keys in the
     * file replace keys of the same name; the FUNCTION libraries are added. The file's path, size and modification
     * time are then stored beside the data, so a later start with the same setting skips it; an import cut short by
     * a crash, its mark not yet stored, runs again whole over what it had written. The memory engine has no use for
     * it: it loads dir/dbfilename.
     */
    private boolean importRdb(java.nio.file.Path file) {
        if (!context.keyspace().engine().persistent()) {
            System.err.println("FATAL: import-rdb is for the chronicle engine; the memory engine loads "
                    + io.simplekv.command.server.RdbSnapshot.file(context.config()) + " at startup");
            return false;
        }
        var ks = context.keyspace();
        long start = System.nanoTime();
        try {
            String identity = file.toAbsolutePath().normalize() + " " + java.nio.file.Files.size(file) + " "
                    + java.nio.file.Files.getLastModifiedTime(file).toMillis();
            byte[] done = ks.meta().get(IMPORTED_KEY);
            if (done != null && new String(done, java.nio.charset.StandardCharsets.UTF_8).equals(identity)) {
                log.info("import-rdb: {} was imported before; not again", file);
                return true;
            }
            if (java.nio.file.Files.size(file) > Integer.MAX_VALUE - 64) throw new java.io.IOException("RDB file over 2 GB: not supported yet");
            long keys;
            try (io.simplekv.keyspace.UnitOfWork unit = ks.unit().everything().open()) {
                keys = io.simplekv.command.server.RdbSnapshot.load(context, java.nio.file.Files.readAllBytes(file), true,
                        false, file.toString());
                ks.meta().put(IMPORTED_KEY, identity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            log.info("import-rdb: {} keys imported from {} in {} ms", keys, file, (System.nanoTime() - start) / 1_000_000);
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("FATAL: import-rdb: error loading " + file + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * The memory engine starts from {@code dir/dbfilename} when there is one, as Redis loads its RDB file (the
     * chronicle engine's data is already on disk). False, with one line on stderr, when the file can't be loaded.
     */
    public boolean loadSnapshot() {
        String importing = context.config().get("import-rdb");
        if (!importing.isBlank()) return importRdb(java.nio.file.Path.of(importing));
        if (context.keyspace().engine().persistent()) return true;
        long start = System.nanoTime();
        try (io.simplekv.keyspace.UnitOfWork unit = context.keyspace().unit().everything().open()) {
            long keys = io.simplekv.command.server.RdbSnapshot.load(context);
            unit.flush();
            context.persistence().snapshotLoaded();
            if (keys >= 0) {
                log.info("DB loaded from disk: {} keys in {} ms", keys, (System.nanoTime() - start) / 1_000_000);
            }
            return true;
        } catch (java.io.IOException | IllegalArgumentException e) {
            System.err.println("FATAL: error loading " + io.simplekv.command.server.RdbSnapshot.file(context.config())
                    + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * Binds every configured address, plain and TLS; returns the port {@link #port()} reports. Port 0 picks a free
     * port unless a TLS port is set, when it means no plain TCP. Throws {@link TlsSetupException} before anything
     * listens when tls-port is set and the TLS context cannot be built.
     */
    public int start() throws InterruptedException {
        ServerConfig config = context.config();
        if (config.tlsPort != 0) tls.configure(TlsSettings.of(config));
        bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, config.tcpBacklog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, config.tcpKeepalive > 0)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline.install(ch);
                    }
                });
        // The TLS listener's connections decrypt first, then run the same pipeline as plain ones.
        tlsBootstrap = bootstrap.clone().childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                try {
                    ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                } catch (RuntimeException e) {
                    // Contexts are tried once as they are built, so this is not expected; still, one line, not a trace.
                    log.warn("Closing a TLS connection whose engine could not be made: {}", e.getMessage());
                    ch.close();
                    return;
                }
                pipeline.install(ch);
            }
        });
        if (config.port != 0 || config.tlsPort == 0) boundPort = listen(bootstrap, config.bind, config.port, listeners);
        if (config.tlsPort != 0) boundTlsPort = listen(tlsBootstrap, config.bind, config.tlsPort, tlsListeners);
        scheduleCron(config.hz);
        context.persistence().start();
        return port();
    }

    /** Binds each address ("-addr" means optional in Redis; we bind it like the others) and returns the port. */
    private static int listen(ServerBootstrap on, List<String> addresses, int port, List<Channel> into) throws InterruptedException {
        for (String addr : addresses) {
            Channel ch = on.bind(new InetSocketAddress(addr.startsWith("-") ? addr.substring(1) : addr, port))
                    .sync().channel();
            into.add(ch);
            port = ((InetSocketAddress) ch.localAddress()).getPort();
        }
        return port;
    }

    @Override
    public synchronized String reconfigureTls(ServerConfig before, ServerConfig after) {
        if (after.tlsPort == 0) {
            closeAll(tlsListeners);
            boundTlsPort = 0;
            return null; // Redis too builds no context while no TLS port is set
        }
        TlsSettings settings = TlsSettings.of(after);
        if (tls.differs(settings)) {
            try {
                tls.configure(settings);
                log.info("TLS configuration reloaded");
            } catch (TlsSetupException e) {
                log.warn(e.getMessage());
                return "Unable to update TLS configuration. Check server logs.";
            }
        }
        if (after.tlsPort != before.tlsPort || tlsListeners.isEmpty()) {
            List<Channel> fresh = new ArrayList<>();
            try {
                int bound = listen(tlsBootstrap, after.bind, after.tlsPort, fresh);
                closeAll(tlsListeners);
                tlsListeners.addAll(fresh);
                boundTlsPort = bound;
                log.info("Now listening on TLS port {}", bound);
            } catch (Exception e) {
                closeAll(fresh);
                log.warn("Failed listening on port {} (TLS): {}", after.tlsPort, e.getMessage());
                return "Unable to listen on this port. Check server logs.";
            }
        }
        return null;
    }

    /**
     * Stops listening before CONFIG SET answers, so a client told OK can't still connect to the old port. The
     * listeners live on the boss loop, never the caller's, and a listener closes in well under the bound.
     */
    private static void closeAll(List<Channel> channels) {
        for (Channel ch : channels) ch.close().awaitUninterruptibly(1000);
        channels.clear();
    }

    /**
     * CONFIG SET port and bind. A new port is listened on first, and only then the old one closed. New addresses
     * may include the old ones on the same port, so the old listeners (TLS too) close first, and come back if the
     * new addresses can't all be bound, as Redis's changeBindAddr restores the old ones.
     */
    @Override
    public synchronized String rebind(List<String> bind, int port) {
        List<String> before = context.config().bind;
        if (bind.equals(before)) return movePort(bind, port);
        // port 0 asked the OS for one at startup: new addresses keep the port it gave.
        if (port == 0 && context.config().port == 0 && boundPort != 0) port = boundPort;
        closeAll(listeners);
        List<Channel> tls = new ArrayList<>();
        int tlsPort = tlsPortOf();
        if (!tlsListeners.isEmpty()) closeAll(tlsListeners);
        try {
            if (port != 0 || tlsPort == 0) boundPort = listen(bootstrap, bind, port, listeners);
            if (tlsPort != 0) boundTlsPort = listen(tlsBootstrap, bind, tlsPort, tls);
            tlsListeners.addAll(tls);
            log.info("Now listening on {} port {}", String.join(" ", bind), boundPort);
            return null;
        } catch (Exception e) {
            closeAll(listeners);
            closeAll(tls);
            try {
                if (port != 0 || tlsPort == 0) boundPort = listen(bootstrap, before, port, listeners);
                if (tlsPort != 0) boundTlsPort = listen(tlsBootstrap, before, tlsPort, tlsListeners);
            } catch (Exception again) {
                log.warn("Failed to listen again on the previous addresses {}: {}", before, again.getMessage());
            }
            return "Failed to bind to specified addresses.";
        }
    }

    private String movePort(List<String> bind, int port) {
        if (port == 0 && boundTlsPort != 0) {
            closeAll(listeners); // Redis's port 0 beside a TLS port: no plain TCP
            boundPort = 0;
            return null;
        }
        List<Channel> fresh = new ArrayList<>();
        try {
            int bound = listen(bootstrap, bind, port, fresh);
            closeAll(listeners);
            listeners.addAll(fresh);
            boundPort = bound;
            log.info("Now listening on port {}", bound);
            return null;
        } catch (Exception e) {
            for (Channel ch : fresh) ch.close();
            return "Unable to listen on this port";
        }
    }

    /** The TLS port to listen on again: the configured one, or the one the OS gave for tls-port 0. */
    private int tlsPortOf() {
        int configured = context.config().tlsPort;
        return configured != 0 ? configured : boundTlsPort;
    }

    private synchronized void scheduleCron(int hz) {
        if (cronTask != null) cronTask.cancel(false);
        cronHz = hz;
        long period = Math.max(1, 1000 / hz);
        cronTask = cron.scheduleAtFixedRate(this::guarded, period, period, TimeUnit.MILLISECONDS);
    }

    /** Each chore on its own, so one that fails (even with an Error) neither skips the others nor stops the timer. */
    private void guarded() {
        Chore.run("hz", () -> {
            int hz = context.config().hz;
            if (hz != cronHz) scheduleCron(hz); // CONFIG SET hz
        });
        if (context.cronPaused()) return;
        // Redis's active expiry rests while clients are paused: a pause must not change the data under it.
        if (!context.pause().active()) {
            Chore.run("active expiry", () -> {
                long start = System.nanoTime();
                context.expirer().run();
                context.latency().sample("expire-cycle", (System.nanoTime() - start) / 1_000_000,
                        context.config().latencyMonitorThreshold);
            });
        }
        Chore.run("access clock", () -> context.keyspace().access().tick());
        Chore.run("lazy free", () -> context.keyspace().space().reclaim(System.currentTimeMillis()));
        Chore.run("client timeout", this::closeIdleClients);
        Chore.run("client query buffers", this::resizeQueryBuffers);
        // clientsCron's memory update: replies Netty has drained since a client's last read count out.
        Chore.run("client memory", () -> {
            for (Session c : context.clients().all()) c.recountMemory();
            context.clientEviction().evict();
        });
        Chore.run("tracking", () -> {
            context.tracking().limit();
            context.tracking().broadcast(); // what the active expirer changed under a BCAST prefix
        });
        Chore.run("ops per second", () -> context.opsPerSecond().sample(context.commandsProcessed(), System.currentTimeMillis()));
        Chore.run("replica ping", this::pingReplicas);
        Chore.run("save points", () -> context.persistence().saveIfDue(io.simplekv.command.server.RdbSnapshot.files(context)));
        // A sampling engine's bytes (chronicle: ~1 ms over its maps) every tick while maxmemory holds the server to
        // them, else once a second for INFO.
        Chore.run("storage bytes", () -> {
            if (context.config().maxmemory > 0 || ++bytesSampleTick % cronHz == 0) context.keyspace().engine().sampleBytes();
        });
        // Redis's eviction time proc: memory over maxmemory is brought back between commands too (after CONFIG SET).
        Chore.run("eviction", context::makeRoom);
    }

    private long lastReplicaPing = System.currentTimeMillis();
    private int bytesSampleTick;

    /** Redis's replicationCron: a PING into the stream every repl-ping-replica-period seconds. */
    private void pingReplicas() {
        long now = System.currentTimeMillis();
        long period = Long.parseLong(context.config().get("repl-ping-replica-period")) * 1000;
        if (now - lastReplicaPing < period) return;
        lastReplicaPing = now;
        context.replication().ping();
    }

    /** clientsCronResizeQueryBuffer for every client, each cron tick. */
    private void resizeQueryBuffers() {
        long now = System.currentTimeMillis();
        for (Session c : context.clients().all()) c.queryBuffer().cron((now - c.lastInteraction()) / 1000);
    }

    private void closeIdleClients() {
        long timeout = context.config().timeoutSeconds;
        if (timeout <= 0) return;
        long now = System.currentTimeMillis();
        for (Session c : context.clients().all()) {
            if (c.replica() == null && now - c.lastInteraction() > timeout * 1000) {
                log.debug("Closing idle client {}", c.address());
                c.link().close();
            }
        }
    }

    private void closeStorage() {
        try {
            context.persistence().syncForShutdown();
        } catch (RuntimeException e) {
            log.warn("Forcing the data to disk at shutdown failed: {}", e.getMessage());
        }
        try {
            context.keyspace().close();
        } catch (RuntimeException e) {
            // The engine leaves its clean-shutdown marker out, so the next start recovers.
            log.warn("Closing the storage failed; the next start will recover it: {}", e.getMessage());
        }
    }

    /** What to do first when a shutdown begins. */
    public void onShutdown(Runnable action) {
        this.onShutdown = action;
    }

    /** Blocks until {@link #close} has finished (SHUTDOWN, a signal, or a caller). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * SIGTERM or SIGINT (the JVM's shutdown hook, which can't tell them apart, so both follow
     * {@code shutdown-on-sigterm}): as Redis's prepareForShutdown, the memory engine first writes its final RDB
     * snapshot when save points are set (or the directive says save, and not nosave). The process is exiting
     * whatever happens, so a failed save is logged, not a reason to keep running as Redis would.
     */
    public void closeOnSignal() {
        if (!closing && !context.keyspace().engine().persistent()) {
            String policy = context.config().get("shutdown-on-sigterm");
            var persistence = context.persistence();
            boolean save = policy.equals("save") || (!policy.equals("nosave") && persistence.savePoints().any());
            if (save && context.scripts().running()) {
                log.warn("A script holds the keyspace: exiting without the final RDB snapshot");
            } else if (save) {
                log.info("Received a signal, saving the final RDB snapshot before exiting.");
                try (io.simplekv.keyspace.UnitOfWork unit = context.keyspace().unit().everything().open()) {
                    persistence.saveSnapshot(io.simplekv.command.server.RdbSnapshot.files(context));
                    log.info("DB saved on disk");
                } catch (java.io.IOException | RuntimeException e) {
                    log.warn("Error trying to save the DB, exiting anyway: {}", e.getMessage());
                }
            }
        }
        close();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closing) return;
            closing = true;
        }
        try {
            log.info("User requested shutdown...");
            onShutdown.run();
            for (Channel ch : listeners) ch.close().syncUninterruptibly();
            for (Channel ch : tlsListeners) ch.close().syncUninterruptibly();
            for (Session c : context.clients().all()) c.link().close();
            cron.shutdownNow();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            context.persistence().stop();
            if (context.scripts().running()) {
                // A script still holds the keyspace (SHUTDOWN NOSAVE beside a busy script): closing the tables under
                // it could tear them. The files stay as a kill leaves them, and the next start recovers them, with
                // none of the script's writes (they are applied only when its unit of work ends).
                log.warn("Shutting down while a script runs: the storage is left to the next start's recovery");
            } else {
                closeStorage();
            }
            context.scripts().close();
            log.info("simplekv is now ready to exit, bye bye...");
        } finally {
            stopped.countDown();
        }
    }

}
