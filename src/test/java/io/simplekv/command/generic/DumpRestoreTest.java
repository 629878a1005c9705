package io.simplekv.command.generic;

import io.simplekv.rdb.RdbWriter;
import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DUMP and RESTORE. The hex payloads were DUMPed by redis-server 7.0.15 (Debian) from the values named beside them,
 * in each encoding Redis 7.0 picks: integer and LZF strings, a quicklist of listpacks, an intset, listpack hashes and
 * sorted sets, and the plain hash, set and ZSET_2 encodings of big ones.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class DumpRestoreTest extends ServerTestBase {
    private static final String OK = "+OK\r\n";
    private static final String BAD_FORMAT = error("ERR Bad data format");

    private String restore(String key, String hexPayload, String... options) {
        byte[][] args = new byte[4 + options.length][];
        args[0] = bytes("RESTORE");
        args[1] = bytes(key);
        args[2] = bytes("0");
        args[3] = HexFormat.of().parseHex(hexPayload);
        for (int i = 0; i < options.length; i++) args[4 + i] = bytes(options[i]);
        return r.call(args);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The bytes of a bulk reply ($n\r\n...\r\n), as sent back in RESTORE. */
    private static byte[] payload(String reply) {
        int start = reply.indexOf("\r\n") + 2;
        return bytes(reply.substring(start, reply.length() - 2));
    }

    @Test
    void redisPayloadsOfEveryEncodingRestoreHere() {
        assertEquals(OK, restore("str", "000568656c6c6f0a006372df766534200a"));
        assertEquals(bulk("hello"), r.call("GET", "str"));
        assertEquals(OK, restore("int", "00c139300a009d94ea2793fc08b9"));
        assertEquals(bulk("12345"), r.call("GET", "int"));
        assertEquals(OK, restore("neg", "00c0f90a005e26d130d7a242ab"));
        assertEquals(bulk("-7"), r.call("GET", "neg"));
        assertEquals(OK, restore("long", "00c3094064017878e057000178780a005db7f663bb08625f"));
        assertEquals(bulk("x".repeat(100)), r.call("GET", "long"));
        assertEquals(OK, restore("list", "120102212100000006008161028162020101df3802f270110104f4ffe30b5402"
                + "00000009ff0a00e7c62c3b54e80bf9"));
        assertEquals("*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\n1\r\n$4\r\n-200\r\n$5\r\n70000\r\n$10\r\n9999999999\r\n",
                r.call("LRANGE", "list", "0", "-1"));
        assertEquals(OK, restore("iset", "0b180400000004000000fdffffff0100000002000000a08601000a00e56f68d5ee10feb5"));
        assertEquals("*4\r\n$2\r\n-3\r\n$1\r\n1\r\n$1\r\n2\r\n$6\r\n100000\r\n", r.call("SORT", "iset"));
        assertEquals(OK, restore("set", "02030162016301610a00b294da2e4ecda6fc"));
        assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", r.call("SORT", "set", "ALPHA"));
        assertEquals(OK, restore("zset", "111a1a0000000600816202dffe0281610283312e35048163020301ff0a00e5c16814373f6b4e"));
        assertEquals("*6\r\n$1\r\nb\r\n$2\r\n-2\r\n$1\r\na\r\n$3\r\n1.5\r\n$1\r\nc\r\n$1\r\n3\r\n",
                r.call("ZRANGE", "zset", "0", "-1", "WITHSCORES"));
        assertEquals(OK, restore("hash", "10151500000004008266310382763103826632031601ff0a00794ee62e9c48a90c"));
        assertEquals(bulk("22"), r.call("HGET", "hash", "f2"));
        assertEquals(OK, restore("bighash", "040201670177016601760a004a88c4610eed3c4e"));
        assertEquals(bulk("w"), r.call("HGET", "bighash", "g"));
        assertEquals(OK, restore("bigzset", "05020162000000000000f07f0161000000000000f83f0a001343ce1a14f007a4"));
        assertEquals(bulk("inf"), r.call("ZSCORE", "bigzset", "b"));
        assertEquals(OK, restore("bigiset", "0201c0050a00be47598348cbd488"));
        assertEquals(integer(1), r.call("SISMEMBER", "bigiset", "5"));
    }

    /**
     * rdbSaveRawString as redis-server 7.0.15 writes it: a short integer as an integer (the payload is Redis's, byte
     * for byte), a string over 20 bytes as LZF while rdbcompression is yes, plainly after CONFIG SET it to no.
     */
    @Test
    void dumpEncodesStringsAsRedisDoes() {
        r.call("SET", "int", "12345");
        assertEquals("00c139300a009d94ea2793fc08b9", hex(payload(r.call("DUMP", "int"))));
        r.call("SET", "plus", "+12345");
        assertEquals("0006", hex(payload(r.call("DUMP", "plus"))).substring(0, 4), "not canonical: a plain string");
        r.call("SET", "long", "x".repeat(100));
        byte[] lzf = payload(r.call("DUMP", "long"));
        assertEquals("00c3", hex(lzf).substring(0, 4));
        assertTrue(lzf.length < 30, hex(lzf));
        assertEquals(OK, r.call(bytes("RESTORE"), bytes("again"), bytes("0"), lzf));
        assertEquals(bulk("x".repeat(100)), r.call("GET", "again"));
        r.call("SET", "twenty", "x".repeat(20));
        assertEquals("0014", hex(payload(r.call("DUMP", "twenty"))).substring(0, 4), "20 bytes: never compressed");
        assertEquals(OK, r.call("CONFIG", "SET", "rdbcompression", "no"));
        assertEquals("004064", hex(payload(r.call("DUMP", "long"))).substring(0, 6));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void everyTypeRoundTripsThroughItsOwnDump() {
        r.call("SET", "s", "v");
        for (int i = 0; i < 600; i++) { // past every listpack limit, so the paged tables are dumped too
            r.call("RPUSH", "l", "e" + i);
            r.call("SADD", "set", "m" + i);
            r.call("HSET", "h", "f" + i, "v" + i);
            r.call("ZADD", "z", Integer.toString(i), "m" + i);
        }
        for (String key : new String[] {"s", "l", "set", "h", "z"}) {
            String before = describe(key);
            byte[] dumped = payload(r.call("DUMP", key));
            assertEquals(OK, r.call(bytes("RESTORE"), bytes(key), bytes("0"), dumped, bytes("REPLACE")));
            assertEquals(before, describe(key), key);
            assertEquals(OK, r.call(bytes("RESTORE"), bytes(key + "2"), bytes("0"), dumped));
            assertEquals(before, describe(key + "2"), key);
        }
    }

    private String describe(String key) {
        return switch (r.call("TYPE", key)) {
            case "+string\r\n" -> r.call("GET", key);
            case "+list\r\n" -> r.call("LRANGE", key, "0", "-1");
            case "+set\r\n" -> r.call("SORT", key, "ALPHA");
            case "+hash\r\n" -> r.call("HLEN", key) + r.call("HGET", key, "f599");
            default -> r.call("ZRANGE", key, "0", "-1", "WITHSCORES");
        };
    }

    @Test
    void ttlIsRelativeUnlessAbsttlAndAPastOneOnlyDeletes() {
        String dumped = r.call("SET", "k", "v") + r.call("DUMP", "k");
        byte[] p = payload(dumped.substring(OK.length()));
        assertEquals(OK, r.call(bytes("RESTORE"), bytes("t"), bytes("100000"), p));
        long pttl = Long.parseLong(r.call("PTTL", "t").substring(1).trim());
        assertTrue(pttl > 90_000 && pttl <= 100_000, "PTTL " + pttl);
        assertEquals(OK, r.call(bytes("RESTORE"), bytes("k"), bytes("1000"), p, bytes("REPLACE"), bytes("ABSTTL")));
        assertEquals(integer(0), r.call("EXISTS", "k"), "an absolute TTL in the past: the key is only deleted");
        assertEquals(OK, r.call(bytes("RESTORE"), bytes("i"), bytes("0"), p, bytes("IDLETIME"), bytes("10")));
        assertEquals(integer(-1), r.call("TTL", "i"));
        assertEquals(error("BUSYKEY Target key name already exists."), r.call(bytes("RESTORE"), bytes("i"), bytes("0"), p));
    }

    @Test
    void corruptPayloadsAreRefusedWithoutAllocatingWhatTheyClaim() {
        // Valid footers (version 10, CRC-64) around bad bodies, made by DumpPayload's own footer writer.
        assertEquals(BAD_FORMAT, restore("e", withFooter("0100")), "an empty list");
        assertEquals(BAD_FORMAT, restore("e", withFooter("020201610161")), "a duplicate set member");
        assertEquals(BAD_FORMAT, restore("e", withFooter("01810000000100000000")), "a count past the payload");
        assertEquals(BAD_FORMAT, restore("e", withFooter("00c3018fffffff00")), "an LZF string claiming 2 GB");
        assertEquals(BAD_FORMAT, restore("e", withFooter("100a0a0000000100810000ff")), "a listpack entry past its end");
        assertEquals(BAD_FORMAT, restore("e", withFooter("13")), "a truncated stream");
        assertEquals(BAD_FORMAT, restore("e", withFooter("1300000101000001010101026765000081ffffffffffffffff0100000000000000"
                + "0100000000000000010000000000000000010000")), "a pending entry no consumer owns");
        assertEquals(BAD_FORMAT, restore("e", withFooter("7f00")), "an unknown type");
        assertEquals(integer(0), r.call("EXISTS", "e"));
        assertEquals(error("ERR DUMP payload version or checksum are wrong"), restore("e", "0001610b00ffffffffffffffff"));
    }

    private static String withFooter(String hexBody) {
        return HexFormat.of().formatHex(new RdbWriter().raw(HexFormat.of().parseHex(hexBody)).withFooter());
    }

    @Test
    void streamsRestoreFromRedisAndRoundTripWithTheirGroups() {
        // XADD k 1-1 a b, and an emptied stream with a group whose entries-read is unknown (UINT64_MAX).
        assertEquals(OK, restore("one", "130110000000000000000100000000000000011d1d0000000a00010100010101816102"
                + "00010201000100018162020401ff0101010101000001000a006f4334ecd7fa5aec"));
        assertEquals("*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n", r.call("XRANGE", "one", "-", "+"));
        assertEquals(OK, restore("empty", "1300000101000001010101026765000081ffffffffffffffff00000a00dbd7ae72cc7f1a5b"));
        assertEquals(integer(0), r.call("XLEN", "empty"));
        assertTrue(r.call("XINFO", "GROUPS", "empty").contains("$2\r\nge\r\n"));

        for (int i = 1; i <= 250; i++) r.call("XADD", "s", i + "-" + (i % 3), i % 7 == 0 ? "other" : "f", "v" + i);
        r.call("XDEL", "s", "14-2");
        r.call("XGROUP", "CREATE", "s", "g", "0");
        r.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "4", "STREAMS", "s", ">");
        r.call("XGROUP", "CREATECONSUMER", "s", "g", "bob");
        String range = r.call("XRANGE", "s", "-", "+");
        String pending = r.call("XPENDING", "s", "g");
        String info = r.call("XINFO", "STREAM", "s");
        byte[] dumped = payload(r.call("DUMP", "s"));
        assertEquals(OK, r.call(bytes("RESTORE"), bytes("copy"), bytes("0"), dumped));
        assertEquals(range, r.call("XRANGE", "copy", "-", "+"));
        assertEquals(pending, r.call("XPENDING", "copy", "g"));
        assertEquals(info, r.call("XINFO", "STREAM", "copy"));
        // Consumers by name, without their idle times (which move on between the two calls).
        assertEquals(r.call("XINFO", "CONSUMERS", "s", "g").replaceAll(":[0-9]+", ""),
                r.call("XINFO", "CONSUMERS", "copy", "g").replaceAll(":[0-9]+", ""));
    }

    /** MIGRATE's refusals before it connects anywhere, in Redis's words (the exchange itself: MigrateIT). */
    @Test
    void migrateRefusesBadRequestsBeforeConnecting() {
        r.call("SET", "k", "v");
        assertEquals(error("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string"),
                r.call("MIGRATE", "127.0.0.1", "1", "k", "0", "100", "KEYS", "k"));
        assertEquals(SYNTAX, r.call("MIGRATE", "127.0.0.1", "1", "k", "0", "100", "NOPE"));
        assertEquals(SYNTAX, r.call("MIGRATE", "127.0.0.1", "1", "k", "0", "100", "AUTH"));
        assertEquals(error("IOERR error or timeout writing to target instance"),
                awaited(r.call("MIGRATE", "127.0.0.1", "port", "k", "0", "100")));
        assertEquals(error("IOERR error or timeout writing to target instance"),
                awaited(r.call("MIGRATE", "127.0.0.1", "1", "k", "0", "100")), "refused, as Redis's non-blocking connect reports it");
        assertEquals(NOT_INT, r.call("MIGRATE", "127.0.0.1", "1", "k", "db", "100"));
        assertEquals("+NOKEY\r\n", r.call("MIGRATE", "127.0.0.1", "1", "missing", "0", "100"));
        assertEquals(error("ERR wrong number of arguments for 'migrate' command"), r.call("MIGRATE", "127.0.0.1", "1", "k", "0"));
    }

    /** MIGRATE's reply comes from its exchange off the event loop: waits (a bounded while) for it. */
    private String awaited(String reply) {
        long deadline = System.currentTimeMillis() + 5000;
        while (reply.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            reply = r.received();
        }
        return reply;
    }
}
