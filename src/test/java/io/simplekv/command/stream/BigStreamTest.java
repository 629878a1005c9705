package io.simplekv.command.stream;

import io.simplekv.support.EngineKind;
import io.simplekv.support.Resp;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.command.stream.StreamCommandsTest.entries;
import static io.simplekv.command.stream.StreamCommandsTest.entry;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stream of many pages (10,000 entries, 100 to a page) on both engines: reads from either end and from the middle, trims. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class BigStreamTest extends ServerTestBase {
    private static final int N = 10_000;

    private void fill() {
        StringBuilder batch = new StringBuilder();
        for (int i = 1; i <= N; i++) {
            batch.append(Resp.command("XADD", "big", i + "-0", "n", Integer.toString(i)));
            if (i % 1000 == 0) {
                r.send(batch.toString());
                batch.setLength(0);
            }
        }
    }

    @Test
    void readsFromBothEndsAndTheMiddle() {
        fill();
        assertEquals(integer(N), r.call("XLEN", "big"));
        assertEquals(entries(entry("1-0", "n", "1"), entry("2-0", "n", "2")), r.call("XRANGE", "big", "-", "+", "COUNT", "2"));
        assertEquals(entries(entry("10000-0", "n", "10000"), entry("9999-0", "n", "9999")),
                r.call("XREVRANGE", "big", "+", "-", "COUNT", "2"));
        assertEquals(entries(entry("5001-0", "n", "5001"), entry("5002-0", "n", "5002")),
                r.call("XRANGE", "big", "(5000-0", "+", "COUNT", "2"));
        assertEquals(entries(entry("4999-0", "n", "4999")), r.call("XREVRANGE", "big", "(5000-0", "-", "COUNT", "1"));
        String all = r.call("XRANGE", "big", "-", "+");
        assertTrue(all.startsWith("*" + N + "\r\n"), all.substring(0, 10));
        assertEquals("*1\r\n*2\r\n" + bulk("big") + entries(entry("10000-0", "n", "10000")),
                r.call("XREAD", "STREAMS", "big", "9999-5"));
    }

    @Test
    void approximateTrimDropsWholePagesAndDelFreesTheRest() {
        fill();
        assertEquals(integer(5000), r.call("XTRIM", "big", "MAXLEN", "~", "4950"));
        assertEquals(integer(5000), r.call("XLEN", "big"));
        assertEquals(entries(entry("5001-0", "n", "5001")), r.call("XRANGE", "big", "-", "+", "COUNT", "1"));
        // Deleting a whole page in the middle (entries 6001..6100), then reading across it.
        StringBuilder dels = new StringBuilder();
        for (int i = 6001; i <= 6100; i++) dels.append(Resp.command("XDEL", "big", i + "-0"));
        r.send(dels.toString());
        assertEquals(entries(entry("6000-0", "n", "6000"), entry("6101-0", "n", "6101")),
                r.call("XRANGE", "big", "6000", "+", "COUNT", "2"));
        assertEquals(entries(entry("6101-0", "n", "6101"), entry("6000-0", "n", "6000")),
                r.call("XREVRANGE", "big", "6101", "-", "COUNT", "2"));
        assertEquals(integer(3900), r.call("XTRIM", "big", "MINID", "~", "9050"), "pages below 9001, less the 100 deleted");
        assertEquals(integer(1000), r.call("XLEN", "big"));
        assertEquals(integer(1), r.call("DEL", "big"));
        server.context().keyspace().space().reclaim();
        assertEquals(0, server.context().keyspace().space().pending());
    }
}
