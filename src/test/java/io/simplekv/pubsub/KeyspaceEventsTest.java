package io.simplekv.pubsub;

import io.simplekv.config.ConfigException;
import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@ParameterizedClass
@EnumSource(EngineKind.class)
class KeyspaceEventsTest extends ServerTestBase {

    private static String pmessage(String pattern, String channel, String message) {
        return "*4\r\n$8\r\npmessage\r\n$" + pattern.length() + "\r\n" + pattern + "\r\n$" + channel.length() + "\r\n"
                + channel + "\r\n$" + message.length() + "\r\n" + message + "\r\n";
    }

    @Test
    void flagsParseAndReadBackInRedisSpelling() {
        assertEquals("AK", KeyspaceEvents.canonical("KA"));
        assertEquals("g$KE", KeyspaceEvents.canonical("E$gK"));
        assertEquals("", KeyspaceEvents.canonical(""));
        assertThrows(ConfigException.class, () -> KeyspaceEvents.parse("Kq"));
        assertEquals(OK, r.call("CONFIG", "SET", "notify-keyspace-events", "KA"));
        assertEquals("*2\r\n$22\r\nnotify-keyspace-events\r\n$2\r\nAK\r\n", r.call("CONFIG", "GET", "notify-keyspace-events"));
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
                + "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."), r.call("CONFIG", "SET", "notify-keyspace-events", "Kq"));
    }

    @Test
    void writesPublishKeyspaceAndKeyeventMessages() {
        try (Wire sub = server.connect()) {
            sub.call("PSUBSCRIBE", "__key*");
            assertEquals(OK, r.call("CONFIG", "SET", "notify-keyspace-events", "KEA"));
            r.call("SET", "foo", "bar");
            assertEquals(pmessage("__key*", "__keyspace@0__:foo", "set") + pmessage("__key*", "__keyevent@0__:set", "foo"),
                    sub.received());
            r.call("RPUSH", "l", "a");
            r.call("LPOP", "l");
            assertEquals(pmessage("__key*", "__keyspace@0__:l", "rpush") + pmessage("__key*", "__keyevent@0__:rpush", "l")
                    + pmessage("__key*", "__keyspace@0__:l", "lpop") + pmessage("__key*", "__keyevent@0__:lpop", "l")
                    + pmessage("__key*", "__keyspace@0__:l", "del") + pmessage("__key*", "__keyevent@0__:del", "l"),
                    sub.received());
            r.call("CONFIG", "SET", "notify-keyspace-events", "");
            r.call("SET", "quiet", "1");
            assertEquals("", sub.received(), "off means off");
        }
    }

    @Test
    void theNewClassReportsKeysAWriteCreates() {
        try (Wire sub = server.connect()) {
            sub.call("PSUBSCRIBE", "*");
            assertEquals(OK, r.call("CONFIG", "SET", "notify-keyspace-events", "En"));
            r.call("SET", "foo", "bar");
            r.call("SET", "foo", "baz");
            r.call("HSET", "h", "f", "v");
            r.call("HSET", "h", "g", "v");
            r.call("RPUSH", "l", "a");
            r.call("SADD", "s", "m");
            r.call("SET", "e", "1", "PX", "1");
            assertEquals(pmessage("*", "__keyevent@0__:new", "foo") + pmessage("*", "__keyevent@0__:new", "h")
                    + pmessage("*", "__keyevent@0__:new", "l") + pmessage("*", "__keyevent@0__:new", "s")
                    + pmessage("*", "__keyevent@0__:new", "e"), sub.received(), "a second write to a key is not new");
            r.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            r.call("SET", "other", "x");
            assertEquals(pmessage("*", "__keyspace@0__:other", "set") + pmessage("*", "__keyevent@0__:set", "other"),
                    sub.received(), "'A' does not include 'n', as in Redis");
        }
    }

    /** The bitmap commands notify as Redis does: setbit (SETBIT, BITFIELD) only when a bit changed, set/del (BITOP). */
    @Test
    void bitmapCommandsNotifyTheirChanges() {
        try (Wire sub = server.connect()) {
            sub.call("PSUBSCRIBE", "__keyevent*");
            assertEquals(OK, r.call("CONFIG", "SET", "notify-keyspace-events", "E$g"));
            r.call("SETBIT", "b", "3", "1");
            r.call("SETBIT", "b", "3", "1");
            r.call("BITFIELD", "b", "SET", "u4", "0", "2");
            r.call("BITFIELD", "b", "SET", "u4", "0", "2");
            r.call("BITFIELD", "b", "GET", "u4", "0");
            r.call("BITOP", "NOT", "dest", "b");
            r.call("BITOP", "AND", "dest", "nothing");
            r.call("BITOP", "AND", "dest", "nothing");
            assertEquals(pmessage("__keyevent*", "__keyevent@0__:setbit", "b")
                    + pmessage("__keyevent*", "__keyevent@0__:setbit", "b")
                    + pmessage("__keyevent*", "__keyevent@0__:set", "dest")
                    + pmessage("__keyevent*", "__keyevent@0__:del", "dest"), sub.received());
        }
    }

    /** rdb_changes_since_last_save counts changes, as Redis's dirty does: a SETBIT that changes nothing adds none. */
    @Test
    void onlyRealChangesCountAsDirty() {
        r.call("SETBIT", "b", "0", "0");
        long before = dirty();
        r.call("SETBIT", "b", "0", "0");
        r.call("BITFIELD", "b", "SET", "i5", "0", "0");
        r.call("SADD", "s", "a");
        long afterCreate = dirty();
        r.call("SADD", "s", "a");
        assertEquals(before + 1, afterCreate);
        assertEquals(afterCreate, dirty());
        r.call("SETBIT", "b", "90", "0");
        assertEquals(afterCreate + 1, dirty(), "growing the string is a change");
    }

    private long dirty() {
        String info = r.call("INFO", "persistence");
        int at = info.indexOf("rdb_changes_since_last_save:");
        return Long.parseLong(info.substring(at + 28, info.indexOf('\r', at)));
    }
}
