package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code daemonize yes}, as redis-server does it: the process the user started exits at once with 0, and the server
 * goes on in a detached process of its own, which writes the pidfile and removes it on SHUTDOWN.
 */
class DaemonizeIT {
    @TempDir
    Path dir;

    @Test
    void daemonizeYesReturnsAtOnceAndTheServerRunsDetached() throws Exception {
        int port = ServerProcess.freePort();
        Path pidfile = dir.resolve("simplekv.pid");
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(ServerProcess.JVM_FLAGS);
        cmd.addAll(List.of("-jar", ServerProcess.jar().toString(), "--port", Integer.toString(port),
                "--dir", dir.resolve("data").toString(), "--daemonize", "yes", "--pidfile", pidfile.toString()));
        Process launched = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(launched.waitFor(60, TimeUnit.SECONDS), "the process the user started returns");
        String said = new String(launched.getInputStream().readAllBytes());
        assertEquals(0, launched.exitValue(), said);
        long daemon = -1;
        try {
            try (Jedis j = ServerProcess.connectWhenUp(port, 60_000)) {
                assertEquals("PONG", j.ping());
                daemon = Long.parseLong(j.info("server").replaceAll("(?s).*process_id:(\\d+).*", "$1"));
                assertNotEquals(launched.pid(), daemon, "the server is another process");
                assertEquals(daemon + "\n", Files.readString(pidfile), "the daemon writes its pidfile");
                assertEquals("yes", j.configGet("daemonize").get("daemonize"));
                try {
                    j.shutdown();
                } catch (Exception expected) {
                    // no reply, as in Redis
                }
            }
            long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < gone) {
                Thread.sleep(100);
            }
            assertFalse(ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false), "SHUTDOWN stops the daemon");
            assertFalse(Files.exists(pidfile), "and it removes its pidfile");
        } finally {
            if (daemon > 0) ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
