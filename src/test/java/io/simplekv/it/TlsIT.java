package io.simplekv.it;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.simplekv.support.TestCerts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server with TLS as Redis 7.0 serves it: {@code --port 0 --tls-port N} and certificates made for the test.
 * Jedis, Lettuce and Debian's redis-cli 7.0.15 ({@code --tls}) talk to it; a client without a certificate, or
 * speaking plain TCP, is refused.
 */
class TlsIT {
    @TempDir
    static Path dir;
    static TestCerts certs;
    static ServerProcess server;
    static int tlsPort;

    @BeforeAll
    static void start() throws IOException {
        certs = TestCerts.create(dir.resolve("certs"));
        tlsPort = freePort();
        server = ServerProcess.start(tlsArgs(tlsPort, certs, "--dir", dir.resolve("data").toString()));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) server.close();
    }

    /** TLS only: port 0 beside a TLS port turns plain TCP off. */
    static String[] tlsArgs(int port, TestCerts c, String... more) {
        return tlsArgs(0, port, c, more);
    }

    static String[] tlsArgs(int plainPort, int port, TestCerts c, String... more) {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(plainPort), "--tls-port", Integer.toString(port),
                "--tls-cert-file", c.serverCert.toString(), "--tls-key-file", c.serverKey.toString(),
                "--tls-ca-cert-file", c.caCert.toString()));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Jedis jedis(int port, TestCerts c, boolean withCertificate) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
                .ssl(true).sslSocketFactory(c.clientContext(withCertificate).getSocketFactory())
                .socketTimeoutMillis(10_000).build());
    }

    @Test
    void jedisOverTlsSetsAndGets() {
        assertEquals(tlsPort, server.port(), "the ready line names the TLS port when plain TCP is off");
        assertTrue(server.output().contains("127.0.0.1:" + tlsPort + " (TLS via OpenSSL, storage memory"), server.output());
        try (Jedis j = jedis(tlsPort, certs, true)) {
            assertEquals("OK", j.set("tls:key", "over tls"));
            assertEquals("over tls", j.get("tls:key"));
            // Redis's tcp_port is the TLS port when port is 0
            assertTrue(j.info("server").contains("tcp_port:" + tlsPort + "\r\n"));
            assertEquals(Integer.toString(tlsPort), j.configGet("tls-port").get("tls-port"));
            assertEquals("yes", j.configGet("tls-auth-clients").get("tls-auth-clients"));
            assertEquals(certs.serverCert.toString(), j.configGet("tls-cert-file").get("tls-cert-file"));
        }
    }

    @Test
    void publishedMessagesReachASubscriberOverTls() throws Exception {
        // A pushed message is written without a flush and flushed by the event loop's one flush task, which must go
        // through the TLS handler below the flush consolidation: without that it would sit there unencrypted.
        java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.CountDownLatch subscribed = new java.util.concurrent.CountDownLatch(1);
        redis.clients.jedis.JedisPubSub listener = new redis.clients.jedis.JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                got.add(message);
                if (got.size() == 3) unsubscribe();
            }
        };
        try (Jedis sub = jedis(tlsPort, certs, true); Jedis pub = jedis(tlsPort, certs, true)) {
            Thread t = new Thread(() -> sub.subscribe(listener, "tls:news"));
            t.start();
            assertTrue(subscribed.await(10, TimeUnit.SECONDS));
            for (int i = 1; i <= 3; i++) assertEquals(1, pub.publish("tls:news", "m" + i));
            assertEquals("m1", got.poll(10, TimeUnit.SECONDS));
            assertEquals("m2", got.poll(10, TimeUnit.SECONDS));
            assertEquals("m3", got.poll(10, TimeUnit.SECONDS));
            t.join(10_000);
        }
    }

    @Test
    void aClientWithoutACertificateIsRefused() {
        // Jedis connects (and shakes hands) as it is made; in TLSv1.3 the server's refusal may only show on the first read.
        assertThrows(JedisConnectionException.class, () -> {
            try (Jedis j = jedis(tlsPort, certs, false)) {
                j.ping();
            }
        });
        TestCerts stranger = TestCerts.create(dir.resolve("stranger"));
        assertThrows(JedisConnectionException.class, () -> {
            try (Jedis j = new Jedis(new HostAndPort("127.0.0.1", tlsPort), DefaultJedisClientConfig.builder().ssl(true)
                    .sslSocketFactory(strangerTrustingUs(stranger).getSocketFactory()).socketTimeoutMillis(10_000).build())) {
                j.ping();
            }
        }, "a certificate from a CA the server does not trust");
        try (Jedis j = jedis(tlsPort, certs, true)) {
            assertEquals("PONG", j.ping(), "the server is unharmed");
        }
        assertFalse(server.output().contains("\tat "), "a refused handshake writes no stack trace: " + server.output());
    }

    /** A client presenting the stranger CA's client certificate, but trusting our server (so only the server refuses). */
    private static javax.net.ssl.SSLContext strangerTrustingUs(TestCerts stranger) {
        try {
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(stranger.clientKeyManager().getKeyManagers(), certs.trustManager().getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void plainTcpOnTheTlsPortGetsNoReply() throws Exception {
        try (Socket s = new Socket("127.0.0.1", tlsPort)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] got = in.readNBytes(64);
            assertFalse(new String(got, StandardCharsets.ISO_8859_1).contains("PONG"));
            assertEquals(-1, in.read(), "the server closes the connection");
        } catch (java.net.SocketException reset) {
            // a reset is a refusal too
        }
        assertFalse(server.output().contains("\tat "), "no stack trace: " + server.output());
    }

    @Test
    void authClientsNoServesAClientWithoutACertificate() throws Exception {
        int port = freePort();
        try (ServerProcess s = ServerProcess.start("--port", "0", "--tls-port", Integer.toString(port),
                "--tls-cert-file", certs.serverCert.toString(), "--tls-key-file", certs.serverKey.toString(),
                "--tls-auth-clients", "no", "--dir", dir.resolve("data-no").toString())) {
            assertEquals(port, s.port());
            try (Jedis j = jedis(port, certs, false)) {
                assertEquals("OK", j.set("k", "v"));
                assertEquals("v", j.get("k"));
            }
        }
    }

    @Test
    void redisCliTlsPings() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-cli")), "redis-cli is not installed");
        Process p = new ProcessBuilder("/usr/bin/redis-cli", "--tls", "--cert", certs.clientCert.toString(),
                "--key", certs.clientKey.toString(), "--cacert", certs.caCert.toString(), "-p", Integer.toString(tlsPort),
                "PING").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("PONG\n", out);
    }

    @Test
    void lettuceOverTls() throws Exception {
        SslOptions ssl = SslOptions.builder().jdkSslProvider()
                .keyManager(certs.clientKeyManager()).trustManager(certs.trustManager()).build();
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("localhost").withPort(tlsPort)
                .withSsl(true).withVerifyPeer(true).build());
        client.setOptions(ClientOptions.builder().sslOptions(ssl).build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertEquals("OK", c.sync().set("tls:lettuce", "v"));
            assertEquals("v", c.sync().get("tls:lettuce"));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void configSetReloadsCertificatesForNewConnections() throws Exception {
        int port = freePort();
        try (ServerProcess s = ServerProcess.start(tlsArgs(port, certs, "--dir", dir.resolve("data-reload").toString()));
             Jedis before = jedis(port, certs, true)) {
            assertEquals("PONG", before.ping());
            JedisDataException bad = assertThrows(JedisDataException.class,
                    () -> before.configSet("tls-cert-file", dir.resolve("missing.crt").toString()));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS "
                    + "configuration. Check server logs.", bad.getMessage());
            assertEquals(certs.serverCert.toString(), before.configGet("tls-cert-file").get("tls-cert-file"));
            try (Jedis still = jedis(port, certs, true)) {
                assertEquals("PONG", still.ping(), "the old context keeps serving");
            }

            TestCerts next = TestCerts.create(dir.resolve("next"));
            assertEquals("OK", before.configSet("tls-cert-file", next.serverCert.toString(),
                    "tls-key-file", next.serverKey.toString(), "tls-ca-cert-file", next.caCert.toString()));
            assertEquals(next.caCert.toString(), before.configGet("tls-ca-cert-file").get("tls-ca-cert-file"));
            try (Jedis fresh = jedis(port, next, true)) {
                assertEquals("PONG", fresh.ping());
            }
            assertThrows(JedisConnectionException.class, () -> {
                try (Jedis old = jedis(port, certs, true)) {
                    old.ping();
                }
            }, "a client trusting only the old CA no longer trusts the server");
            assertEquals("PONG", before.ping(), "a connection open before the reload keeps its session");
            assertTrue(s.output().contains("Failed to load certificate: " + dir.resolve("missing.crt")), s.output());
        }
    }

    @Test
    void plainAndTlsPortsSideBySideAndMovedByConfigSet() throws Exception {
        int plain = freePort();
        int tls = freePort();
        try (ServerProcess s = ServerProcess.start(tlsArgs(plain, tls, certs,
                "--dir", dir.resolve("data-both").toString()))) {
            assertEquals(plain, s.port());
            assertTrue(s.output().contains("127.0.0.1:" + plain + " (TLS port " + tls + " via OpenSSL, storage memory"), s.output());
            try (Jedis p = new Jedis("127.0.0.1", plain); Jedis t = jedis(tls, certs, true)) {
                assertEquals("OK", p.set("both", "plain"));
                assertEquals("plain", t.get("both"), "one keyspace behind both listeners");
                assertTrue(p.info("server").contains("tcp_port:" + plain + "\r\n"));

                int moved = freePort();
                assertEquals("OK", p.configSet("tls-port", Integer.toString(moved)));
                try (Jedis m = jedis(moved, certs, true)) {
                    assertEquals("plain", m.get("both"));
                }
                assertThrows(JedisConnectionException.class, () -> jedis(tls, certs, true).close(), "the old TLS port is closed");
                assertEquals("PONG", t.ping(), "a connection made on the old TLS port stays open");

                assertEquals("OK", t.configSet("port", "0"));
                assertThrows(JedisConnectionException.class, () -> new Jedis("127.0.0.1", plain).ping(),
                        "port 0 beside a TLS port turns plain TCP off, as in Redis");
                try (Jedis m = jedis(moved, certs, true)) {
                    assertTrue(m.info("server").contains("tcp_port:" + moved + "\r\n"));
                }
            }
        }
    }

    @Test
    void aMissingCertificateFailsStartupWithOneLine() throws Exception {
        Path missing = dir.resolve("nowhere.crt");
        try (ServerProcess s = ServerProcess.start("--port", "0", "--tls-port", Integer.toString(freePort()),
                "--tls-cert-file", missing.toString(), "--tls-key-file", certs.serverKey.toString(),
                "--tls-ca-cert-file", certs.caCert.toString(), "--dir", dir.resolve("data-bad").toString())) {
            assertEquals(1, s.awaitExit(30));
            String out = s.output().trim();
            assertEquals("FATAL: Failed to configure TLS: Failed to load certificate: " + missing
                    + ": No such file or directory", out);
        }
    }
}
