package io.simplekv.cli;

import io.simplekv.config.ServerConfig;

/** Maps Redis's loglevel/logfile onto slf4j-simple, which reads these properties before the first logger. */
final class Logging {
    private Logging() {}

    static void configure(ServerConfig config) {
        String level = switch (config.loglevel) {
            case "debug", "verbose" -> "debug";
            case "warning" -> "warn";
            case "nothing" -> "off";
            default -> "info";
        };
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", level);
        // Netty's own chatter stays at warn unless the user asked for debug.
        setDefault("org.slf4j.simpleLogger.log.io.netty", level.equals("debug") ? "debug" : "warn");
        // Chronicle warns on every recovery that recovery is not a normal way to open a map; the server says
        // itself when it recovers, so only Chronicle's errors are shown unless the user asked for debug.
        setDefault("org.slf4j.simpleLogger.log.net.openhft", level.equals("debug") ? "debug" : "error");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "dd MMM yyyy HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showLogName", "false");
        if (!"yes".equals(config.get("syslog-enabled"))) {
            setDefault("org.slf4j.simpleLogger.logFile", config.logfile.isEmpty() ? "System.out" : config.logfile);
            return;
        }
        // The logger writes to System.out, which goes on to stdout or the logfile and to syslog.
        java.io.OutputStream target = System.out;
        if (!config.logfile.isEmpty()) {
            try {
                target = new java.io.FileOutputStream(config.logfile, true);
            } catch (java.io.IOException e) {
                System.err.println("Can't open the log file: " + e.getMessage());
            }
        }
        System.setOut(new java.io.PrintStream(new SyslogTee(target, config.get("syslog-ident"),
                config.get("syslog-facility")), true, java.nio.charset.StandardCharsets.UTF_8));
        setDefault("org.slf4j.simpleLogger.logFile", "System.out");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
