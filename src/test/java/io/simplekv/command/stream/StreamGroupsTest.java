package io.simplekv.command.stream;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.command.stream.StreamCommandsTest.INVALID_ID;
import static io.simplekv.command.stream.StreamCommandsTest.NULL_ARRAY;
import static io.simplekv.command.stream.StreamCommandsTest.entries;
import static io.simplekv.command.stream.StreamCommandsTest.entry;
import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM and XINFO on groups, on both engines. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class StreamGroupsTest extends ServerTestBase {
    private void fill(String key, int n) {
        for (int i = 1; i <= n; i++) r.call("XADD", key, i + "-0", "f", "v" + i);
    }

    private static String read(String key, String... entries) {
        return "*1\r\n*2\r\n" + bulk(key) + entries(entries);
    }

    @Test
    void xgroupCreateAndErrors() {
        assertEquals(error("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to "
                + "use the MKSTREAM option to create an empty stream automatically."), r.call("XGROUP", "CREATE", "s", "g", "$"));
        assertEquals(OK, r.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"));
        assertEquals(integer(0), r.call("XLEN", "s"));
        assertEquals(error("BUSYGROUP Consumer Group name already exists"), r.call("XGROUP", "CREATE", "s", "g", "0"));
        assertEquals(error("ERR value for ENTRIESREAD must be positive or -1"),
                r.call("XGROUP", "CREATE", "s", "h", "0", "ENTRIESREAD", "-2"));
        assertEquals(error("ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP."),
                r.call("XGROUP", "CREATE", "s", "h", "0", "BOGUS"));
        assertEquals(error("NOGROUP No such consumer group 'x' for key name 's'"), r.call("XGROUP", "SETID", "s", "x", "0"));
        assertEquals(INVALID_ID, r.call("XGROUP", "CREATE", "s", "h", "bad"));
        assertEquals(integer(1), r.call("XGROUP", "CREATECONSUMER", "s", "g", "alice"));
        assertEquals(integer(0), r.call("XGROUP", "CREATECONSUMER", "s", "g", "alice"));
        assertEquals(integer(0), r.call("XGROUP", "DELCONSUMER", "s", "g", "bob"));
        assertEquals(integer(0), r.call("XGROUP", "DELCONSUMER", "s", "g", "alice"));
        assertEquals(integer(0), r.call("XGROUP", "DESTROY", "s", "nope"));
        assertEquals(integer(1), r.call("XGROUP", "DESTROY", "s", "g"));
        r.call("SET", "str", "x");
        assertEquals(WRONGTYPE, r.call("XGROUP", "CREATE", "str", "g", "$", "MKSTREAM"));
    }

    @Test
    void readAckAndPending() {
        fill("s", 3);
        r.call("XGROUP", "CREATE", "s", "g", "0");
        assertEquals(read("s", entry("1-0", "f", "v1"), entry("2-0", "f", "v2")),
                r.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"));
        assertEquals(read("s", entry("3-0", "f", "v3")), r.call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"));
        assertEquals(NULL_ARRAY, r.call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"));
        // History: alice's own pending entries after the given ID.
        assertEquals(read("s", entry("2-0", "f", "v2")), r.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "1-0"));
        String summary = r.call("XPENDING", "s", "g");
        assertEquals("*4\r\n" + integer(3) + bulk("1-0") + bulk("3-0")
                + "*2\r\n" + array("alice", "2") + array("bob", "1"), summary);
        assertEquals(integer(1), r.call("XACK", "s", "g", "1-0", "9-0"));
        assertEquals(integer(0), r.call("XACK", "s", "g", "1-0"));
        assertEquals(INVALID_ID, r.call("XACK", "s", "g", "2-0", "bad"));
        assertEquals(integer(0), r.call("XACK", "s", "nogroup", "2-0"));
        String ext = r.call("XPENDING", "s", "g", "-", "+", "10");
        assertTrue(ext.startsWith("*2\r\n*4\r\n" + bulk("2-0") + bulk("alice")), ext);
        assertTrue(ext.contains(bulk("3-0") + bulk("bob")), ext);
        assertEquals("*0\r\n", r.call("XPENDING", "s", "g", "-", "+", "10", "nobody"));
        assertEquals(error("NOGROUP No such key 's' or consumer group 'x'"), r.call("XPENDING", "s", "x"));
        assertEquals(SYNTAX, r.call("XPENDING", "s", "g", "-", "+"));
        assertEquals(integer(2), r.call("XACK", "s", "g", "2-0", "3-0"));
        assertEquals("*4\r\n" + integer(0) + NIL + NIL + NULL_ARRAY, r.call("XPENDING", "s", "g"));
    }

    @Test
    void xreadgroupErrors() {
        fill("s", 1);
        assertEquals(error("ERR Missing GROUP option for XREADGROUP"), r.call("XREADGROUP", "COUNT", "1", "NOACK", "STREAMS", "s", ">"));
        assertEquals(error("NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option"),
                r.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"));
        r.call("XGROUP", "CREATE", "s", "g", "0");
        assertTrue(r.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$").startsWith("-ERR The $ ID is meaningless"));
    }

    @Test
    void noAckMovesTheGroupWithoutPending() {
        fill("s", 2);
        r.call("XGROUP", "CREATE", "s", "g", "0");
        r.call("XREADGROUP", "GROUP", "g", "c", "NOACK", "STREAMS", "s", ">");
        assertTrue(r.call("XPENDING", "s", "g").startsWith("*4\r\n:0\r\n"));
        String groups = r.call("XINFO", "GROUPS", "s");
        assertTrue(groups.contains(bulk("last-delivered-id") + bulk("2-0")), groups);
        assertTrue(groups.contains(bulk("entries-read") + integer(2) + bulk("lag") + integer(0)), groups);
    }

    @Test
    void claimAndAutoclaim() {
        fill("s", 3);
        r.call("XGROUP", "CREATE", "s", "g", "0");
        r.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
        assertEquals(entries(entry("1-0", "f", "v1")), r.call("XCLAIM", "s", "g", "bob", "0", "1-0"));
        assertEquals(array("2-0"), r.call("XCLAIM", "s", "g", "bob", "0", "2-0", "JUSTID", "RETRYCOUNT", "7"));
        assertEquals("*0\r\n", r.call("XCLAIM", "s", "g", "bob", "3600000", "3-0"));
        assertEquals(error("ERR Unrecognized XCLAIM option 'BOGUS'"), r.call("XCLAIM", "s", "g", "bob", "0", "3-0", "BOGUS"));
        assertEquals(error("ERR Invalid min-idle-time argument for XCLAIM"), r.call("XCLAIM", "s", "g", "bob", "x", "3-0"));
        String pending = r.call("XPENDING", "s", "g", "-", "+", "10", "bob");
        assertTrue(pending.contains(bulk("2-0") + bulk("bob")) && pending.contains(integer(7)), pending);
        r.call("XDEL", "s", "3-0");
        assertEquals("*3\r\n" + bulk("0-0") + array("1-0", "2-0") + array("3-0"),
                r.call("XAUTOCLAIM", "s", "g", "carol", "0", "-", "JUSTID"));
        assertEquals(error("ERR COUNT must be > 0"), r.call("XAUTOCLAIM", "s", "g", "carol", "0", "-", "COUNT", "0"));
        assertEquals("*3\r\n" + bulk("2-0") + entries(entry("1-0", "f", "v1")) + "*0\r\n",
                r.call("XAUTOCLAIM", "s", "g", "dave", "0", "-", "COUNT", "1"));
        String consumers = r.call("XINFO", "CONSUMERS", "s", "g");
        assertTrue(consumers.startsWith("*4\r\n"), consumers);
        assertEquals(integer(1), r.call("XGROUP", "DELCONSUMER", "s", "g", "carol"));
        assertEquals("*4\r\n" + integer(1) + bulk("1-0") + bulk("1-0") + "*1\r\n" + array("dave", "1"), r.call("XPENDING", "s", "g"));
    }

    private long changesSinceSave() {
        String info = r.call("INFO", "persistence");
        int at = info.indexOf("rdb_changes_since_last_save:") + "rdb_changes_since_last_save:".length();
        return Long.parseLong(info.substring(at, info.indexOf('\r', at)));
    }

    /** A group's progress is a change to persist (Redis's dirty counter), though it signals no key (no WATCH). */
    @Test
    void groupChangesCountAsChangesButTouchNoWatch() {
        fill("s", 2);
        r.call("XGROUP", "CREATE", "s", "g", "0");
        r.call("WATCH", "s");
        long before = changesSinceSave();
        r.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
        r.call("XACK", "s", "g", "1-0");
        r.call("XSETID", "s", "9-0");
        assertTrue(changesSinceSave() >= before + 3, before + " -> " + changesSinceSave());
        r.call("MULTI");
        r.call("XLEN", "s");
        assertEquals("*1\r\n" + integer(2), r.call("EXEC"), "XREADGROUP, XACK and XSETID leave WATCH alone");
    }

    @Test
    void groupsSurviveCopyAndGoWithTheStream() {
        fill("s", 2);
        r.call("XGROUP", "CREATE", "s", "g", "0");
        r.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
        assertEquals(integer(1), r.call("COPY", "s", "t"));
        assertEquals(integer(1), r.call("XACK", "t", "g", "1-0"));
        assertTrue(r.call("XPENDING", "s", "g").startsWith("*4\r\n:2\r\n"), "the copy has its own pending list");
        assertTrue(r.call("XPENDING", "t", "g").startsWith("*4\r\n:1\r\n"));
        assertEquals(integer(2), r.call("DEL", "s", "t"));
        server.context().keyspace().space().reclaim();
        assertEquals(0, server.context().keyspace().space().pending());
    }

    @Test
    void xinfoStreamAndFull() {
        fill("s", 2);
        r.call("XGROUP", "CREATE", "s", "g", "0");
        String info = r.call("XINFO", "STREAM", "s");
        assertTrue(info.startsWith("*20\r\n" + bulk("length") + integer(2)), info);
        assertTrue(info.contains(bulk("groups") + integer(1)), info);
        assertTrue(info.endsWith(bulk("last-entry") + entry("2-0", "f", "v2")), info);
        String full = r.call("XINFO", "STREAM", "s", "FULL", "COUNT", "1");
        assertTrue(full.contains(bulk("entries") + entries(entry("1-0", "f", "v1"))), full);
        assertEquals(error("ERR no such key"), r.call("XINFO", "STREAM", "missing"));
        assertEquals(error("ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."),
                r.call("XINFO", "STREAM", "s", "PARTIAL"));
        assertEquals(error("NOGROUP No such consumer group 'x' for key name 's'"), r.call("XINFO", "CONSUMERS", "s", "x"));
    }
}
