package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher contract a user sees: startup line, config errors, SHUTDOWN, --help/--version. */
class ProcessIT {
    @TempDir
    Path dir;

    @Test
    void logsOneStartupLineWithVersionAddressEngineAndDataPath() throws Exception {
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.toString())) {
            int port = s.port();
            assertTrue(port > 0);
            String out = s.output();
            assertTrue(out.contains("simplekv 0.1.0 ready to accept connections on 127.0.0.1:" + port), out);
            assertTrue(out.contains("storage memory"), out);
            assertTrue(out.contains("data " + dir.toAbsolutePath()), out);
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                assertEquals("PONG", j.ping());
            }
        }
    }

    @Test
    void shutdownCommandStopsTheProcessCleanly() throws Exception {
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.toString())) {
            try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                j.set("k", "v");
                try {
                    j.shutdown();
                } catch (Exception expected) {
                    // the server closes the connection without a reply, as Redis does
                }
            }
            assertEquals(0, s.awaitExit(20));
            assertTrue(s.output().contains("ready to exit"), s.output());
        }
    }

    @Test
    void pidfileHoldsTheProcessIdWhileItRunsAndGoesOnAShutdown() throws Exception {
        java.nio.file.Path pidfile = dir.resolve("simplekv.pid");
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.toString(), "--pidfile", pidfile.toString())) {
            String logged = s.output().replaceAll("(?s).*pid (\\d+)\\).*", "$1");
            assertEquals(logged + "\n", java.nio.file.Files.readString(pidfile), "the pid the startup line names");
            try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                try {
                    j.shutdown();
                } catch (Exception expected) {
                    // no reply, as in Redis
                }
            }
            assertEquals(0, s.awaitExit(20));
            assertTrue(!java.nio.file.Files.exists(pidfile), "removed on a clean stop");
        }
    }

    @Test
    void configFileIsReadAndFlagsOverrideIt() throws Exception {
        Path conf = dir.resolve("test.conf");
        Files.writeString(conf, "# a comment\nport 1\nmaxclients 7\nrequirepass \"s3cret\"\n");
        try (ServerProcess s = ServerProcess.start(conf.toString(), "--port", "0", "--dir", dir.toString())) {
            try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                j.auth("s3cret");
                assertEquals("7", j.configGet("maxclients").get("maxclients"));
            }
        }
    }

    @Test
    void badConfigFileFailsFastNamingFileLineAndDirective() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "port 7000\nmaxclients lots\n");
        try (ServerProcess s = ServerProcess.start(conf.toString(), "--dir", dir.toString())) {
            assertEquals(1, s.awaitExit(20));
            String out = s.output().trim();
            assertTrue(out.startsWith("FATAL CONFIG FILE ERROR: " + conf + ":2: 'maxclients lots'"), out);
            assertTrue(out.contains("argument couldn't be parsed into an integer"), out);
            assertEquals(1, out.lines().count(), out);
        }
    }

    @Test
    void unknownDirectiveAndBadFlagFailWithExitCodeOne() throws Exception {
        try (ServerProcess s = ServerProcess.start("--no-such-directive", "1", "--dir", dir.toString())) {
            assertEquals(1, s.awaitExit(20));
            assertTrue(s.output().contains("FATAL CONFIG ERROR: --no-such-directive 1: Bad directive"), s.output());
        }
        try (ServerProcess s = ServerProcess.start("--port", "notaport", "--dir", dir.toString())) {
            assertEquals(1, s.awaitExit(20));
            assertTrue(s.output().contains("FATAL CONFIG ERROR: --port notaport"), s.output());
        }
    }

    @Test
    void helpAndVersion() throws Exception {
        try (ServerProcess s = ServerProcess.start("--version")) {
            assertEquals(0, s.awaitExit(20));
            assertEquals("simplekv 0.1.0", s.output().trim());
        }
        try (ServerProcess s = ServerProcess.start("--help")) {
            assertEquals(0, s.awaitExit(20));
            assertTrue(s.output().contains("--storage"), s.output());
        }
    }

    /** CONFIG SET bind moves the listener to the new addresses; addresses that can't be bound leave the old ones. */
    @Test
    void configSetBindMovesTheListener() throws Exception {
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.toString());
             Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("OK", j.configSet("bind", "127.0.0.1 127.0.0.2"));
            try (Jedis second = new Jedis("127.0.0.2", s.port())) {
                assertEquals("PONG", second.ping());
            }
            redis.clients.jedis.exceptions.JedisDataException e = org.junit.jupiter.api.Assertions.assertThrows(
                    redis.clients.jedis.exceptions.JedisDataException.class, () -> j.configSet("bind", "192.0.2.1"));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.",
                    e.getMessage());
            try (Jedis again = new Jedis("127.0.0.2", s.port())) {
                assertEquals("PONG", again.ping(), "the old addresses are listened on again");
            }
            assertEquals("OK", j.configSet("bind", "127.0.0.1"));
            try (Jedis gone = new Jedis("127.0.0.2", s.port())) {
                org.junit.jupiter.api.Assertions.assertThrows(Exception.class, gone::ping);
            }
            assertEquals("PONG", j.ping(), "the connection made before stays");
        }
    }
}
