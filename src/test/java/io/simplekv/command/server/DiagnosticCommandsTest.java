package io.simplekv.command.server;

import io.simplekv.support.EngineKind;
import io.simplekv.support.RespParser;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ParameterizedClass
@EnumSource(EngineKind.class)
class DiagnosticCommandsTest extends ServerTestBase {

    /** The arguments of the slow log's entries, newest first, each joined by spaces. */
    private List<String> slowlogCommands() {
        String reply = r.call("SLOWLOG", "GET", "-1");
        List<?> entries = (List<?>) RespParser.parse(reply);
        return entries.stream().map(e -> String.join(" ", ((List<?>) ((List<?>) e).get(3)).stream().map(String::valueOf).toList())).toList();
    }

    @Test
    void slowLogKeepsTheNewestEntriesTrimmed() {
        assertEquals(integer(0), r.call("SLOWLOG", "LEN"));
        r.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
        r.call("CONFIG", "SET", "slowlog-max-len", "3");
        r.call("SET", "k", "v");
        r.call("SADD", "s", "a");
        r.call("INCR", "n");
        r.call("LPUSH", "l", "a");
        assertEquals(integer(3), r.call("SLOWLOG", "LEN"));
        assertEquals(List.of("SLOWLOG LEN", "LPUSH l a", "INCR n"), slowlogCommands(), "SLOWLOG LEN itself counts");
        assertEquals("*0\r\n", r.call("SLOWLOG", "GET", "0"));
        assertEquals(error("ERR count should be greater than or equal to -1"), r.call("SLOWLOG", "GET", "-2"));
        assertEquals(error("ERR count should be greater than or equal to -1"), r.call("SLOWLOG", "GET", "x"));
        r.call("CONFIG", "SET", "slowlog-max-len", "128");
        assertEquals(OK, r.call("SLOWLOG", "RESET"));
        String[] many = new String[35];
        many[0] = "SADD";
        many[1] = "set";
        for (int i = 2; i < many.length; i++) many[i] = Integer.toString(i);
        r.call(many);
        r.call("SADD", "set", "A".repeat(129));
        r.call("AUTH", "secret");
        List<String> logged = slowlogCommands();
        assertEquals("AUTH (redacted)", logged.get(0));
        assertEquals("SADD set " + "A".repeat(128) + "... (1 more bytes)", logged.get(1));
        assertTrue(logged.get(2).endsWith(" 30 ... (4 more arguments)"), logged.get(2));
        r.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
        r.call("SLOWLOG", "RESET");
        r.call("PING");
        assertEquals(integer(0), r.call("SLOWLOG", "LEN"), "-1 turns it off");
    }

    @Test
    void execIsNotLoggedButItsCommandsAndAServedBlockedCommandAre() {
        r.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
        try (Wire b = server.connect()) {
            b.call("BLPOP", "l", "0");
            r.call("MULTI");
            r.call("LPUSH", "l", "foo");
            r.call("SLOWLOG", "RESET");
            r.call("EXEC");
            b.received();
            assertEquals(List.of("BLPOP l 0", "SLOWLOG RESET"), slowlogCommands());
        }
    }

    @Test
    void monitorStreamsExecutedCommands() {
        try (Wire m = server.connect()) {
            assertEquals(OK, m.call("MONITOR"));
            assertTrue(r.call("CLIENT", "LIST").contains("flags=O"));
            r.call("SET", "foo", "a\"b\n\u0001");
            r.call("MULTI");
            r.call("GET", "foo");
            r.call("EXEC");
            r.call("CONFIG", "GET", "port");
            r.call("NOSUCHCOMMAND");
            String[] lines = m.received().split("\r\n");
            assertEquals(4, lines.length, String.join("|", lines));
            assertTrue(lines[0].matches("\\+\\d+\\.\\d{6} \\[0 [^\\]]+\\] \"SET\" \"foo\" \"a\\\\\"b\\\\n\\\\x01\""), lines[0]);
            assertTrue(lines[1].endsWith("\"MULTI\""), lines[1]);
            assertTrue(lines[2].endsWith("\"GET\" \"foo\""), lines[2]);
            assertTrue(lines[3].endsWith("\"EXEC\""), lines[3]);
        }
        r.call("PING");
        assertTrue(!r.call("CLIENT", "LIST").contains("flags=O"), "a closed monitor is forgotten");
    }

    /** A monitor is a replica to Redis: it may PING or ask CONFIG, not read or write keys, nor run scripts or publish. */
    @Test
    void monitorMayNotTouchTheKeyspace() {
        try (Wire m = server.connect()) {
            m.call("HELLO", "3");
            assertEquals(OK, m.call("MONITOR"));
            String refused = "-ERR Replica can't interact with the keyspace\r\n";
            assertEquals(refused, m.call("GET", "k"));
            assertEquals(refused, m.call("SET", "k", "v"));
            assertEquals(refused, m.call("EVAL", "return 1", "0"));
            assertEquals(refused, m.call("PUBLISH", "ch", "x"));
            assertEquals(refused, m.call("EVAL_RO", "return 1", "0"));
            assertEquals(refused, m.call("DBSIZE"));
            assertEquals(refused, m.call("FUNCTION", "FLUSH"));
            // What it may run is fed to it too, after the reply, except admin commands (CONFIG), as in Redis.
            String ping = m.call("PING");
            assertTrue(ping.startsWith("+PONG\r\n+") && ping.endsWith("\"PING\"\r\n"), ping);
            String echo = m.call("ECHO", "x");
            assertTrue(echo.startsWith("$1\r\nx\r\n+") && echo.endsWith("\"ECHO\" \"x\"\r\n"), echo);
            assertEquals("%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", m.call("CONFIG", "GET", "maxmemory"));
        }
    }
}
