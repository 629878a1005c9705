package io.simplekv.command.set;

import io.simplekv.support.EngineKind;
import io.simplekv.support.RespParser;
import io.simplekv.support.ServerFixture;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static io.simplekv.support.Resp.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ParameterizedClass
@EnumSource(EngineKind.class)
class SetCommandsTest extends ServerTestBase {

    private Set<Object> members(Wire w, String... cmd) {
        return new TreeSet<>(RespParser.array(w.call(cmd)));
    }

    @Test
    void addRemoveMembership() {
        assertEquals(integer(3), r.call("SADD", "s", "a", "b", "c", "a"));
        assertEquals(integer(0), r.call("SADD", "s", "a"));
        assertEquals(integer(3), r.call("SCARD", "s"));
        assertEquals(integer(1), r.call("SISMEMBER", "s", "a"));
        assertEquals(integer(0), r.call("SISMEMBER", "s", "z"));
        assertEquals("*3\r\n:1\r\n:0\r\n:1\r\n", r.call("SMISMEMBER", "s", "a", "z", "c"));
        assertEquals(Set.of("a", "b", "c"), members(r, "SMEMBERS", "s"));
        assertEquals(integer(2), r.call("SREM", "s", "a", "b", "nope"));
        assertEquals(integer(1), r.call("SREM", "s", "c"));
        assertEquals(integer(0), r.call("EXISTS", "s"), "an emptied set disappears");
        assertEquals("*0\r\n", r.call("SMEMBERS", "s"));
        assertEquals(simple("none"), r.call("TYPE", "s"));
        r.call("SADD", "ints", "1", "2", "3");
        assertEquals(simple("set"), r.call("TYPE", "ints"));
        assertEquals(bulk("intset"), r.call("OBJECT", "ENCODING", "ints"));
        r.call("SADD", "ints", "x");
        assertEquals(bulk("hashtable"), r.call("OBJECT", "ENCODING", "ints"));
        r.call("SREM", "ints", "x");
        assertEquals(bulk("hashtable"), r.call("OBJECT", "ENCODING", "ints"), "a set never goes back to intset, as in Redis");
    }

    @Test
    void popAndRandom() {
        r.call("SADD", "s", "a", "b", "c");
        Object popped = RespParser.parse(r.call("SPOP", "s"));
        assertTrue(Set.of("a", "b", "c").contains(popped));
        assertEquals(integer(2), r.call("SCARD", "s"));
        assertEquals(2, RespParser.array(r.call("SPOP", "s", "5")).size());
        assertEquals(integer(0), r.call("EXISTS", "s"));
        assertEquals(NIL, r.call("SPOP", "s"));
        assertEquals("*0\r\n", r.call("SPOP", "s", "3"));
        assertEquals(error("ERR value is out of range, must be positive"), r.call("SPOP", "s", "-1"));
        r.call("SADD", "s", "a", "b");
        assertEquals(5, RespParser.array(r.call("SRANDMEMBER", "s", "-5")).size());
        assertEquals(Set.of("a", "b"), new HashSet<>(RespParser.array(r.call("SRANDMEMBER", "s", "10"))));
        assertEquals(integer(2), r.call("SCARD", "s"), "SRANDMEMBER does not remove");
    }

    @Test
    void moveAndAlgebra() {
        r.call("SADD", "x", "1", "2", "3", "4");
        r.call("SADD", "y", "3", "4", "5");
        assertEquals(Set.of("3", "4"), members(r, "SINTER", "x", "y"));
        assertEquals(Set.of("1", "2", "3", "4", "5"), members(r, "SUNION", "x", "y", "missing"));
        assertEquals(Set.of("1", "2"), members(r, "SDIFF", "x", "y"));
        assertEquals("*0\r\n", r.call("SINTER", "x", "missing"));
        assertEquals(integer(2), r.call("SINTERCARD", "2", "x", "y"));
        assertEquals(integer(1), r.call("SINTERCARD", "2", "x", "y", "LIMIT", "1"));
        assertEquals(error("ERR numkeys should be greater than 0"), r.call("SINTERCARD", "0", "x"));
        assertEquals(error("ERR numkeys should be greater than 0"), r.call("SINTERCARD", "abc", "x"));
        assertEquals(error("ERR Number of keys can't be greater than number of args"), r.call("SINTERCARD", "3", "x", "y"));
        assertEquals(error("ERR LIMIT can't be negative"), r.call("SINTERCARD", "2", "x", "y", "LIMIT", "-1"));
        r.call("SET", "dest", "a string");
        assertEquals(integer(2), r.call("SINTERSTORE", "dest", "x", "y"));
        assertEquals(Set.of("3", "4"), members(r, "SMEMBERS", "dest"));
        assertEquals(integer(1), r.call("SDIFFSTORE", "dest", "y", "x", "missing2"));
        assertEquals(array("5"), r.call("SMEMBERS", "dest"));
    }

    @Test
    void storeDeletesTheDestinationOnEmptyResult() {
        r.call("SADD", "x", "1");
        r.call("SADD", "dest", "old");
        assertEquals(integer(0), r.call("SINTERSTORE", "dest", "x", "missing"));
        assertEquals(integer(0), r.call("EXISTS", "dest"));
        assertEquals(integer(1), r.call("SUNIONSTORE", "dest", "x"));
        assertEquals(integer(1), r.call("SMOVE", "x", "other", "1"));
        assertEquals(integer(0), r.call("EXISTS", "x"));
        assertEquals(integer(1), r.call("SISMEMBER", "other", "1"));
        assertEquals(integer(0), r.call("SMOVE", "x", "other", "1"));
    }

    @Test
    void wrongTypes() {
        r.call("SET", "str", "v");
        r.call("SADD", "s", "a");
        assertEquals(WRONGTYPE, r.call("SADD", "str", "a"));
        assertEquals(WRONGTYPE, r.call("SINTER", "s", "str"));
        assertEquals(WRONGTYPE, r.call("SUNION", "missing", "str"));
        assertEquals(WRONGTYPE, r.call("SMOVE", "s", "str", "a"));
        assertEquals(integer(1), r.call("SISMEMBER", "s", "a"), "a failed SMOVE moves nothing");
        assertEquals(WRONGTYPE, r.call("GET", "s"));
        assertEquals(error("ERR wrong number of arguments for 'sadd' command"), r.call("SADD", "s"));
    }

    @Test
    void bigSetSpillsIntoBuckets() {
        try (ServerFixture small = new ServerFixture(engine, dir.resolve("small"), Map.of("set-max-intset-entries", "16"));
             Wire w = small.connect()) {
            int n = 3000;
            for (int i = 0; i < n; i += 100) {
                String[] cmd = new String[102];
                cmd[0] = "SADD";
                cmd[1] = "big";
                for (int j = 0; j < 100; j++) cmd[2 + j] = "m" + (i + j);
                assertEquals(integer(100), w.call(cmd));
            }
            assertEquals(integer(n), w.call("SCARD", "big"));
            assertEquals(bulk("hashtable"), w.call("OBJECT", "ENCODING", "big"));
            for (int i = 0; i < n; i += 13) assertEquals(integer(1), w.call("SISMEMBER", "big", "m" + i));
            Set<Object> scanned = new HashSet<>();
            String cursor = "0";
            do {
                List<Object> reply = RespParser.array(w.call("SSCAN", "big", cursor, "COUNT", "40"));
                cursor = (String) reply.get(0);
                scanned.addAll((List<?>) reply.get(1));
            } while (!cursor.equals("0"));
            assertEquals(n, scanned.size());
            assertEquals(10, RespParser.array(w.call("SPOP", "big", "10")).size());
            assertEquals(integer(n - 10), w.call("SCARD", "big"));
            assertEquals(integer(n - 10), w.call("SINTERCARD", "1", "big"));
        }
    }
}
