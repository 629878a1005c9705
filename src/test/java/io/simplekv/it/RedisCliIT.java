package io.simplekv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** redis-cli, unchanged, against the real server process. CI installs redis-tools for these. */
class RedisCliIT {
    @TempDir
    static Path dir;
    static ServerProcess server;

    @BeforeAll
    static void start() throws IOException {
        server = ServerProcess.start("--port", "0", "--dir", dir.toString());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    private static String cli(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("redis-cli", "-p", Integer.toString(server.port())));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "redis-cli did not finish");
        return out;
    }

    @Test
    void pingSetGet() throws Exception {
        assertEquals("PONG\n", cli(null, "ping"));
        assertEquals("OK\n", cli(null, "set", "cli:key", "hello world"));
        assertEquals("hello world\n", cli(null, "get", "cli:key"));
        assertEquals("(nil)\n", cli(null, "--no-raw", "get", "cli:missing"));
        assertEquals("(error) ERR unknown command 'nosuch', with args beginning with: 'x' \n", cli(null, "--no-raw", "nosuch", "x"));
    }

    @Test
    void commandsFromStdinIncludingQuotes() throws Exception {
        String out = cli("set cli:q \"a b\"\nget cli:q\nstrlen cli:q\n");
        assertEquals("OK\na b\n3\n", out);
    }

    @Test
    void pipeModeLoadsOneHundredThousandCommands() throws Exception {
        Path file = dir.resolve("mass.txt");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            String k = "pipe:" + i, v = "value-" + i;
            b.append("*3\r\n$3\r\nSET\r\n$").append(k.length()).append("\r\n").append(k).append("\r\n$")
                    .append(v.length()).append("\r\n").append(v).append("\r\n");
        }
        Files.writeString(file, b.toString());
        String out = cli(Files.readString(file), "--pipe");
        assertTrue(out.contains("errors: 0, replies: 100000"), out);
        assertEquals("value-99999\n", cli(null, "get", "pipe:99999"));
    }

    @Test
    void commandDocsGivesRedisCliItsHints() throws Exception {
        String out = cli(null, "command", "docs", "set");
        assertTrue(out.contains("arguments"), out);
        assertTrue(out.contains("KEEPTTL"), out);
    }
}
