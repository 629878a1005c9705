package io.simplekv.command.server;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WAIT's waits (ROLE and WAIT's immediate answers are in the reply corpus, replication.cases), and the master side of
 * a replication link: SYNC's snapshot and stream, REPLCONF, REPLICAOF. What commands propagate as is in
 * replication.PropagationTest.
 */
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

    @Test
    void syncSendsTheSnapshotThenTheStream() {
        r.call("SET", "before", "1");
        try (Wire replica = server.connect(); Wire other = server.connect()) {
            String snapshot = replica.call("SYNC");
            assertTrue(snapshot.startsWith("$") && snapshot.contains("REDIS0010") && snapshot.contains("before"), snapshot);
            assertTrue(!snapshot.endsWith("\r\n"), "no CRLF after the RDB, as Redis sends it");
            other.call("SET", "after", "2");
            assertEquals("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n2\r\n",
                    replica.received());
            assertEquals("", replica.call("PING"), "a replica's own requests get no reply");
            assertTrue(r.call("INFO", "replication").contains("connected_slaves:1"));
            assertTrue(r.call("CLIENT", "LIST").contains("flags=S"));
        }
        r.call("SET", "x", "1"); // the replica is gone: nothing to feed
        assertTrue(r.call("INFO", "replication").contains("connected_slaves:0"));
    }

    @Test
    void psyncAlwaysAnswersFullResync() {
        try (Wire replica = server.connect()) {
            String reply = replica.call("PSYNC", "?", "-1");
            assertTrue(reply.startsWith("+FULLRESYNC ") && reply.contains("\r\n$") && reply.contains("REDIS0010"), reply);
        }
    }

    @Test
    void replconfAndReplicaof() {
        assertEquals(OK, r.call("REPLCONF", "listening-port", "6380", "capa", "eof"));
        assertEquals("", r.call("REPLCONF", "ACK", "100"), "ACK gets no reply, as in Redis");
        assertEquals(error("ERR Unrecognized REPLCONF option: nope"), r.call("REPLCONF", "nope", "1"));
        assertEquals(error("ERR syntax error"), r.call("REPLCONF", "capa"));
        assertEquals(OK, r.call("REPLICAOF", "NO", "ONE"));
        assertEquals(error("ERR value is not an integer or out of range"), r.call("REPLICAOF", "host", "port"));
        assertEquals(error("ERR Invalid master port"), r.call("REPLICAOF", "127.0.0.1", "70000"));
    }

    /** A replica whose master can't be reached (port 1) is read-only for its clients until REPLICAOF NO ONE. */
    @Test
    void aReplicaRefusesWritesFromItsClients() {
        r.call("SET", "k", "v");
        assertEquals(OK, r.call("REPLICAOF", "127.0.0.1", "1"));
        try {
            assertEquals("+OK Already connected to specified master\r\n", r.call("REPLICAOF", "127.0.0.1", "1"));
            String readOnly = error("READONLY You can't write against a read only replica.");
            assertEquals(readOnly, r.call("SET", "k", "w"));
            assertEquals(bulk("v"), r.call("GET", "k"), "reads are served");
            r.call("MULTI");
            assertEquals(readOnly, r.call("INCR", "n"));
            assertTrue(r.call("EXEC").startsWith("-EXECABORT"));
            assertEquals(readOnly, r.call("EVAL", "#!lua\nreturn 1", "0"), "a script whose flags allow writes");
            assertTrue(r.call("EVAL", "return redis.call('set', 'k', 'w')", "0").startsWith("-READONLY"));
            assertEquals(bulk("1"), r.call("EVAL", "#!lua flags=no-writes\nreturn '1'", "0"));
            String role = r.call("ROLE");
            assertTrue(role.startsWith("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:1\r\n"), role);
            assertTrue(r.call("INFO", "replication").contains("master_link_status:down"));
            assertEquals("*2\r\n$7\r\nslaveof\r\n$11\r\n127.0.0.1 1\r\n", r.call("CONFIG", "GET", "slaveof"));
        } finally {
            assertEquals(OK, r.call("REPLICAOF", "NO", "ONE"));
        }
        assertEquals(OK, r.call("SET", "k", "w"));
        assertEquals("*2\r\n$9\r\nreplicaof\r\n$0\r\n\r\n", r.call("CONFIG", "GET", "replicaof"));
    }

    /** min-replicas-to-write: no replica here ever acknowledges, so every write is refused, scripts' writes too. */
    @Test
    void minReplicasToWriteRefusesWrites() {
        r.call("SET", "x", "v");
        r.call("CONFIG", "SET", "min-replicas-to-write", "1");
        try {
            String refused = error("NOREPLICAS Not enough good replicas to write.");
            assertEquals(refused, r.call("SET", "x", "w"));
            assertEquals(bulk("v"), r.call("GET", "x"));
            assertEquals(bulk("v"), r.call("EVAL", "return redis.call('get', KEYS[1])", "1", "x"));
            assertEquals(refused, r.call("EVAL", "#!lua\nreturn redis.call('get', KEYS[1])", "1", "x"));
            assertTrue(r.call("EVAL", "return redis.call('set', KEYS[1], 1)", "1", "x").startsWith("-NOREPLICAS"));
        } finally {
            r.call("CONFIG", "SET", "min-replicas-to-write", "0");
        }
        assertEquals(OK, r.call("SET", "x", "w"));
    }
}
