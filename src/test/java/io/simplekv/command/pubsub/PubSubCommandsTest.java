package io.simplekv.command.pubsub;

import io.simplekv.support.EngineKind;
import io.simplekv.support.RespParser;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static io.simplekv.support.Resp.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pub/sub replies; every expected reply was checked byte for byte against redis-server 7.0.15. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class PubSubCommandsTest extends ServerTestBase {
    static final String NOT_ALLOWED = "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";

    private Wire pub;

    @BeforeEach
    void publisher() {
        pub = server.connect();
    }

    @AfterEach
    void closePublisher() {
        pub.close();
    }

    static String confirm(String verb, String name, long count) {
        return "*3\r\n" + bulk(verb) + (name == null ? NIL : bulk(name)) + integer(count);
    }

    static String message(String channel, String payload) {
        return array("message", channel, payload);
    }

    static String pmessage(String pattern, String channel, String payload) {
        return array("pmessage", pattern, channel, payload);
    }

    static String notAllowed(String command) {
        return error("ERR Can't execute '" + command + NOT_ALLOWED);
    }

    /**
     * Messages pushed to a subscriber between its requests are gathered, not written at once: its next reply must
     * still come after them, as in Redis, where both are appended to one reply buffer.
     */
    @Test
    void aReplyComesAfterTheMessagesPublishedBeforeItsRequest() {
        r.call("SUBSCRIBE", "ch");
        assertEquals(integer(1), pub.call("PUBLISH", "ch", "first"));
        assertEquals(integer(1), pub.call("PUBLISH", "ch", "second"));
        assertEquals(message("ch", "first") + message("ch", "second") + array("pong", ""), r.call("PING"));
        assertEquals(integer(1), pub.call("PUBLISH", "ch", "third"));
        assertEquals(message("ch", "third"), r.received());
        // A big message is written as it is, not gathered: still in its place between the small ones.
        String big = "b".repeat(5000);
        pub.call("PUBLISH", "ch", "before");
        pub.call("PUBLISH", "ch", big);
        pub.call("PUBLISH", "ch", "after");
        assertEquals(message("ch", "before") + message("ch", big) + message("ch", "after") + array("pong", ""), r.call("PING"));
    }

    @Test
    void unsubscribeWithNothingSubscribedConfirmsNil() {
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", r.call("UNSUBSCRIBE"));
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n", r.call("PUNSUBSCRIBE"));
        assertEquals("*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n", r.call("SUNSUBSCRIBE"));
        assertEquals(simple("PONG"), r.call("PING"));
    }

    @Test
    void subscribeCountsRunningTotalAndRepeatsDuplicates() {
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$2\r\nc2\r\n:2\r\n"
                + "*3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:2\r\n", r.call("SUBSCRIBE", "c1", "c2", "c1"));
        assertEquals("*3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:3\r\n", r.call("PSUBSCRIBE", "c*"));
        // Shard channels have a count of their own.
        assertEquals("*3\r\n$10\r\nssubscribe\r\n$2\r\ns1\r\n:1\r\n", r.call("SSUBSCRIBE", "s1"));
        assertEquals(confirm("unsubscribe", "zz", 3), r.call("UNSUBSCRIBE", "zz"));
        assertEquals(confirm("punsubscribe", "c*", 2), r.call("PUNSUBSCRIBE"));
        assertEquals(confirm("unsubscribe", "c1", 1) + confirm("unsubscribe", "c2", 0), r.call("UNSUBSCRIBE"));
        assertEquals(confirm("sunsubscribe", "s1", 0), r.call("SUNSUBSCRIBE"));
        assertEquals(simple("PONG"), r.call("PING"));
        assertEquals(NIL, r.call("GET", "x"));
    }

    @Test
    void subscribedModeAllowsOnlyPubSubPingQuitReset() {
        r.call("SUBSCRIBE", "c");
        assertEquals(notAllowed("get"), r.call("GET", "x"));
        assertEquals(notAllowed("set"), r.call("set", "a", "b"));
        assertEquals(notAllowed("client|info"), r.call("CLIENT", "INFO"));
        assertEquals(notAllowed("pubsub|numsub"), r.call("PUBSUB", "NUMSUB"));
        assertEquals(notAllowed("publish"), r.call("PUBLISH", "c", "x"));
        // Arity is checked first, as in Redis.
        assertEquals(error("ERR wrong number of arguments for 'ping' command"), r.call("PING", "a", "b"));
        assertEquals(error("ERR wrong number of arguments for 'subscribe' command"), r.call("SUBSCRIBE"));
        assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", r.call("PING"));
        assertEquals("*2\r\n$4\r\npong\r\n$2\r\nhi\r\n", r.call("PING", "hi"));
        assertEquals(simple("RESET"), r.call("RESET"));
        assertEquals(simple("PONG"), r.call("PING"));
        assertEquals(integer(0), pub.call("PUBLISH", "c", "x"));
    }

    @Test
    void anyKindOfSubscriptionKeepsSubscribedMode() {
        r.call("SUBSCRIBE", "q");
        r.call("SSUBSCRIBE", "s");
        assertEquals(confirm("unsubscribe", "q", 0), r.call("UNSUBSCRIBE", "q"));
        assertEquals(notAllowed("get"), r.call("GET", "x"));
        assertEquals(confirm("sunsubscribe", "s", 0) + confirm("sunsubscribe", "zz", 0), r.call("SUNSUBSCRIBE", "s", "zz"));
        assertEquals(NIL, r.call("GET", "x"));
    }

    @Test
    void publishDeliversMessagePmessageAndSmessage() {
        r.call("SUBSCRIBE", "xy");
        r.call("PSUBSCRIBE", "x*");
        r.call("SSUBSCRIBE", "xy");
        assertEquals(integer(2), pub.call("PUBLISH", "xy", "m"));
        assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\nxy\r\n$1\r\nm\r\n*4\r\n$8\r\npmessage\r\n$2\r\nx*\r\n$2\r\nxy\r\n$1\r\nm\r\n",
                r.received());
        assertEquals(integer(1), pub.call("SPUBLISH", "xy", "hey"));
        assertEquals("*3\r\n$8\r\nsmessage\r\n$2\r\nxy\r\n$3\r\nhey\r\n", r.received());
        assertEquals(integer(1), pub.call("PUBLISH", "xz", ""));
        assertEquals(pmessage("x*", "xz", ""), r.received());
        assertEquals(integer(0), pub.call("PUBLISH", "other", "m"));
        assertEquals("", r.received());
    }

    /**
     * A RESP3 subscriber gets confirmations and messages as pushes, and may run any command meanwhile, answered as
     * usual (PING is +PONG, not the RESP2 subscribed-mode pair). Bytes as redis-server 7.0.15 sent them.
     */
    @Test
    void resp3SubscriberGetsPushesAndNormalReplies() {
        r.call("HELLO", "3");
        assertEquals(">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", r.call("SUBSCRIBE", "ch"));
        assertEquals(">3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:2\r\n", r.call("PSUBSCRIBE", "c*"));
        assertEquals(">3\r\n$10\r\nssubscribe\r\n$2\r\nsh\r\n:1\r\n", r.call("SSUBSCRIBE", "sh"));
        assertEquals(integer(2), pub.call("PUBLISH", "ch", "hello"));
        assertEquals(integer(1), pub.call("SPUBLISH", "sh", "shard"));
        assertEquals(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n"
                + ">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$5\r\nhello\r\n"
                + ">3\r\n$8\r\nsmessage\r\n$2\r\nsh\r\n$5\r\nshard\r\n", r.received());
        assertEquals("+PONG\r\n", r.call("PING"));
        assertEquals("$1\r\nx\r\n", r.call("PING", "x"));
        assertEquals("_\r\n", r.call("GET", "k"));
        assertEquals("*2\r\n$2\r\nch\r\n:1\r\n", r.call("PUBSUB", "NUMSUB", "ch"));
        // The counts: channels and patterns together, shard channels apart, as Redis counts them.
        assertEquals(">3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:1\r\n", r.call("UNSUBSCRIBE"));
        assertEquals(">3\r\n$12\r\npunsubscribe\r\n$2\r\nc*\r\n:0\r\n", r.call("PUNSUBSCRIBE"));
        assertEquals(">3\r\n$12\r\nsunsubscribe\r\n$2\r\nsh\r\n:0\r\n", r.call("SUNSUBSCRIBE"));
        assertEquals(">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n", r.call("UNSUBSCRIBE"));
        assertEquals(integer(0), pub.call("PUBLISH", "ch", "gone"));
        assertEquals("", r.received());
    }

    /** A message to a RESP3 subscriber and to a RESP2 one, from the same PUBLISH: each in its own protocol. */
    @Test
    void oneMessageReachesEachSubscriberInItsProtocol() {
        Wire resp2 = server.connect();
        r.call("HELLO", "3");
        r.call("SUBSCRIBE", "news");
        resp2.call("SUBSCRIBE", "news");
        assertEquals(integer(2), pub.call("PUBLISH", "news", "x"));
        assertEquals(">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$1\r\nx\r\n", r.received());
        assertEquals(message("news", "x"), resp2.received());
        resp2.close();
    }

    @Test
    void everySubscriberGetsTheMessage() {
        List<Wire> subs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Wire w = server.connect();
            w.call(i % 2 == 0 ? "SUBSCRIBE" : "PSUBSCRIBE", i % 2 == 0 ? "news" : "n?ws");
            subs.add(w);
        }
        assertEquals(integer(5), pub.call("PUBLISH", "news", "hello"));
        for (int i = 0; i < 5; i++) {
            assertEquals(i % 2 == 0 ? message("news", "hello") : pmessage("n?ws", "news", "hello"), subs.get(i).received());
        }
        subs.get(0).close();
        assertEquals(integer(4), pub.call("PUBLISH", "news", "again"));
        for (Wire w : subs) w.close();
        assertEquals(integer(0), pub.call("PUBLISH", "news", "gone"));
        assertEquals(integer(0), pub.call("PUBSUB", "NUMPAT"));
    }

    @Test
    void pubsubIntrospection() {
        r.call("SUBSCRIBE", "c1", "c2");
        r.call("PSUBSCRIBE", "p*", "q?");
        r.call("SSUBSCRIBE", "s1");
        Wire other = server.connect();
        other.call("PSUBSCRIBE", "p*");
        List<Object> channels = new ArrayList<>(RespParser.array(pub.call("PUBSUB", "CHANNELS")));
        Collections.sort(channels, (x, y) -> ((String) x).compareTo((String) y));
        assertEquals(List.of("c1", "c2"), channels);
        assertEquals(array("c1"), pub.call("PUBSUB", "CHANNELS", "c[1]"));
        assertEquals("*4\r\n$2\r\nc1\r\n:1\r\n$4\r\nnope\r\n:0\r\n", pub.call("PUBSUB", "NUMSUB", "c1", "nope"));
        assertEquals("*0\r\n", pub.call("PUBSUB", "NUMSUB"));
        assertEquals(integer(2), pub.call("PUBSUB", "NUMPAT"));
        assertEquals(array("s1"), pub.call("PUBSUB", "SHARDCHANNELS"));
        assertEquals("*4\r\n$2\r\ns1\r\n:1\r\n$1\r\nx\r\n:0\r\n", pub.call("PUBSUB", "SHARDNUMSUB", "s1", "x"));
        String info = (String) RespParser.parse(pub.call("INFO", "stats"));
        assertTrue(info.contains("\r\npubsub_channels:2\r\npubsub_patterns:2\r\npubsubshard_channels:1\r\n"), info);
        other.close();
    }

    @Test
    void pubsubErrors() {
        assertEquals(error("ERR wrong number of arguments for 'pubsub' command"), r.call("PUBSUB"));
        assertEquals(error("ERR wrong number of arguments for 'pubsub|numpat' command"), r.call("PUBSUB", "NUMPAT", "x"));
        assertEquals(error("ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP."),
                r.call("PUBSUB", "CHANNELS", "a", "b"));
        assertEquals(error("ERR unknown subcommand 'foo'. Try PUBSUB HELP."), r.call("PUBSUB", "foo"));
        assertEquals(error("ERR wrong number of arguments for 'publish' command"), r.call("PUBLISH", "a"));
        assertEquals(error("ERR wrong number of arguments for 'spublish' command"), r.call("SPUBLISH", "a"));
        assertEquals("*14\r\n+PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CHANNELS [<pattern>]\r\n"
                + "+    Return the currently active channels matching a <pattern> (default: '*').\r\n+NUMPAT\r\n"
                + "+    Return number of subscriptions to patterns.\r\n+NUMSUB [<channel> ...]\r\n"
                + "+    Return the number of subscribers for the specified channels, excluding\r\n"
                + "+    pattern subscriptions(default: no channels).\r\n+SHARDCHANNELS [<pattern>]\r\n"
                + "+    Return the currently active shard level channels matching a <pattern> (default: '*').\r\n"
                + "+SHARDNUMSUB [<shardchannel> ...]\r\n"
                + "+    Return the number of subscribers for the specified shard level channel(s)\r\n"
                + "+HELP\r\n+    Prints this help.\r\n", r.call("PUBSUB", "HELP"));
    }

    @Test
    void clientListShowsSubscriptions() {
        r.call("CLIENT", "SETNAME", "subby");
        r.call("PSUBSCRIBE", "x*");
        r.call("SSUBSCRIBE", "s", "t");
        r.call("SUBSCRIBE", "xy");
        String list = (String) RespParser.parse(pub.call("CLIENT", "LIST", "TYPE", "pubsub"));
        assertTrue(list.contains(" name=subby ") && list.contains(" flags=P db=0 sub=1 psub=1 ssub=2 multi=-1 "), list);
        assertEquals(1, list.split("\n").length, list);
        String normal = (String) RespParser.parse(pub.call("CLIENT", "LIST", "TYPE", "normal"));
        assertTrue(!normal.contains("subby") && normal.contains(" flags=N db=0 sub=0 psub=0 ssub=0 "), normal);
        assertEquals(integer(1), pub.call("CLIENT", "KILL", "TYPE", "pubsub"));
        assertTrue(!r.isOpen());
        assertEquals(integer(0), pub.call("PUBSUB", "NUMPAT"));
    }

    @Test
    void quitInSubscribedModeClosesAndUnsubscribes() {
        r.call("SUBSCRIBE", "c");
        assertEquals(OK, r.call("QUIT"));
        assertTrue(!r.isOpen());
        assertEquals(integer(0), pub.call("PUBLISH", "c", "x"));
    }

    @Test
    void messageForAPipelinedSubscribeComesAfterItsConfirmation() {
        // Subscribe and, in the same read batch, a publish from another connection that lands mid-batch.
        r.call("SUBSCRIBE", "a");
        String batch = io.simplekv.support.Resp.command("SUBSCRIBE", "b") + io.simplekv.support.Resp.command("PING");
        assertEquals(confirm("subscribe", "b", 2) + "*2\r\n$4\r\npong\r\n$0\r\n\r\n", r.send(batch));
        assertEquals(integer(1), pub.call("PUBLISH", "b", "m"));
        assertEquals(message("b", "m"), r.received());
    }

    @Test
    void outputBufferLimitConfig() {
        assertEquals(OK, r.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 1"));
        assertEquals(array("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 1"),
                r.call("CONFIG", "GET", "client-output-buffer-limit"));
        String prefix = "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - ";
        assertEquals(error(prefix + "Wrong number of arguments in buffer limit configuration."),
                r.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb"));
        assertEquals(error(prefix + "Invalid client class specified in buffer limit configuration."),
                r.call("CONFIG", "SET", "client-output-buffer-limit", "foo 1 1 1"));
        assertEquals(error(prefix + "Error in hard, soft or soft_seconds setting in buffer limit configuration."),
                r.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub x 1 1"));
        assertEquals(error(prefix + "Error in hard, soft or soft_seconds setting in buffer limit configuration."),
                r.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub -1 1 1"));
        assertEquals(OK, r.call("CONFIG", "SET", "client-output-buffer-limit", ""));
        assertEquals(OK, r.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1 2 3 pubsub 4 5 6 replica 7 8 9"));
        assertEquals(array("client-output-buffer-limit", "normal 1 2 3 slave 7 8 9 pubsub 4 5 6"),
                r.call("CONFIG", "GET", "client-output-buffer-limit"));
        assertEquals(new io.simplekv.pubsub.OutputLimit(4, 5, 6), server.context().config().pubsubOutputLimit);
    }
}
