package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    /**
     * As Debian's redis-server 7.0.15 (CVE-2025-21605): a client that has not authenticated and does not read its
     * -NOAUTH replies is closed once more than 1 KB of them wait in the server, instead of growing its buffer.
     */
    @Test
    void anUnauthenticatedClientThatDoesNotReadIsClosed() throws Exception {
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.toString(), "--requirepass", "pw")) {
            int port = s.port();
            byte[] chunk = "SET x 5\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                java.io.OutputStream out = socket.getOutputStream();
                // Written from another thread: without the limit the server stops reading once its replies back
                // up, and the writes would block for good.
                var writer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    long sent = 0;
                    try {
                        for (int i = 0; i < 100; i++) { // 9 MB of requests, 34 MB of replies if nobody stopped them
                            out.write(chunk);
                            sent += chunk.length;
                        }
                    } catch (java.io.IOException closed) {
                        // expected: the server closed the connection while we wrote
                    }
                    return sent;
                });
                long sent = writer.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(sent < 100L * chunk.length, "the server closed the client before it sent everything");
            }
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                j.auth("pw");
                assertEquals("PONG", j.ping());
            }
            assertNoStackTrace(s);
        }
    }

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

    /**
     * An argument is allocated once at its announced size: 150 MB fits a 256 MB heap (a doubling buffer needed
     * 128 + 150 MB at its last step and ran out). client-query-buffer-limit refuses a bigger one at its header.
     */
    @Test
    void argumentBufferIsSizedFromTheBulkHeader() throws Exception {
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.toString(),
                "--client-query-buffer-limit", "160mb")) {
            int port = s.port();
            int size = 150 * 1024 * 1024;
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.setSoTimeout(60_000);
                java.io.OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                out.write(("*2\r\n$6\r\nNOSUCH\r\n$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[1 << 20];
                java.util.Arrays.fill(chunk, (byte) 'a');
                for (int i = 0; i < size / chunk.length; i++) out.write(chunk);
                out.write("\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                java.io.BufferedReader in = new java.io.BufferedReader(
                        new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                assertEquals("-ERR unknown command 'NOSUCH', with args beginning with: '" + "a".repeat(128) + "' ",
                        in.readLine());
                assertEquals("+PONG", in.readLine());
            }
            // Past the limit: closed at the header, without a reply, and the server goes on.
            assertEquals("", RawClient.exchange(port, "*2\r\n$6\r\nNOSUCH\r\n$" + (170 * 1024 * 1024) + "\r\n", 2000));
            assertEquals("+PONG\r\n", RawClient.exchange(port, "PING\r\n", 300));
            // Within the limits but past the heap: one client holds a 155 MB argument it has not sent yet; another
            // announcing the same can't be given one, and that client alone is closed at the header.
            String header = "*2\r\n$6\r\nNOSUCH\r\n$" + (155 * 1024 * 1024) + "\r\n";
            ServerProcess.sleep(1100); // client errors are logged at most once a second
            try (java.net.Socket holder = new java.net.Socket("127.0.0.1", port)) {
                holder.getOutputStream().write(header.getBytes(StandardCharsets.US_ASCII));
                holder.getOutputStream().flush();
                ServerProcess.sleep(500);
                assertEquals("", RawClient.exchange(port, header, 2000));
                assertEquals("+PONG\r\n", RawClient.exchange(port, "PING\r\n", 300));
            }
            assertTrue(logSinceReady(s).contains("does not fit in the heap"), logSinceReady(s));
            assertNoStackTrace(s);
        }
    }

    /** The three requests issue 18 saw drop the connection: each makes a 512 MB string. */
    private static final String[][] GROW_TO_512MB = {
            {"SETRANGE", "k", "536870911", "x"}, {"SETBIT", "k", "4294967295", "1"},
            {"BITFIELD", "k", "SET", "u8", "4294967288", "1"}};

    /** With the launcher's heap (the JVM default, no -Xmx) a 512 MB string is made, read back and deleted. */
    @Test
    void growingAStringTo512MbWorksWithTheDefaultHeap() throws Exception {
        long physical = ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        assumeTrue(physical / 4 >= 2L << 30, "the default heap (a quarter of the RAM) is under 2 GB here");
        try (ServerProcess s = ServerProcess.startWith(java.util.List.of(), "--port", "0", "--dir", dir.toString());
             Jedis j = new Jedis("127.0.0.1", s.port(), 120_000)) {
            assertEquals(536870912L, j.setrange("k", 536870911L, "x"));
            j.del("k");
            assertFalse(j.setbit("k", 4294967295L, true));
            assertEquals(536870912L, j.strlen("k"));
            j.del("k");
            assertEquals(java.util.Collections.singletonList(0L), j.bitfield("k", "SET", "u8", "4294967288", "1"));
            assertEquals(536870912L, j.strlen("k"));
            j.del("k");
            assertEquals("PONG", j.ping());
            assertNoStackTrace(s);
        }
    }

    /** A heap too small for 512 MB: a clean -OOM for each, never a dropped connection, and the server serves on. */
    @Test
    void growingAStringPastTheHeapGetsACleanOomError() throws Exception {
        for (String engine : new String[] {"memory", "chronicle"}) {
            try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.resolve(engine).toString(),
                    "--storage", engine);
                 Jedis j = new Jedis("127.0.0.1", s.port(), 60_000)) {
                j.set("k", "v");
                for (String[] request : GROW_TO_512MB) {
                    Object reply;
                    try {
                        reply = j.sendCommand(() -> redis.clients.jedis.util.SafeEncoder.encode(request[0]),
                                java.util.Arrays.copyOfRange(request, 1, request.length));
                    } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                        reply = e.getMessage();
                    }
                    assertTrue(String.valueOf(reply).startsWith("OOM "), engine + " " + String.join(" ", request) + ": " + reply);
                    assertEquals("v", j.get("k"), "the key is left as it was");
                }
                assertEquals("PONG", j.ping());
                assertNoStackTrace(s);
            }
        }
    }

    /**
     * Issue 18: SRANDMEMBER with a count of -2^31 on a tiny set held the event loop for 9-38 s and then ran out of
     * heap. It is refused at once; the connection and the server go on (a PING on another connection answers).
     */
    @Test
    void hugeNegativeRandomCountAnswersAtOnce() throws Exception {
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.toString());
             Jedis j = new Jedis("127.0.0.1", s.port(), 10_000);
             Jedis other = new Jedis("127.0.0.1", s.port(), 10_000)) {
            j.sadd("s", "a", "b", "c");
            for (String count : new String[] {"-2147483648", "-9223372036854775807"}) {
                long start = System.nanoTime();
                String reply;
                try {
                    reply = String.valueOf(j.sendCommand(redis.clients.jedis.Protocol.Command.SRANDMEMBER, "s", count));
                } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                    reply = e.getMessage();
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(reply.startsWith("ERR reply of "), count + ": " + reply);
                assertTrue(millis < 2000, count + " took " + millis + " ms");
                assertEquals("PONG", other.ping());
            }
            assertEquals(1000, j.srandmember("s", -1000).size());
            assertEquals("PONG", j.ping());
            assertNoStackTrace(s);
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
