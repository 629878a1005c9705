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
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CLIENT PAUSE and UNPAUSE, as Redis 7.0's unit/pause has them. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class ClientPauseTest extends ServerTestBase {
    private Wire other;

    @BeforeEach
    void otherClient() {
        other = server.connect();
    }

    @AfterEach
    void closeOther() {
        other.close();
    }

    private String blockedClients() {
        String info = r.call("INFO", "clients");
        return info.replaceAll("(?s).*blocked_clients:(\\d+).*", "$1");
    }

    @Test
    void writePauseHoldsWritesUntilUnpauseAndLetsReadsThrough() {
        r.call("SET", "k", "v");
        assertEquals(OK, r.call("CLIENT", "PAUSE", "100000", "WRITE"));
        assertEquals(bulk("v"), other.call("GET", "k"));
        assertEquals("", other.call("SET", "k", "w"));
        assertEquals("", other.call("PING")); // behind the held write, in order
        assertEquals("1", blockedClients());
        try (Wire publisher = server.connect()) {
            assertEquals("", publisher.call("PUBLISH", "ch", "m"), "PUBLISH may replicate: it waits too");
            assertEquals("2", blockedClients());
            assertEquals(OK, r.call("CLIENT", "UNPAUSE"));
            assertEquals(integer(0), publisher.received());
        }
        assertEquals(OK + "+PONG\r\n", other.received());
        assertEquals(bulk("w"), r.call("GET", "k"));
        assertEquals("0", blockedClients());
    }

    @Test
    void allPauseHoldsEverythingUntilItsEnd() throws InterruptedException {
        assertEquals(OK, r.call("CLIENT", "PAUSE", "100", "ALL"));
        assertEquals("", other.call("GET", "k"));
        assertEquals("", r.call("CLIENT", "UNPAUSE"), "ALL holds CLIENT UNPAUSE too, as in Redis");
        Thread.sleep(120); // the pause ends by the wall clock; the held request's retry is a loop timer
        assertEquals("$-1\r\n", other.advanceTime(110));
        assertEquals(OK, r.received());
    }

    @Test
    void writeTransactionsAndScriptsWaitButReadOnesDoNot() {
        other.call("MULTI");
        other.call("SET", "k", "v");
        r.call("CLIENT", "PAUSE", "100000", "WRITE");
        assertEquals("", other.call("EXEC"));
        assertEquals(integer(1), r.call("EVAL", "#!lua flags=no-writes\nreturn 1", "0"));
        assertEquals(integer(1), r.call("EVAL_RO", "return 1", "0"));
        try (Wire third = server.connect()) {
            assertEquals("", third.call("EVAL", "return 1", "0"));
            r.call("CLIENT", "UNPAUSE");
            assertEquals("*1\r\n" + OK, other.received());
            assertEquals(integer(1), third.received());
        }
        r.call("MULTI");
        r.call("GET", "k");
        r.call("CLIENT", "PAUSE", "100000", "WRITE");
        assertTrue(r.call("EXEC").startsWith("*2\r\n"), "a read-only transaction runs during a write pause");
        r.call("CLIENT", "UNPAUSE");
    }

    @Test
    void argumentErrors() {
        assertEquals(error("ERR CLIENT PAUSE mode must be WRITE or ALL"), r.call("CLIENT", "PAUSE", "x", "SOME"));
        assertEquals(error("ERR timeout is not an integer or out of range"), r.call("CLIENT", "PAUSE", "1.5"));
        assertEquals(error("ERR timeout is negative"), r.call("CLIENT", "PAUSE", "-1"));
        assertEquals(OK, r.call("CLIENT", "UNPAUSE"));
    }

    @Test
    void expiredKeysReadAsMissingButStayUntilThePauseEnds() throws InterruptedException {
        r.call("SET", "k", "v", "PX", "10");
        Thread.sleep(20);
        r.call("CLIENT", "PAUSE", "100000", "WRITE");
        assertEquals("$-1\r\n", r.call("GET", "k"));
        assertTrue(r.call("INFO", "stats").contains("expired_keys:0\r\n"));
        r.call("CLIENT", "UNPAUSE");
        assertEquals("$-1\r\n", r.call("GET", "k"));
        assertTrue(r.call("INFO", "stats").contains("expired_keys:1\r\n"));
    }

    @Test
    void aHeldClientThatLeavesIsNoLongerCounted() {
        r.call("CLIENT", "PAUSE", "100000", "WRITE");
        Wire leaving = server.connect();
        assertEquals("", leaving.call("SET", "k", "v"));
        assertEquals("1", blockedClients());
        leaving.close();
        assertEquals("0", blockedClients());
        r.call("CLIENT", "UNPAUSE");
    }
}
