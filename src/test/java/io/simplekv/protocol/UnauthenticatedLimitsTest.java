package io.simplekv.protocol;

import io.simplekv.support.EngineKind;
import io.simplekv.support.Resp;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Before AUTH, Redis refuses big requests at their header; the replies are redis-server 7.0.15's. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class UnauthenticatedLimitsTest extends ServerTestBase {
    @Override
    protected Map<String, String> config() {
        return Map.of("requirepass", "secret");
    }

    @Test
    void moreThanTenArgumentsBeforeAuthIsRefusedAtTheHeader() {
        assertEquals("-ERR Protocol error: unauthenticated multibulk length\r\n", r.send("*11\r\n"));
        assertFalse(r.isOpen());
    }

    @Test
    void aBulkOver16KbBeforeAuthIsRefusedAtTheHeader() {
        assertEquals("-ERR Protocol error: unauthenticated bulk length\r\n", r.send("*2\r\n$4\r\nAUTH\r\n$16385\r\n"));
        assertFalse(r.isOpen());
    }

    @Test
    void withinTheLimitsTheUsualNoauthAndAfterAuthAnything() {
        assertEquals("-NOAUTH Authentication required.\r\n", r.call("ECHO", "x".repeat(16384)));
        assertEquals("+OK\r\n", r.call("AUTH", "secret"));
        List<String> mset = new ArrayList<>(List.of("MSET"));
        for (int i = 0; i < 6; i++) mset.addAll(List.of("k" + i, "v"));
        assertEquals("+OK\r\n", r.call(mset.toArray(String[]::new)));
        assertEquals(Resp.bulk("y".repeat(20000)), r.call("ECHO", "y".repeat(20000)));
        assertTrue(r.isOpen());
    }

    /** The request after AUTH in the same packet is judged after AUTH ran, as Redis reads one request at a time. */
    @Test
    void authInTheSamePacketLiftsTheLimitsForWhatFollows() {
        assertEquals("+OK\r\n:11\r\n", r.send("AUTH secret\r\n*13\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n"
                + "$1\r\nx\r\n".repeat(10) + "$16385\r\n" + "a".repeat(16385) + "\r\n"));
    }
}
