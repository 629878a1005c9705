package io.simplekv.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code daemonize yes}: a JVM cannot fork, so the server starts itself again as a new process, detached (in a
 * session of its own through {@code setsid} where the system has it, with stdin, stdout and stderr on /dev/null, as
 * Redis's daemonize() leaves them), and the process the user started exits at once with 0, as Redis's parent does.
 * The copy knows it is the daemon by {@link #CHILD} in its environment and runs in the foreground of its session.
 */
final class Daemon {
    static final String CHILD = "SIMPLEKV_DAEMON_CHILD";
    /** Redis's CONFIG_DEFAULT_PID_FILE: the pidfile of a daemon whose configuration names none. */
    static final String DEFAULT_PID_FILE = "/var/run/redis.pid";

    private Daemon() {}

    /** Whether this process is the detached copy. */
    static boolean isChild() {
        return System.getenv(CHILD) != null;
    }

    /**
     * Starts the detached copy with this process's own command line; returns null once it runs, or why it could
     * not be started (the caller then stays in the foreground).
     */
    static String detach() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> command = info.command();
        Optional<String[]> arguments = info.arguments();
        if (command.isEmpty() || arguments.isEmpty()) return "this system does not show the command line";
        List<String> cmd = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) cmd.add(setsid.toString());
        cmd.add(command.get());
        cmd.addAll(List.of(arguments.get()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put(CHILD, "1");
        try {
            pb.start();
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
