package io.simplekv.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis's query buffer arithmetic, as unit/querybuf checks it through CLIENT LIST's qbuf + qbuf-free. */
class QueryBufferTest {
    @Test
    void aFirstSmallRequestGetsTheIoBufferAndAnIdleClientLosesIt() {
        QueryBuffer q = new QueryBuffer();
        q.read(40);
        q.parsed(0, false, 0);
        assertEquals(0, q.used(0));
        assertEquals(16384, q.free(0), "PROTO_IOBUF_LEN, not doubled on the first read");
        q.cron(1);
        assertEquals(16384, q.free(0), "kept while the client is active and the buffer below the resize threshold");
        q.cron(3);
        assertEquals(0, q.used(0) + q.free(0), "idle for more than 2 s: freed");
    }

    @Test
    void aBigArgumentLeavesABufferOfItsSizeThatShrinksToTheRecentPeak() {
        QueryBuffer q = new QueryBuffer();
        q.read(16384);
        q.bigArgument(400_000);
        q.parsed(16_000, true, 0);
        q.read(384_002);
        q.parsed(0, false, 0);
        long afterBig = q.used(0) + q.free(0);
        assertEquals(400_002, afterBig);
        q.cron(0); // the peak of this cycle was the big argument itself: nothing to trim yet
        assertEquals(afterBig, q.used(0) + q.free(0));
        q.read(40);
        q.parsed(0, false, 0);
        q.cron(0);
        long shrunk = q.used(0) + q.free(0);
        assertTrue(shrunk > 0 && shrunk < afterBig, "trimmed to the last peak: " + shrunk);
    }

    @Test
    void theRunningRequestCountsAsHeld() {
        QueryBuffer q = new QueryBuffer();
        q.read(26);
        assertEquals(26, q.used(26));
        assertEquals(16384 - 26, q.free(26));
    }
}
