package io.simplekv.command.generic;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** SORT and SORT_RO; expected replies taken from redis-server 7.0.15. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class SortCommandTest extends ServerTestBase {

    @Test
    void sortsNumericallyAlphabeticallyAndWithLimit() {
        r.call("RPUSH", "l", "3", "10", "1", "2.5", "-1");
        assertEquals(array("-1", "1", "2.5", "3", "10"), r.call("SORT", "l"));
        assertEquals(array("10", "3", "2.5", "1", "-1"), r.call("SORT", "l", "DESC"));
        assertEquals(array("-1", "1", "10", "2.5", "3"), r.call("SORT", "l", "ALPHA"));
        assertEquals(array("1", "2.5"), r.call("SORT", "l", "LIMIT", "1", "2"));
        assertEquals(array(), r.call("SORT", "l", "LIMIT", "10", "2"));
        assertEquals(array("-1", "1", "2.5", "3", "10"), r.call("SORT", "l", "LIMIT", "-5", "-1"));
        assertEquals(array("3", "10", "1", "2.5", "-1"), r.call("SORT", "l", "BY", "nosort"), "a constant BY keeps list order");
        assertEquals(array("-1", "2.5"), r.call("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "0", "2"));
        assertEquals(array(), r.call("SORT", "missing"));
        r.call("SADD", "s", "b", "a", "c");
        assertEquals(array("a", "b", "c"), r.call("SORT", "s", "ALPHA"));
        assertEquals(array("a", "b", "c"), r.call("SORT_RO", "s", "ALPHA"));
        r.call("RPUSH", "same", "2", "1", "01");
        assertEquals(array("01", "1", "2"), r.call("SORT", "same"), "equal scores fall back to bytes");
    }

    @Test
    void byAndGetPatterns() {
        r.call("RPUSH", "ids", "1", "2", "3");
        r.call("MSET", "w_1", "30", "w_2", "10", "w_3", "20", "name_1", "one", "name_3", "three");
        r.call("HSET", "h_1", "f", "c");
        r.call("HSET", "h_2", "f", "a");
        assertEquals(array("2", "3", "1"), r.call("SORT", "ids", "BY", "w_*"));
        assertEquals(array("one", null, "three"), r.call("SORT", "ids", "GET", "name_*"));
        assertEquals(array("2", "10", "3", "20", "1", "30"), r.call("SORT", "ids", "BY", "w_*", "GET", "#", "GET", "w_*"));
        assertEquals(array("3", "2", "1"), r.call("SORT", "ids", "BY", "h_*->f", "ALPHA"), "a missing weight sorts first");
        assertEquals(array("c", "a", null), r.call("SORT", "ids", "GET", "h_*->f"));
        assertEquals(array(null, null, null), r.call("SORT", "ids", "GET", "h_*->"), "a pattern ending in -> names a string key");
    }

    @Test
    void storeWritesAListAndRemovesTheDestinationWhenEmpty() {
        r.call("RPUSH", "l", "2", "1");
        r.call("SET", "dst", "old");
        assertEquals(integer(2), r.call("SORT", "l", "STORE", "dst"));
        assertEquals(array("1", "2"), r.call("LRANGE", "dst", "0", "-1"));
        assertEquals(integer(0), r.call("SORT", "missing", "STORE", "dst"));
        assertEquals(integer(0), r.call("EXISTS", "dst"));
        assertEquals(integer(2), r.call("SORT", "l", "GET", "nothing_*", "STORE", "dst"));
        assertEquals(array("", ""), r.call("LRANGE", "dst", "0", "-1"), "a missing GET stores an empty string");
        assertEquals(array("l", "dst"), r.call("COMMAND", "GETKEYS", "SORT", "l", "LIMIT", "0", "1", "STORE", "dst"));
    }

    @Test
    void errors() {
        r.call("RPUSH", "l", "1", "x");
        assertEquals(error("ERR One or more scores can't be converted into double"), r.call("SORT", "l"));
        assertEquals(SYNTAX, r.call("SORT", "l", "ALPHA", "SIDEWAYS"));
        assertEquals(SYNTAX, r.call("SORT_RO", "l", "STORE", "d"));
        assertEquals(NOT_INT, r.call("SORT", "l", "LIMIT", "a", "1"));
        r.call("SET", "str", "v");
        assertEquals(WRONGTYPE, r.call("SORT", "str"));
        r.call("HSET", "h", "f", "v");
        assertEquals(WRONGTYPE, r.call("SORT", "h"));
        assertEquals(error("ERR wrong number of arguments for 'sort' command"), r.call("SORT"));
    }
}
