package io.simplekv.command.server;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WAIT's waits (ROLE and WAIT's immediate answers are in the reply corpus, replication.cases). */
@ParameterizedClass
@EnumSource(EngineKind.class)
class ReplicationCommandsTest extends ServerTestBase {
    @Test
    void waitForAReplicaWaitsOutItsTimeoutAndAnswersZero() {
        assertEquals("", r.call("WAIT", "1", "100"));
        assertEquals("", r.advanceTime(50));
        assertEquals(integer(0), r.advanceTime(60));
        assertEquals("+PONG\r\n", r.call("PING"));
    }

    @Test
    void waitForeverEndsByClientUnblock() {
        try (Wire other = server.connect()) {
            String id = r.call("CLIENT", "ID").substring(1).trim();
            assertEquals("", r.call("WAIT", "2", "0"));
            assertEquals("", r.advanceTime(60_000));
            assertEquals(integer(1), other.call("CLIENT", "UNBLOCK", id));
            assertEquals(integer(0), r.received());
            assertEquals(integer(0), other.call("CLIENT", "UNBLOCK", id));
        }
    }

    @Test
    void waitInsideATransactionAnswersAtOnce() {
        r.call("MULTI");
        r.call("WAIT", "1", "0");
        assertEquals("*1\r\n:0\r\n", r.call("EXEC"));
        assertEquals(error("ERR timeout is negative"), r.call("WAIT", "1", "-1"));
    }
}
