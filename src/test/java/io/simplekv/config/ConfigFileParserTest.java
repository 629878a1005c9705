package io.simplekv.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * redis.conf syntax. Accepted values and the reason texts of refused lines were checked by starting
 * redis-server 7.0.15 on the same files; the location format ("file:line: 'line': reason") is simplekv's own.
 */
class ConfigFileParserTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private ServerConfig parse(Path file) {
        return ConfigFileParser.apply(ServerConfig.defaults(), file);
    }

    private String failure(Path file) {
        return assertThrows(ConfigFileParser.BadConfigFile.class, () -> parse(file)).getMessage();
    }

    @Test
    void commentsBlankLinesAndQuotes() throws IOException {
        ServerConfig c = parse(write("a.conf", """
                # a comment
                   # an indented comment

                maxclients 123
                requirepass "my pass"
                \tloglevel   warning\t
                dbfilename 'dump it.rdb'
                bind 127.0.0.1 ::1
                """));
        assertEquals(123, c.maxclients);
        assertEquals("123", c.get("maxclients"));
        assertEquals("my pass", c.requirepass);
        assertEquals("warning", c.loglevel);
        assertEquals("dump it.rdb", c.get("dbfilename"));
        assertEquals(List.of("127.0.0.1", "::1"), c.bind);
        assertEquals("10", c.get("hz"), "untouched directives keep their defaults");
    }

    @Test
    void escapesInQuotedValues() throws IOException {
        ServerConfig c = parse(write("a.conf", "requirepass \"a\\x41\\\"b\"\n"));
        assertEquals("aA\"b", c.requirepass);
    }

    @Test
    void saveLinesAddUpTheFirstReplacingTheDefaultsAndAnEmptyOneClearing() throws IOException {
        assertEquals("900 1 300 10 60 10000", parse(write("s.conf", "save 900 1\nsave 300 10\nsave 60 10000\n")).get("save"));
        assertEquals("60 5", parse(write("t.conf", "save 900 1\nsave \"\"\nsave 60 5\n")).get("save"));
        assertEquals("", parse(write("u.conf", "save 900 1\nsave \"\"\n")).get("save"));
        assertEquals("3600 1 300 100 60 10000", parse(write("v.conf", "port 7000\n")).get("save"), "no save line: defaults");
    }

    @Test
    void directiveNamesAreCaseInsensitiveAndLaterLinesWin() throws IOException {
        ServerConfig c = parse(write("a.conf", "MAXCLIENTS 5\nmaxclients 6\nHz 20\n"));
        assertEquals(6, c.maxclients);
        assertEquals(20, c.hz);
    }

    @Test
    void memoryUnits() throws IOException {
        ServerConfig c = parse(write("a.conf", """
                maxmemory 1gb
                proto-max-bulk-len 512mb
                client-query-buffer-limit 2GB
                hash-max-listpack-value 100k
                zset-max-listpack-value 1kb
                """));
        assertEquals("1073741824", c.get("maxmemory"));
        assertEquals(536_870_912L, c.protoMaxBulkLen);
        assertEquals(2_147_483_648L, c.clientQueryBufferLimit);
        assertEquals("100000", c.get("hash-max-listpack-value"));
        assertEquals("1024", c.get("zset-max-listpack-value"));
        assertEquals("100000", parse(write("b.conf", "maxmemory 100K\n")).get("maxmemory"));
        assertEquals("3000000", parse(write("c.conf", "maxmemory 3m\n")).get("maxmemory"));
        assertEquals("2000000000", parse(write("d.conf", "maxmemory 2g\n")).get("maxmemory"));
        assertEquals("5242880", parse(write("e.conf", "maxmemory 5MB\n")).get("maxmemory"));
        assertEquals("42", parse(write("f.conf", "maxmemory 42\n")).get("maxmemory"));
    }

    @Test
    void includeRelativeAndAbsolute() throws IOException {
        Path inc = write("conf.d/inc.conf", "maxclients 123\nhz 20\n");
        write("conf.d/more.conf", "loglevel debug\n");
        Path main = write("conf.d/main.conf", "hz 5\ninclude more.conf\ninclude " + inc.toAbsolutePath() + "\nmaxclients 7\n");
        ServerConfig c = parse(main);
        assertEquals("debug", c.loglevel);
        assertEquals(20, c.hz, "the include comes after 'hz 5'");
        assertEquals(7, c.maxclients, "'maxclients 7' comes after the include");
    }

    @Test
    void badIntegerNamesFileLineAndDirective() throws IOException {
        Path f = write("bad.conf", "port 7394\n\nmaxclients abc\n");
        assertEquals("FATAL CONFIG FILE ERROR: " + f + ":3: 'maxclients abc': argument couldn't be parsed into an integer",
                failure(f));
    }

    @Test
    void unknownDirective() throws IOException {
        Path f = write("bad.conf", "port 7394\nnosuchdirective 1\n");
        assertEquals("FATAL CONFIG FILE ERROR: " + f + ":2: 'nosuchdirective 1': Bad directive or wrong number of arguments",
                failure(f));
    }

    @Test
    void unbalancedQuotes() throws IOException {
        Path f = write("bad.conf", "port 7394\nrequirepass \"abc\n");
        assertEquals("FATAL CONFIG FILE ERROR: " + f + ":2: 'requirepass \"abc': Unbalanced quotes in configuration line",
                failure(f));
    }

    @Test
    void badMemoryValue() throws IOException {
        Path f = write("bad.conf", "port 7394\nmaxmemory 12xb\n");
        assertEquals("FATAL CONFIG FILE ERROR: " + f + ":2: 'maxmemory 12xb': argument must be a memory value", failure(f));
        Path g = write("bad2.conf", "maxmemory 1.5gb\n");
        assertEquals("FATAL CONFIG FILE ERROR: " + g + ":1: 'maxmemory 1.5gb': argument must be a memory value", failure(g));
    }

    @Test
    void wrongNumberOfArguments() throws IOException {
        Path f = write("bad.conf", "port 7394\nmaxclients 5 6\n");
        assertEquals("FATAL CONFIG FILE ERROR: " + f + ":2: 'maxclients 5 6': wrong number of arguments", failure(f));
    }

    @Test
    void badValueInIncludedFileNamesThatFile() throws IOException {
        Path inc = write("inc.conf", "# first\nhz 20\nmaxclients lots\n");
        Path main = write("main.conf", "port 1\ninclude " + inc + "\n");
        assertEquals("FATAL CONFIG FILE ERROR: " + inc + ":3: 'maxclients lots': argument couldn't be parsed into an integer",
                failure(main));
    }

    @Test
    void missingIncludeFile() throws IOException {
        Path missing = dir.resolve("nonexist.conf");
        String m = failure(write("main.conf", "port 1\ninclude " + missing + "\n"));
        assertTrue(m.startsWith("FATAL CONFIG FILE ERROR: can't open config file '" + missing + "': "), m);
    }

    @Test
    void includeLoopIsRefused() throws IOException {
        Path a = dir.resolve("loop.conf");
        Files.writeString(a, "include " + a + "\n");
        assertTrue(failure(a).endsWith(": include nested too deeply"));
    }

    @Test
    void userLinesAreKeptInOrderForTheAclAtStartup() throws IOException {
        ServerConfig c = parse(write("users.conf", """
                user alice on >pw ~* +@all
                user "bob" off
                """));
        assertEquals(List.of(List.of("alice", "on", ">pw", "~*", "+@all"), List.of("bob", "off")), c.users);
        assertTrue(failure(write("dup.conf", "user a on\nuser a off\n")).endsWith(
                "Error in user declaration 'a': Duplicate user found. A user can only be defined once in config files"));
    }
}
