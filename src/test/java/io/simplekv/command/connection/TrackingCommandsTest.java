package io.simplekv.command.connection;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CLIENT TRACKING and its invalidations; the expected bytes are redis-server 7.0.15's. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class TrackingCommandsTest extends ServerTestBase {
    private Wire other;

    @BeforeEach
    void otherClient() {
        other = server.connect();
    }

    @AfterEach
    void closeOther() {
        other.close();
    }

    private static String invalidate(String... keys) {
        StringBuilder b = new StringBuilder(">2\r\n$10\r\ninvalidate\r\n*" + keys.length + "\r\n");
        for (String k : keys) b.append(bulk(k));
        return b.toString();
    }

    private static String redirected(String key) {
        return "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n" + bulk(key);
    }

    private long id(Wire w) {
        String reply = w.call("CLIENT", "ID");
        return Long.parseLong(reply.substring(1, reply.length() - 2));
    }

    @Test
    void resp3ClientHearsOfAnotherClientsWrite() {
        r.call("HELLO", "3");
        assertEquals(OK, r.call("CLIENT", "TRACKING", "on"));
        other.call("SET", "k", "1");
        assertEquals(bulk("1"), r.call("GET", "k"));
        other.call("INCR", "unread");
        assertEquals(":2\r\n", other.call("INCR", "k"));
        assertEquals(invalidate("k"), r.received());
        // Invalidated once: the key is forgotten until read again.
        other.call("INCR", "k");
        assertEquals("", r.received());
    }

    @Test
    void ownWriteIsInvalidatedAfterItsReply() {
        r.call("HELLO", "3");
        r.call("CLIENT", "TRACKING", "on");
        r.call("HSET", "h", "f", "1");
        r.call("HGET", "h", "f");
        assertEquals(":1\r\n" + invalidate("h"), r.call("HDEL", "h", "f"));
    }

    @Test
    void transactionReplyComesBeforeItsInvalidations() {
        r.call("HELLO", "3");
        r.call("CLIENT", "TRACKING", "on");
        r.call("MSET", "a", "1", "b", "2");
        r.call("GET", "a");
        r.call("MULTI");
        r.call("INCR", "a");
        r.call("GET", "b");
        assertEquals("*2\r\n:2\r\n$1\r\n2\r\n" + invalidate("a"), r.call("EXEC"));
    }

    @Test
    void noloopSkipsOwnWrites() {
        r.call("HELLO", "3");
        r.call("CLIENT", "TRACKING", "on", "NOLOOP");
        r.call("MGET", "mine", "theirs");
        assertEquals(OK, r.call("SET", "mine", "1"));
        other.call("SET", "theirs", "1");
        assertEquals(invalidate("theirs"), r.received());
    }

    @Test
    void resp2RedirectGoesToTheInvalidateChannel() {
        long redir = id(other);
        other.call("SUBSCRIBE", "__redis__:invalidate");
        assertEquals(OK, r.call("CLIENT", "TRACKING", "on", "REDIRECT", Long.toString(redir)));
        r.call("GET", "k");
        r.call("SET", "k", "v");
        assertEquals(redirected("k"), other.received());
        assertEquals(integer(redir), r.call("CLIENT", "GETREDIR"));
    }

    @Test
    void resp2WithoutRedirectGetsNothing() {
        r.call("CLIENT", "TRACKING", "on");
        r.call("GET", "k");
        other.call("SET", "k", "v");
        assertEquals("", r.received());
        assertEquals("+PONG\r\n", r.call("PING"));
    }

    @Test
    void broadcastSendsChangedKeysUnderPrefixesWithoutReads() {
        r.call("HELLO", "3");
        assertEquals(OK, r.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a:", "PREFIX", "b:"));
        other.call("MSET", "b:2", "1", "a:1", "1", "c:1", "1");
        assertEquals(invalidate("a:1") + invalidate("b:2"), r.received());
        r.call("CLIENT", "TRACKING", "off");
        r.call("CLIENT", "TRACKING", "on", "BCAST", "NOLOOP");
        r.call("SET", "x", "1");
        other.call("SET", "y", "1");
        assertEquals(invalidate("y"), r.received());
    }

    @Test
    void optinTracksOnlyAfterCachingYes() {
        r.call("HELLO", "3");
        r.call("CLIENT", "TRACKING", "on", "OPTIN");
        r.call("GET", "a");
        assertEquals(OK, r.call("CLIENT", "CACHING", "yes"));
        r.call("GET", "b");
        r.call("GET", "c"); // CACHING lasts one command
        other.call("MSET", "a", "1", "b", "1", "c", "1");
        assertEquals(invalidate("b"), r.received());
    }

    @Test
    void optoutTracksUnlessCachingNo() {
        r.call("HELLO", "3");
        r.call("CLIENT", "TRACKING", "on", "OPTOUT");
        assertEquals(OK, r.call("CLIENT", "CACHING", "no"));
        r.call("GET", "a");
        r.call("GET", "b");
        other.call("MSET", "a", "1", "b", "1");
        assertEquals(invalidate("b"), r.received());
    }

    @Test
    void flushInvalidatesEverythingWithTheTrackersNull() {
        r.call("HELLO", "3");
        r.call("CLIENT", "TRACKING", "on");
        r.call("GET", "k");
        other.call("FLUSHALL");
        assertEquals(">2\r\n$10\r\ninvalidate\r\n_\r\n", r.received());
        assertEquals(OK + ">2\r\n$10\r\ninvalidate\r\n_\r\n", r.call("FLUSHDB"));
        assertTrue(r.call("INFO", "stats").contains("tracking_total_keys:0\r\n"));
    }

    @Test
    void redirectToAClientThatLeftIsReportedBroken() {
        Wire target = server.connect();
        long redir = id(target);
        r.call("HELLO", "3");
        r.call("CLIENT", "TRACKING", "on", "REDIRECT", Long.toString(redir));
        r.call("GET", "k");
        target.close();
        other.call("SET", "k", "1");
        assertEquals(">2\r\n$21\r\ntracking-redir-broken\r\n:" + redir + "\r\n", r.received());
        assertTrue(r.call("CLIENT", "TRACKINGINFO").contains("broken_redirect"));
        assertTrue(r.call("CLIENT", "INFO").contains(" flags=tR "));
    }

    @Test
    void trackingInfoInBothProtocols() {
        assertEquals("*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n",
                r.call("CLIENT", "TRACKINGINFO"));
        assertEquals(integer(-1), r.call("CLIENT", "GETREDIR"));
        r.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "foo", "PREFIX", "bar");
        r.call("HELLO", "3");
        assertEquals("%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$5\r\nbcast\r\n$8\r\nredirect\r\n:0\r\n"
                + "$8\r\nprefixes\r\n*2\r\n$3\r\nbar\r\n$3\r\nfoo\r\n", r.call("CLIENT", "TRACKINGINFO"));
        assertTrue(r.call("CLIENT", "INFO").contains(" flags=tB "));
        assertTrue(r.call("CLIENT", "INFO").contains(" redir=0 "));
        r.call("CLIENT", "TRACKING", "off");
        r.call("CLIENT", "TRACKING", "on", "OPTIN");
        r.call("CLIENT", "CACHING", "yes");
        assertTrue(r.call("CLIENT", "TRACKINGINFO").contains("~3\r\n$2\r\non\r\n$5\r\noptin\r\n$11\r\ncaching-yes\r\n"));
    }

    @Test
    void infoCountsClientsKeysItemsAndPrefixes() {
        r.call("CLIENT", "TRACKING", "on");
        r.call("MGET", "a", "b");
        other.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "p:");
        other.call("GET", "a");
        String info = r.call("INFO");
        assertTrue(info.contains("tracking_clients:2\r\n"), info);
        assertTrue(info.contains("tracking_total_keys:2\r\n"), info);
        assertTrue(info.contains("tracking_total_items:2\r\n"), info);
        assertTrue(info.contains("tracking_total_prefixes:1\r\n"), info);
    }

    @Test
    void tableLimitInvalidatesKeysBeforeTheNextCommand() {
        r.call("HELLO", "3");
        r.call("CLIENT", "TRACKING", "on");
        r.call("MGET", "a", "b", "c");
        other.call("CONFIG", "SET", "tracking-table-max-keys", "1");
        String reply = r.call("PING");
        assertTrue(reply.endsWith("+PONG\r\n"), reply);
        assertEquals(2, reply.split("invalidate", -1).length - 1, reply);
        assertTrue(r.call("INFO", "stats").contains("tracking_total_keys:1\r\n"));
    }

    @Test
    void scriptTracksItsDeclaredKeysOnlyWhenItReads() {
        r.call("HELLO", "3");
        r.call("CLIENT", "TRACKING", "on");
        r.call("EVAL", "redis.call('set', 'k3', 'bar')", "2", "k1", "k2");
        other.call("MSET", "k1", "1", "k2", "1");
        assertEquals("", r.received());
        r.call("EVAL", "redis.call('get', 'k3')", "2", "k1", "k2");
        other.call("MSET", "k2", "2", "k1", "2");
        assertEquals(invalidate("k2") + invalidate("k1"), r.received());
    }

    @Test
    void optionErrors() {
        assertEquals(error("ERR PREFIX option requires BCAST mode to be enabled"),
                r.call("CLIENT", "TRACKING", "on", "PREFIX", "a"));
        assertEquals(error("ERR OPTIN and OPTOUT are not compatible with BCAST"),
                r.call("CLIENT", "TRACKING", "on", "BCAST", "OPTIN"));
        assertEquals(error("ERR You can't specify both OPTIN mode and OPTOUT mode"),
                r.call("CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT"));
        assertEquals(SYNTAX, r.call("CLIENT", "TRACKING", "on", "FOO"));
        assertEquals(SYNTAX, r.call("CLIENT", "TRACKING", "maybe"));
        assertEquals(SYNTAX, r.call("CLIENT", "TRACKING", "on", "PREFIX"));
        assertEquals(error("ERR wrong number of arguments for 'client|tracking' command"), r.call("CLIENT", "TRACKING"));
        assertEquals(error("ERR The client ID you want redirect to does not exist"),
                r.call("CLIENT", "TRACKING", "on", "REDIRECT", "9999"));
        assertEquals(NOT_INT, r.call("CLIENT", "TRACKING", "on", "REDIRECT", "x"));
        String me = Long.toString(id(r));
        assertEquals(error("ERR A client can only redirect to a single other client"),
                r.call("CLIENT", "TRACKING", "on", "REDIRECT", me, "REDIRECT", me));
        assertEquals(error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled"),
                r.call("CLIENT", "CACHING", "yes"));
        r.call("CLIENT", "TRACKING", "on", "OPTIN");
        assertEquals(error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."),
                r.call("CLIENT", "CACHING", "no"));
        assertEquals(SYNTAX, r.call("CLIENT", "CACHING", "maybe"));
        assertEquals(error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode."),
                r.call("CLIENT", "TRACKING", "on", "OPTOUT"));
        assertEquals(error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode."),
                r.call("CLIENT", "TRACKING", "on", "BCAST"));
        r.call("CLIENT", "TRACKING", "off");
        assertEquals(error("ERR Prefix 'FOOBAR' overlaps with another provided prefix 'FOO'. Prefixes for a single client must not overlap."),
                r.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "FOOBAR", "PREFIX", "FOO"));
        r.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "FOO", "PREFIX", "BAR");
        assertEquals(error("ERR Prefix 'FO' overlaps with an existing prefix 'FOO'. Prefixes for a single client must not overlap."),
                r.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "FO"));
        assertEquals(array("BAR", "FOO"), prefixesOf(r.call("CLIENT", "TRACKINGINFO")));
    }

    private static String prefixesOf(String trackingInfo) {
        return trackingInfo.substring(trackingInfo.indexOf("$8\r\nprefixes\r\n") + "$8\r\nprefixes\r\n".length());
    }
}
