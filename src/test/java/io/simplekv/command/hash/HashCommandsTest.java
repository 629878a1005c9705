package io.simplekv.command.hash;

import io.simplekv.support.EngineKind;
import io.simplekv.support.RespParser;
import io.simplekv.support.ServerFixture;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static io.simplekv.support.Resp.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ParameterizedClass
@EnumSource(EngineKind.class)
class HashCommandsTest extends ServerTestBase {

    @Test
    void setGetAndCounts() {
        assertEquals(integer(2), r.call("HSET", "h", "a", "1", "b", "2"));
        assertEquals(integer(1), r.call("HSET", "h", "a", "10", "c", "3"));
        assertEquals(bulk("10"), r.call("HGET", "h", "a"));
        assertEquals(NIL, r.call("HGET", "h", "zz"));
        assertEquals(NIL, r.call("HGET", "nokey", "a"));
        assertEquals(integer(3), r.call("HLEN", "h"));
        assertEquals(integer(0), r.call("HLEN", "nokey"));
        assertEquals(array("10", null, "3"), r.call("HMGET", "h", "a", "zz", "c"));
        assertEquals(array(null, null), r.call("HMGET", "nokey", "a", "b"));
        assertEquals(OK, r.call("HMSET", "h", "d", "4"));
        assertEquals(simple("hash"), r.call("TYPE", "h"));
        assertEquals(bulk("listpack"), r.call("OBJECT", "ENCODING", "h"));
    }

    @Test
    void getallKeysValsInInsertionOrderWhileSmall() {
        r.call("HSET", "h", "f1", "v1", "f2", "v2", "f3", "v3");
        assertEquals(array("f1", "v1", "f2", "v2", "f3", "v3"), r.call("HGETALL", "h"));
        assertEquals(array("f1", "f2", "f3"), r.call("HKEYS", "h"));
        assertEquals(array("v1", "v2", "v3"), r.call("HVALS", "h"));
        assertEquals("*0\r\n", r.call("HGETALL", "nokey"));
    }

    @Test
    void setnxExistsStrlenDel() {
        assertEquals(integer(1), r.call("HSETNX", "h", "f", "v"));
        assertEquals(integer(0), r.call("HSETNX", "h", "f", "other"));
        assertEquals(bulk("v"), r.call("HGET", "h", "f"));
        assertEquals(integer(1), r.call("HEXISTS", "h", "f"));
        assertEquals(integer(0), r.call("HEXISTS", "h", "g"));
        assertEquals(integer(1), r.call("HSTRLEN", "h", "f"));
        assertEquals(integer(0), r.call("HSTRLEN", "h", "g"));
        r.call("HSET", "h", "g", "w");
        assertEquals(integer(1), r.call("HDEL", "h", "f", "nope"));
        assertEquals(integer(1), r.call("HDEL", "h", "g"));
        assertEquals(integer(0), r.call("EXISTS", "h"), "an emptied hash disappears");
        assertEquals(integer(0), r.call("HDEL", "h", "g"));
    }

    @Test
    void incrementsAndTheirErrors() {
        assertEquals(integer(5), r.call("HINCRBY", "h", "n", "5"));
        assertEquals(integer(2), r.call("HINCRBY", "h", "n", "-3"));
        assertEquals(bulk("2.5"), r.call("HINCRBYFLOAT", "h", "n", "0.5"));
        assertEquals(error("ERR hash value is not an integer"), r.call("HINCRBY", "h", "n", "1"));
        r.call("HSET", "h", "s", "abc", "max", "9223372036854775807");
        assertEquals(error("ERR hash value is not an integer"), r.call("HINCRBY", "h", "s", "1"));
        assertEquals(error("ERR hash value is not a float"), r.call("HINCRBYFLOAT", "h", "s", "1"));
        assertEquals(error("ERR increment or decrement would overflow"), r.call("HINCRBY", "h", "max", "1"));
        assertEquals(NOT_INT, r.call("HINCRBY", "h", "n", "x"));
        assertEquals(error("ERR value is not a valid float"), r.call("HINCRBYFLOAT", "h", "n", "x"));
        assertEquals(error("ERR value is NaN or Infinity"), r.call("HINCRBYFLOAT", "h", "n", "inf"));
    }

    @Test
    void errors() {
        r.call("SET", "s", "v");
        for (String[] cmd : new String[][] {{"HSET", "s", "f", "v"}, {"HGET", "s", "f"}, {"HGETALL", "s"},
                {"HDEL", "s", "f"}, {"HLEN", "s"}, {"HINCRBY", "s", "f", "1"}, {"HSCAN", "s", "0"}}) {
            assertEquals(WRONGTYPE, r.call(cmd), String.join(" ", cmd));
        }
        r.call("HSET", "h", "f", "v");
        assertEquals(WRONGTYPE, r.call("GET", "h"));
        assertEquals(WRONGTYPE, r.call("INCR", "h"));
        assertEquals(error("ERR wrong number of arguments for 'hset' command"), r.call("HSET", "h", "f", "v", "g"));
        assertEquals(error("ERR wrong number of arguments for 'hmset' command"), r.call("HMSET", "h", "f"));
        assertEquals(error("ERR wrong number of arguments for 'hget' command"), r.call("HGET", "h"));
    }

    @Test
    void randfield() {
        assertEquals(NIL, r.call("HRANDFIELD", "nokey"));
        assertEquals("*0\r\n", r.call("HRANDFIELD", "nokey", "5"));
        r.call("HSET", "h", "a", "1", "b", "2", "c", "3");
        assertTrue(Set.of(bulk("a"), bulk("b"), bulk("c")).contains(r.call("HRANDFIELD", "h")));
        List<Object> all = RespParser.array(r.call("HRANDFIELD", "h", "10"));
        assertEquals(Set.of("a", "b", "c"), new HashSet<>(all));
        assertEquals(7, RespParser.array(r.call("HRANDFIELD", "h", "-7")).size());
        List<Object> two = RespParser.array(r.call("HRANDFIELD", "h", "2", "WITHVALUES"));
        assertEquals(4, two.size());
        assertEquals(Integer.toString("abc".indexOf((String) two.get(0)) + 1), two.get(1));
        assertEquals("*0\r\n", r.call("HRANDFIELD", "h", "0"));
        assertEquals(SYNTAX, r.call("HRANDFIELD", "h", "1", "NOVALUES"));
        assertEquals(error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"), r.call("HRANDFIELD", "h", "-9223372036854775808"));
        assertEquals(error("ERR value is out of range"), r.call("HRANDFIELD", "h", "-9223372036854770000", "WITHVALUES"));
        assertEquals(simple("PONG"), r.call("PING"));
    }

    /** Past hash-max-listpack-entries the hash becomes bucketed pages; everything must work the same. */
    @Test
    void bigHashSpillsIntoBucketsAndStaysCorrect() {
        try (ServerFixture small = new ServerFixture(engine, dir.resolve("small"), Map.of("hash-max-listpack-entries", "8"));
             Wire w = small.connect()) {
            int n = 5000;
            for (int i = 0; i < n; i += 100) {
                String[] cmd = new String[2 + 200];
                cmd[0] = "HSET";
                cmd[1] = "big";
                for (int j = 0; j < 100; j++) {
                    cmd[2 + 2 * j] = "field:" + (i + j);
                    cmd[3 + 2 * j] = "value:" + (i + j);
                }
                assertEquals(integer(100), w.call(cmd));
            }
            assertEquals(bulk("hashtable"), w.call("OBJECT", "ENCODING", "big"));
            assertEquals(integer(n), w.call("HLEN", "big"));
            for (int i = 0; i < n; i += 7) assertEquals(bulk("value:" + i), w.call("HGET", "big", "field:" + i));
            assertEquals(integer(0), w.call("HSET", "big", "field:1", "changed"));
            assertEquals(bulk("changed"), w.call("HGET", "big", "field:1"));
            for (int i = 0; i < n; i += 2) assertEquals(integer(1), w.call("HDEL", "big", "field:" + i));
            assertEquals(integer(n / 2), w.call("HLEN", "big"));
            Map<Object, Object> all = pairs(RespParser.array(w.call("HGETALL", "big")));
            assertEquals(n / 2, all.size());
            assertEquals("value:4999", all.get("field:4999"));
            assertEquals(n / 2, RespParser.array(w.call("HKEYS", "big")).size());
            // A full HSCAN returns every field at least once.
            Set<Object> scanned = new HashSet<>();
            String cursor = "0";
            do {
                List<Object> reply = RespParser.array(w.call("HSCAN", "big", cursor, "COUNT", "50"));
                cursor = (String) reply.get(0);
                List<?> flat = (List<?>) reply.get(1);
                for (int i = 0; i < flat.size(); i += 2) scanned.add(flat.get(i));
            } while (!cursor.equals("0"));
            assertEquals(all.keySet(), scanned);
            assertEquals(3, RespParser.array(w.call("HRANDFIELD", "big", "3")).size());
        }
    }

    @Test
    void renameMoveCopyAndDeleteOfABigHash() {
        try (ServerFixture small = new ServerFixture(engine, dir.resolve("small"), Map.of("hash-max-listpack-entries", "4"));
             Wire w = small.connect()) {
            for (int i = 0; i < 300; i++) w.call("HSET", "h", "f" + i, "v" + i);
            assertEquals(OK, w.call("RENAME", "h", "h2"));
            assertEquals(bulk("v299"), w.call("HGET", "h2", "f299"));
            assertEquals(integer(1), w.call("COPY", "h2", "h3"));
            // A same-length value is written into the stored bucket in place (memory engine): never into the copy's.
            assertEquals(integer(0), w.call("HSET", "h2", "f0", "w0"));
            assertEquals(bulk("v0"), w.call("HGET", "h3", "f0"));
            assertEquals(bulk("w0"), w.call("HGET", "h2", "f0"));
            assertEquals(integer(1), w.call("DEL", "h2"));
            small.context().keyspace().space().reclaim();
            assertEquals(integer(300), w.call("HLEN", "h3"), "the copy owns its own pages");
            assertEquals(bulk("v0"), w.call("HGET", "h3", "f0"));
            assertEquals(integer(1), w.call("MOVE", "h3", "1"));
            small.context().keyspace().space().reclaim();
            assertEquals(OK, w.call("SELECT", "1"));
            assertEquals(integer(300), w.call("HLEN", "h3"));
            assertEquals(bulk("v150"), w.call("HGET", "h3", "f150"));
            w.call("SET", "h3", "now a string");
            small.context().keyspace().space().reclaim();
            assertEquals(0, small.context().keyspace().space().pending());
            assertEquals(bulk("now a string"), w.call("GET", "h3"));
        }
    }

    @Test
    void expiryAppliesToHashes() {
        r.call("HSET", "h", "f", "v");
        assertEquals(integer(1), r.call("PEXPIRE", "h", "1"));
        sleep(5);
        assertEquals(NIL, r.call("HGET", "h", "f"));
        assertEquals(integer(0), r.call("EXISTS", "h"));
    }

    private static Map<Object, Object> pairs(List<Object> flat) {
        Map<Object, Object> m = new HashMap<>();
        for (int i = 0; i < flat.size(); i += 2) m.put(flat.get(i), flat.get(i + 1));
        return m;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
