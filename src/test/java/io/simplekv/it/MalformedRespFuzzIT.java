package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sends the real server random malformed RESP for a few seconds (seeded: {@code -Dfuzz.seed}, {@code
 * -Dfuzz.seconds}) and checks that another connection keeps getting PONG and that the log never shows a stack
 * trace. Packets are mutations of harmless requests (no SHUTDOWN, FLUSHALL, CONFIG or DEBUG among the seeds), so
 * a mutation that happens to be valid does nothing dangerous.
 */
class MalformedRespFuzzIT {
    @TempDir
    Path dir;

    private static final String[] SEEDS = {
            "*1\r\n$4\r\nPING\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
            "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n", "PING\r\n", "SET k \"a\\x00b\"\r\n", "ECHO 'x y'\r\n",
            "*4\r\n$4\r\nHSET\r\n$1\r\nh\r\n$1\r\nf\r\n$1\r\nv\r\n", "*3\r\n$5\r\nLPUSH\r\n$1\r\nl\r\n$1\r\nx\r\n",
            "*3\r\n$11\r\nSRANDMEMBER\r\n$1\r\ns\r\n$2\r\n-5\r\n", "*1\r\n+PING\r\n$abc\r\n", "*-5\r\nPING\r\n",
            "*4\r\n$8\r\nSETRANGE\r\n$1\r\nr\r\n$3\r\n100\r\n$1\r\nx\r\n", "*1\r\n$5\r\nMULTI\r\n", "*1\r\n$4\r\nEXEC\r\n"};
    private static final String[] FRAGMENTS = {
            "*", "$", "+", "-", ":", "\r\n", "\n", "\r", "\"", "'", "\\x", "0", "-1", "01", "2147483648",
            "9223372036854775808", "-9223372036854775809", "536870913", "99999999999999999999999", " ", "\0", "POST",
            "Host:", "*1\r\n", "$0\r\n\r\n", "*2\r\n$4\r\nECHO\r\n"};

    @Test
    void malformedPacketsNeverStopTheServerOrTraceInTheLog() throws Exception {
        long seed = Long.getLong("fuzz.seed", 18);
        long seconds = Long.getLong("fuzz.seconds", 4);
        Random rnd = new Random(seed);
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.toString(), "--loglevel", "verbose",
                "--client-query-buffer-limit", "1mb", "--proto-max-bulk-len", "1mb");
             Socket watcher = connect(s.port())) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            int packets = 0;
            while (System.nanoTime() < end) {
                byte[] packet = packet(rnd);
                send(s.port(), packet);
                packets++;
                if (packets % 20 == 0) {
                    assertEquals("+PONG\r\n", ping(watcher), "seed " + seed + ", after packet " + packets);
                }
            }
            assertEquals("+PONG\r\n", ping(watcher), "seed " + seed);
            assertTrue(packets > 50, "only " + packets + " packets sent");
            ServerProcess.sleep(200);
            // After the ready line: at verbose, Netty's own start-up probes may name exceptions it handled.
            String out = HardeningIT.logSinceReady(s);
            assertTrue(!out.contains("\tat ") && !out.contains("Exception") && !out.contains("Error:"),
                    "seed " + seed + ":\n" + out);
        }
    }

    /** A seed request cut, spliced, flipped or padded with fragments, now and then a long run of one byte. */
    private static byte[] packet(Random rnd) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int parts = 1 + rnd.nextInt(4);
        for (int p = 0; p < parts; p++) {
            switch (rnd.nextInt(6)) {
                case 0, 1 -> {
                    byte[] seed = SEEDS[rnd.nextInt(SEEDS.length)].getBytes(StandardCharsets.ISO_8859_1);
                    int cut = rnd.nextInt(seed.length + 1);
                    b.write(seed, 0, rnd.nextBoolean() ? seed.length : cut);
                }
                case 2 -> b.writeBytes(FRAGMENTS[rnd.nextInt(FRAGMENTS.length)].getBytes(StandardCharsets.ISO_8859_1));
                case 3 -> {
                    byte[] junk = new byte[rnd.nextInt(32)];
                    rnd.nextBytes(junk);
                    b.writeBytes(junk);
                }
                case 4 -> {
                    byte[] seed = SEEDS[rnd.nextInt(SEEDS.length)].getBytes(StandardCharsets.ISO_8859_1);
                    seed[rnd.nextInt(seed.length)] = (byte) rnd.nextInt(256);
                    b.writeBytes(seed);
                }
                default -> {
                    if (rnd.nextInt(8) == 0) {
                        b.writeBytes((rnd.nextBoolean() ? "*" : "*1\r\n$").getBytes(StandardCharsets.ISO_8859_1));
                        b.writeBytes("7".repeat(rnd.nextInt(70_000)).getBytes(StandardCharsets.ISO_8859_1));
                    } else {
                        b.writeBytes(("*" + (rnd.nextInt(40) - 10) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
            }
        }
        return b.toByteArray();
    }

    /** Sends one packet on a fresh connection, ends our side, and drains whatever comes back until the close. */
    private static void send(int port, byte[] packet) throws IOException {
        try (Socket s = connect(port)) {
            s.setSoTimeout(2000);
            try {
                s.getOutputStream().write(packet);
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                while (in.read(buf) >= 0) {
                    // drain
                }
            } catch (SocketTimeoutException | java.net.SocketException closedOrSlow) {
                // the server closed first, or waits for more of a request we never finish: both are fine
            }
        }
    }

    private static String ping(Socket watcher) throws IOException {
        watcher.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[7];
        InputStream in = watcher.getInputStream();
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) break;
            n += r;
        }
        return new String(buf, 0, n, StandardCharsets.US_ASCII);
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        return s;
    }
}
