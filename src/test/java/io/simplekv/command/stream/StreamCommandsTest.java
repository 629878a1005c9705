package io.simplekv.command.stream;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static io.simplekv.support.Resp.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID and the generic commands on streams, on both engines. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class StreamCommandsTest extends ServerTestBase {
    static final String INVALID_ID = error("ERR Invalid stream ID specified as stream command argument");
    static final String NOT_ABOVE = error("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    static final String NULL_ARRAY = "*-1\r\n";

    /** One entry as Redis replies with it: [id, [field, value...]]. */
    static String entry(String id, String... fields) {
        return "*2\r\n" + bulk(id) + array(fields);
    }

    static String entries(String... entries) {
        return "*" + entries.length + "\r\n" + String.join("", entries);
    }

    @Test
    void xaddWithExplicitAndPartialIds() {
        assertEquals(bulk("1-1"), r.call("XADD", "s", "1-1", "a", "1"));
        assertEquals(bulk("1-2"), r.call("XADD", "s", "1-*", "b", "2"));
        assertEquals(bulk("2-0"), r.call("XADD", "s", "2-*", "c", "3"));
        assertEquals(bulk("3-0"), r.call("XADD", "s", "3", "d", "4"));
        assertEquals(NOT_ABOVE, r.call("XADD", "s", "3-0", "x", "y"));
        assertEquals(NOT_ABOVE, r.call("XADD", "s", "2-*", "x", "y"));
        assertEquals(NOT_ABOVE, r.call("XADD", "s", "1", "x", "y"));
        assertEquals(integer(4), r.call("XLEN", "s"));
        String auto = r.call("XADD", "s", "*", "e", "5");
        assertTrue(auto.matches("\\$\\d+\r\n\\d{13}-0\r\n"), auto);
        assertEquals(simple("stream"), r.call("TYPE", "s"));
        assertEquals(bulk("stream"), r.call("OBJECT", "ENCODING", "s"));
    }

    @Test
    void xaddErrors() {
        assertEquals(error("ERR The ID specified in XADD must be greater than 0-0"), r.call("XADD", "s", "0-0", "a", "1"));
        assertEquals(integer(0), r.call("EXISTS", "s"), "a refused 0-0 makes no key");
        assertEquals(bulk("0-1"), r.call("XADD", "s", "0-*", "a", "1"));
        assertEquals(error("ERR wrong number of arguments for 'xadd' command"), r.call("XADD", "s", "*", "a"));
        assertEquals(error("ERR wrong number of arguments for 'xadd' command"), r.call("XADD", "s", "*", "a", "1", "b"));
        assertEquals(error("ERR wrong number of arguments for 'xadd' command"), r.call("XADD", "s", "MAXLEN", "5"));
        assertEquals(INVALID_ID, r.call("XADD", "s", "abc", "a", "1"));
        assertEquals(INVALID_ID, r.call("XADD", "s", "-", "a", "1"));
        assertEquals(INVALID_ID, r.call("XADD", "s", "+", "a", "1"));
        assertEquals(INVALID_ID, r.call("XADD", "s", "1-", "a", "1"));
        assertEquals(INVALID_ID, r.call("XADD", "s", "-1", "a", "1"));
        assertEquals(INVALID_ID, r.call("XADD", "s", "18446744073709551616-0", "a", "1"));
        assertEquals(INVALID_ID, r.call("XADD", "s", "*-1", "a", "1"));
        assertEquals(NOT_INT, r.call("XADD", "s", "MAXLEN", "x", "*", "a", "1"));
        assertEquals(error("ERR The MAXLEN argument must be >= 0."), r.call("XADD", "s", "MAXLEN", "-1", "*", "a", "1"));
        assertEquals(error("ERR The LIMIT argument must be >= 0."), r.call("XADD", "s", "MAXLEN", "~", "1", "LIMIT", "-1", "*", "a", "1"));
        assertEquals(error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible"),
                r.call("XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "a", "1"));
        assertEquals(error("ERR syntax error, LIMIT cannot be used without the special ~ option"),
                r.call("XADD", "s", "MAXLEN", "1", "LIMIT", "10", "*", "a", "1"));
        assertEquals(error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"),
                r.call("XADD", "s", "LIMIT", "10", "*", "a", "1"));
        r.call("SET", "str", "x");
        assertEquals(WRONGTYPE, r.call("XADD", "str", "*", "a", "1"));
        assertEquals(WRONGTYPE, r.call("XLEN", "str"));
        assertEquals(NIL, r.call("XADD", "none", "NOMKSTREAM", "*", "a", "1"));
        assertEquals(integer(0), r.call("EXISTS", "none"));
        assertEquals(error("ERR wrong number of arguments for 'xlen' command"), r.call("XLEN"));
    }

    @Test
    void idsAtTheTopOfTheRange() {
        assertEquals(bulk("18446744073709551615-18446744073709551614"),
                r.call("XADD", "s", "18446744073709551615-18446744073709551614", "a", "1"));
        assertEquals(bulk("18446744073709551615-18446744073709551615"), r.call("XADD", "s", "18446744073709551615-*", "a", "1"));
        assertEquals(error("ERR The stream has exhausted the last possible ID, unable to add more items"),
                r.call("XADD", "s", "*", "a", "1"));
        r.call("XADD", "t", "5-18446744073709551615", "a", "1");
        assertEquals(error("ERR Elements are too large to be stored"), r.call("XADD", "t", "5-*", "a", "1"),
                "Redis's reply when the sequence can't grow: its errno isn't EDOM there");
        String next = r.call("XADD", "t", "*", "a", "1");
        assertTrue(next.matches("\\$\\d+\r\n\\d{13}-0\r\n"), "the clock is past 5 ms: " + next);
    }

    @Test
    void rangesBothWaysWithExclusiveBoundsAndCount() {
        for (int i = 1; i <= 5; i++) r.call("XADD", "s", i + "-1", "f", "v" + i);
        assertEquals(entries(entry("1-1", "f", "v1"), entry("2-1", "f", "v2"), entry("3-1", "f", "v3"),
                entry("4-1", "f", "v4"), entry("5-1", "f", "v5")), r.call("XRANGE", "s", "-", "+"));
        assertEquals(entries(entry("2-1", "f", "v2"), entry("3-1", "f", "v3")), r.call("XRANGE", "s", "2", "3"));
        assertEquals(entries(entry("3-1", "f", "v3")), r.call("XRANGE", "s", "(2-1", "(4-1"));
        assertEquals(entries(entry("5-1", "f", "v5"), entry("4-1", "f", "v4")), r.call("XREVRANGE", "s", "+", "-", "COUNT", "2"));
        assertEquals(entries(entry("4-1", "f", "v4"), entry("3-1", "f", "v3")), r.call("XREVRANGE", "s", "(5-1", "3"));
        assertEquals(NULL_ARRAY, r.call("XRANGE", "s", "-", "+", "COUNT", "0"));
        assertEquals(NULL_ARRAY, r.call("XRANGE", "s", "-", "+", "COUNT", "-3"));
        assertEquals("*0\r\n", r.call("XRANGE", "missing", "-", "+", "COUNT", "0"));
        assertEquals("*0\r\n", r.call("XRANGE", "s", "4", "2"));
        assertEquals(error("ERR invalid start ID for the interval"), r.call("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"));
        assertEquals(error("ERR invalid end ID for the interval"), r.call("XRANGE", "s", "-", "(0-0"));
        assertEquals(INVALID_ID, r.call("XRANGE", "s", "(-", "+"));
        assertEquals(INVALID_ID, r.call("XRANGE", "s", "x", "+"));
        assertEquals(SYNTAX, r.call("XRANGE", "s", "-", "+", "COUNT"));
        assertEquals(SYNTAX, r.call("XRANGE", "s", "-", "+", "LIMIT", "1"));
        assertEquals(NOT_INT, r.call("XRANGE", "s", "-", "+", "COUNT", "x"));
        r.call("SET", "str", "x");
        assertEquals(WRONGTYPE, r.call("XRANGE", "str", "-", "+"));
        assertEquals(WRONGTYPE, r.call("XREVRANGE", "str", "+", "-"));
    }

    @Test
    void xdelKeepsFirstIdMaxDeletedAndAnEmptyStream() {
        for (int i = 1; i <= 3; i++) r.call("XADD", "s", i + "-0", "f", "v");
        assertEquals(INVALID_ID, r.call("XDEL", "s", "1-0", "bad"));
        assertEquals(integer(3), r.call("XLEN", "s"), "a bad id deletes nothing");
        assertEquals(integer(2), r.call("XDEL", "s", "1-0", "3-0", "3-0", "9-0"));
        assertEquals(entries(entry("2-0", "f", "v")), r.call("XRANGE", "s", "-", "+"));
        assertEquals(integer(1), r.call("XDEL", "s", "2-0"));
        assertEquals(integer(0), r.call("XLEN", "s"));
        assertEquals(integer(1), r.call("EXISTS", "s"), "an emptied stream stays");
        assertEquals(NOT_ABOVE, r.call("XADD", "s", "3-0", "f", "v"));
        assertEquals(bulk("4-0"), r.call("XADD", "s", "4-0", "f", "v"));
        assertEquals(integer(0), r.call("XDEL", "missing", "1-0"));
        assertEquals(integer(0), r.call("XDEL", "missing", "bad"), "a missing key answers before the ids are read");
    }

    @Test
    void xtrimByLengthAndId() {
        for (int i = 1; i <= 10; i++) r.call("XADD", "s", i + "-0", "f", "v");
        assertEquals(integer(3), r.call("XTRIM", "s", "MAXLEN", "7"));
        assertEquals(integer(0), r.call("XTRIM", "s", "MAXLEN", "~", "2"), "no whole page to drop");
        assertEquals(integer(2), r.call("XTRIM", "s", "MINID", "=", "6"));
        assertEquals(entries(entry("6-0", "f", "v")), r.call("XRANGE", "s", "-", "+", "COUNT", "1"));
        assertEquals(integer(0), r.call("XTRIM", "missing", "MAXLEN", "1"));
        assertEquals(error("ERR syntax error, XTRIM must be called with a trimming strategy"), r.call("XTRIM", "s", "LIMIT", "0"));
        assertEquals(error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"),
                r.call("XTRIM", "s", "LIMIT", "1"));
        assertEquals(SYNTAX, r.call("XTRIM", "s", "MAXLEN", "1", "BOGUS"));
        assertEquals(SYNTAX, r.call("XTRIM", "s", "NOMKSTREAM", "MAXLEN", "1"));
        assertEquals(integer(5), r.call("XTRIM", "s", "MAXLEN", "0"));
        assertEquals(integer(0), r.call("XLEN", "s"));
        assertEquals(bulk("11-0"), r.call("XADD", "s", "MAXLEN", "1", "11-0", "f", "v"));
    }

    @Test
    void approximateTrimDropsWholePages() {
        r.call("CONFIG", "SET", "stream-node-max-entries", "10");
        for (int i = 1; i <= 35; i++) r.call("XADD", "s", i + "-0", "f", "v");
        assertEquals(integer(20), r.call("XTRIM", "s", "MAXLEN", "~", "12"));
        assertEquals(integer(15), r.call("XLEN", "s"));
        assertEquals(integer(0), r.call("XTRIM", "s", "MAXLEN", "~", "10", "LIMIT", "5"), "a page is more than the limit");
        assertEquals(integer(10), r.call("XTRIM", "s", "MINID", "~", "35", "LIMIT", "10"));
        assertEquals(entries(entry("31-0", "f", "v")), r.call("XRANGE", "s", "-", "+", "COUNT", "1"));
        assertEquals(bulk("36-0"), r.call("XADD", "s", "MAXLEN", "~", "1", "36-0", "f", "v"));
        assertEquals(integer(6), r.call("XLEN", "s"));
    }

    @Test
    void xsetid() {
        r.call("XADD", "s", "5-0", "f", "v");
        assertEquals(error("ERR The ID specified in XSETID is smaller than the target stream top item"), r.call("XSETID", "s", "4-0"));
        assertEquals(OK, r.call("XSETID", "s", "10-0", "ENTRIESADDED", "7", "MAXDELETEDID", "6-0"));
        assertEquals(NOT_ABOVE, r.call("XADD", "s", "10-0", "f", "v"));
        assertEquals(bulk("10-1"), r.call("XADD", "s", "10-*", "f", "v"));
        assertEquals(error("ERR The entries_added specified in XSETID is smaller than the target stream length"),
                r.call("XSETID", "s", "20-0", "ENTRIESADDED", "1"));
        assertEquals(error("ERR entries_added must be positive"), r.call("XSETID", "s", "20-0", "ENTRIESADDED", "-1"));
        assertEquals(error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"),
                r.call("XSETID", "s", "20-0", "MAXDELETEDID", "21-0"));
        assertEquals(SYNTAX, r.call("XSETID", "s", "20-0", "BOGUS"));
        assertEquals(INVALID_ID, r.call("XSETID", "s", "+"));
        assertEquals(error("ERR no such key"), r.call("XSETID", "missing", "1-0"));
        r.call("SET", "str", "x");
        assertEquals(WRONGTYPE, r.call("XSETID", "str", "1-0"));
    }

    @Test
    void xreadFromSeveralStreams() {
        r.call("XADD", "a", "1-0", "f", "1");
        r.call("XADD", "a", "2-0", "f", "2");
        r.call("XADD", "b", "3-0", "g", "3");
        assertEquals("*2\r\n*2\r\n" + bulk("a") + entries(entry("2-0", "f", "2"))
                        + "*2\r\n" + bulk("b") + entries(entry("3-0", "g", "3")),
                r.call("XREAD", "COUNT", "5", "STREAMS", "a", "b", "1-0", "0"));
        assertEquals("*1\r\n*2\r\n" + bulk("a") + entries(entry("1-0", "f", "1")),
                r.call("XREAD", "COUNT", "1", "STREAMS", "a", "missing", "0", "0"));
        assertEquals(NULL_ARRAY, r.call("XREAD", "STREAMS", "a", "b", "$", "$"));
        r.call("HELLO", "3");
        assertEquals("%1\r\n" + bulk("b") + entries(entry("3-0", "g", "3")), r.call("XREAD", "STREAMS", "a", "b", "2", "0"));
        assertEquals("_\r\n", r.call("XREAD", "STREAMS", "a", "2"));
    }

    @Test
    void xreadErrors() {
        assertEquals(SYNTAX, r.call("XREAD", "COUNT", "1", "a", "0"));
        assertEquals(error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."),
                r.call("XREAD", "STREAMS", "a", "b", "0"));
        assertEquals(error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."),
                r.call("XREAD", "GROUP", "g", "c", "STREAMS", "a", "0"));
        assertEquals(error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."),
                r.call("XREAD", "NOACK", "STREAMS", "a", "0"));
        assertEquals(error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."),
                r.call("XREAD", "STREAMS", "a", ">"));
        assertEquals(error("ERR timeout is negative"), r.call("XREAD", "BLOCK", "-1", "STREAMS", "a", "0"));
        assertEquals(error("ERR timeout is not an integer or out of range"), r.call("XREAD", "BLOCK", "1.5", "STREAMS", "a", "0"));
        assertEquals(NOT_INT, r.call("XREAD", "COUNT", "x", "STREAMS", "a", "0"));
        assertEquals(INVALID_ID, r.call("XREAD", "STREAMS", "a", "-"));
        r.call("SET", "str", "x");
        assertEquals(WRONGTYPE, r.call("XREAD", "STREAMS", "str", "0"));
        String fromScript = r.call("EVAL", "return redis.call('xread','BLOCK','0','STREAMS','a','0')", "0");
        assertTrue(fromScript.startsWith("-ERR xread command is not allowed with BLOCK option from scripts"), fromScript);
    }

    @Test
    void everyStreamCommandChecksItsArity() {
        String[][] tooShort = {{"XADD", "s", "*"}, {"XLEN"}, {"XRANGE", "s", "-"}, {"XREVRANGE", "s", "+"}, {"XDEL", "s"},
                {"XTRIM", "s", "MAXLEN"}, {"XSETID", "s"}, {"XREAD", "STREAMS"}, {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s"},
                {"XACK", "s", "g"}, {"XPENDING", "s"}, {"XCLAIM", "s", "g", "c", "0"}, {"XAUTOCLAIM", "s", "g", "c", "0"}};
        for (String[] call : tooShort) {
            assertEquals(error("ERR wrong number of arguments for '" + call[0].toLowerCase() + "' command"), r.call(call),
                    String.join(" ", call));
        }
        assertEquals(error("ERR wrong number of arguments for 'xgroup|create' command"), r.call("XGROUP", "CREATE", "s", "g"));
        assertEquals(error("ERR wrong number of arguments for 'xinfo|stream' command"), r.call("XINFO", "STREAM"));
        assertEquals(error("ERR wrong number of arguments for 'xinfo|groups' command"), r.call("XINFO", "GROUPS", "s", "x"));
    }

    @Test
    void memoryUsageOfAStreamCountsItsPages() {
        for (int i = 1; i <= 300; i++) r.call("XADD", "s", i + "-0", "field", "value-" + i);
        String usage = r.call("MEMORY", "USAGE", "s");
        assertTrue(usage.startsWith(":") && Long.parseLong(usage.substring(1).trim()) > 300 * 10, usage);
    }

    @Test
    void genericCommandsKnowStreams() {
        r.call("XADD", "s", "1-0", "f", "v");
        assertEquals("*2\r\n" + bulk("0") + array("s"), r.call("SCAN", "0", "TYPE", "stream"));
        assertEquals("*2\r\n" + bulk("0") + "*0\r\n", r.call("SCAN", "0", "TYPE", "list"));
        assertEquals(integer(1), r.call("COPY", "s", "c"));
        assertEquals(OK, r.call("RENAME", "s", "t"));
        assertEquals(entries(entry("1-0", "f", "v")), r.call("XRANGE", "t", "-", "+"));
        assertEquals(integer(1), r.call("EXPIRE", "t", "100"));
        assertEquals(integer(100), r.call("TTL", "t"));
        assertEquals(bulk("2-0"), r.call("XADD", "t", "2-0", "f", "v"));
        assertEquals(integer(100), r.call("TTL", "t"), "XADD keeps the TTL");
        assertEquals(integer(1), r.call("MOVE", "c", "1"));
        r.call("SELECT", "1");
        assertEquals(entries(entry("1-0", "f", "v")), r.call("XRANGE", "c", "-", "+"));
        assertEquals(integer(1), r.call("DEL", "c"));
        r.call("SELECT", "0");
        assertEquals(integer(1), r.call("UNLINK", "t"));
        assertEquals(integer(0), r.call("EXISTS", "t"));
        r.call("LPUSH", "x", "1");
        assertEquals(WRONGTYPE, r.call("XLEN", "x"));
    }
}
