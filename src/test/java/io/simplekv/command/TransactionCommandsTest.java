package io.simplekv.command;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;

@ParameterizedClass
@EnumSource(EngineKind.class)
class TransactionCommandsTest extends ServerTestBase {
    static final String QUEUED = simple("QUEUED");

    @Test
    void execRunsTheQueueInOrder() {
        assertEquals(OK, r.call("MULTI"));
        assertEquals(QUEUED, r.call("SET", "k", "1"));
        assertEquals(QUEUED, r.call("INCR", "k"));
        assertEquals(QUEUED, r.call("GET", "k"));
        assertEquals("*3\r\n+OK\r\n:2\r\n$1\r\n2\r\n", r.call("EXEC"));
        assertEquals(OK, r.call("MULTI"));
        assertEquals("*0\r\n", r.call("EXEC"));
    }

    @Test
    void runtimeErrorsStayInPlaceWithoutRollback() {
        r.call("SET", "s", "abc");
        r.call("MULTI");
        r.call("SET", "a", "1");
        r.call("INCR", "s");
        r.call("SET", "b", "2");
        assertEquals("*3\r\n+OK\r\n" + error("ERR value is not an integer or out of range") + "+OK\r\n", r.call("EXEC"));
        assertEquals(bulk("2"), r.call("GET", "b"));
    }

    @Test
    void queueTimeErrorsAbortExec() {
        r.call("MULTI");
        assertEquals(error("ERR unknown command 'NOSUCH', with args beginning with: "), r.call("NOSUCH"));
        assertEquals(error("ERR wrong number of arguments for 'get' command"), r.call("GET"));
        assertEquals(QUEUED, r.call("SET", "k", "v"));
        assertEquals(error("EXECABORT Transaction discarded because of previous errors."), r.call("EXEC"));
        assertEquals(NIL, r.call("GET", "k"));
        assertEquals(error("ERR EXEC without MULTI"), r.call("EXEC"));
    }

    @Test
    void controlCommandErrors() {
        assertEquals(error("ERR DISCARD without MULTI"), r.call("DISCARD"));
        r.call("MULTI");
        assertEquals(error("ERR MULTI calls can not be nested"), r.call("MULTI"));
        assertEquals(error("ERR WATCH inside MULTI is not allowed"), r.call("WATCH", "k"));
        assertEquals(QUEUED, r.call("SET", "k", "v"));
        assertEquals(OK, r.call("DISCARD"));
        assertEquals(NIL, r.call("GET", "k"));
        r.call("MULTI");
        assertEquals(simple("RESET"), r.call("RESET"));
        assertEquals(error("ERR EXEC without MULTI"), r.call("EXEC"));
    }

    @Test
    void watchSeesOtherClientsWrites() {
        r.call("SET", "k", "1");
        assertEquals(OK, r.call("WATCH", "k"));
        try (Wire other = server.connect()) {
            other.call("SET", "k", "2");
        }
        r.call("MULTI");
        r.call("SET", "k", "3");
        assertEquals("*-1\r\n", r.call("EXEC"));
        assertEquals(bulk("2"), r.call("GET", "k"));
        // After EXEC the keys are no longer watched.
        r.call("MULTI");
        r.call("SET", "k", "4");
        assertEquals("*1\r\n+OK\r\n", r.call("EXEC"));
    }

    @Test
    void unwatchedOrUntouchedKeysLetExecRun() {
        r.call("WATCH", "k");
        try (Wire other = server.connect()) {
            other.call("SET", "other", "x");
        }
        r.call("MULTI");
        r.call("SET", "k", "mine");
        assertEquals("*1\r\n+OK\r\n", r.call("EXEC"));
        r.call("WATCH", "k");
        r.call("UNWATCH");
        try (Wire other = server.connect()) {
            other.call("SET", "k", "theirs");
        }
        r.call("MULTI");
        r.call("GET", "k");
        assertEquals("*1\r\n$6\r\ntheirs\r\n", r.call("EXEC"));
    }

    @Test
    void flushTouchesOnlyExistingWatchedKeysAndExpiryCounts() {
        r.call("WATCH", "missing");
        r.call("FLUSHALL");
        r.call("MULTI");
        r.call("PING");
        assertEquals("*1\r\n+PONG\r\n", r.call("EXEC"));
        r.call("SET", "x", "1");
        r.call("WATCH", "x");
        r.call("FLUSHDB");
        r.call("MULTI");
        r.call("PING");
        assertEquals("*-1\r\n", r.call("EXEC"));
        r.call("SET", "e", "1", "PX", "1");
        r.call("WATCH", "e");
        sleep(5);
        r.call("MULTI");
        r.call("PING");
        assertEquals("*-1\r\n", r.call("EXEC"), "a watched key that expired counts as changed");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
