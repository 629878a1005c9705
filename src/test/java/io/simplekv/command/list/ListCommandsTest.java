package io.simplekv.command.list;

import io.simplekv.support.EngineKind;
import io.simplekv.support.RespParser;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static io.simplekv.support.Resp.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;

@ParameterizedClass
@EnumSource(EngineKind.class)
class ListCommandsTest extends ServerTestBase {

    @Test
    void pushPopRangeIndex() {
        assertEquals(integer(3), r.call("RPUSH", "l", "a", "b", "c"));
        assertEquals(integer(5), r.call("LPUSH", "l", "y", "z"));
        assertEquals(array("z", "y", "a", "b", "c"), r.call("LRANGE", "l", "0", "-1"));
        assertEquals(array("a", "b"), r.call("LRANGE", "l", "2", "3"));
        assertEquals("*0\r\n", r.call("LRANGE", "l", "10", "20"));
        assertEquals(bulk("c"), r.call("LINDEX", "l", "-1"));
        assertEquals(NIL, r.call("LINDEX", "l", "99"));
        assertEquals(bulk("z"), r.call("LPOP", "l"));
        assertEquals(array("c", "b"), r.call("RPOP", "l", "2"));
        assertEquals(integer(2), r.call("LLEN", "l"));
        assertEquals(simple("list"), r.call("TYPE", "l"));
        assertEquals(bulk("quicklist"), r.call("OBJECT", "ENCODING", "l"));
        assertEquals(array("y", "a"), r.call("LPOP", "l", "5"));
        assertEquals(integer(0), r.call("EXISTS", "l"), "an emptied list disappears");
        assertEquals(NIL, r.call("LPOP", "l"));
        assertEquals("*-1\r\n", r.call("LPOP", "l", "2"));
        assertEquals(integer(0), r.call("LPUSHX", "l", "x"));
    }

    @Test
    void setInsertRemTrimPos() {
        r.call("RPUSH", "l", "a", "b", "a", "c", "a");
        assertEquals(OK, r.call("LSET", "l", "1", "B"));
        assertEquals(error("ERR index out of range"), r.call("LSET", "l", "9", "x"));
        assertEquals(error("ERR no such key"), r.call("LSET", "nokey", "0", "x"));
        assertEquals(integer(6), r.call("LINSERT", "l", "BEFORE", "c", "before-c"));
        assertEquals(integer(-1), r.call("LINSERT", "l", "AFTER", "nothere", "x"));
        assertEquals(integer(0), r.call("LINSERT", "nokey", "AFTER", "a", "x"));
        assertEquals(SYNTAX, r.call("LINSERT", "l", "MIDDLE", "a", "x"));
        assertEquals(integer(1), r.call("LPOS", "l", "B"));
        assertEquals(integer(4), r.call("LPOS", "l", "c"));
        assertEquals(array(), r.call("LPOS", "l", "zz", "COUNT", "0"));
        assertEquals("*3\r\n:0\r\n:2\r\n:5\r\n", r.call("LPOS", "l", "a", "COUNT", "0"));
        assertEquals(integer(5), r.call("LPOS", "l", "a", "RANK", "-1"));
        assertEquals(integer(2), r.call("LREM", "l", "-2", "a"));
        assertEquals(array("a", "B", "before-c", "c"), r.call("LRANGE", "l", "0", "-1"));
        assertEquals(OK, r.call("LTRIM", "l", "1", "-2"));
        assertEquals(array("B", "before-c"), r.call("LRANGE", "l", "0", "-1"));
        assertEquals(OK, r.call("LTRIM", "l", "5", "10"));
        assertEquals(integer(0), r.call("EXISTS", "l"));
    }

    @Test
    void moveAndMpop() {
        r.call("RPUSH", "src", "1", "2", "3");
        assertEquals(bulk("3"), r.call("RPOPLPUSH", "src", "dst"));
        assertEquals(bulk("1"), r.call("LMOVE", "src", "dst", "LEFT", "RIGHT"));
        assertEquals(array("3", "1"), r.call("LRANGE", "dst", "0", "-1"));
        assertEquals(NIL, r.call("LMOVE", "nokey", "dst", "LEFT", "LEFT"));
        r.call("SET", "str", "x");
        assertEquals(WRONGTYPE, r.call("LMOVE", "src", "str", "LEFT", "LEFT"));
        assertEquals(array("2"), r.call("LRANGE", "src", "0", "-1"), "a refused move moves nothing");
        assertEquals("*2\r\n$3\r\ndst\r\n*2\r\n$1\r\n3\r\n$1\r\n1\r\n", r.call("LMPOP", "2", "nokey", "dst", "LEFT", "COUNT", "5"));
        assertEquals("*-1\r\n", r.call("LMPOP", "1", "nokey", "LEFT"));
        assertEquals(error("ERR numkeys should be greater than 0"), r.call("LMPOP", "0", "src", "LEFT"));
        assertEquals(error("ERR count should be greater than 0"), r.call("LMPOP", "1", "src", "LEFT", "COUNT", "0"));
        assertEquals(WRONGTYPE, r.call("LPUSH", "str", "x"));
        assertEquals(error("ERR wrong number of arguments for 'lpop' command"), r.call("LPOP", "src", "1", "1"));
        assertEquals(error("ERR value is out of range, must be positive"), r.call("LPOP", "src", "-1"));
    }

    /**
     * Pushes and pops at the ends edit a page's bytes in place of decoding it: filling pages, adding pages at
     * either end, and draining the list page by page from both ends must keep the chain's links right.
     */
    @Test
    void pagedListFilledAndDrainedFromBothEndsMatchesAModel() {
        LinkedList<String> model = new LinkedList<>();
        Random rnd = new Random(11);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 700; i++) {
                String v = "r" + round + "-" + i + "-" + "x".repeat(rnd.nextInt(3) * 70);
                if (rnd.nextInt(3) == 0) {
                    r.call("LPUSH", "p", v);
                    model.addFirst(v);
                } else {
                    r.call("RPUSH", "p", v);
                    model.addLast(v);
                }
            }
            assertEquals(new ArrayList<Object>(model), RespParser.array(r.call("LRANGE", "p", "0", "-1")));
            int keep = round == 2 ? 0 : 150;
            while (model.size() > keep) {
                if (rnd.nextBoolean()) assertEquals(bulk(model.removeFirst()), r.call("LPOP", "p"));
                else assertEquals(bulk(model.removeLast()), r.call("RPOP", "p"));
                if (model.size() % 97 == 0 && !model.isEmpty()) {
                    assertEquals(bulk(model.get(model.size() / 2)), r.call("LINDEX", "p", Integer.toString(model.size() / 2)));
                }
            }
        }
        assertEquals(integer(0), r.call("EXISTS", "p"));
    }

    /** A long list lives in linked pages; every operation must agree with a plain in-memory model. */
    @Test
    void longListMatchesAModelUnderRandomOperations() {
        LinkedList<String> model = new LinkedList<>();
        Random rnd = new Random(7);
        for (int i = 0; i < 3000; i++) {
            String v = "v" + i;
            if (rnd.nextBoolean()) {
                r.call("LPUSH", "big", v);
                model.addFirst(v);
            } else {
                r.call("RPUSH", "big", v);
                model.addLast(v);
            }
        }
        for (int step = 0; step < 600; step++) {
            int op = rnd.nextInt(6);
            if (op == 0 && !model.isEmpty()) {
                assertEquals(bulk(model.removeFirst()), r.call("LPOP", "big"));
            } else if (op == 1 && !model.isEmpty()) {
                assertEquals(bulk(model.removeLast()), r.call("RPOP", "big"));
            } else if (op == 2 && !model.isEmpty()) {
                int i = rnd.nextInt(model.size());
                assertEquals(bulk(model.get(i)), r.call("LINDEX", "big", Integer.toString(i)));
            } else if (op == 3 && !model.isEmpty()) {
                int i = rnd.nextInt(model.size());
                model.set(i, "set" + step);
                assertEquals(OK, r.call("LSET", "big", Integer.toString(i), "set" + step));
            } else if (op == 4) {
                r.call("RPUSH", "big", "r" + step);
                model.addLast("r" + step);
            } else if (!model.isEmpty()) {
                int a = rnd.nextInt(model.size()), b = Math.min(model.size() - 1, a + rnd.nextInt(200));
                List<Object> got = RespParser.array(r.call("LRANGE", "big", Integer.toString(a), Integer.toString(b)));
                assertEquals(new ArrayList<Object>(model.subList(a, b + 1)), got);
            }
        }
        assertEquals(integer(model.size()), r.call("LLEN", "big"));
        assertEquals(new ArrayList<Object>(model), RespParser.array(r.call("LRANGE", "big", "0", "-1")));
        // LPOS reads every element of the paged list (ListTable.all) and finds the last one at its place.
        String last = model.get(model.size() - 1);
        assertEquals(integer(model.lastIndexOf(last)), r.call("LPOS", "big", last, "RANK", "-1"));
        assertEquals(OK, r.call("LTRIM", "big", "100", "199"));
        assertEquals(new ArrayList<Object>(model.subList(100, 200)), RespParser.array(r.call("LRANGE", "big", "0", "-1")));
        assertEquals(OK, r.call("RENAME", "big", "big2"));
        assertEquals(integer(1), r.call("COPY", "big2", "big3"));
        assertEquals(integer(1), r.call("DEL", "big2"));
        server.context().keyspace().space().reclaim();
        assertEquals(new ArrayList<Object>(model.subList(100, 200)), RespParser.array(r.call("LRANGE", "big3", "0", "-1")));
    }
}
