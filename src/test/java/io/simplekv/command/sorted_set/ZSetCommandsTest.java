package io.simplekv.command.sorted_set;

import io.simplekv.support.EngineKind;
import io.simplekv.support.RespParser;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static io.simplekv.support.Resp.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sorted-set commands, replies byte for byte as redis-server 7.0.15 gave them for the same input. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class ZSetCommandsTest extends ServerTestBase {
    private static final String EMPTY = "*0\r\n";
    private static final String NULL_ARRAY = "*-1\r\n";

    @Test
    void addOptionsAndReplies() {
        assertEquals(integer(3), r.call("ZADD", "z", "1", "a", "2", "b", "3", "c"));
        assertEquals(integer(2), r.call("ZADD", "z", "CH", "5", "a", "2", "b", "7", "d"), "one added, one changed, CH counts both");
        assertEquals(integer(2), r.call("ZADD", "z", "CH", "6", "a", "2", "b", "8", "d"));
        assertEquals(integer(0), r.call("ZADD", "z", "XX", "9", "new"));
        assertEquals(NIL, r.call("ZADD", "z", "XX", "INCR", "9", "new"));
        assertEquals(NIL, r.call("ZADD", "nokey", "XX", "INCR", "9", "m"));
        assertEquals(integer(0), r.call("EXISTS", "nokey"));
        assertEquals(integer(0), r.call("ZADD", "z", "NX", "100", "a"));
        assertEquals(bulk("6"), r.call("ZSCORE", "z", "a"));
        assertEquals(integer(0), r.call("ZADD", "z", "GT", "CH", "1", "a"), "GT never lowers");
        assertEquals(integer(1), r.call("ZADD", "z", "GT", "CH", "10", "a"));
        assertEquals(integer(1), r.call("ZADD", "z", "LT", "CH", "20", "a", "1", "b"));
        assertEquals(bulk("1"), r.call("ZSCORE", "z", "b"));
        assertEquals(integer(1), r.call("ZADD", "z", "GT", "1", "fresh"), "GT still adds new members");
        assertEquals(bulk("12.5"), r.call("ZADD", "z", "INCR", "2.5", "a"));
        assertEquals(bulk("2.1000000000000001"), r.call("ZINCRBY", "z", "1.1", "b"));
        assertEquals(bulk("inf"), r.call("ZINCRBY", "z", "+inf", "x"));
        assertEquals(error("ERR resulting score is not a number (NaN)"), r.call("ZINCRBY", "z", "-inf", "x"));
        assertEquals(bulk("inf"), r.call("ZSCORE", "z", "x"));
        assertEquals(integer(1), r.call("ZADD", "z", "-0", "zero"));
        assertEquals(bulk("0"), r.call("ZSCORE", "z", "zero"), "Redis stores -0 as 0");
        assertEquals(simple("zset"), r.call("TYPE", "z"));
        assertEquals(bulk("listpack"), r.call("OBJECT", "ENCODING", "z"));
    }

    @Test
    void addErrors() {
        assertEquals(SYNTAX, r.call("ZADD", "z", "1", "a", "2"));
        assertEquals(SYNTAX, r.call("ZADD", "z", "NX", "CH"));
        assertEquals(error("ERR XX and NX options at the same time are not compatible"), r.call("ZADD", "z", "NX", "XX", "1", "a"));
        assertEquals(error("ERR GT, LT, and/or NX options at the same time are not compatible"), r.call("ZADD", "z", "GT", "LT", "1", "a"));
        assertEquals(error("ERR GT, LT, and/or NX options at the same time are not compatible"), r.call("ZADD", "z", "GT", "NX", "1", "a"));
        assertEquals(error("ERR INCR option supports a single increment-element pair"), r.call("ZADD", "z", "INCR", "1", "a", "2", "b"));
        String notFloat = error("ERR value is not a valid float");
        for (String bad : new String[] {"abc", "nan", "1e400", " 1", "1 ", ""}) {
            assertEquals(notFloat, r.call("ZADD", "z", "1", "a", bad, "b"), bad);
        }
        assertEquals(integer(0), r.call("EXISTS", "z"), "a bad score anywhere changes nothing");
        assertEquals(notFloat, r.call("ZINCRBY", "z", "x", "a"));
        assertEquals(error("ERR wrong number of arguments for 'zadd' command"), r.call("ZADD", "z", "1"));
        r.call("SET", "s", "x");
        assertEquals(WRONGTYPE, r.call("ZADD", "s", "1", "a"));
        for (String[] cmd : new String[][] {{"ZSCORE", "s", "a"}, {"ZCARD", "s"}, {"ZRANGE", "s", "0", "-1"}, {"ZRANK", "s", "a"},
                {"ZREM", "s", "a"}, {"ZPOPMIN", "s"}, {"ZCOUNT", "s", "0", "1"}, {"ZRANDMEMBER", "s"}, {"ZSCAN", "s", "0"},
                {"ZUNION", "1", "s"}, {"ZMSCORE", "s", "a"}, {"ZREMRANGEBYRANK", "s", "0", "1"}}) {
            assertEquals(WRONGTYPE, r.call(cmd), String.join(" ", cmd));
        }
    }

    @Test
    void pointReadsAndCounts() {
        r.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "3", "d");
        assertEquals("*3\r\n" + bulk("1") + NIL + bulk("3"), r.call("ZMSCORE", "z", "a", "nope", "c"));
        assertEquals("*2\r\n" + NIL + NIL, r.call("ZMSCORE", "nokey", "a", "b"));
        assertEquals(NIL, r.call("ZSCORE", "nokey", "a"));
        assertEquals(integer(4), r.call("ZCARD", "z"));
        assertEquals(integer(0), r.call("ZCARD", "nokey"));
        assertEquals(integer(4), r.call("ZCOUNT", "z", "-inf", "+inf"));
        assertEquals(integer(1), r.call("ZCOUNT", "z", "(1", "(3"));
        assertEquals(integer(2), r.call("ZCOUNT", "z", "3", "3"));
        assertEquals(integer(0), r.call("ZCOUNT", "z", "3", "1"));
        assertEquals(integer(1), r.call("ZCOUNT", "z", "(", "1"), "strtod reads an empty bound as 0, as Redis does");
        assertEquals(error("ERR min or max is not a float"), r.call("ZCOUNT", "z", "abc", "1"));
        assertEquals(integer(0), r.call("ZRANK", "z", "a"));
        assertEquals(integer(3), r.call("ZRANK", "z", "d"));
        assertEquals(integer(0), r.call("ZREVRANK", "z", "d"));
        assertEquals(NIL, r.call("ZRANK", "z", "nope"));
        assertEquals(NIL, r.call("ZRANK", "nokey", "a"));
        r.call("ZADD", "lex", "0", "a", "0", "b", "0", "c", "0", "d");
        assertEquals(integer(4), r.call("ZLEXCOUNT", "lex", "-", "+"));
        assertEquals(integer(2), r.call("ZLEXCOUNT", "lex", "[b", "(d"));
        assertEquals(integer(0), r.call("ZLEXCOUNT", "lex", "+", "-"));
        assertEquals(error("ERR min or max not valid string range item"), r.call("ZLEXCOUNT", "lex", "a", "c"));
        assertEquals(error("ERR min or max not valid string range item"), r.call("ZLEXCOUNT", "lex", "+a", "[c"));
    }

    @Test
    void rangesInEveryForm() {
        r.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        assertEquals(array("a", "b", "c", "d", "e"), r.call("ZRANGE", "z", "0", "-1"));
        assertEquals(array("d", "4", "e", "5"), r.call("ZRANGE", "z", "-2", "-1", "WITHSCORES"));
        assertEquals(EMPTY, r.call("ZRANGE", "z", "5", "1"));
        assertEquals(array("e", "d"), r.call("ZRANGE", "z", "0", "1", "REV"));
        assertEquals(array("b", "c"), r.call("ZRANGE", "z", "(1", "3", "BYSCORE"));
        assertEquals(array("c", "3", "d", "4"), r.call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "2", "WITHSCORES"));
        assertEquals(array("d", "c"), r.call("ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2"));
        assertEquals(EMPTY, r.call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"));
        assertEquals(array("b", "c", "d", "e"), r.call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "-1"));
        assertEquals(EMPTY, r.call("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "5", "1"));
        assertEquals(array("a", "b"), r.call("ZRANGEBYSCORE", "z", "-inf", "2"));
        assertEquals(array("e", "5", "d", "4"), r.call("ZREVRANGEBYSCORE", "z", "+inf", "(3", "WITHSCORES"));
        assertEquals(array("e", "d"), r.call("ZREVRANGE", "z", "0", "1"));
        r.call("ZADD", "lex", "0", "a", "0", "b", "0", "c");
        assertEquals(array("b", "c"), r.call("ZRANGE", "lex", "(a", "+", "BYLEX"));
        assertEquals(array("c", "b"), r.call("ZREVRANGEBYLEX", "lex", "+", "(a"));
        assertEquals(array("b"), r.call("ZRANGEBYLEX", "lex", "-", "+", "LIMIT", "1", "1"));
        assertEquals(EMPTY, r.call("ZRANGE", "nokey", "0", "-1"));
        assertEquals(error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"),
                r.call("ZRANGE", "z", "0", "1", "LIMIT", "0", "1"));
        assertEquals(error("ERR syntax error, WITHSCORES not supported in combination with BYLEX"),
                r.call("ZRANGE", "lex", "-", "+", "BYLEX", "WITHSCORES"));
        assertEquals(SYNTAX, r.call("ZRANGE", "z", "0", "-1", "REV", "REV"));
        assertEquals(SYNTAX, r.call("ZRANGE", "z", "0", "-1", "BYSCORE", "BYLEX"));
        assertEquals(SYNTAX, r.call("ZRANGEBYSCORE", "z", "0", "1", "BYSCORE"));
        assertEquals(SYNTAX, r.call("ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1", "REV"));
        assertEquals(NOT_INT, r.call("ZRANGE", "z", "a", "b"));
        assertEquals(error("ERR min or max is not a float"), r.call("ZRANGEBYSCORE", "z", "x", "1"));
    }

    @Test
    void rangeStoreReplacesOrDeletesTheDestination() {
        r.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        assertEquals(integer(2), r.call("ZRANGESTORE", "dst", "z", "1", "-1"));
        assertEquals(array("b", "2", "c", "3"), r.call("ZRANGE", "dst", "0", "-1", "WITHSCORES"));
        assertEquals(SYNTAX, r.call("ZRANGESTORE", "dst", "z", "0", "-1", "WITHSCORES"));
        r.call("SET", "str", "x");
        assertEquals(integer(1), r.call("ZRANGESTORE", "str", "z", "0", "0"));
        assertEquals(simple("zset"), r.call("TYPE", "str"));
        assertEquals(integer(0), r.call("ZRANGESTORE", "dst", "nokey", "0", "-1"));
        assertEquals(integer(0), r.call("EXISTS", "dst"));
    }

    @Test
    void removalsEmptyTheKey() {
        r.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        assertEquals(integer(2), r.call("ZREMRANGEBYRANK", "z", "0", "1"));
        assertEquals(integer(1), r.call("ZREMRANGEBYRANK", "z", "-1", "-1"));
        assertEquals(integer(1), r.call("ZREMRANGEBYSCORE", "z", "(3", "4"));
        assertEquals(error("ERR min or max is not a float"), r.call("ZREMRANGEBYSCORE", "z", "x", "y"));
        assertEquals(integer(1), r.call("ZREMRANGEBYLEX", "z", "-", "+"));
        assertEquals(integer(0), r.call("EXISTS", "z"));
        r.call("ZADD", "z", "1", "a", "2", "b");
        assertEquals(integer(1), r.call("ZREM", "z", "a", "nope"));
        assertEquals(integer(1), r.call("ZREM", "z", "b"));
        assertEquals(integer(0), r.call("EXISTS", "z"));
        assertEquals(integer(0), r.call("ZREM", "z", "b"));
    }

    @Test
    void pops() {
        r.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        assertEquals(array("a", "1"), r.call("ZPOPMIN", "z"));
        assertEquals(array("d", "4"), r.call("ZPOPMAX", "z"));
        assertEquals(array("b", "2", "c", "3"), r.call("ZPOPMIN", "z", "5"));
        assertEquals(integer(0), r.call("EXISTS", "z"));
        assertEquals(EMPTY, r.call("ZPOPMIN", "z"));
        assertEquals(error("ERR value is out of range, must be positive"), r.call("ZPOPMIN", "z", "-1"));
        assertEquals(error("ERR value is out of range, must be positive"), r.call("ZPOPMIN", "z", "x"));
        assertEquals(SYNTAX, r.call("ZPOPMIN", "z", "1", "2"));
        r.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        assertEquals(EMPTY, r.call("ZPOPMAX", "z", "0"));
        assertEquals("*2\r\n" + bulk("z") + "*1\r\n" + array("a", "1"), r.call("ZMPOP", "2", "nokey", "z", "MIN"));
        assertEquals("*2\r\n" + bulk("z") + "*2\r\n" + array("c", "3") + array("b", "2"),
                r.call("ZMPOP", "1", "z", "MAX", "COUNT", "10"));
        assertEquals(NULL_ARRAY, r.call("ZMPOP", "1", "z", "MIN"));
        assertEquals(error("ERR numkeys should be greater than 0"), r.call("ZMPOP", "0", "z", "MIN"));
        assertEquals(error("ERR count should be greater than 0"), r.call("ZMPOP", "1", "z", "MIN", "COUNT", "0"));
        assertEquals(SYNTAX, r.call("ZMPOP", "1", "z", "LEFT"));
    }

    @Test
    void algebraWithWeightsAndAggregates() {
        r.call("SADD", "s", "a", "b", "c");
        r.call("ZADD", "z1", "1", "a", "2", "b", "4", "d");
        r.call("ZADD", "z2", "10", "b", "20", "d", "30", "e");
        assertEquals(array("a", "1", "b", "12", "d", "24", "e", "30"), r.call("ZUNION", "2", "z1", "z2", "WITHSCORES"));
        assertEquals(array("c", "3", "a", "4", "b", "25", "d", "44", "e", "60"),
                r.call("ZUNION", "3", "z1", "z2", "s", "WEIGHTS", "1", "2", "3", "WITHSCORES"));
        assertEquals(array("a", "1", "b", "1", "c", "1", "d", "4", "e", "30"),
                r.call("ZUNION", "3", "z1", "z2", "s", "AGGREGATE", "MIN", "WITHSCORES"));
        assertEquals(array("b", "13"), r.call("ZINTER", "3", "z1", "z2", "s", "WITHSCORES"));
        assertEquals(array("a", "1"), r.call("ZDIFF", "2", "z1", "z2", "WITHSCORES"));
        assertEquals(integer(2), r.call("ZINTERSTORE", "out", "2", "z1", "z2", "WEIGHTS", "2", "3"));
        assertEquals(array("b", "34", "d", "68"), r.call("ZRANGE", "out", "0", "-1", "WITHSCORES"));
        assertEquals(integer(0), r.call("ZINTERSTORE", "out", "2", "z1", "nokey"));
        assertEquals(integer(0), r.call("EXISTS", "out"));
        assertEquals(integer(2), r.call("ZINTERCARD", "2", "z1", "z2"));
        assertEquals(integer(1), r.call("ZINTERCARD", "2", "z1", "z2", "LIMIT", "1"));
        r.call("ZADD", "inf1", "1", "a");
        r.call("ZADD", "inf2", "1", "a");
        assertEquals(array("a", "0"), r.call("ZUNION", "2", "inf1", "inf2", "WEIGHTS", "inf", "-inf", "WITHSCORES"),
                "inf + -inf is 0 by Redis's convention");
        assertEquals(error("ERR at least 1 input key is needed for 'zunion' command"), r.call("ZUNION", "0", "z1"));
        assertEquals(SYNTAX, r.call("ZUNION", "5", "z1"));
        assertEquals(SYNTAX, r.call("ZUNION", "3", "z1", "z2", "s", "WEIGHTS", "1", "2"));
        assertEquals(SYNTAX, r.call("ZUNION", "1", "z1", "AGGREGATE", "AVG"));
        assertEquals(SYNTAX, r.call("ZDIFF", "2", "z1", "z2", "WEIGHTS", "1", "2"));
        assertEquals(SYNTAX, r.call("ZUNIONSTORE", "out", "1", "z1", "WITHSCORES"));
        assertEquals(error("ERR weight value is not a float"), r.call("ZUNION", "1", "z1", "WEIGHTS", "x"));
        assertEquals(error("ERR LIMIT can't be negative"), r.call("ZINTERCARD", "1", "z1", "LIMIT", "-1"));
        assertEquals(error("ERR LIMIT can't be negative"), r.call("SINTERCARD", "1", "s", "LIMIT", "x"));
        assertTrue(r.call("COMMAND", "INFO", "ZUNIONSTORE").contains("+movablekeys"));
        assertEquals(array("out", "z1", "z2"), r.call("COMMAND", "GETKEYS", "ZUNIONSTORE", "out", "2", "z1", "z2", "WEIGHTS", "1", "2"));
        assertEquals(NOT_INT, r.call("ZUNION", "x", "z1"));
        r.call("SET", "str", "x");
        assertEquals(WRONGTYPE, r.call("ZUNION", "2", "z1", "str"));
    }

    @Test
    void randomMembersAndScan() {
        r.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        assertTrue(List.of("a", "b", "c").contains(RespParser.parse(r.call("ZRANDMEMBER", "z"))));
        assertEquals(NIL, r.call("ZRANDMEMBER", "nokey"));
        assertEquals(EMPTY, r.call("ZRANDMEMBER", "nokey", "5"));
        assertEquals(EMPTY, r.call("ZRANDMEMBER", "z", "0"));
        assertEquals(6, RespParser.array(r.call("ZRANDMEMBER", "z", "10", "WITHSCORES")).size());
        assertEquals(10, RespParser.array(r.call("ZRANDMEMBER", "z", "-10")).size());
        assertEquals(2, new java.util.HashSet<>(RespParser.array(r.call("ZRANDMEMBER", "z", "2"))).size());
        assertEquals(SYNTAX, r.call("ZRANDMEMBER", "z", "1", "SCORES"));
        assertEquals(error("ERR value is out of range"), r.call("ZRANDMEMBER", "z", "9223372036854775807", "WITHSCORES"));
        assertEquals("*2\r\n" + bulk("0") + array("a", "1", "b", "2", "c", "3"), r.call("ZSCAN", "z", "0"));
        assertEquals("*2\r\n" + bulk("0") + array("b", "2"), r.call("ZSCAN", "z", "0", "MATCH", "b*"));
        assertEquals("*2\r\n" + bulk("0") + EMPTY, r.call("ZSCAN", "nokey", "0"));
    }

    @Test
    void bigSortedSetMatchesAModel() {
        Random rnd = new Random(7);
        TreeMap<String, Double> model = new TreeMap<>();
        for (int i = 0; i < 600; i++) {
            String m = "m" + rnd.nextInt(400);
            double s = rnd.nextInt(50);
            r.call("ZADD", "big", Double.toString(s), m);
            model.put(m, s);
        }
        List<String> ordered = new ArrayList<>(model.keySet());
        ordered.sort((x, y) -> {
            int c = Double.compare(model.get(x), model.get(y));
            return c != 0 ? c : x.compareTo(y);
        });
        assertEquals(integer(model.size()), r.call("ZCARD", "big"));
        assertEquals(bulk("skiplist"), r.call("OBJECT", "ENCODING", "big"));
        assertEquals(new ArrayList<Object>(ordered), RespParser.array(r.call("ZRANGE", "big", "0", "-1")));
        for (int i = 0; i < 50; i++) {
            String m = ordered.get(rnd.nextInt(ordered.size()));
            assertEquals(integer(ordered.indexOf(m)), r.call("ZRANK", "big", m));
        }
        long below = model.values().stream().filter(s -> s < 20).count();
        assertEquals(integer(below), r.call("ZCOUNT", "big", "-inf", "(20"));
        assertEquals(integer(10), r.call("ZREMRANGEBYRANK", "big", "0", "9"));
        assertEquals(new ArrayList<Object>(ordered.subList(10, 15)), RespParser.array(r.call("ZRANGE", "big", "0", "4")));
        assertEquals(OK, r.call("RENAME", "big", "big2"));
        assertEquals(integer(1), r.call("COPY", "big2", "big3"));
        assertEquals(integer(1), r.call("EXPIRE", "big3", "1000"));
        // The copy has pages of its own: rescoring in it (a score changes in its bucket in place on the memory engine)
        // leaves big2 be.
        String moved = ordered.get(ordered.size() - 1);
        r.call("ZADD", "big3", "-1", moved);
        assertEquals(integer(0), r.call("ZRANK", "big3", moved));
        assertEquals(integer(ordered.size() - 11), r.call("ZRANK", "big2", moved));
        r.call("ZADD", "big3", Double.toString(model.get(moved)), moved);
        assertEquals(integer(1), r.call("DEL", "big2"));
        server.context().keyspace().space().reclaim();
        assertEquals(new ArrayList<Object>(ordered.subList(10, ordered.size())), RespParser.array(r.call("ZRANGE", "big3", "0", "-1")));
    }

    @Test
    void blockingPopsWaitForAnAdd() {
        r.call("ZADD", "z", "1", "a", "2", "b");
        assertEquals(array("z", "a", "1"), r.call("BZPOPMIN", "nokey", "z", "0"));
        assertEquals("*2\r\n" + bulk("z") + "*1\r\n" + array("b", "2"), r.call("BZMPOP", "0", "1", "z", "MAX"));
        assertEquals(error("ERR timeout is not a float or out of range"), r.call("BZPOPMIN", "z", "x"));
        try (Wire w1 = server.connect(); Wire w2 = server.connect()) {
            assertEquals("", w1.call("BZPOPMAX", "z", "0"));
            assertEquals("", w2.call("BZMPOP", "0", "1", "z", "MIN", "COUNT", "2"));
            assertEquals(integer(3), r.call("ZADD", "z", "1", "x", "2", "y", "3", "w"));
            assertEquals(array("z", "w", "3"), w1.received());
            assertEquals("*2\r\n" + bulk("z") + "*2\r\n" + array("x", "1") + array("y", "2"), w2.received());
            assertEquals(integer(0), r.call("EXISTS", "z"));
        }
        r.call("MULTI");
        r.call("BZPOPMIN", "z", "0");
        assertEquals("*1\r\n" + NULL_ARRAY, r.call("EXEC"), "inside EXEC an empty key answers nil at once");
    }

    @Test
    void sortTakesSortedSets() {
        r.call("ZADD", "z", "3", "c", "1", "a", "2", "b", "10", "j");
        assertEquals(array("a", "b", "c", "j"), r.call("SORT", "z", "BY", "nosort"));
        assertEquals(array("j", "c"), r.call("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "0", "2"));
        assertEquals(array("a", "b", "c", "j"), r.call("SORT", "z", "ALPHA"));
    }
}
