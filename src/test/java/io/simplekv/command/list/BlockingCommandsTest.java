package io.simplekv.command.list;

import io.simplekv.support.EngineKind;
import io.simplekv.support.Resp;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blocking list commands; a second and third connection play the waiters, served by writes on {@link #r}. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class BlockingCommandsTest extends ServerTestBase {
    private static final String NULL_ARRAY = "*-1\r\n";

    private String blockedClients() {
        String info = r.call("INFO", "clients");
        int at = info.indexOf("blocked_clients:");
        return info.substring(at + 16, info.indexOf('\r', at));
    }

    @Test
    void popsAtOnceFromTheFirstNonEmptyKey() {
        r.call("RPUSH", "b", "1", "2");
        r.call("RPUSH", "c", "3");
        assertEquals(array("b", "1"), r.call("BLPOP", "a", "b", "c", "0"));
        assertEquals(array("c", "3"), r.call("BRPOP", "a", "c", "b", "0"));
        assertEquals(array("b", "2"), r.call("BRPOP", "b", "0"));
        assertEquals(integer(0), r.call("EXISTS", "b"), "the emptied list is gone");
        r.call("SET", "s", "x");
        assertEquals(WRONGTYPE, r.call("BLPOP", "a", "s", "0"));
        r.call("RPUSH", "l", "x");
        assertEquals(WRONGTYPE, r.call("BLMOVE", "s", "l", "LEFT", "LEFT", "0"));
        assertEquals(WRONGTYPE, r.call("BLMOVE", "l", "s", "LEFT", "LEFT", "0"));
        assertEquals(bulk("x"), r.call("BRPOPLPUSH", "l", "l2", "0"));
        assertEquals("*2\r\n" + bulk("l2") + array("x"), r.call("BLMPOP", "0", "2", "a", "l2", "LEFT", "COUNT", "5"));
    }

    @Test
    void argumentErrors() {
        assertEquals(error("ERR timeout is negative"), r.call("BLPOP", "l", "-1"));
        assertEquals(error("ERR timeout is not a float or out of range"), r.call("BLPOP", "l", "abc"));
        assertEquals(error("ERR timeout is not a float or out of range"), r.call("BRPOPLPUSH", "a", "b", "1x"));
        assertEquals(error("ERR wrong number of arguments for 'blpop' command"), r.call("BLPOP", "l"));
        assertEquals(SYNTAX, r.call("BLMOVE", "a", "b", "UP", "LEFT", "0"));
        assertEquals(error("ERR numkeys should be greater than 0"), r.call("BLMPOP", "0", "0", "a", "LEFT"));
        assertEquals(SYNTAX, r.call("BLMPOP", "0", "1", "a", "UP"));
        assertEquals(error("ERR count should be greater than 0"), r.call("BLMPOP", "0", "1", "a", "LEFT", "COUNT", "0"));
        assertEquals(error("ERR timeout is negative"), r.call("BLMPOP", "-1", "1", "a", "LEFT"));
        assertEquals(error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"), r.call("CLIENT", "UNBLOCK", "1", "SOON"));
        assertEquals(integer(0), r.call("CLIENT", "UNBLOCK", "12345"), "no such client");
        assertEquals(NOT_INT, r.call("CLIENT", "UNBLOCK", "x"));
    }

    private String commandStat(String name) {
        String info = r.call("INFO", "commandstats");
        int at = info.indexOf("cmdstat_" + name + ":");
        return at < 0 ? "" : info.substring(at, info.indexOf('\r', at));
    }

    /**
     * A served waiter's command runs again through the command service, as Redis 7's blocked.c does: it is counted
     * once, when served (not when it parked), and reaches the slow log then, with the time the run took.
     */
    @Test
    void aServedCommandIsCountedAndSlowLoggedOnce() {
        r.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
        r.call("SLOWLOG", "RESET");
        try (Wire waiter = server.connect()) {
            assertEquals("", waiter.call("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"));
            assertEquals("", commandStat("blmove"), "not counted while parked");
            r.call("RPUSH", "src", "x");
            assertEquals(bulk("x"), waiter.received());
            assertTrue(commandStat("blmove").startsWith("cmdstat_blmove:calls=1,"), commandStat("blmove"));
            assertTrue(commandStat("blmove").endsWith("rejected_calls=0,failed_calls=0"), commandStat("blmove"));
            assertTrue(r.call("SLOWLOG", "GET").contains(bulk("BLMOVE") + bulk("src") + bulk("dst")));
            assertEquals(array("x"), r.call("LRANGE", "dst", "0", "-1"));
        }
    }

    /** A wait that ends without data (timeout, CLIENT UNBLOCK) counts as a call too; UNBLOCKED ... ERROR as failed. */
    @Test
    void anUnservedWaitIsCountedWhenItEnds() {
        try (Wire waiter = server.connect()) {
            String id = waiter.call("CLIENT", "ID").substring(1).trim();
            assertEquals("", waiter.call("BLPOP", "l", "0"));
            assertEquals(integer(1), r.call("CLIENT", "UNBLOCK", id, "ERROR"));
            assertEquals(error("UNBLOCKED client unblocked via CLIENT UNBLOCK"), waiter.received());
            assertTrue(commandStat("blpop").startsWith("cmdstat_blpop:calls=1,"), commandStat("blpop"));
            assertTrue(commandStat("blpop").endsWith("failed_calls=1"), commandStat("blpop"));
            assertTrue(r.call("INFO", "errorstats").contains("errorstat_UNBLOCKED:count=1"));
            assertEquals("", waiter.call("BLPOP", "l", "1"));
            assertEquals(NULL_ARRAY, waiter.advanceTime(1000));
            assertTrue(commandStat("blpop").startsWith("cmdstat_blpop:calls=2,"), commandStat("blpop"));
        }
    }

    /** MONITOR shows a blocking command once, when it is sent; running again to serve it shows nothing more. */
    @Test
    void monitorSeesABlockingCommandOnce() {
        try (Wire monitor = server.connect(); Wire waiter = server.connect()) {
            assertEquals(OK, monitor.call("MONITOR"));
            waiter.call("BLPOP", "l", "0");
            r.call("RPUSH", "l", "x");
            assertEquals(array("l", "x"), waiter.received());
            String fed = monitor.received();
            assertEquals(1, fed.split("\"BLPOP\"", -1).length - 1, fed);
            assertTrue(fed.contains("\"RPUSH\" \"l\" \"x\""), fed);
        }
    }

    /** A waiter whose turn a push didn't reach (the client ahead took everything) stays first in line. */
    @Test
    void aWaiterLeftWithNothingKeepsItsPlace() {
        try (Wire b1 = server.connect(); Wire b2 = server.connect()) {
            b1.call("BLPOP", "l", "0");
            b2.call("BLPOP", "l", "0");
            r.call("RPUSH", "l", "a");
            assertEquals(array("l", "a"), b1.received());
            assertEquals("", b2.received());
            assertEquals("1", blockedClients());
            try (Wire b3 = server.connect()) {
                b3.call("BLPOP", "l", "0");
                r.call("RPUSH", "l", "b");
                assertEquals(array("l", "b"), b2.received());
                assertEquals("", b3.received());
            }
        }
    }

    @Test
    void waitersAreServedFirstComeFirstServed() {
        try (Wire b1 = server.connect(); Wire b2 = server.connect()) {
            assertEquals("", b1.call("BLPOP", "l", "0"));
            assertEquals("", b2.call("BLPOP", "other", "l", "0"));
            assertEquals("2", blockedClients());
            assertTrue(r.call("CLIENT", "LIST").contains("flags=b"));
            assertEquals(integer(3), r.call("RPUSH", "l", "a", "b", "c"));
            assertEquals(array("l", "a"), b1.received());
            assertEquals(array("l", "b"), b2.received());
            assertEquals(array("c"), r.call("LRANGE", "l", "0", "-1"));
            assertEquals("0", blockedClients());
        }
    }

    @Test
    void requestsPipelinedBehindABlockedOneWaitTheirTurn() {
        try (Wire b = server.connect()) {
            assertEquals("", b.send(Resp.command("BLPOP", "l", "0") + Resp.command("PING") + Resp.command("LLEN", "l")));
            assertEquals("", b.send(Resp.command("ECHO", "later")));
            r.call("RPUSH", "l", "x", "y");
            assertEquals(array("l", "x") + "+PONG\r\n" + integer(1) + bulk("later"), b.received());
            assertEquals(bulk("again"), b.call("ECHO", "again"));
        }
    }

    @Test
    void timesOutWithANilArray() {
        try (Wire b = server.connect()) {
            assertEquals("", b.call("BLPOP", "l", "0.05"));
            assertEquals("", b.advanceTime(49));
            assertEquals(NULL_ARRAY, b.advanceTime(1));
            assertEquals("0", blockedClients());
            assertEquals("", b.call("BLMOVE", "l", "d", "LEFT", "LEFT", "0.0001"));
            assertEquals(NULL_ARRAY, b.advanceTime(1), "Redis answers a timed-out BLMOVE with a nil array too; 0.1 ms rounds up to 1");
            r.call("RPUSH", "l", "x");
            assertEquals(array("x"), r.call("LRANGE", "l", "0", "-1"), "a timed-out waiter takes nothing");
        }
    }

    @Test
    void insideMultiTheyNeverWait() {
        r.call("MULTI");
        r.call("BLPOP", "l", "0");
        r.call("BLMOVE", "l", "d", "LEFT", "LEFT", "0");
        r.call("BLMPOP", "0", "1", "l", "LEFT");
        assertEquals("*3\r\n" + NULL_ARRAY + NIL + NULL_ARRAY, r.call("EXEC"));
    }

    @Test
    void aTransactionIsSeenWhole() {
        try (Wire b = server.connect()) {
            b.call("BLPOP", "l", "0");
            r.call("MULTI");
            r.call("LPUSH", "l", "a");
            r.call("LPUSH", "l", "b");
            r.call("LPUSH", "l", "c");
            r.call("EXEC");
            assertEquals(array("l", "c"), b.received());
        }
    }

    @Test
    void blmoveChainsIntoTheNextWaiter() {
        try (Wire b1 = server.connect(); Wire b2 = server.connect(); Wire w = server.connect()) {
            w.call("WATCH", "dst");
            b1.call("BLMOVE", "src", "dst", "RIGHT", "LEFT", "0");
            b2.call("BRPOP", "dst", "0");
            r.call("RPUSH", "src", "x");
            assertEquals(bulk("x"), b1.received());
            assertEquals(array("dst", "x"), b2.received());
            assertEquals(integer(0), r.call("EXISTS", "src"));
            assertEquals(integer(0), r.call("EXISTS", "dst"));
            w.call("MULTI");
            w.call("PING");
            assertEquals(NULL_ARRAY, w.call("EXEC"), "the serve's push to dst counts as a write for WATCH");
        }
    }

    @Test
    void blmoveIntoAWrongTypeDestinationAnswersWrongtypeAndMovesNothing() {
        try (Wire b = server.connect()) {
            b.call("BLMOVE", "src", "dst", "LEFT", "LEFT", "0");
            r.call("SET", "dst", "string");
            r.call("RPUSH", "src", "x");
            assertEquals(WRONGTYPE, b.received());
            assertEquals(array("x"), r.call("LRANGE", "src", "0", "-1"));
        }
    }

    @Test
    void blmpopTakesUpToCount() {
        try (Wire b = server.connect()) {
            b.call("BLMPOP", "0", "2", "m1", "m2", "RIGHT", "COUNT", "2");
            r.call("RPUSH", "m2", "1", "2", "3");
            assertEquals("*2\r\n" + bulk("m2") + array("3", "2"), b.received());
        }
    }

    @Test
    void aKeyOfAnotherTypeKeepsTheWaiterWaiting() {
        try (Wire b = server.connect()) {
            b.call("BLPOP", "k", "0");
            r.call("SET", "k", "v");
            assertEquals("", b.received());
            r.call("DEL", "k");
            r.call("RPUSH", "k", "x");
            assertEquals(array("k", "x"), b.received());
        }
    }

    @Test
    void clientUnblockEndsAWaitAsATimeoutOrAnError() {
        try (Wire b = server.connect()) {
            long id = Long.parseLong(b.call("CLIENT", "ID").substring(1).trim());
            b.call("BLPOP", "l", "0");
            assertEquals(integer(1), r.call("CLIENT", "UNBLOCK", Long.toString(id)));
            assertEquals(NULL_ARRAY, b.received());
            assertEquals(integer(0), r.call("CLIENT", "UNBLOCK", Long.toString(id)), "no longer blocked");
            b.call("BRPOP", "l", "0");
            assertEquals(integer(1), r.call("CLIENT", "UNBLOCK", Long.toString(id), "ERROR"));
            assertEquals(error("UNBLOCKED client unblocked via CLIENT UNBLOCK"), b.received());
        }
    }

    @Test
    void aDisconnectedWaiterTakesNothing() {
        Wire b = server.connect();
        b.call("BLPOP", "l", "0");
        assertEquals("1", blockedClients());
        b.close();
        assertEquals("0", blockedClients());
        r.call("RPUSH", "l", "x");
        assertEquals(array("x"), r.call("LRANGE", "l", "0", "-1"));
    }

    @Test
    void moveAndSwapdbWakeWaitersOfTheOtherDatabase() {
        try (Wire b = server.connect(); Wire other = server.connect()) {
            b.call("BLPOP", "l", "0");
            other.call("SELECT", "1");
            other.call("RPUSH", "l", "x");
            assertEquals("", b.received());
            assertEquals(integer(1), other.call("MOVE", "l", "0"));
            assertEquals(array("l", "x"), b.received());
            b.call("BLPOP", "l2", "0");
            other.call("RPUSH", "l2", "y");
            assertEquals(OK, other.call("SWAPDB", "0", "1"));
            assertEquals(array("l2", "y"), b.received());
        }
    }

    @Test
    void aServedPopIsNotified() {
        try (Wire sub = server.connect(); Wire b = server.connect()) {
            r.call("CONFIG", "SET", "notify-keyspace-events", "El");
            sub.call("SUBSCRIBE", "__keyevent@0__:lpop");
            b.call("BLPOP", "l", "0");
            r.call("RPUSH", "l", "x");
            assertEquals(array("l", "x"), b.received());
            assertEquals(array("message", "__keyevent@0__:lpop", "l"), sub.received());
            assertFalse(r.call("INFO", "clients").contains("blocked_clients:1"));
        }
    }
}
