package io.simplekv.it;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainDatagramSocketAddress;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The unix datagram sockets of a service manager's world, with the test in the manager's place (it binds the socket
 * and reads what arrives). {@code supervised systemd|auto}: the server tells systemd its state by sd_notify's
 * datagrams to NOTIFY_SOCKET, with redis-server 7.0's messages, and stays in the foreground even with
 * {@code daemonize yes}. {@code syslog-enabled yes}: each log line also goes to the system log.
 */
class SupervisionIT {
    @TempDir
    Path dir;

    @Test
    void systemdHearsLoadingReadyAndStopping() throws Exception {
        Path path = dir.resolve("notify.sock");
        try (Listener systemd = new Listener(path)) {
            try (ServerProcess s = ServerProcess.startWithEnv(Map.of("NOTIFY_SOCKET", path.toString()), "--port", "0",
                    "--dir", dir.resolve("data").toString(), "--supervised", "auto", "--daemonize", "yes")) {
                // daemonize yes is ignored under a supervisor: this very process serves.
                try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                    assertEquals(List.of("STATUS=Redis is loading...\n", "STATUS=Ready to accept connections\n",
                            "READY=1\n"), systemd.receive(3));
                    assertTrue(j.info("server").contains("process_supervised:systemd\r\n"));
                    try {
                        j.shutdown();
                    } catch (Exception expected) {
                        // no reply, as in Redis
                    }
                }
                assertEquals(List.of("STOPPING=1\n"), systemd.receive(1));
                assertEquals(0, s.awaitExit(30));
                assertTrue(s.output().contains("Supervised by systemd. Please make sure you set appropriate values "
                        + "for TimeoutStartSec and TimeoutStopSec in your service unit."), s.output());
            }
        }
    }

    @Test
    void systemdWithoutNotifySocketRunsUnsupervisedWithRedisWarning() throws Exception {
        try (ServerProcess s = ServerProcess.startWithEnv(Map.of("NOTIFY_SOCKET", ""), "--port", "0",
                "--dir", dir.resolve("data").toString(), "--supervised", "systemd");
             Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertTrue(j.info("server").contains("process_supervised:no\r\n"));
            assertTrue(s.output().contains("systemd supervision error: NOTIFY_SOCKET not found!"), s.output());
        }
    }

    @Test
    void syslogEnabledSendsEachLogLineToTheSystemLog() throws Exception {
        Path path = dir.resolve("log.sock");
        try (Listener syslog = new Listener(path)) {
            try (ServerProcess s = ServerProcess.startWith(List.of("-Xmx256m", "-Dsimplekv.syslog.socket=" + path),
                    "--port", "0", "--dir", dir.resolve("data").toString(), "--syslog-enabled", "yes",
                    "--syslog-ident", "kv-test", "--syslog-facility", "local3")) {
                s.port(); // the ready line still reaches stdout
                String pid = s.output().replaceAll("(?s).*pid (\\d+)\\).*", "$1");
                List<String> lines = syslog.receive(1);
                // local3 (19) * 8 + notice (5); the message without slf4j's timestamp and level.
                assertTrue(!lines.isEmpty() && lines.get(0).startsWith("<157>kv-test[" + pid + "]: "), lines.toString());
                try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                    assertEquals("yes", j.configGet("syslog-enabled").get("syslog-enabled"));
                }
            }
        }
    }

    /** A unix datagram socket bound where the server is told to send (the test in systemd's or syslog's place). */
    private static final class Listener implements AutoCloseable {
        private final Socket socket;

        Listener(Path path) throws IOException {
            // Epoll's check also loads the native library the socket needs.
            assumeTrue(Epoll.isAvailable(), "unix datagram sockets come from Netty's epoll transport");
            socket = Socket.newSocketDomainDgram();
            socket.bind(new DomainSocketAddress(path.toFile()));
        }

        /** The datagrams that arrive within 30 s, up to {@code count}. */
        List<String> receive(int count) throws IOException, InterruptedException {
            List<String> got = new ArrayList<>();
            ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (got.size() < count && System.nanoTime() < deadline) {
                buffer.clear();
                DomainDatagramSocketAddress from = socket.recvFromDomainSocket(buffer, 0, buffer.capacity());
                if (from == null) {
                    Thread.sleep(20);
                    continue;
                }
                byte[] bytes = new byte[from.receivedAmount()];
                buffer.get(0, bytes);
                got.add(new String(bytes, StandardCharsets.UTF_8));
            }
            return got;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
