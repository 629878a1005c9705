package io.simplekv.command;

import io.simplekv.support.EngineKind;
import io.simplekv.support.RespParser;
import io.simplekv.support.ServerFixture;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SRANDMEMBER, HRANDFIELD and ZRANDMEMBER with a huge negative count on a tiny collection (issue 18: 9-38 s on the
 * event loop, then OutOfMemoryError): refused at once when the reply can't fit the output budget, streamed without
 * an intermediate list when it can.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class RandomCountTest extends ServerTestBase {

    private void fill(Wire w) {
        w.call("SADD", "s", "a", "b", "c");
        w.call("HSET", "h", "f1", "v1", "f2", "v2", "f3", "v3");
        w.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
    }

    @Test
    void hugeNegativeCountsFailFastWithACleanError() {
        fill(r);
        String[][] requests = {
                {"SRANDMEMBER", "s", "-2147483648"}, {"SRANDMEMBER", "s", "-9223372036854775807"},
                {"HRANDFIELD", "h", "-2147483648"}, {"HRANDFIELD", "h", "-2147483648", "WITHVALUES"},
                {"ZRANDMEMBER", "z", "-2147483648"}, {"ZRANDMEMBER", "z", "-2147483648", "WITHSCORES"}};
        for (String[] request : requests) {
            long start = System.nanoTime();
            String reply = r.call(request);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(reply.startsWith("-ERR reply of "), String.join(" ", request) + ": " + reply);
            assertTrue(millis < 1000, String.join(" ", request) + " took " + millis + " ms");
        }
        // LONG_MIN is still Redis's range error, and the server goes on serving.
        assertTrue(r.call("SRANDMEMBER", "s", "-9223372036854775808").startsWith("-ERR value is out of range"));
        assertEquals(integer(3), r.call("SCARD", "s"));
    }

    @Test
    void negativeCountsWithinTheBudgetRepeatMembers() {
        try (ServerFixture limited = new ServerFixture(engine, dir.resolve("limited"),
                Map.of("client-output-buffer-limit", "normal 1mb 0 0 slave 256mb 64mb 60 pubsub 32mb 8mb 60"));
             Wire w = limited.connect()) {
            fill(w);
            assertEquals(100_000, RespParser.array(w.call("SRANDMEMBER", "s", "-100000")).size());
            assertEquals(100_000, RespParser.array(w.call("HRANDFIELD", "h", "-50000", "WITHVALUES")).size());
            assertEquals(100_000, RespParser.array(w.call("ZRANDMEMBER", "z", "-100000")).size());
            // Past the normal class's hard limit (1 MB / 6 bytes per element at least):
            assertTrue(w.call("SRANDMEMBER", "s", "-200000").contains("client-output-buffer-limit normal"));
            assertTrue(w.call("ZRANDMEMBER", "z", "-100000", "WITHSCORES").startsWith("-ERR reply of 200000"));
            // A missing key is still an empty array, whatever the count.
            assertEquals("*0\r\n", w.call("SRANDMEMBER", "nosuch", "-9223372036854775807"));
        }
    }

    /** Every pick is a member, whether drawn from the members read once (count >= size) or from the table. */
    @Test
    void picksAreMembersWithOrWithoutTheDrawPool() {
        fill(r);
        for (Object m : RespParser.array(r.call("SRANDMEMBER", "s", "-1000"))) assertTrue(Set.of("a", "b", "c").contains(m), String.valueOf(m));
        List<Object> pairs = RespParser.array(r.call("HRANDFIELD", "h", "-1000", "WITHVALUES"));
        for (int i = 0; i < pairs.size(); i += 2) assertEquals("v" + pairs.get(i).toString().substring(1), pairs.get(i + 1));
        for (Object m : RespParser.array(r.call("ZRANDMEMBER", "z", "-1000"))) assertTrue(Set.of("a", "b", "c").contains(m), String.valueOf(m));
        String[] many = new String[1001];
        many[0] = "big";
        for (int i = 1; i <= 1000; i++) many[i] = "m" + i;
        r.call(Stream.concat(Stream.of("SADD"), Arrays.stream(many)).toArray(String[]::new));
        r.call(Stream.concat(Stream.of("ZADD", "bigz"), Arrays.stream(many, 1, 1001).flatMap(m -> Stream.of("1", m))).toArray(String[]::new));
        List<Object> few = RespParser.array(r.call("SRANDMEMBER", "big", "-10"));
        assertEquals(10, few.size());
        for (Object m : few) assertTrue(m.toString().startsWith("m"), String.valueOf(m));
        assertEquals(10, RespParser.array(r.call("ZRANDMEMBER", "bigz", "-10")).size());
    }

    /** RESP3: HRANDFIELD and ZRANDMEMBER with a negative count nest each pair, as Redis does. */
    @Test
    void resp3NestsThePairs() {
        fill(r);
        r.call("HELLO", "3");
        String reply = r.call("HRANDFIELD", "h", "-2", "WITHVALUES");
        assertTrue(reply.startsWith("*2\r\n*2\r\n$2\r\nf"), reply);
        reply = r.call("ZRANDMEMBER", "z", "-2", "WITHSCORES");
        assertTrue(reply.startsWith("*2\r\n*2\r\n$1\r\n"), reply);
        assertTrue(reply.contains("\r\n,"), reply);
    }
}
