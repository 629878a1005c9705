package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a hostile or broken client can do to the real server's log and liveness (issue 18). */
class HardeningIT {
    @TempDir
    Path dir;

    /** The 17-byte packet that wrote ~3 KB of stack trace: now one short line (verbose), rate-limited. */
    @Test
    void protocolErrorsCostOneShortRateLimitedLine() throws Exception {
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.toString(), "--loglevel", "verbose")) {
            int port = s.port();
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                assertEquals("-ERR Protocol error: expected '$', got '+'\r\n",
                        RawClient.exchange(port, "*1\r\n+PING\r\n$abc\r\n", 2000));
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertEquals("+PONG\r\n", RawClient.exchange(port, "PING\r\n", 300));
            ServerProcess.sleep(200);
            assertNoStackTrace(s);
            String out = logSinceReady(s);
            long lines = out.lines().filter(l -> l.contains("Protocol error")).count();
            assertTrue(lines >= 1 && lines <= seconds + 2, lines + " lines in " + seconds + " s:\n" + out);
            out.lines().filter(l -> l.contains("Protocol error")).forEach(l -> assertTrue(l.length() < 200, l));
        }
    }

    /** POST and Host: close the connection; the warning is logged once, not once per attempt. */
    @Test
    void crossProtocolAttackIsWarnedOnce() throws Exception {
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.toString())) {
            int port = s.port();
            for (int i = 0; i < 3; i++) {
                assertEquals("", RawClient.exchange(port, "POST / HTTP/1.1\r\nHost: x\r\n\r\nSET k v\r\n", 2000));
            }
            assertEquals(":0\r\n", RawClient.exchange(port, "EXISTS k\r\n", 300));
            ServerProcess.sleep(200);
            String out = logSinceReady(s);
            assertEquals(1, out.lines().filter(l -> l.contains("Possible SECURITY ATTACK detected")).count(), out);
        }
    }

    /** The server's log after its ready line: what the test's requests caused. */
    static String logSinceReady(ServerProcess s) {
        String out = s.output();
        int ready = out.indexOf("ready to accept connections");
        return ready < 0 ? out : out.substring(ready);
    }

    static void assertNoStackTrace(ServerProcess s) {
        String out = logSinceReady(s);
        assertFalse(out.contains("\tat ") || out.contains("Exception") || out.contains("Error:"), out);
    }
}
