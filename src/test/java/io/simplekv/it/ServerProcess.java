package io.simplekv.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real server as a user runs it: java -jar target/simplekv.jar, output captured, port read from the log. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready to accept connections on [^:]+:(\\d+)");

    /** The launcher's flags (scripts/simplekv-server): Chronicle Map's module access on Java 17, no analytics. */
    static final List<String> JVM_FLAGS = List.of(
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
            "-Dchronicle.announcer.disable=true");

    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private volatile int port = -1;

    private ServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::pump, "server-output");
        reader.setDaemon(true);
        reader.start();
    }

    static Path jar() {
        return Path.of(System.getProperty("simplekv.jar", "target/simplekv.jar"));
    }

    /** A loopback port free now, for a server started by other means than {@link #start}. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A connection to a server on the port once it answers PING, waiting up to {@code millis}. */
    static redis.clients.jedis.Jedis connectWhenUp(int port, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", port);
            try {
                j.ping();
                return j;
            } catch (RuntimeException e) {
                j.close();
                if (System.currentTimeMillis() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    /** Starts the server with a 256 MB heap and, unless it exits, waits for its ready line. */
    static ServerProcess start(String... args) throws IOException {
        return startWith(List.of("-Xmx256m"), args);
    }

    /** Starts the server with these JVM options (none: the JVM's default heap, as scripts/simplekv-server). */
    static ServerProcess startWith(List<String> jvmOptions, String... args) throws IOException {
        return startWith(jvmOptions, java.util.Map.of(), args);
    }

    /** Starts the server with a 256 MB heap and these environment variables changed (an empty value removes one). */
    static ServerProcess startWithEnv(java.util.Map<String, String> env, String... args) throws IOException {
        return startWith(List.of("-Xmx256m"), env, args);
    }

    private static ServerProcess startWith(List<String> jvmOptions, java.util.Map<String, String> env, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        env.forEach((name, value) -> {
            if (value.isEmpty()) builder.environment().remove(name);
            else builder.environment().put(name, value);
        });
        ServerProcess p = new ServerProcess(builder.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (p.port < 0 && p.process.isAlive() && System.nanoTime() < deadline) {
            sleep(20);
        }
        return p;
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                Matcher m = READY.matcher(line);
                if (m.find()) port = Integer.parseInt(m.group(1));
            }
        } catch (IOException ignored) {
            // the process went away
        }
    }

    int port() {
        if (port < 0) throw new IllegalStateException("server did not start: " + output());
        return port;
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Waits for the process to end by itself; returns its exit code, or -1 if it is still running. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) return -1;
        sleep(100); // let the output pump catch the last lines
        return process.exitValue();
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) kill9();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
