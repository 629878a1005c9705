package io.simplekv.replication;

import io.netty.buffer.ByteBuf;
import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each command sends to replicas, on both engines: Redis 7.0's propagation rules (replication.tcl's and
 * expire.tcl's replication-stream tests), read off a replica attached straight to the feed.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class PropagationTest extends ServerTestBase {
    private final StringBuilder stream = new StringBuilder();

    @BeforeEach
    void attach() {
        server.context().replication().attach(bytes -> {
            stream.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.release();
        });
    }

    /** The commands fed so far, each as its arguments joined by spaces, and forgets them. */
    private List<String> fed() {
        List<String> commands = new ArrayList<>();
        String s = stream.toString();
        stream.setLength(0);
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            int n = Integer.parseInt(s.substring(i + 1, eol));
            i = eol + 2;
            List<String> args = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                eol = s.indexOf("\r\n", i);
                int len = Integer.parseInt(s.substring(i + 1, eol));
                args.add(s.substring(eol + 2, eol + 2 + len));
                i = eol + 2 + len + 2;
            }
            commands.add(String.join(" ", args));
        }
        return commands;
    }

    private void assertFed(String... patterns) {
        List<String> got = fed();
        assertEquals(patterns.length, got.size(), "fed " + got);
        for (int i = 0; i < patterns.length; i++) {
            assertTrue(Pattern.matches("(?i)" + patterns[i], got.get(i)), "expected " + patterns[i] + ", got " + got);
        }
    }

    @Test
    void writesGoAsRunReadsAndNoOpsNotAtAll() {
        r.call("SET", "a", "1");
        r.call("GET", "a");
        r.call("DEL", "missing");
        r.call("INCR", "a");
        assertFed("SELECT 0", "SET a 1", "INCR a");
        r.call("SELECT", "2");
        r.call("SET", "b", "1");
        assertFed("SELECT 2", "SET b 1");
    }

    @Test
    void relativeTimesBecomeAbsolute() {
        r.call("SET", "k", "v", "EX", "100");
        r.call("SETEX", "k", "100", "v");
        r.call("EXPIRE", "k", "50", "GT"); // not later than the TTL it has: no change, nothing fed
        r.call("EXPIRE", "k", "500", "GT");
        r.call("GETEX", "k", "PERSIST");
        r.call("EXPIRE", "k", "-1");
        assertFed("SELECT 0", "SET k v PXAT \\d{13}", "SET k v PXAT \\d{13}", "PEXPIREAT k \\d{13} GT", "PERSIST k", "DEL k");
    }

    @Test
    void valuesComputedHereGoAsTheirResults() {
        r.call("SET", "f", "1");
        r.call("INCRBYFLOAT", "f", "0.5");
        r.call("HINCRBYFLOAT", "h", "x", "2.5");
        r.call("GETSET", "f", "2");
        r.call("SET", "f", "3", "GET");
        r.call("GETDEL", "f");
        assertFed("SELECT 0", "SET f 1", "SET f 1.5 KEEPTTL", "HSET h x 2.5", "SET f 2", "SET f 3", "DEL f");
    }

    @Test
    void popsGoAsPlainPopsOfWhatWasPopped() {
        r.call("RPUSH", "l", "a", "b", "c");
        r.call("LMPOP", "1", "l", "LEFT", "COUNT", "10");
        r.call("RPUSH", "l", "a");
        r.call("BLPOP", "l", "0");
        r.call("ZADD", "z", "1", "a", "2", "b");
        r.call("BZPOPMAX", "z", "0");
        r.call("ZMPOP", "1", "z", "MIN", "COUNT", "5");
        r.call("SADD", "s", "a", "b", "c");
        r.call("SPOP", "s");
        r.call("SPOP", "s", "5");
        assertFed("SELECT 0", "RPUSH l a b c", "LPOP l 3", "RPUSH l a", "LPOP l", "ZADD z 1 a 2 b", "ZPOPMAX z",
                "ZPOPMIN z 1", "SADD s a b c", "SREM s .", "DEL s");
    }

    @Test
    void transactionsAndScriptsAreWrappedOnlyWhenTheyPropagateMoreThanOne() {
        r.call("MULTI");
        r.call("SET", "a", "1");
        r.call("GET", "a");
        r.call("EXEC");
        r.call("MULTI");
        r.call("SET", "a", "2");
        r.call("SET", "b", "2");
        r.call("EXEC");
        r.call("EVAL", "redis.call('set', KEYS[1], 'x') redis.call('del', KEYS[2])", "2", "c", "a");
        assertFed("SELECT 0", "SET a 1", "MULTI", "SET a 2", "SET b 2", "EXEC", "MULTI", "set c x", "del a", "EXEC");
    }

    @Test
    void publishAndFlushAllGoEvenWhenTheyChangeNothing() {
        r.call("PUBLISH", "ch", "hello");
        r.call("FLUSHALL");
        assertFed("SELECT 0", "PUBLISH ch hello", "FLUSHALL");
    }

    @Test
    void xaddGoesWithTheIdItChose() {
        String id = r.call("XADD", "s", "*", "f", "v").split("\r\n")[1];
        assertFed("SELECT 0", "XADD s " + Pattern.quote(id) + " f v");
    }

    @Test
    void aLazyExpiryGoesAsItsOwnDelete() throws InterruptedException {
        r.call("SET", "k", "v", "PX", "1");
        fed();
        Thread.sleep(5);
        r.call("GET", "k");
        assertFed("DEL k");
    }

    @Test
    void nothingIsFedOnceTheReplicaIsGone() {
        ReplicationFeed feed = server.context().replication();
        List<ByteBuf> late = new ArrayList<>();
        ReplicationFeed.Replica other = late::add;
        feed.attach(other);
        feed.detach(other);
        r.call("SET", "a", "1");
        assertTrue(late.isEmpty());
        assertEquals(1, feed.replicas());
    }
}
