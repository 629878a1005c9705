package io.simplekv.command.stream;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.command.stream.StreamCommandsTest.NULL_ARRAY;
import static io.simplekv.command.stream.StreamCommandsTest.entries;
import static io.simplekv.command.stream.StreamCommandsTest.entry;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** XREAD BLOCK and XREADGROUP BLOCK through the same waits as BLPOP; other connections play the waiters. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class StreamBlockingTest extends ServerTestBase {
    private static String read(String key, String... entries) {
        return "*1\r\n*2\r\n" + bulk(key) + entries(entries);
    }

    @Test
    void xreadBlockIsServedByTheNextXadd() {
        r.call("XADD", "s", "1-0", "f", "old");
        try (Wire waiter = server.connect()) {
            assertEquals("", waiter.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$"));
            r.call("XDEL", "s", "1-0"); // a write that adds nothing leaves it waiting
            assertEquals("", waiter.received());
            r.call("XADD", "s", "2-0", "f", "new");
            assertEquals(read("s", entry("2-0", "f", "new")), waiter.received());
        }
    }

    @Test
    void xreadBlockTimesOutAndWaitsOnAMissingKey() {
        try (Wire waiter = server.connect()) {
            assertEquals("", waiter.call("XREAD", "BLOCK", "100", "STREAMS", "missing", "$"));
            assertEquals(NULL_ARRAY, waiter.advanceTime(100));
            assertEquals("", waiter.call("XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "missing", "0"));
            r.call("XADD", "missing", "5-0", "a", "1");
            r.call("XADD", "missing", "6-0", "a", "2");
            assertEquals(read("missing", entry("5-0", "a", "1")), waiter.received());
        }
    }

    @Test
    void waitersAreServedFirstComeFirstServed() {
        r.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        try (Wire w1 = server.connect(); Wire w2 = server.connect()) {
            assertEquals("", w1.call("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">"));
            assertEquals("", w2.call("XREADGROUP", "GROUP", "g", "c2", "BLOCK", "0", "STREAMS", "s", ">"));
            r.call("XADD", "s", "1-0", "f", "v");
            assertEquals(read("s", entry("1-0", "f", "v")), w1.received());
            assertEquals("", w2.received(), "the group's one new entry went to the first waiter");
            r.call("XADD", "s", "2-0", "f", "w");
            assertEquals(read("s", entry("2-0", "f", "w")), w2.received());
            assertEquals(integer(2), r.call("XLEN", "s"));
        }
    }

    @Test
    void destroyingTheGroupAnswersItsWaiters() {
        r.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        try (Wire w = server.connect()) {
            assertEquals("", w.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"));
            r.call("XGROUP", "DESTROY", "s", "g");
            assertEquals(error("NOGROUP the consumer group this client was blocked on no longer exists"), w.received());
        }
    }

    /** Redis 7.0 answers an XREADGROUP waiter whose stream is deleted, overwritten or flushed; an XREAD waiter waits on. */
    @Test
    void aStreamThatGoesAnswersItsGroupWaiters() {
        String gone = error("UNBLOCKED the stream key no longer exists");
        for (String[] change : new String[][] {{"DEL", "s"}, {"SET", "s", "x"}, {"FLUSHDB"}, {"RENAME", "s", "t"}}) {
            r.call("DEL", "s", "t");
            r.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            try (Wire group = server.connect(); Wire plain = server.connect()) {
                assertEquals("", group.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"));
                assertEquals("", plain.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$"));
                r.call(change);
                assertEquals(gone, group.received(), String.join(" ", change));
                assertEquals("", plain.received());
                r.call("DEL", "s");
                r.call("XADD", "s", "1-0", "f", "v");
                assertEquals(read("s", entry("1-0", "f", "v")), plain.received());
            }
        }
    }

    /** A serve answers for the stream whose XADD woke the waiter, as Redis's serveClientsBlockedOnStreamKey does. */
    @Test
    void aServeAnswersForTheStreamThatWokeIt() {
        r.call("XADD", "a", "1-0", "f", "a1");
        try (Wire waiter = server.connect()) {
            assertEquals("", waiter.call("XREAD", "BLOCK", "0", "STREAMS", "a", "b", "a", "$", "$", "1-0"));
            r.call("MULTI");
            r.call("XADD", "a", "2-0", "f", "a2");
            r.call("XADD", "b", "1-0", "f", "b1");
            r.call("EXEC");
            assertEquals(read("a", entry("2-0", "f", "a2")), waiter.received(), "a, then b, was written: a answers");
        }
    }

    @Test
    void clientUnblockEndsAWait() {
        r.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        try (Wire w1 = server.connect(); Wire w2 = server.connect()) {
            String id1 = w1.call("CLIENT", "ID").substring(1).trim(), id2 = w2.call("CLIENT", "ID").substring(1).trim();
            assertEquals("", w1.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$"));
            assertEquals("", w2.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "500", "STREAMS", "s", ">"));
            assertEquals(integer(1), r.call("CLIENT", "UNBLOCK", id1));
            assertEquals(NULL_ARRAY, w1.received());
            assertEquals(integer(1), r.call("CLIENT", "UNBLOCK", id2, "ERROR"));
            assertEquals(error("UNBLOCKED client unblocked via CLIENT UNBLOCK"), w2.received());
            assertEquals("", w2.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "500", "STREAMS", "s", ">"));
            assertEquals(NULL_ARRAY, w2.advanceTime(500));
        }
    }

    @Test
    void insideMultiItAnswersAsATimeout() {
        r.call("MULTI");
        r.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        assertEquals("*1\r\n" + NULL_ARRAY, r.call("EXEC"));
    }
}
