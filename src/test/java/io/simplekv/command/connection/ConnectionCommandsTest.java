package io.simplekv.command.connection;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.RespParser;
import io.simplekv.support.ServerFixture;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static io.simplekv.support.Resp.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection commands; every expected reply was checked against redis-server 7.0.15 unless a comment says otherwise. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class ConnectionCommandsTest extends ServerTestBase {

    static final String NOAUTH = error("NOAUTH Authentication required.");
    static final String WRONGPASS = error("WRONGPASS invalid username-password pair or user is disabled.");
    static final String NOPROTO = error("NOPROTO unsupported protocol version");

    private long clientId(Wire w) {
        return (Long) RespParser.parse(w.call("CLIENT", "ID"));
    }

    /** HELLO's RESP2 reply, byte for byte as Redis 7.0.15 sends it. */
    private static String hello2(long id) {
        return "*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:2\r\n"
                + "$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                + "$7\r\nmodules\r\n*0\r\n";
    }

    /** The field values of a CLIENT INFO / CLIENT LIST line. */
    private static Map<String, String> fields(String line) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            m.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return m;
    }

    private Map<String, String> clientInfo(Wire w) {
        String info = (String) RespParser.parse(w.call("CLIENT", "INFO"));
        assertTrue(info.endsWith("\n") && info.indexOf('\n') == info.length() - 1, info);
        return fields(info.substring(0, info.length() - 1));
    }

    // ---- PING / ECHO / QUIT ----

    @Test
    void ping() {
        assertEquals("+PONG\r\n", r.call("PING"));
        assertEquals("+PONG\r\n", r.call("ping"));
        assertEquals(bulk("hello"), r.call("PING", "hello"));
        assertEquals(bulk(""), r.call("PING", ""));
        assertEquals(error("ERR wrong number of arguments for 'ping' command"), r.call("PING", "a", "b"));
        assertTrue(r.isOpen());
    }

    @Test
    void echo() {
        assertEquals(bulk("hi"), r.call("ECHO", "hi"));
        assertEquals(bulk("a b\r\nc"), r.call("ECHO", "a b\r\nc"));
        assertEquals("$3\r\n\0\u00ff\r\r\n", r.call("ECHO".getBytes(), new byte[] {0, (byte) 0xff, '\r'}));
        assertEquals(error("ERR wrong number of arguments for 'echo' command"), r.call("ECHO"));
        assertEquals(error("ERR wrong number of arguments for 'echo' command"), r.call("ECHO", "a", "b"));
    }

    @Test
    void quitRepliesOkThenCloses() {
        assertEquals(OK, r.call("QUIT"));
        assertFalse(r.isOpen());
    }

    @Test
    void quitAcceptsArguments() {
        assertEquals(OK, r.call("QUIT", "x"));
        assertFalse(r.isOpen());
    }

    @Test
    void quitInAPipelineDropsLaterCommands() {
        assertEquals("+PONG\r\n+OK\r\n", r.send("PING\r\nQUIT\r\nSET after 1\r\n"));
        assertFalse(r.isOpen());
        try (Wire other = server.connect()) {
            assertEquals(integer(0), other.call("EXISTS", "after"));
        }
    }

    // ---- SELECT ----

    @Test
    void selectErrors() {
        assertEquals(OK, r.call("SELECT", "15"));
        assertEquals(error("ERR DB index is out of range"), r.call("SELECT", "16"));
        assertEquals(error("ERR DB index is out of range"), r.call("SELECT", "-1"));
        assertEquals(error("ERR value is not an integer or out of range"), r.call("SELECT", "abc"));
        assertEquals(error("ERR value is not an integer or out of range"), r.call("SELECT", "1.5"));
        assertEquals(error("ERR value is not an integer or out of range"), r.call("SELECT", ""));
        assertEquals(error("ERR wrong number of arguments for 'select' command"), r.call("SELECT"));
        assertEquals("15", clientInfo(r).get("db"));
    }

    /** getIntFromObjectOrReply has its own text for a long outside int range. */
    @Test
    void selectOutsideIntRange() {
        assertEquals(error("ERR value is out of range, value must between -2147483648 and 2147483647"),
                r.call("SELECT", "2147483648"));
    }

    // ---- AUTH ----

    @Test
    void authWithoutRequirepass() {
        assertEquals(error("ERR AUTH <password> called without any password configured for the default user. "
                + "Are you sure your configuration is correct?"), r.call("AUTH", "x"));
        // The default user has nopass: any password works with the two-argument form.
        assertEquals(OK, r.call("AUTH", "default", "x"));
        assertEquals(WRONGPASS, r.call("AUTH", "u", "x"));
        assertEquals(SYNTAX, r.call("AUTH", "a", "b", "c"));
        assertEquals(error("ERR wrong number of arguments for 'auth' command"), r.call("AUTH"));
        assertEquals(NIL, r.call("GET", "k"));
    }

    @Test
    void requirepass() {
        try (ServerFixture locked = new ServerFixture(engine, dir.resolve("locked"), Map.of("requirepass", "secret"));
             Wire w = locked.connect()) {
            assertEquals(NOAUTH, w.call("GET", "k"));
            assertEquals(NOAUTH, w.call("PING"));
            assertEquals(NOAUTH, w.call("ECHO", "x"));
            assertEquals(NOAUTH, w.call("CLIENT", "ID"));
            assertEquals(NOAUTH, w.call("SELECT", "1"));
            assertEquals(NOAUTH, w.call("SET", "k", "v"));
            // As redis-server 7.0.15: MULTI is refused, and EXEC's refusal is an abort.
            assertEquals(NOAUTH, w.call("MULTI"));
            assertEquals(error("EXECABORT Transaction discarded because of: NOAUTH Authentication required."),
                    w.call("EXEC"));
            // Unknown commands and wrong arity are reported before authentication is checked.
            assertEquals(error("ERR unknown command 'FOO', with args beginning with: "), w.call("FOO"));
            assertEquals(error("ERR wrong number of arguments for 'get' command"), w.call("GET"));
            assertEquals(error("ERR wrong number of arguments for 'auth' command"), w.call("AUTH"));
            assertEquals(WRONGPASS, w.call("AUTH", "wrong"));
            assertEquals(WRONGPASS, w.call("AUTH", "default", "wrong"));
            assertEquals(WRONGPASS, w.call("AUTH", "otheruser", "secret"));
            assertEquals(NOAUTH, w.call("GET", "k"));
            assertEquals(OK, w.call("AUTH", "secret"));
            assertEquals(NIL, w.call("GET", "k"));
            assertEquals(OK, w.call("AUTH", "default", "secret"));
            // A failed AUTH does not undo an earlier success.
            assertEquals(WRONGPASS, w.call("AUTH", "wrong"));
            assertEquals(OK, w.call("SET", "k", "v"));
            assertTrue(w.isOpen());
        }
    }

    @Test
    void helloAuthAndResetWithRequirepass() {
        try (ServerFixture locked = new ServerFixture(engine, dir.resolve("locked"), Map.of("requirepass", "secret"));
             Wire w = locked.connect()) {
            assertEquals(NOPROTO, w.call("HELLO", "4"));
            assertEquals(error("ERR Protocol version is not an integer or out of range"), w.call("HELLO", "abc"));
            assertEquals(WRONGPASS, w.call("HELLO", "2", "AUTH", "default", "wrong"));
            assertEquals(WRONGPASS, w.call("HELLO", "2", "AUTH", "otheruser", "secret"));
            assertEquals(NOAUTH, w.call("GET", "k"));
            String reply = w.call("HELLO", "2", "AUTH", "default", "secret", "SETNAME", "x");
            assertEquals(hello2(clientId(w)), reply);
            assertEquals(bulk("x"), w.call("CLIENT", "GETNAME"));
            assertEquals(NIL, w.call("GET", "k"));
            // RESET logs the connection out again.
            assertEquals(simple("RESET"), w.call("RESET"));
            assertEquals(NOAUTH, w.call("GET", "k"));
            assertEquals(OK, w.call("AUTH", "secret"));
            assertEquals(NIL, w.call("CLIENT", "GETNAME"));
            // QUIT needs no authentication.
            assertEquals(simple("RESET"), w.call("RESET"));
            assertEquals(OK, w.call("QUIT"));
            assertFalse(w.isOpen());
        }
    }

    @Test
    void helloBeforeAuthText() {
        try (ServerFixture locked = new ServerFixture(engine, dir.resolve("locked"), Map.of("requirepass", "secret"));
             Wire w = locked.connect()) {
            String text = error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
                    + "protocol version at the same time");
            assertEquals(text, w.call("HELLO"));
            assertEquals(text, w.call("HELLO", "2"));
            assertEquals(text, w.call("HELLO", "3"));
        }
    }

    // ---- HELLO ----

    @Test
    void hello2() {
        long id = clientId(r);
        assertEquals(hello2(id), r.call("HELLO"));
        assertEquals(hello2(id), r.call("HELLO", "2"));
        Map<String, Object> m = RespParser.map(r.call("HELLO", "2"));
        assertEquals(List.of("server", "version", "proto", "id", "mode", "role", "modules"), List.copyOf(m.keySet()));
        assertEquals(2L, m.get("proto"));
        assertEquals(id, m.get("id"));
        assertEquals(List.of(), m.get("modules"));
    }

    @Test
    void helloProtocolVersions() {
        String hello3 = r.call("HELLO", "3");
        assertTrue(hello3.startsWith("%7\r\n$6\r\nserver\r\n"), hello3);
        assertTrue(hello3.contains("$5\r\nproto\r\n:3\r\n"), hello3);
        String info3 = r.call("CLIENT", "INFO");
        assertTrue(info3.startsWith("=") && info3.contains("\r\ntxt:id=") && info3.endsWith(" resp=3\n\r\n"), info3);
        assertTrue(r.call("HELLO", "2").startsWith("*14\r\n"));
        assertEquals("2", clientInfo(r).get("resp"));
        assertEquals(NOPROTO, r.call("HELLO", "4"));
        assertEquals(NOPROTO, r.call("HELLO", "1"));
        assertEquals(NOPROTO, r.call("HELLO", "-1"));
        assertEquals(NOPROTO, r.call("HELLO", "0"));
        assertEquals(error("ERR Protocol version is not an integer or out of range"), r.call("HELLO", "abc"));
        assertEquals(error("ERR Protocol version is not an integer or out of range"), r.call("HELLO", "2.0"));
        assertEquals(error("ERR Protocol version is not an integer or out of range"),
                r.call("HELLO", "99999999999999999999"));
    }

    @Test
    void helloOptions() {
        assertEquals(error("ERR Syntax error in HELLO option 'FOO'"), r.call("HELLO", "2", "FOO"));
        assertEquals(error("ERR Syntax error in HELLO option 'SETNAME'"), r.call("HELLO", "2", "SETNAME"));
        assertEquals(error("ERR Syntax error in HELLO option 'AUTH'"), r.call("HELLO", "2", "AUTH", "default"));
        assertEquals(error("ERR Syntax error in HELLO option 'FOO'"), r.call("HELLO", "3", "FOO"));
        assertEquals(error("ERR Client names cannot contain spaces, newlines or special characters."),
                r.call("HELLO", "2", "SETNAME", "a b"));
        assertEquals(NIL, r.call("CLIENT", "GETNAME"));
        assertEquals(hello2(clientId(r)), r.call("HELLO", "2", "SETNAME", "myname"));
        assertEquals(bulk("myname"), r.call("CLIENT", "GETNAME"));
        // Without requirepass the default user takes any password.
        assertEquals(hello2(clientId(r)), r.call("hello", "2", "auth", "default", "x", "setname", "other"));
        assertEquals(bulk("other"), r.call("CLIENT", "GETNAME"));
    }

    // ---- CLIENT ----

    @Test
    void clientIdSetnameGetname() {
        long id = clientId(r);
        try (Wire other = server.connect()) {
            assertEquals(id + 1, clientId(other));
        }
        assertEquals(NIL, r.call("CLIENT", "GETNAME"));
        assertEquals(OK, r.call("CLIENT", "SETNAME", "foo"));
        assertEquals(bulk("foo"), r.call("CLIENT", "GETNAME"));
        assertEquals(error("ERR Client names cannot contain spaces, newlines or special characters."),
                r.call("CLIENT", "SETNAME", "a b"));
        assertEquals(error("ERR Client names cannot contain spaces, newlines or special characters."),
                r.call("CLIENT", "SETNAME", "a\nb"));
        assertEquals(bulk("foo"), r.call("CLIENT", "GETNAME"));
        assertEquals(OK, r.call("CLIENT", "SETNAME", ""));
        assertEquals(NIL, r.call("CLIENT", "GETNAME"));
        assertEquals(error("ERR wrong number of arguments for 'client|setname' command"), r.call("CLIENT", "SETNAME"));
        assertEquals(error("ERR wrong number of arguments for 'client|id' command"), r.call("CLIENT", "ID", "x"));
    }

    @Test
    void clientInfoAndList() {
        r.call("CLIENT", "SETNAME", "first");
        r.call("SELECT", "3");
        long id = clientId(r);
        Map<String, String> info = clientInfo(r);
        assertEquals(Long.toString(id), info.get("id"));
        assertEquals("first", info.get("name"));
        assertEquals("3", info.get("db"));
        assertEquals("client|info", info.get("cmd"));
        assertEquals("default", info.get("user"));
        assertEquals("2", info.get("resp"));
        assertEquals("N", info.get("flags"));
        assertEquals(List.of("id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "ssub",
                "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem", "tot-mem",
                "events", "cmd", "user", "redir", "resp"), List.copyOf(info.keySet()).subList(0, 28));
        try (Wire other = server.connect()) {
            long otherId = clientId(other);
            String list = (String) RespParser.parse(r.call("CLIENT", "LIST"));
            String[] lines = list.split("\n", -1);
            assertEquals(3, lines.length, list);
            assertEquals("", lines[2]);
            assertEquals(Long.toString(id), fields(lines[0]).get("id"));
            assertEquals("client|list", fields(lines[0]).get("cmd"));
            assertEquals(Long.toString(otherId), fields(lines[1]).get("id"));
            assertEquals("client|id", fields(lines[1]).get("cmd"));
            String one = (String) RespParser.parse(r.call("CLIENT", "LIST", "ID", Long.toString(otherId)));
            assertEquals(lines[1] + "\n", one);
            assertEquals(list.length(), ((String) RespParser.parse(r.call("CLIENT", "LIST", "TYPE", "normal"))).length());
            assertEquals(bulk(""), r.call("CLIENT", "LIST", "TYPE", "pubsub"));
            assertEquals(bulk(""), r.call("CLIENT", "LIST", "ID", "99999"));
        }
        assertEquals(error("ERR Unknown client type 'foo'"), r.call("CLIENT", "LIST", "TYPE", "foo"));
        assertEquals(error("ERR Invalid client ID"), r.call("CLIENT", "LIST", "ID", "abc"));
        assertEquals(SYNTAX, r.call("CLIENT", "LIST", "FOO"));
    }

    @Test
    void clientKill() {
        long self = clientId(r);
        try (Wire other = server.connect(); Wire third = server.connect()) {
            long otherId = clientId(other);
            assertEquals(integer(0), r.call("CLIENT", "KILL", "ID", Long.toString(self)));
            assertTrue(r.isOpen());
            assertEquals(integer(1), r.call("CLIENT", "KILL", "ID", Long.toString(otherId)));
            assertFalse(other.isOpen());
            assertTrue(third.isOpen());
            assertEquals(integer(0), r.call("CLIENT", "KILL", "ID", Long.toString(otherId)));
            assertEquals(error("ERR client-id should be greater than 0"), r.call("CLIENT", "KILL", "ID", "abc"));
            assertEquals(error("ERR client-id should be greater than 0"), r.call("CLIENT", "KILL", "ID", "0"));
            assertEquals(integer(0), r.call("CLIENT", "KILL", "ID", "99999"));
            assertEquals(error("ERR No such client"), r.call("CLIENT", "KILL", "1.2.3.4:5"));
            assertEquals(error("ERR No such client"), r.call("CLIENT", "KILL", "ID"));
            assertEquals(SYNTAX, r.call("CLIENT", "KILL", "ID", "1", "SKIPME", "maybe"));
            assertEquals(SYNTAX, r.call("CLIENT", "KILL", "ID", "1", "FOO", "bar"));
            assertEquals(SYNTAX, r.call("CLIENT", "KILL", "ID", "1", "SKIPME"));
            assertTrue(third.isOpen());
            // SKIPME no lets a client kill itself: the reply still arrives, then the connection closes.
            assertEquals(integer(1), r.call("CLIENT", "KILL", "ID", Long.toString(self), "SKIPME", "no"));
            assertFalse(r.isOpen());
            assertTrue(third.isOpen());
        }
    }

    @Test
    void clientKillByTypeSkipsTheCaller() {
        try (Wire a = server.connect(); Wire b = server.connect()) {
            assertEquals(integer(2), r.call("CLIENT", "KILL", "TYPE", "normal"));
            assertFalse(a.isOpen());
            assertFalse(b.isOpen());
            assertTrue(r.isOpen());
            assertEquals(integer(0), r.call("CLIENT", "KILL", "TYPE", "pubsub"));
        }
    }

    /** CLIENT SETINFO and NO-TOUCH came with Redis 7.2: 7.0.15, the reference, doesn't know them. */
    @Test
    void clientSubcommandsOf72AreUnknown() {
        assertEquals(error("ERR unknown subcommand 'SETINFO'. Try CLIENT HELP."),
                r.call("CLIENT", "SETINFO", "LIB-NAME", "mylib"));
        assertEquals(error("ERR unknown subcommand 'no-touch'. Try CLIENT HELP."), r.call("CLIENT", "no-touch", "on"));
    }

    @Test
    void clientUnknownSubcommand() {
        assertEquals(error("ERR unknown subcommand 'FOO'. Try CLIENT HELP."), r.call("CLIENT", "FOO"));
        assertEquals(error("ERR unknown subcommand 'foo'. Try CLIENT HELP."), r.call("CLIENT", "foo", "bar"));
        assertEquals(error("ERR wrong number of arguments for 'client' command"), r.call("CLIENT"));
        assertEquals(SYNTAX, r.call("CLIENT", "NO-EVICT", "maybe"));
        assertEquals(OK, r.call("CLIENT", "NO-EVICT", "on"));
    }

    // ---- RESET ----

    @Test
    void reset() {
        r.call("SELECT", "5");
        r.call("SET", "in5", "v");
        r.call("CLIENT", "SETNAME", "named");
        long id = clientId(r);
        assertEquals(simple("RESET"), r.call("RESET"));
        assertEquals(NIL, r.call("CLIENT", "GETNAME"));
        assertEquals(NIL, r.call("GET", "in5"));
        Map<String, String> info = clientInfo(r);
        assertEquals("0", info.get("db"));
        assertEquals("", info.get("name"));
        assertEquals("2", info.get("resp"));
        // RESET keeps the connection and its id.
        assertEquals(Long.toString(id), info.get("id"));
        assertEquals(error("ERR wrong number of arguments for 'reset' command"), r.call("RESET", "x"));
        assertTrue(r.isOpen());
    }

    /** other.tcl's RESET tests: tracking, MONITOR and CLIENT REPLY OFF end too (Redis's clearClientConnectionState). */
    @Test
    void resetEndsTrackingMonitorAndReplyOff() {
        r.call("CLIENT", "TRACKING", "ON");
        assertEquals("t", clientInfo(r).get("flags"));
        r.call("RESET");
        assertEquals("N", clientInfo(r).get("flags"));
        r.call("MONITOR");
        assertEquals(simple("RESET"), r.call("RESET"));
        assertEquals("N", clientInfo(r).get("flags"), "no longer a monitor");
        r.call("CLIENT", "REPLY", "OFF");
        assertEquals(simple("RESET"), r.call("RESET"));
        assertEquals(simple("PONG"), r.call("PING"));
    }

    @Test
    void clientReplyOnCancelsAPendingSkip() {
        assertEquals("", r.call("CLIENT", "REPLY", "SKIP"));
        assertEquals(OK, r.call("CLIENT", "REPLY", "ON"));
        assertEquals(simple("PONG"), r.call("PING"));
        assertEquals("", r.call("CLIENT", "REPLY", "OFF"));
        assertEquals("", r.call("PING"));
        assertEquals(OK, r.call("CLIENT", "REPLY", "ON"));
    }

    @Test
    void readonlyAndReadwriteSayClusterIsOff() {
        assertEquals(error("ERR This instance has cluster support disabled"), r.call("READONLY"));
        assertEquals(error("ERR This instance has cluster support disabled"), r.call("READWRITE"));
    }
}
