package io.simplekv.command.server;

import io.simplekv.support.EngineKind;
import io.simplekv.support.RespParser;
import io.simplekv.support.ServerFixture;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ACL and the permission checks; every expected reply is redis-server 7.0.15's, recorded for the same requests. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class AclCommandsTest extends ServerTestBase {
    static final String ALICE_HASH = "f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a";
    static final String NOPERM_KEY = error("NOPERM this user has no permissions to access one of the keys used as arguments");
    static final String NOPERM_CHANNEL = error("NOPERM this user has no permissions to access one of the channels used as arguments");
    static final String WRONGPASS = error("WRONGPASS invalid username-password pair or user is disabled.");

    private static String noperm(String command) {
        return error("NOPERM this user has no permissions to run the '" + command + "' command");
    }

    @Test
    void getuserInBothProtocols() {
        assertEquals(OK, r.call("ACL", "SETUSER", "alice", "on", ">p1", "~cached:*", "+get"));
        assertEquals("*12\r\n$5\r\nflags\r\n*1\r\n$2\r\non\r\n$9\r\npasswords\r\n*1\r\n$64\r\n" + ALICE_HASH + "\r\n"
                + "$8\r\ncommands\r\n$10\r\n-@all +get\r\n$4\r\nkeys\r\n$9\r\n~cached:*\r\n$8\r\nchannels\r\n$0\r\n\r\n"
                + "$9\r\nselectors\r\n*0\r\n", r.call("ACL", "GETUSER", "alice"));
        assertEquals("*12\r\n$5\r\nflags\r\n*2\r\n$2\r\non\r\n$6\r\nnopass\r\n$9\r\npasswords\r\n*0\r\n$8\r\ncommands\r\n"
                + "$5\r\n+@all\r\n$4\r\nkeys\r\n$2\r\n~*\r\n$8\r\nchannels\r\n$2\r\n&*\r\n$9\r\nselectors\r\n*0\r\n",
                r.call("ACL", "GETUSER", "default"));
        r.call("HELLO", "3");
        assertEquals("%6\r\n$5\r\nflags\r\n~1\r\n$2\r\non\r\n$9\r\npasswords\r\n*1\r\n$64\r\n" + ALICE_HASH + "\r\n"
                + "$8\r\ncommands\r\n$10\r\n-@all +get\r\n$4\r\nkeys\r\n$9\r\n~cached:*\r\n$8\r\nchannels\r\n$0\r\n\r\n"
                + "$9\r\nselectors\r\n*0\r\n", r.call("ACL", "GETUSER", "alice"));
        assertEquals("_\r\n", r.call("ACL", "GETUSER", "nobody"));
    }

    @Test
    void getuserShowsSelectors() {
        r.call("ACL", "SETUSER", "sel", "~k", "(~x", "+get)");
        assertEquals("*12\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$9\r\npasswords\r\n*0\r\n$8\r\ncommands\r\n$5\r\n-@all\r\n"
                + "$4\r\nkeys\r\n$2\r\n~k\r\n$8\r\nchannels\r\n$0\r\n\r\n$9\r\nselectors\r\n*1\r\n*6\r\n$8\r\ncommands\r\n"
                + "$10\r\n-@all +get\r\n$4\r\nkeys\r\n$2\r\n~x\r\n$8\r\nchannels\r\n$0\r\n\r\n",
                r.call("ACL", "GETUSER", "sel"));
    }

    @Test
    void listUsersWhoamiDeluser() {
        r.call("ACL", "SETUSER", "alice", "on", ">p1", "~cached:*", "+get");
        r.call("ACL", "SETUSER", "bob");
        assertEquals("*3\r\n$114\r\nuser alice on #" + ALICE_HASH + " ~cached:* resetchannels -@all +get\r\n"
                + "$32\r\nuser bob off resetchannels -@all\r\n$34\r\nuser default on nopass ~* &* +@all\r\n",
                r.call("ACL", "LIST"));
        assertEquals("*3\r\n$5\r\nalice\r\n$3\r\nbob\r\n$7\r\ndefault\r\n", r.call("ACL", "USERS"));
        assertEquals(bulk("default"), r.call("ACL", "WHOAMI"));
        assertEquals(integer(1), r.call("ACL", "DELUSER", "bob", "nobody"));
        assertEquals(error("ERR The 'default' user cannot be removed"), r.call("ACL", "DELUSER", "alice", "default"));
        assertEquals("*2\r\n$5\r\nalice\r\n$7\r\ndefault\r\n", r.call("ACL", "USERS"));
    }

    @Test
    void errorsAsRedis() {
        assertEquals(error("ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL"),
                r.call("ACL", "SETUSER", "x", "+nosuch"));
        assertEquals(error("ERR Unmatched parenthesis in acl selector starting at '(~a'."), r.call("ACL", "SETUSER", "x", "(~a"));
        assertEquals(error("ERR Usernames can't contain spaces or null characters"), r.call("ACL", "SETUSER", "a b"));
        assertEquals(NIL, r.call("ACL", "GETUSER", "x"));
        assertEquals(error("ERR Unknown category 'nosuch'"), r.call("ACL", "CAT", "nosuch"));
        assertEquals(error("ERR ACL GENPASS argument must be the number of bits for the output password, a positive "
                + "number up to 4096"), r.call("ACL", "GENPASS", "0"));
        assertEquals(error("ERR wrong number of arguments for 'acl|load' command"), r.call("ACL", "LOAD", "x"));
        assertEquals(error("ERR unknown subcommand 'FOO'. Try ACL HELP."), r.call("ACL", "FOO"));
        assertEquals(error("ERR This Redis instance is not configured to use an ACL file. You may want to specify users "
                + "via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration "
                + "file set) in order to store users in the Redis configuration."), r.call("ACL", "SAVE"));
    }

    @Test
    void catAndGenpass() {
        assertEquals("*21\r\n$8\r\nkeyspace\r\n$4\r\nread\r\n$5\r\nwrite\r\n$3\r\nset\r\n$9\r\nsortedset\r\n$4\r\nlist\r\n"
                + "$4\r\nhash\r\n$6\r\nstring\r\n$6\r\nbitmap\r\n$11\r\nhyperloglog\r\n$3\r\ngeo\r\n$6\r\nstream\r\n"
                + "$6\r\npubsub\r\n$5\r\nadmin\r\n$4\r\nfast\r\n$4\r\nslow\r\n$8\r\nblocking\r\n$9\r\ndangerous\r\n"
                + "$10\r\nconnection\r\n$11\r\ntransaction\r\n$9\r\nscripting\r\n", r.call("ACL", "CAT"));
        @SuppressWarnings("unchecked")
        List<Object> hll = (List<Object>) RespParser.parse(r.call("ACL", "CAT", "hyperloglog"));
        assertEquals(List.of("pfadd", "pfcount", "pfdebug", "pfmerge", "pfselftest"), hll.stream().sorted().toList());
        assertEquals(64, ((String) RespParser.parse(r.call("ACL", "GENPASS"))).length());
        assertTrue(((String) RespParser.parse(r.call("ACL", "GENPASS", "5"))).matches("[0-9a-f]{2}"));
    }

    private Wire alice() {
        r.call("ACL", "SETUSER", "alice", "on", ">p1", "~cached:*", "%R~r:*", "%W~w:*", "&news.*", "+get", "+set",
                "+publish", "+subscribe", "+psubscribe", "+multi", "+exec", "+discard", "+lmove", "+acl", "+eval", "+ping");
        Wire w = server.connect();
        assertEquals(WRONGPASS, w.call("AUTH", "alice", "wrong"));
        assertEquals(WRONGPASS, w.call("AUTH", "nobody", "p1"));
        assertEquals(OK, w.call("AUTH", "alice", "p1"));
        return w;
    }

    @Test
    void commandsKeysAndChannelsAreChecked() {
        try (Wire w = alice()) {
            assertEquals(bulk("alice"), w.call("ACL", "WHOAMI"));
            assertEquals(NOPERM_KEY, w.call("GET", "x"));
            assertEquals(NIL, w.call("GET", "cached:1"));
            assertEquals(NOPERM_KEY, w.call("SET", "r:1", "v"));
            assertEquals(NIL, w.call("GET", "r:1"));
            assertEquals(OK, w.call("SET", "w:1", "v"));
            assertEquals(NOPERM_KEY, w.call("GET", "w:1"));
            assertEquals(noperm("del"), w.call("DEL", "x"));
            // LMOVE reads and writes its source: a read-only or write-only pattern is not enough.
            assertEquals(NOPERM_KEY, w.call("LMOVE", "r:1", "w:1", "LEFT", "RIGHT"));
            assertEquals(NOPERM_KEY, w.call("LMOVE", "w:1", "r:1", "LEFT", "RIGHT"));
            assertEquals(integer(0), w.call("PUBLISH", "news.a", "hi"));
            assertEquals(NOPERM_CHANNEL, w.call("PUBLISH", "sport", "x"));
            assertEquals(NOPERM_CHANNEL, w.call("SUBSCRIBE", "news.a", "sport"));
            assertEquals(NOPERM_CHANNEL, w.call("PSUBSCRIBE", "news.t*"));
            assertEquals("*3\r\n$10\r\npsubscribe\r\n$6\r\nnews.*\r\n:1\r\n", w.call("PSUBSCRIBE", "news.*"));
        }
    }

    @Test
    void insideMultiARefusalAbortsTheTransaction() {
        try (Wire w = alice()) {
            assertEquals(OK, w.call("MULTI"));
            assertEquals(NOPERM_KEY, w.call("GET", "x"));
            assertEquals(noperm("del"), w.call("DEL", "y"));
            assertEquals("+QUEUED\r\n", w.call("SET", "cached:2", "1"));
            assertEquals(error("EXECABORT Transaction discarded because of previous errors."), w.call("EXEC"));
        }
    }

    @Test
    void execChecksTheRulesAgain() {
        r.call("ACL", "SETUSER", "ex", "on", "nopass", "~*", "+@all");
        try (Wire w = server.connect()) {
            w.call("AUTH", "ex", "x");
            w.call("SET", "a", "1");
            w.call("MULTI");
            w.call("GET", "a");
            w.call("SET", "a", "2");
            w.call("PING");
            r.call("ACL", "SETUSER", "ex", "-set", "resetkeys", "~a");
            assertEquals("*3\r\n$1\r\n1\r\n-NOPERM ACLs rules changed between the moment the transaction was accumulated "
                    + "and the EXEC call. This command is no longer allowed for the following reason: no permission to "
                    + "execute the command or subcommand\r\n+PONG\r\n", w.call("EXEC"));
        }
    }

    @Test
    void scriptsRunAsTheirCallersUser() {
        try (Wire w = alice()) {
            assertEquals(error("ERR The user executing the script can't access at least one of the keys mentioned in "
                    + "the command arguments"), w.call("EVAL", "return redis.pcall('get','x')", "0"));
            assertEquals(NIL, w.call("EVAL", "return redis.call('get','cached:4')", "0"));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> newestLogEntry() {
        List<Object> entries = (List<Object>) RespParser.parse(r.call("ACL", "LOG", "1"));
        List<Object> flat = (List<Object>) entries.get(0);
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2) m.put((String) flat.get(i), flat.get(i + 1));
        return m;
    }

    @Test
    void logRecordsDenialsAndFailedAuth() {
        try (Wire w = alice()) {
            Map<String, Object> auth = newestLogEntry();
            assertEquals(List.of("count", "reason", "context", "object", "username", "age-seconds", "client-info"),
                    List.copyOf(auth.keySet()));
            assertEquals(List.of(1L, "auth", "toplevel", "AUTH", "nobody"),
                    List.of(auth.get("count"), auth.get("reason"), auth.get("context"), auth.get("object"), auth.get("username")));
            w.call("GET", "x");
            w.call("GET", "x");
            Map<String, Object> key = newestLogEntry();
            assertEquals(List.of(2L, "key", "toplevel", "x", "alice"),
                    List.of(key.get("count"), key.get("reason"), key.get("context"), key.get("object"), key.get("username")));
            assertTrue(((String) key.get("client-info")).contains(" cmd=get user=alice "), (String) key.get("client-info"));
            w.call("MULTI");
            w.call("DEL", "x");
            Map<String, Object> cmd = newestLogEntry();
            assertEquals(List.of("command", "multi", "del"), List.of(cmd.get("reason"), cmd.get("context"), cmd.get("object")));
            w.call("DISCARD");
            w.call("EVAL", "return redis.pcall('publish','sport','x')", "0");
            Map<String, Object> lua = newestLogEntry();
            assertEquals(List.of("channel", "lua", "sport"), List.of(lua.get("reason"), lua.get("context"), lua.get("object")));
        }
        assertEquals(OK, r.call("ACL", "LOG", "RESET"));
        assertEquals("*0\r\n", r.call("ACL", "LOG"));
    }

    @Test
    void dryrun() {
        r.call("ACL", "SETUSER", "alice", "on", ">p1", "~cached:*", "+get");
        assertEquals(OK, r.call("ACL", "DRYRUN", "alice", "get", "cached:1"));
        assertEquals(bulk("This user has no permissions to access the 'x' key"), r.call("ACL", "DRYRUN", "alice", "get", "x"));
        assertEquals(bulk("This user has no permissions to run the 'set' command"),
                r.call("ACL", "DRYRUN", "alice", "set", "x", "1"));
        assertEquals(error("ERR User 'nob' not found"), r.call("ACL", "DRYRUN", "nob", "get", "x"));
        assertEquals(error("ERR Command 'nocmd' not found"), r.call("ACL", "DRYRUN", "alice", "nocmd"));
        assertEquals(error("ERR wrong number of arguments for 'get' command"), r.call("ACL", "DRYRUN", "alice", "get"));
    }

    @Test
    void deletingAUserDisconnectsItsClients() {
        r.call("ACL", "SETUSER", "bob", "on", "nopass", "+@all", "~*", "&*");
        Wire other = server.connect();
        assertEquals(OK, other.call("AUTH", "bob", "x"));
        try (Wire self = server.connect()) {
            self.call("AUTH", "bob", "x");
            assertEquals(integer(1), self.call("ACL", "DELUSER", "bob"));
            assertFalse(self.isOpen());
        }
        assertFalse(other.isOpen());
        assertTrue(r.isOpen());
    }

    @Test
    void losingAChannelDisconnectsTheSubscriber() {
        r.call("ACL", "SETUSER", "carol", "on", "nopass", "+@all", "~*", "resetchannels", "&a", "&b");
        Wire sub = server.connect();
        sub.call("AUTH", "carol", "x");
        sub.call("SUBSCRIBE", "a");
        r.call("ACL", "SETUSER", "carol", "&c");
        assertTrue(sub.isOpen());
        r.call("ACL", "SETUSER", "carol", "resetchannels", "&b");
        assertFalse(sub.isOpen());
    }

    @Test
    void authAgainstTheDefaultUser() {
        assertEquals(error("ERR AUTH <password> called without any password configured for the default user. Are you "
                + "sure your configuration is correct?"), r.call("AUTH", "x"));
        assertEquals(OK, r.call("AUTH", "default", "anything"));
        r.call("ACL", "SETUSER", "default", ">secret");
        try (Wire w = server.connect()) {
            assertEquals(error("NOAUTH Authentication required."), w.call("GET", "k"));
            assertEquals(WRONGPASS, w.call("AUTH", "nope"));
            assertEquals(OK, w.call("AUTH", "secret"));
            assertEquals(NIL, w.call("GET", "k"));
        }
        r.call("ACL", "SETUSER", "default", "nopass");
        try (Wire w = server.connect()) {
            assertEquals(NIL, w.call("GET", "k"));
        }
    }

    @Test
    void requirepassIsTheDefaultUsersPassword() {
        r.call("CONFIG", "SET", "requirepass", "pw");
        assertEquals("*1\r\n$93\r\nuser default on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~* &* +@all\r\n",
                r.call("ACL", "LIST"));
        r.call("CONFIG", "SET", "requirepass", "");
        assertEquals("*1\r\n$34\r\nuser default on nopass ~* &* +@all\r\n", r.call("ACL", "LIST"));
    }

    @Test
    void clientListAndKillKnowTheUser() {
        r.call("ACL", "SETUSER", "dave", "on", "nopass", "+@all", "~*");
        Wire w = server.connect();
        w.call("AUTH", "dave", "x");
        assertTrue(((String) RespParser.parse(w.call("CLIENT", "INFO"))).contains(" user=dave "));
        assertEquals(error("ERR No such user 'nobody'"), r.call("CLIENT", "KILL", "USER", "nobody"));
        assertEquals(integer(1), r.call("CLIENT", "KILL", "USER", "dave"));
        assertFalse(w.isOpen());
    }

    @Test
    void loadAndSaveTheAclFile() throws Exception {
        // A relative aclfile is read from dir, as Redis reads it after moving into dir; errors name it as configured.
        Path file = Files.createDirectories(dir.resolve("withfile")).resolve("users.acl");
        Files.writeString(file, "user erin on nopass ~e:* +get\n");
        try (ServerFixture s = new ServerFixture(engine, dir.resolve("withfile"), Map.of("aclfile", "users.acl"));
             Wire w = s.connect()) {
            assertEquals("*2\r\n$7\r\ndefault\r\n$4\r\nerin\r\n", w.call("ACL", "USERS"));
            w.call("ACL", "SETUSER", "frank", "on", ">pw", "+@read");
            assertEquals(OK, w.call("ACL", "SAVE"));
            assertEquals("user default on nopass ~* &* +@all\n"
                    + "user erin on nopass ~e:* resetchannels -@all +get\n"
                    + "user frank on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 resetchannels -@all +@read\n",
                    Files.readString(file));
            Wire erin = s.connect();
            erin.call("AUTH", "erin", "x");
            Files.writeString(file, "user frank on nopass +get\nuser bad +nosuch\nuser frank\nuser x ~a allkeys ~b\n");
            assertEquals(error("ERR users.acl:2: Error in applying operation '+nosuch': Unknown command or category "
                    + "name in ACL. WARNING: Duplicate user 'frank' found on line 3. users.acl:4: Adding a pattern "
                    + "after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try "
                    + "'resetkeys' to start with an empty list of patterns. WARNING: ACL errors detected, no change to "
                    + "the previously active ACL rules was performed"), w.call("ACL", "LOAD"));
            assertTrue(erin.isOpen());
            Files.writeString(file, "user frank on nopass +get\n");
            assertEquals(OK, w.call("ACL", "LOAD"));
            assertEquals("*2\r\n$7\r\ndefault\r\n$5\r\nfrank\r\n", w.call("ACL", "USERS"));
            assertFalse(erin.isOpen());
        }
    }

    @Test
    void helloAuthenticatesAsAUser() {
        r.call("ACL", "SETUSER", "alice", "on", ">p1", "+@all", "~*");
        try (Wire w = server.connect()) {
            assertEquals(WRONGPASS, w.call("HELLO", "2", "AUTH", "alice", "nope"));
            assertEquals(bulk("default"), w.call("ACL", "WHOAMI"));
            assertTrue(w.call("HELLO", "3", "AUTH", "alice", "p1").startsWith("%7\r\n$6\r\nserver\r\n"));
            assertEquals("$5\r\nalice\r\n", w.call("ACL", "WHOAMI"));
            assertEquals("+RESET\r\n", w.call("RESET"));
            assertEquals(bulk("default"), w.call("ACL", "WHOAMI"));
        }
    }

    @Test
    void theSlowLogHidesSetuserRules() {
        r.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
        r.call("ACL", "SETUSER", "alice", "on", ">secret");
        assertTrue(r.call("SLOWLOG", "GET", "1").contains("$3\r\nACL\r\n$7\r\nSETUSER\r\n$10\r\n(redacted)\r\n$10\r\n(redacted)\r\n"
                + "$10\r\n(redacted)\r\n"));
    }
}
