package io.simplekv.server;

import io.simplekv.config.ServerConfig;
import io.simplekv.storage.MemoryEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** protected-mode as Redis 7.0's clientAcceptHandler enforces it. */
class ProtectedModeTest {
    @TempDir
    Path dir;

    private static final String DENIED = new String(ProtectedMode.DENIED, StandardCharsets.US_ASCII);

    @Test
    void deniesOnlyNonLoopbackClientsWithoutPassword() {
        ServerConfig defaults = ServerConfig.defaults();
        assertTrue(ProtectedMode.denies(defaults, true, false));
        assertFalse(ProtectedMode.denies(defaults, true, true));
        // A password on the default user (requirepass, or ACL SETUSER default >pw) lets outside clients in.
        assertFalse(ProtectedMode.denies(defaults, false, false));
        assertFalse(ProtectedMode.denies(defaults.with("protected-mode", List.of("no")), true, false));
    }

    @Test
    void loopbackIsExactlyRedisIslocalClient() throws Exception {
        assertTrue(Connection.isLocal(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1)));
        assertTrue(Connection.isLocal(new InetSocketAddress(InetAddress.getByName("::1"), 1)));
        assertFalse(Connection.isLocal(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 1)));
        assertFalse(Connection.isLocal(new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 1)));
    }

    @Test
    void aClientFromAnotherAddressGetsDeniedOverTcp() throws Exception {
        InetAddress external = nonLoopbackAddress();
        assumeTrue(external != null, "this machine has no non-loopback IPv4 address");
        ServerConfig config = ServerConfig.defaults().with("port", List.of("0")).with("bind", List.of("0.0.0.0"))
                .with("dir", List.of(dir.toString()));
        try (SimpleKvServer server = new SimpleKvServer(config, new MemoryEngine())) {
            int port = server.start();
            assertEquals(DENIED, exchange(external, port));
            assertEquals("+PONG\r\n", exchange(InetAddress.getByName("127.0.0.1"), port));
            server.context().liveConfig().set("protected-mode", List.of("no"));
            assertEquals("+PONG\r\n", exchange(external, port));
            server.context().liveConfig().set("protected-mode", List.of("yes"));
            server.context().liveConfig().set("requirepass", List.of("pw"));
            assertEquals("-NOAUTH Authentication required.\r\n", exchange(external, port));
        }
    }

    /** Sends PING and QUIT and reads until the server closes. */
    private static String exchange(InetAddress to, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(to, 0)); // the server sees this address as the peer
            s.connect(new InetSocketAddress(to, port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!got.toString(StandardCharsets.US_ASCII).endsWith("\r\n") || got.size() == 0) {
                int n = in.read(buf);
                if (n < 0) break;
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.US_ASCII);
        }
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) continue;
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) return a;
            }
        }
        return null;
    }
}
