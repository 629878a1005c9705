package io.simplekv.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONFIG REWRITE's file handling, as Redis's rewriteConfig: comments kept, lines replaced in place, new ones appended. */
class ConfigRewriteTest {
    private static final List<String> DEFAULT_USER = List.of("user default on nopass sanitize-payload ~* &* +@all");

    @Test
    void keepsCommentsAndOrderReplacesSetLinesAndAppendsOnlyWhatDiffersFromTheDefault() {
        List<String> old = List.of(
                "# my server",
                "port 7000",
                "",
                "",
                "# memory",
                "maxmemory 100mb",
                "maxmemory 200mb",
                "rename-command FLUSHALL \"\"",
                "slaveof 10.0.0.1 6379");
        ServerConfig config = ServerConfig.defaults()
                .with("port", List.of("7001"))
                .with("maxmemory", List.of("1gb"))
                .with("maxmemory-policy", List.of("allkeys-lru"))
                .with("requirepass", List.of("a b\"c"))
                .with("save", List.of(""))
                .with("client-output-buffer-limit", List.of("pubsub", "64mb", "16mb", "90"));
        String out = ConfigRewrite.rewrite(old, config, DEFAULT_USER);
        String kept = "# my server\nport 7001\n\n# memory\nmaxmemory 1gb\n"
                + "\n" // the second maxmemory line, blanked
                + "rename-command FLUSHALL \"\"\n" // not a directive this server rewrites: kept as it is
                + "\n" // slaveof: no master is followed now, so its line goes
                + ConfigRewrite.SIGNATURE + "\n";
        assertTrue(out.startsWith(kept), out);
        String appended = out.substring(out.indexOf(ConfigRewrite.SIGNATURE));
        assertTrue(appended.contains("\nmaxmemory-policy allkeys-lru\n"), appended);
        assertTrue(appended.contains("\nrequirepass \"a b\\\"c\"\n"), appended);
        assertTrue(appended.contains("\nsave \"\"\n"), appended);
        assertTrue(appended.contains("\nuser default on nopass sanitize-payload ~* &* +@all\n"), appended);
        assertTrue(appended.contains("\ndir \"" + Path.of("./data").toAbsolutePath().normalize() + "\"\n"),
                "dir is always written, absolute: " + appended);
        assertFalse(appended.contains("hz "), "a default is not appended");
        assertTrue(appended.contains("\nclient-output-buffer-limit pubsub 64mb 16mb 90\n"), appended);
        assertFalse(appended.contains("client-output-buffer-limit normal"), "only the class that differs");
    }

    @Test
    void aRewrittenFileReadsBackToTheSameConfigurationAndRewritesToItself(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("simplekv.conf");
        Files.writeString(file, "# comment\nbind 127.0.0.1 -::1\nsave 900 1\n");
        ServerConfig config = ConfigFileParser.apply(ServerConfig.defaults(), file)
                .with("save", List.of("3600", "1", "300", "100"))
                .with("notify-keyspace-events", List.of("KEA"))
                .with("maxmemory-clients", List.of("10%"))
                .with("logfile", List.of(""));
        ConfigRewrite.rewriteFile(file, config, DEFAULT_USER);
        String first = Files.readString(file);
        assertTrue(first.startsWith("# comment\nbind 127.0.0.1 -::1\nsave 3600 1\n"), first);
        assertTrue(first.contains("\nsave 300 100\n"), first);
        ServerConfig reread = ConfigFileParser.apply(ServerConfig.defaults(), file);
        for (String name : List.of("bind", "save", "notify-keyspace-events",
                "maxmemory-clients", "logfile", "dir")) {
            String expected = name.equals("dir") ? Path.of(config.get(name)).toAbsolutePath().normalize().toString()
                    : config.get(name);
            assertEquals(expected, reread.get(name), name);
        }
        assertTrue(first.contains("\nsave 3600 1\n\n" + ConfigRewrite.SIGNATURE + "\n"),
                "the file's final newline leaves a blank line before the signature, as in Redis: " + first);
        ConfigRewrite.rewriteFile(file, reread, DEFAULT_USER);
        String second = Files.readString(file);
        assertEquals(first + "\n", second, "as Redis, a second rewrite adds one blank line at the end");
        ConfigRewrite.rewriteFile(file, ConfigFileParser.apply(ServerConfig.defaults(), file), DEFAULT_USER);
        assertEquals(second, Files.readString(file), "and from then on the file stays as it is");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void memoryValuesUseRedisUnitsOnlyWhenExact() {
        assertEquals("1gb", ConfigRewrite.memory(1L << 30));
        assertEquals("3mb", ConfigRewrite.memory(3L << 20));
        assertEquals("1kb", ConfigRewrite.memory(1024));
        assertEquals("1000", ConfigRewrite.memory(1000));
        assertEquals("0", ConfigRewrite.memory(0));
        assertEquals("\"\\xc3\\xa9\\n\"", ConfigRewrite.quote("é\n"));
    }
}
