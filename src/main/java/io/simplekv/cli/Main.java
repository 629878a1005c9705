package io.simplekv.cli;

import io.simplekv.config.ConfigException;
import io.simplekv.config.ConfigFileParser;
import io.simplekv.config.ServerConfig;
import io.simplekv.server.SimpleKvServer;
import io.simplekv.storage.ChronicleEngine;
import io.simplekv.storage.MemoryEngine;
import io.simplekv.storage.StorageEngine;
import io.simplekv.tls.ServerTlsContexts;
import io.simplekv.tls.TlsSettings;
import io.simplekv.tls.TlsSetupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code simplekv-server [CONFIG_FILE] [--port N] [--bind ADDR...] [--dir DIR] [--storage memory|chronicle] ...}:
 * like redis-server, any directive may be given as {@code --name value}, and flags override the file.
 */
@Command(name = "simplekv-server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A Redis-protocol-compatible key-value server.",
        footer = {"", "Any other redis.conf directive may be given as --name value (e.g. --maxclients 100)."})
public final class Main implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG_FILE", description = "A redis.conf-style file.")
    Path configFile;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (0 picks a free one; with --tls-port, 0 turns plain TCP off). Default 6379.")
    String port;

    @Option(names = "--bind", arity = "1..*", paramLabel = "ADDR", description = "Addresses to listen on. Default 127.0.0.1.")
    List<String> bind;

    @Option(names = "--dir", paramLabel = "DIR", description = "Data directory. Default ./data.")
    String dir;

    @Option(names = "--storage", paramLabel = "ENGINE", description = "memory (default) or chronicle.")
    String storage;

    @Option(names = "--requirepass", paramLabel = "PASS", description = "Password clients must AUTH with.")
    String requirepass;

    @Option(names = "--databases", paramLabel = "N", description = "Number of databases. Default 16.")
    String databases;

    @Option(names = "--loglevel", paramLabel = "LEVEL", description = "debug, verbose, notice (default), warning, nothing.")
    String loglevel;

    /** Directives picocli does not declare, "--name v1 v2" each, set aside before picocli parses the rest. */
    final List<String> otherDirectives = new ArrayList<>();

    private static final Set<String> DECLARED = Set.of("--port", "--bind", "--dir", "--storage", "--requirepass",
            "--databases", "--loglevel", "--help", "-h", "--version", "-V");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println("FATAL CONFIG ERROR: " + e.getMessage());
            return 1;
        });
        return cli.execute(main.setAsideDirectives(args));
    }

    /**
     * picocli cannot know how many words an undeclared option takes, so undeclared "--name" options and the
     * words after them (up to the next "--option") go to {@link #otherDirectives}, as redis-server reads them.
     */
    String[] setAsideDirectives(String[] args) {
        List<String> forPicocli = new ArrayList<>();
        boolean inDirective = false;
        for (String a : args) {
            boolean option = a.startsWith("--") && a.length() > 2 || a.equals("-h") || a.equals("-V");
            if (option) {
                String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                inDirective = !DECLARED.contains(name);
            }
            (inDirective ? otherDirectives : forPicocli).add(a);
        }
        return forPicocli.toArray(new String[0]);
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        try {
            config = buildConfig();
        } catch (ConfigFileParser.BadConfigFile e) {
            System.err.println(e.getMessage());
            return 1;
        } catch (BadFlag e) {
            System.err.println("FATAL CONFIG ERROR: " + e.getMessage());
            return 1;
        }
        // Redis's main(): daemonize unless a supervisor runs the server, before anything is opened.
        Supervision supervision = Supervision.of(config.get("supervised"), System.getenv());
        boolean background = "yes".equals(config.get("daemonize")) && !supervision.active();
        if (background && !Daemon.isChild()) {
            String failure = Daemon.detach();
            if (failure == null) return 0;
            System.err.println("WARNING: could not daemonize (" + failure + "); staying in the foreground");
        }
        Logging.configure(config);
        supervision = supervision.begin(config.get("supervised"), org.slf4j.LoggerFactory.getLogger("simplekv"));
        if (config.tlsPort != 0) {
            // Checked before the storage opens, so a bad certificate costs one line and leaves nothing to close.
            try {
                ServerTlsContexts.build(TlsSettings.of(config));
            } catch (TlsSetupException e) {
                System.err.println("FATAL: Failed to configure TLS: " + e.getMessage());
                return 1;
            }
        }
        StorageEngine engine = openEngine(config);
        if (engine == null) return 1;
        SimpleKvServer server;
        try {
            server = new SimpleKvServer(config, engine);
            server.context().configFile(configFile);
        } catch (ConfigFileParser.BadConfigFile e) {
            System.err.println(e.getMessage());
            engine.close();
            return 1;
        }
        if (!server.loadSnapshot()) {
            server.close();
            return 1;
        }
        int bound;
        try {
            bound = server.start();
        } catch (TlsSetupException e) {
            System.err.println("FATAL: Failed to configure TLS: " + e.getMessage());
            server.close();
            return 1;
        } catch (Exception e) {
            String ports = config.tlsPort == 0 ? "" + config.port : config.port + " (TCP) or " + config.tlsPort + " (TLS)";
            System.err.println("FATAL: could not listen on " + String.join(" ", config.bind) + ":" + ports + ": " + e.getMessage());
            server.close();
            return 1;
        }
        server.followConfiguredMaster();
        server.context().supervised(supervision.mode());
        server.onShutdown(supervision::stopping);
        // As Redis's createPidFile: a daemon without a configured pidfile writes Redis's default one.
        String pidfile = config.values().get("pidfile");
        if (background && pidfile.isEmpty()) pidfile = Daemon.DEFAULT_PID_FILE;
        PidFile pid = PidFile.create(pidfile, org.slf4j.LoggerFactory.getLogger("simplekv"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.closeOnSignal();
            if (pid != null) pid.remove();
        }, "simplekv-signal"));
        org.slf4j.LoggerFactory.getLogger("simplekv").info(
                "simplekv {} ready to accept connections on {}:{} ({}storage {}, data {}, transport {}, pid {})",
                SimpleKvServer.VERSION, String.join(",", config.bind), bound, tlsNote(server), engine.name(),
                Path.of(config.dir).toAbsolutePath().normalize(), server.transport(), ProcessHandle.current().pid());
        supervision.ready(!config.get("replicaof").isBlank());
        server.awaitStop();
        if (pid != null) pid.remove();
        return 0;
    }

    /**
     * The ready line's word on TLS: nothing without it; "TLS via OpenSSL" when the port it names is the TLS port
     * (plain TCP off); "TLS port N via OpenSSL" beside a plain port.
     */
    private static String tlsNote(SimpleKvServer server) {
        if (server.tlsPort() == 0) return "";
        String provider = server.tlsProvider() == io.netty.handler.ssl.SslProvider.OPENSSL ? "OpenSSL" : "JDK";
        return (server.plainTcp() ? "TLS port " + server.tlsPort() : "TLS") + " via " + provider + ", ";
    }

    private StorageEngine openEngine(ServerConfig config) {
        try {
            Files.createDirectories(Path.of(config.dir));
        } catch (IOException e) {
            System.err.println("FATAL: can't create data directory '" + config.dir + "': " + e.getMessage());
            return null;
        }
        if (!config.storage.equals("chronicle")) return new MemoryEngine();
        // Chronicle phones home and prints a banner unless told not to; the launcher sets these, java -jar may not.
        for (String p : List.of("chronicle.analytics.disable", "chronicle.announcer.disable")) {
            if (System.getProperty(p) == null) System.setProperty(p, "true");
        }
        try {
            ChronicleEngine engine = ChronicleEngine.open(Path.of(config.dir), ChronicleEngine.Sizing.of(config));
            if (engine.recovering()) {
                org.slf4j.LoggerFactory.getLogger("simplekv").warn(
                        "the last process did not shut down cleanly: recovering chronicle maps in {}", config.dir);
            } else if (engine.killedQuietly()) {
                org.slf4j.LoggerFactory.getLogger("simplekv").warn("the last process did not shut down cleanly, but no map "
                        + "operation was in flight: chronicle maps in {} open without recovery", config.dir);
            }
            return engine;
        } catch (ChronicleEngine.DirectoryLockedException e) {
            System.err.println("FATAL: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            System.err.println("FATAL: can't open chronicle storage in '" + config.dir + "': " + e);
        }
        return null;
    }

    ServerConfig buildConfig() {
        ServerConfig config = ServerConfig.defaults();
        if (configFile != null) config = ConfigFileParser.apply(config, configFile);
        config = flag(config, "port", port);
        if (bind != null) config = flag(config, "bind", bind);
        config = flag(config, "dir", dir);
        config = flag(config, "storage", storage);
        config = flag(config, "requirepass", requirepass);
        config = flag(config, "databases", databases);
        config = flag(config, "loglevel", loglevel);
        // Redis style: "--name v1 v2 --other v" — each --name takes the words up to the next --name.
        String name = null;
        List<String> values = new ArrayList<>();
        for (String word : otherDirectives) {
            if (word.startsWith("--") && word.length() > 2) {
                if (name != null) config = flag(config, name, values);
                name = word.substring(2);
                values = new ArrayList<>();
            } else {
                values.add(word);
            }
        }
        if (name != null) config = flag(config, name, values);
        return config;
    }

    private static ServerConfig flag(ServerConfig config, String name, String value) {
        return value == null ? config : flag(config, name, List.of(value));
    }

    private static ServerConfig flag(ServerConfig config, String name, List<String> values) {
        try {
            // "--user 'alice on >pw ~*'" as redis-server takes it: one user per flag, its rules in one or more words.
            if (name.equals("user")) return config.withUser(List.of(String.join(" ", values).trim().split("\\s+")));
            return config.with(name, values);
        } catch (ConfigException e) {
            throw new BadFlag("--" + name + " " + String.join(" ", values) + ": " + e.getMessage());
        }
    }

    private static final class BadFlag extends RuntimeException {
        BadFlag(String message) {
            super(message, null, false, false);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"simplekv " + SimpleKvServer.VERSION};
        }
    }
}
