package io.simplekv.command.bitmap;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected replies were taken from redis-server 7.0.15 given the same commands. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class BitCommandsTest extends ServerTestBase {

    static final String BAD_OFFSET = error("ERR bit offset is not an integer or out of range");
    static final String BAD_BIT = error("ERR bit is not an integer or out of range");
    static final String BAD_TYPE = error(
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");

    /** Sends each argument as ISO-8859-1, so "\u00ff" arrives as the single byte 0xff. */
    private String call(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) bytes[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        return r.call(bytes);
    }

    /** A bulk reply holding these bytes (one char per byte). */
    private static String bin(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    /** An array of already-encoded replies. */
    private static String arr(String... items) {
        return "*" + items.length + "\r\n" + String.join("", items);
    }

    private static String ints(long... values) {
        StringBuilder b = new StringBuilder("*").append(values.length).append("\r\n");
        for (long v : values) b.append(integer(v));
        return b.toString();
    }

    // ---- SETBIT / GETBIT -------------------------------------------------------------------------------------

    @Test
    void setbitAndGetbit() {
        assertEquals(integer(0), r.call("SETBIT", "k", "1", "1"));
        assertEquals(integer(0), r.call("SETBIT", "k", "7", "1"));
        assertEquals(bulk("A"), r.call("GET", "k"));
        assertEquals(integer(1), r.call("SETBIT", "k", "7", "0"));
        assertEquals(integer(0), r.call("SETBIT", "k", "7", "0"));
        assertEquals(bulk("@"), r.call("GET", "k"));
        // Growing pads with zero bytes.
        assertEquals(integer(0), r.call("SETBIT", "k", "23", "1"));
        assertEquals(bin("@\0\1"), r.call("GET", "k"));
        assertEquals(integer(1), r.call("GETBIT", "k", "1"));
        assertEquals(integer(0), r.call("GETBIT", "k", "2"));
        assertEquals(integer(1), r.call("GETBIT", "k", "23"));
        assertEquals(integer(0), r.call("GETBIT", "k", "24"));
        assertEquals(integer(0), r.call("GETBIT", "k", "4294967295"));
        assertEquals(integer(0), r.call("GETBIT", "missing", "0"));
        // A bit SETBIT already holds still creates the key.
        assertEquals(integer(0), r.call("SETBIT", "zero", "8", "0"));
        assertEquals(bin("\0\0"), r.call("GET", "zero"));
    }

    @Test
    void getbitReadsIntegerValuesAsText() {
        r.call("SET", "i", "12345");
        assertEquals(integer(0), r.call("GETBIT", "i", "0"));
        assertEquals(integer(1), r.call("GETBIT", "i", "2"));
        assertEquals(integer(1), r.call("GETBIT", "i", "3"));
        assertEquals(integer(17), r.call("BITCOUNT", "i"));
    }

    @Test
    void setbitKeepsTtlAndMakesTheStringRaw() {
        r.call("SET", "k", "x", "EX", "100");
        assertEquals(integer(0), r.call("SETBIT", "k", "0", "1"));
        assertEquals(integer(100), r.call("TTL", "k"));
        assertEquals(bin("\u00f8"), call("GET", "k"));
        assertEquals(bulk("raw"), r.call("OBJECT", "ENCODING", "k"));
        // Even a SETBIT that changes nothing unshares the value, as in Redis.
        r.call("SET", "i", "12345");
        assertEquals(integer(0), r.call("SETBIT", "i", "0", "0"));
        assertEquals(bulk("raw"), r.call("OBJECT", "ENCODING", "i"));
        assertEquals(bulk("12345"), r.call("GET", "i"));
        r.call("SET", "e", "short");
        r.call("SETBIT", "e", "0", "0");
        assertEquals(bulk("raw"), r.call("OBJECT", "ENCODING", "e"));
    }

    @Test
    void setbitAndGetbitErrors() {
        assertEquals(BAD_OFFSET, r.call("SETBIT", "k", "-1", "1"));
        assertEquals(BAD_OFFSET, r.call("SETBIT", "k", "4294967296", "1"));
        assertEquals(BAD_OFFSET, r.call("SETBIT", "k", "x", "1"));
        assertEquals(BAD_OFFSET, r.call("SETBIT", "k", "x", "x"));
        assertEquals(BAD_OFFSET, r.call("SETBIT", "k", "#1", "1"));
        assertEquals(BAD_BIT, r.call("SETBIT", "k", "0", "2"));
        assertEquals(BAD_BIT, r.call("SETBIT", "k", "0", "-1"));
        assertEquals(BAD_BIT, r.call("SETBIT", "k", "0", "x"));
        assertEquals(BAD_BIT, r.call("SETBIT", "k", "0", "01"));
        assertEquals(BAD_BIT, r.call("SETBIT", "k", "0", "-0"));
        assertEquals(BAD_OFFSET, r.call("GETBIT", "k", "-1"));
        assertEquals(BAD_OFFSET, r.call("GETBIT", "k", "4294967296"));
        assertEquals(BAD_OFFSET, r.call("GETBIT", "k", "1.5"));
        assertEquals(integer(0), r.call("EXISTS", "k"));
        putHash("h");
        assertEquals(WRONGTYPE, r.call("SETBIT", "h", "0", "1"));
        assertEquals(WRONGTYPE, r.call("GETBIT", "h", "0"));
        // Arguments are checked before the key's type.
        assertEquals(BAD_OFFSET, r.call("SETBIT", "h", "x", "1"));
        assertEquals(BAD_BIT, r.call("SETBIT", "h", "0", "5"));
        assertEquals(BAD_OFFSET, r.call("GETBIT", "h", "x"));
    }

    @Test
    void bitOffsetsFollowProtoMaxBulkLen() {
        assertEquals(OK, r.call("CONFIG", "SET", "proto-max-bulk-len", "1mb"));
        assertEquals(integer(0), r.call("SETBIT", "k", "8388607", "1"));
        assertEquals(integer(1048576), r.call("STRLEN", "k"));
        assertEquals(BAD_OFFSET, r.call("SETBIT", "k", "8388608", "1"));
        assertEquals(BAD_OFFSET, r.call("GETBIT", "k", "8388608"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "k", "GET", "u8", "8388608"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "k", "GET", "u8", "#1048576"));
        // A field may start on the last allowed byte and run past it, as in Redis.
        assertEquals(ints(128), r.call("BITFIELD", "k", "SET", "u8", "8388607", "1"));
        assertEquals(integer(1048577), r.call("STRLEN", "k"));
    }

    // ---- BITCOUNT --------------------------------------------------------------------------------------------

    @Test
    void bitcount() {
        r.call("SET", "s", "foobar");
        assertEquals(integer(26), r.call("BITCOUNT", "s"));
        assertEquals(integer(4), r.call("BITCOUNT", "s", "0", "0"));
        assertEquals(integer(6), r.call("BITCOUNT", "s", "1", "1"));
        assertEquals(integer(6), r.call("BITCOUNT", "s", "1", "1", "BYTE"));
        assertEquals(integer(4), r.call("BITCOUNT", "s", "-1", "-1"));
        assertEquals(integer(15), r.call("BITCOUNT", "s", "-5", "-3"));
        assertEquals(integer(4), r.call("BITCOUNT", "s", "0", "-100"));
        assertEquals(integer(26), r.call("BITCOUNT", "s", "-100", "100"));
        assertEquals(integer(0), r.call("BITCOUNT", "s", "6", "10"));
        assertEquals(integer(0), r.call("BITCOUNT", "s", "3", "1"));
        assertEquals(integer(0), r.call("BITCOUNT", "missing"));
        r.call("SET", "empty", "");
        assertEquals(integer(0), r.call("BITCOUNT", "empty"));
        assertEquals(integer(0), r.call("BITCOUNT", "empty", "0", "-1"));
        assertEquals(integer(0), r.call("BITCOUNT", "empty", "0", "-1", "BIT"));
    }

    @Test
    void bitcountInBits() {
        r.call("SET", "s", "foobar");
        assertEquals(integer(17), r.call("BITCOUNT", "s", "5", "30", "BIT"));
        assertEquals(integer(26), r.call("BITCOUNT", "s", "0", "-1", "bit"));
        assertEquals(integer(1), r.call("BITCOUNT", "s", "-3", "-1", "bit"));
        assertEquals(integer(0), r.call("BITCOUNT", "s", "47", "47", "bit"));
        assertEquals(integer(0), r.call("BITCOUNT", "s", "48", "100", "bit"));
        assertEquals(integer(1), r.call("BITCOUNT", "s", "1", "1", "bit"));
        assertEquals(integer(2), r.call("BITCOUNT", "s", "1", "3", "bit"));
        // Within one byte, across two, and over whole words in the middle.
        call("SET", "ones", "\u00ff".repeat(40));
        assertEquals(integer(3), r.call("BITCOUNT", "ones", "2", "4", "BIT"));
        assertEquals(integer(6), r.call("BITCOUNT", "ones", "5", "10", "BIT"));
        assertEquals(integer(300), r.call("BITCOUNT", "ones", "3", "302", "BIT"));
        assertEquals(integer(320), r.call("BITCOUNT", "ones"));
    }

    @Test
    void bitcountErrors() {
        r.call("SET", "s", "foobar");
        assertEquals(SYNTAX, r.call("BITCOUNT", "s", "1"));
        assertEquals(SYNTAX, r.call("BITCOUNT", "s", "1", "2", "3"));
        assertEquals(SYNTAX, r.call("BITCOUNT", "s", "1", "2", "BIT", "extra"));
        assertEquals(SYNTAX, r.call("BITCOUNT", "s", "1", "2", "foo"));
        assertEquals(NOT_INT, r.call("BITCOUNT", "s", "a", "1"));
        assertEquals(NOT_INT, r.call("BITCOUNT", "s", "1", "a"));
        assertEquals(NOT_INT, r.call("BITCOUNT", "s", "1", "x", "foo"));
        // An empty negative range answers before the unit is looked at.
        assertEquals(integer(0), r.call("BITCOUNT", "s", "-3", "-5", "foo"));
        // A missing key answers 0 before any argument is parsed.
        assertEquals(integer(0), r.call("BITCOUNT", "missing", "a", "b"));
        assertEquals(integer(0), r.call("BITCOUNT", "missing", "1"));
        assertEquals(integer(0), r.call("BITCOUNT", "missing", "1", "2", "3", "4"));
        putHash("h");
        assertEquals(WRONGTYPE, r.call("BITCOUNT", "h"));
        assertEquals(WRONGTYPE, r.call("BITCOUNT", "h", "1"));
    }

    // ---- BITPOS ----------------------------------------------------------------------------------------------

    @Test
    void bitpos() {
        call("SET", "ff", "\u00ff\u00f0\0");
        assertEquals(integer(12), r.call("BITPOS", "ff", "0"));
        assertEquals(integer(0), r.call("BITPOS", "ff", "1"));
        assertEquals(integer(-1), r.call("BITPOS", "ff", "1", "2"));
        assertEquals(integer(-1), r.call("BITPOS", "ff", "1", "2", "-1"));
        assertEquals(integer(-1), r.call("BITPOS", "ff", "0", "0", "0"));
        assertEquals(integer(12), r.call("BITPOS", "ff", "0", "-100"));
        assertEquals(integer(12), r.call("BITPOS", "ff", "0", "1", "2", "BYTE"));
        assertEquals(integer(-1), r.call("BITPOS", "ff", "0", "5"));
        assertEquals(integer(-1), r.call("BITPOS", "ff", "1", "5"));
        assertEquals(integer(-1), r.call("BITPOS", "ff", "0", "1", "0"));
        // A missing key is all zeros; an empty string has no bits at all.
        assertEquals(integer(0), r.call("BITPOS", "missing", "0"));
        assertEquals(integer(-1), r.call("BITPOS", "missing", "1"));
        assertEquals(integer(0), r.call("BITPOS", "missing", "0", "a"));
        r.call("SET", "empty", "");
        assertEquals(integer(-1), r.call("BITPOS", "empty", "0"));
        assertEquals(integer(-1), r.call("BITPOS", "empty", "1"));
    }

    @Test
    void bitposForClearBitsDependsOnAnExplicitEnd() {
        call("SET", "all", "\u00ff\u00ff");
        assertEquals(integer(16), r.call("BITPOS", "all", "0"));
        assertEquals(integer(16), r.call("BITPOS", "all", "0", "0"));
        assertEquals(integer(-1), r.call("BITPOS", "all", "0", "0", "-1"));
        assertEquals(integer(-1), r.call("BITPOS", "all", "0", "0", "15", "BIT"));
        call("SET", "zero", "\0\0");
        assertEquals(integer(-1), r.call("BITPOS", "zero", "1"));
        assertEquals(integer(0), r.call("BITPOS", "zero", "0"));
        assertEquals(integer(8), r.call("BITPOS", "zero", "0", "1"));
    }

    @Test
    void bitposInBits() {
        call("SET", "ff", "\u00ff\u00f0\0");
        assertEquals(integer(12), r.call("BITPOS", "ff", "0", "0", "-1", "BIT"));
        assertEquals(integer(-1), r.call("BITPOS", "ff", "0", "0", "3", "bit"));
        assertEquals(integer(12), r.call("BITPOS", "ff", "0", "7", "15", "bit"));
        assertEquals(integer(-1), r.call("BITPOS", "ff", "1", "12", "15", "bit"));
        assertEquals(integer(-1), r.call("BITPOS", "ff", "1", "-1", "-1", "bit"));
        call("SET", "all", "\u00ff\u00ff");
        assertEquals(integer(-1), r.call("BITPOS", "all", "0", "3", "5", "bit"));
        assertEquals(integer(3), r.call("BITPOS", "all", "1", "3", "5", "bit"));
        call("SET", "zero", "\0\0");
        assertEquals(integer(-1), r.call("BITPOS", "zero", "1", "3", "10", "bit"));
        assertEquals(integer(3), r.call("BITPOS", "zero", "0", "3", "10", "bit"));
        assertEquals(integer(13), r.call("BITPOS", "zero", "0", "-3", "-1", "bit"));
        assertEquals(integer(-1), r.call("BITPOS", "zero", "0", "-3", "-5", "bit"));
    }

    @Test
    void bitposErrors() {
        call("SET", "ff", "\u00ff\u00f0\0");
        assertEquals(error("ERR The bit argument must be 1 or 0."), r.call("BITPOS", "ff", "2"));
        assertEquals(error("ERR The bit argument must be 1 or 0."), r.call("BITPOS", "missing", "-1"));
        assertEquals(NOT_INT, r.call("BITPOS", "missing", "x"));
        assertEquals(NOT_INT, r.call("BITPOS", "ff", "0", "x"));
        assertEquals(NOT_INT, r.call("BITPOS", "ff", "0", "1", "x"));
        assertEquals(SYNTAX, r.call("BITPOS", "ff", "0", "1", "2", "foo"));
        assertEquals(SYNTAX, r.call("BITPOS", "ff", "0", "1", "2", "BIT", "x"));
        // The unit is checked before the end, the start before both.
        assertEquals(SYNTAX, r.call("BITPOS", "ff", "0", "1", "x", "foo"));
        assertEquals(NOT_INT, r.call("BITPOS", "ff", "0", "x", "1", "foo"));
        putHash("h");
        assertEquals(WRONGTYPE, r.call("BITPOS", "h", "1"));
        assertEquals(WRONGTYPE, r.call("BITPOS", "h", "1", "a"));
    }

    // ---- BITOP -----------------------------------------------------------------------------------------------

    @Test
    void bitop() {
        call("SET", "a", "\u00ff\u000f");
        call("SET", "b", "\u00f0");
        assertEquals(integer(2), r.call("BITOP", "AND", "d", "a", "b"));
        assertEquals(bin("\u00f0\0"), r.call("GET", "d"));
        assertEquals(bulk("raw"), r.call("OBJECT", "ENCODING", "d"));
        assertEquals(integer(2), r.call("BITOP", "or", "d", "a", "b"));
        assertEquals(bin("\u00ff\u000f"), r.call("GET", "d"));
        assertEquals(integer(2), r.call("BITOP", "Xor", "d", "a", "b"));
        assertEquals(bin("\u000f\u000f"), r.call("GET", "d"));
        assertEquals(integer(2), r.call("BITOP", "NOT", "d", "a"));
        assertEquals(bin("\0\u00f0"), r.call("GET", "d"));
        // Missing keys are streams of zeros; a single source is copied by AND/OR/XOR.
        assertEquals(integer(2), r.call("BITOP", "AND", "d", "a", "missing"));
        assertEquals(bin("\0\0"), r.call("GET", "d"));
        assertEquals(integer(2), r.call("BITOP", "XOR", "d", "a"));
        assertEquals(bin("\u00ff\u000f"), r.call("GET", "d"));
        // The destination may be one of the sources.
        assertEquals(integer(2), r.call("BITOP", "NOT", "a", "a"));
        assertEquals(bin("\0\u00f0"), r.call("GET", "a"));
        r.call("SET", "n", "123");
        assertEquals(integer(3), r.call("BITOP", "OR", "d", "n"));
        assertEquals(bulk("123"), r.call("GET", "d"));
        assertEquals(bulk("raw"), r.call("OBJECT", "ENCODING", "d"));
    }

    @Test
    void bitopReplacesTheDestinationOrDeletesIt() {
        r.call("SET", "a", "ab");
        r.call("SET", "d", "x", "EX", "100");
        assertEquals(integer(2), r.call("BITOP", "AND", "d", "a"));
        assertEquals(integer(-1), r.call("TTL", "d"));
        // An empty result deletes the destination instead of storing "".
        assertEquals(integer(0), r.call("BITOP", "OR", "d", "missing", "missing2"));
        assertEquals(integer(0), r.call("EXISTS", "d"));
        r.call("SET", "empty", "");
        r.call("SET", "d", "x");
        assertEquals(integer(0), r.call("BITOP", "NOT", "d", "empty"));
        assertEquals(integer(0), r.call("EXISTS", "d"));
        putHash("h");
        assertEquals(integer(2), r.call("BITOP", "OR", "h", "a"));
        assertEquals("+string\r\n", r.call("TYPE", "h"));
    }

    @Test
    void bitopErrors() {
        r.call("SET", "a", "x");
        putHash("h");
        assertEquals(SYNTAX, r.call("BITOP", "FOO", "d", "a"));
        assertEquals(SYNTAX, r.call("BITOP", "FOO", "d", "h"));
        assertEquals(SYNTAX, r.call("BITOP", "ANDX", "d", "a"));
        assertEquals(error("ERR BITOP NOT must be called with a single source key."),
                r.call("BITOP", "NOT", "d", "a", "b"));
        assertEquals(WRONGTYPE, r.call("BITOP", "NOT", "d", "h"));
        assertEquals(WRONGTYPE, r.call("BITOP", "AND", "d", "a", "h"));
        assertEquals(integer(0), r.call("EXISTS", "d"));
    }

    // ---- BITFIELD --------------------------------------------------------------------------------------------

    @Test
    void bitfieldGetSetIncrby() {
        assertEquals(ints(0, 255), r.call("BITFIELD", "bf", "SET", "u8", "0", "255", "GET", "u8", "0"));
        assertEquals(ints(-1), r.call("BITFIELD", "bf", "GET", "i8", "0"));
        assertEquals(ints(-1, -100), r.call("BITFIELD", "bf", "set", "i8", "0", "-100", "get", "i8", "0"));
        assertEquals(ints(-90, 166), r.call("BITFIELD", "bf", "INCRBY", "i8", "0", "10", "GET", "u8", "0"));
        // Unaligned fields: a 5-bit value at bit 3 spans both halves of the byte.
        assertEquals(ints(0, -16, 16, 4096),
                r.call("BITFIELD", "f", "SET", "i5", "3", "15", "INCRBY", "i5", "3", "1", "GET", "u8", "0", "GET", "u16", "0"));
        // GET past the end reads zeros; on a missing key too, without creating it.
        assertEquals(ints(0, 0), r.call("BITFIELD", "f", "GET", "u8", "4294967295", "GET", "i64", "100"));
        assertEquals(ints(0), r.call("BITFIELD", "missing", "GET", "u8", "0"));
        assertEquals("*0\r\n", r.call("BITFIELD", "missing"));
        assertEquals(integer(0), r.call("EXISTS", "missing"));
    }

    @Test
    void bitfieldWidestTypes() {
        assertEquals(ints(0, Long.MIN_VALUE),
                r.call("BITFIELD", "bf", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1"));
        assertEquals(ints(0, Long.MAX_VALUE, 0),
                r.call("BITFIELD", "w", "SET", "u63", "0", "9223372036854775807", "GET", "u63", "0", "INCRBY", "u63", "0", "1"));
        call("SET", "raw", "\u00ff\0\u00ff\0\u00ff\0\u00ff\0");
        assertEquals(ints(9187483429707480960L, -71777214294589696L),
                r.call("BITFIELD", "raw", "GET", "u63", "0", "GET", "i64", "0"));
    }

    @Test
    void bitfieldHashOffsetsCountFields() {
        assertEquals(ints(0, 7), r.call("BITFIELD", "f", "SET", "u8", "#2", "7", "GET", "u4", "#5"));
        assertEquals(bin("\0\0\u0007"), r.call("GET", "f"));
        assertEquals(ints(0), r.call("BITFIELD", "f", "GET", "u8", "#536870911"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "f", "GET", "u8", "#536870912"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "f", "GET", "u8", "#x"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "f", "GET", "u8", "#"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "f", "GET", "u8", "#-1"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "f", "GET", "u8", "##1"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "f", "GET", "i64", "#9223372036854775807"));
    }

    @Test
    void bitfieldUnsignedOverflow() {
        r.call("BITFIELD", "bf", "SET", "u8", "0", "255");
        assertEquals(ints(0), r.call("BITFIELD", "bf", "INCRBY", "u8", "0", "1"));
        assertEquals(ints(255, 0), r.call("BITFIELD", "bf", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "300", "INCRBY", "u8", "0", "-300"));
        assertEquals("*3\r\n:1\r\n:0\r\n:255\r\n", r.call("BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1",
                "INCRBY", "u8", "0", "-1", "OVERFLOW", "WRAP", "INCRBY", "u8", "0", "-1"));
        assertEquals("*2\r\n$-1\r\n$-1\r\n", r.call("BITFIELD", "bf", "OVERFLOW", "fail", "INCRBY", "u8", "0", "1",
                "SET", "u8", "0", "256"));
        assertEquals(ints(255), r.call("BITFIELD", "bf", "GET", "u8", "0"));
        // SET wraps by default; a negative value is a huge unsigned one.
        assertEquals(ints(255, 0), r.call("BITFIELD", "bf", "SET", "u8", "0", "256", "GET", "u8", "0"));
        assertEquals(ints(0, 255), r.call("BITFIELD", "bf", "SET", "u8", "0", "-1", "GET", "u8", "0"));
        assertEquals(ints(255, 255), r.call("BITFIELD", "bf", "OVERFLOW", "SAT", "SET", "u8", "0", "-5", "GET", "u8", "0"));
        assertEquals(ints(255, 255), r.call("BITFIELD", "bf", "OVERFLOW", "SAT", "SET", "u8", "0", "256", "GET", "u8", "0"));
        assertEquals(ints(0, 0, 0), r.call("BITFIELD", "w", "OVERFLOW", "SAT", "SET", "u63", "0", "9223372036854775807",
                "INCRBY", "u63", "0", "-9223372036854775808", "INCRBY", "u63", "0", "-1"));
        assertEquals(ints(Long.MAX_VALUE, Long.MAX_VALUE), r.call("BITFIELD", "w", "OVERFLOW", "SAT",
                "INCRBY", "u63", "0", "9223372036854775807", "INCRBY", "u63", "0", "9223372036854775807"));
        assertEquals(ints(Long.MAX_VALUE, 5), r.call("BITFIELD", "w", "OVERFLOW", "WRAP", "SET", "u63", "0", "5",
                "INCRBY", "u63", "0", "-9223372036854775808"));
        assertEquals(ints(0, 1, 0, 1, 0), r.call("BITFIELD", "one", "SET", "u1", "0", "3", "GET", "u1", "0",
                "INCRBY", "u1", "0", "1", "INCRBY", "u1", "0", "3", "OVERFLOW", "SAT", "INCRBY", "u1", "0", "-4"));
    }

    @Test
    void bitfieldSignedOverflow() {
        assertEquals(ints(0, -128), r.call("BITFIELD", "bf", "SET", "i8", "0", "127", "INCRBY", "i8", "0", "1"));
        assertEquals(ints(-128, 127, -128), r.call("BITFIELD", "bf", "OVERFLOW", "SAT", "SET", "i8", "0", "127",
                "INCRBY", "i8", "0", "1", "INCRBY", "i8", "0", "-1000"));
        assertEquals("*4\r\n:-128\r\n$-1\r\n:127\r\n$-1\r\n", r.call("BITFIELD", "bf", "OVERFLOW", "FAIL",
                "SET", "i8", "0", "-128", "INCRBY", "i8", "0", "-1", "INCRBY", "i8", "0", "255", "INCRBY", "i8", "0", "127"));
        assertEquals(ints(127, -56), r.call("BITFIELD", "bf", "OVERFLOW", "WRAP", "SET", "i8", "0", "200", "GET", "i8", "0"));
        assertEquals(ints(-56, 127), r.call("BITFIELD", "bf", "OVERFLOW", "SAT", "SET", "i8", "0", "200", "GET", "i8", "0"));
        assertEquals(ints(127, -128), r.call("BITFIELD", "bf", "OVERFLOW", "SAT", "SET", "i8", "0", "-200", "GET", "i8", "0"));
        assertEquals(ints(0, -9223372036854775806L, Long.MIN_VALUE), r.call("BITFIELD", "w", "OVERFLOW", "SAT",
                "SET", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "2", "INCRBY", "i64", "0", "-9223372036854775808"));
        assertEquals(ints(Long.MIN_VALUE, -1), r.call("BITFIELD", "w", "OVERFLOW", "SAT",
                "INCRBY", "i64", "0", "-1", "INCRBY", "i64", "0", "9223372036854775807"));
        assertEquals("*1\r\n$-1\r\n", r.call("BITFIELD", "w", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "-9223372036854775808"));
        assertEquals(ints(9223372036854775807L),
                r.call("BITFIELD", "w", "OVERFLOW", "WRAP", "INCRBY", "i64", "0", "-9223372036854775808"));
        // i1 holds only -1 and 0.
        assertEquals(ints(0, 0, -1, 0), r.call("BITFIELD", "one", "OVERFLOW", "SAT", "SET", "i1", "0", "5",
                "GET", "i1", "0", "INCRBY", "i1", "0", "-5", "OVERFLOW", "WRAP", "INCRBY", "i1", "0", "1"));
    }

    @Test
    void bitfieldWritesCreateGrowKeepTtlAndMakeRaw() {
        // The key is created to the farthest field written even when FAIL refuses the write.
        assertEquals("*1\r\n$-1\r\n", r.call("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "100", "1000"));
        assertEquals(integer(14), r.call("STRLEN", "f"));
        assertEquals(bin("\0".repeat(14)), r.call("GET", "f"));
        r.call("SET", "t", "x", "EX", "100");
        assertEquals(ints(120), r.call("BITFIELD", "t", "SET", "u8", "0", "1"));
        assertEquals(integer(100), r.call("TTL", "t"));
        assertEquals(bulk("raw"), r.call("OBJECT", "ENCODING", "t"));
        r.call("SET", "e", "abc");
        assertEquals(ints(97), r.call("BITFIELD", "e", "GET", "u8", "0"));
        assertEquals(bulk("embstr"), r.call("OBJECT", "ENCODING", "e"));
        assertEquals(ints(97), r.call("BITFIELD_RO", "e", "GET", "u8", "0"));
        assertEquals(bulk("embstr"), r.call("OBJECT", "ENCODING", "e"));
    }

    @Test
    void bitfieldErrors() {
        r.call("SET", "bf", "x");
        assertEquals(BAD_TYPE, r.call("BITFIELD", "bf", "GET", "u64", "0"));
        assertEquals(BAD_TYPE, r.call("BITFIELD", "bf", "GET", "i65", "0"));
        assertEquals(BAD_TYPE, r.call("BITFIELD", "bf", "GET", "u0", "0"));
        assertEquals(BAD_TYPE, r.call("BITFIELD", "bf", "GET", "x8", "0"));
        assertEquals(BAD_TYPE, r.call("BITFIELD", "bf", "GET", "U8", "0"));
        assertEquals(BAD_TYPE, r.call("BITFIELD", "bf", "GET", "i08", "0"));
        assertEquals(BAD_TYPE, r.call("BITFIELD", "bf", "GET", "i", "0"));
        assertEquals(BAD_TYPE, r.call("BITFIELD", "bf", "GET", "", "0"));
        // One bad operation fails the whole command, earlier ones included.
        assertEquals(BAD_TYPE, r.call("BITFIELD", "bf", "SET", "i8", "0", "1", "GET", "u64", "0"));
        assertEquals(bulk("x"), r.call("GET", "bf"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "bf", "GET", "u8", "-1"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "bf", "GET", "u8", "4294967296"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "bf", "GET", "u8", "x"));
        assertEquals(SYNTAX, r.call("BITFIELD", "bf", "FOO"));
        assertEquals(SYNTAX, r.call("BITFIELD", "bf", "GET"));
        assertEquals(SYNTAX, r.call("BITFIELD", "bf", "GET", "u8"));
        assertEquals(SYNTAX, r.call("BITFIELD", "bf", "SET", "u8", "0"));
        assertEquals(SYNTAX, r.call("BITFIELD", "bf", "INCRBY", "u8", "0"));
        assertEquals(SYNTAX, r.call("BITFIELD", "bf", "OVERFLOW"));
        assertEquals(NOT_INT, r.call("BITFIELD", "bf", "SET", "u8", "0", "x"));
        assertEquals(NOT_INT, r.call("BITFIELD", "bf", "INCRBY", "u8", "0", "9223372036854775808"));
        assertEquals(error("ERR Invalid OVERFLOW type specified"), r.call("BITFIELD", "bf", "OVERFLOW", "foo"));
        assertEquals(error("ERR Invalid OVERFLOW type specified"), r.call("BITFIELD", "bf", "OVERFLOW", "foo", "GET", "u8", "x"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "bf", "GET", "u8", "x", "OVERFLOW", "foo"));
        assertEquals("*0\r\n", r.call("BITFIELD", "bf", "OVERFLOW", "WRAP"));
        putHash("h");
        assertEquals(WRONGTYPE, r.call("BITFIELD", "h"));
        assertEquals(WRONGTYPE, r.call("BITFIELD", "h", "GET", "u8", "0"));
        assertEquals(WRONGTYPE, r.call("BITFIELD", "h", "SET", "u8", "0", "1"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD", "h", "GET", "u8", "x"));
    }

    @Test
    void bitfieldRo() {
        r.call("SET", "k", "A");
        assertEquals(ints(65, 1), r.call("BITFIELD_RO", "k", "GET", "u8", "0", "GET", "i4", "4"));
        assertEquals("*0\r\n", r.call("BITFIELD_RO", "k"));
        assertEquals(ints(0), r.call("BITFIELD_RO", "missing", "GET", "u8", "0"));
        assertEquals("*0\r\n", r.call("BITFIELD_RO", "missing"));
        String roOnly = error("ERR BITFIELD_RO only supports the GET subcommand");
        assertEquals(roOnly, r.call("BITFIELD_RO", "k", "SET", "u8", "0", "1"));
        assertEquals(roOnly, r.call("BITFIELD_RO", "missing", "INCRBY", "u8", "0", "1"));
        assertEquals(BAD_OFFSET, r.call("BITFIELD_RO", "missing", "SET", "u8", "x", "1"));
        assertEquals(integer(0), r.call("EXISTS", "missing"));
        putHash("h");
        assertEquals(WRONGTYPE, r.call("BITFIELD_RO", "h"));
        assertEquals(WRONGTYPE, r.call("BITFIELD_RO", "h", "GET", "u8", "0"));
        assertEquals(roOnly, r.call("BITFIELD_RO", "h", "SET", "u8", "0", "1"));
    }

    // ---- LCS -------------------------------------------------------------------------------------------------

    @Test
    void lcs() {
        r.call("SET", "k1", "ohmytext");
        r.call("SET", "k2", "mynewtext");
        assertEquals(bulk("mytext"), r.call("LCS", "k1", "k2"));
        assertEquals(integer(6), r.call("LCS", "k1", "k2", "LEN"));
        assertEquals(integer(6), r.call("LCS", "k1", "k2", "len", "len", "withmatchlen"));
        assertEquals(bulk("mytext"), r.call("LCS", "k1", "k2", "WITHMATCHLEN"));
        assertEquals(bulk("mytext"), r.call("LCS", "k1", "k2", "MINMATCHLEN", "4"));
        assertEquals(bulk(""), r.call("LCS", "k1", "missing"));
        call("SET", "x1", "ab\0cd");
        call("SET", "x2", "xb\0cy");
        assertEquals(bin("b\0c"), r.call("LCS", "x1", "x2"));
    }

    @Test
    void lcsIdx() {
        r.call("SET", "k1", "ohmytext");
        r.call("SET", "k2", "mynewtext");
        String text = arr(ints(4, 7), ints(5, 8)), my = arr(ints(2, 3), ints(0, 1));
        assertEquals(arr(bulk("matches"), arr(text, my), bulk("len"), integer(6)), r.call("LCS", "k1", "k2", "IDX"));
        assertEquals(arr(bulk("matches"), arr(text, my), bulk("len"), integer(6)),
                r.call("LCS", "k1", "k2", "IDX", "MINMATCHLEN", "-5"));
        assertEquals(arr(bulk("matches"), arr(text), bulk("len"), integer(6)),
                r.call("LCS", "k1", "k2", "idx", "minmatchlen", "4"));
        assertEquals(arr(bulk("matches"), arr(arr(ints(4, 7), ints(5, 8), integer(4)), arr(ints(2, 3), ints(0, 1), integer(2))),
                bulk("len"), integer(6)), r.call("LCS", "k1", "k2", "IDX", "WITHMATCHLEN"));
        assertEquals(arr(bulk("matches"), arr(arr(ints(4, 7), ints(5, 8), integer(4))), bulk("len"), integer(6)),
                r.call("LCS", "k1", "k2", "MinMatchLen", "4", "IDX", "WithMatchLen"));
        r.call("SET", "a", "aaaa");
        assertEquals(arr(bulk("matches"), arr(arr(ints(0, 3), ints(0, 3), integer(4))), bulk("len"), integer(4)),
                r.call("LCS", "a", "a", "IDX", "WITHMATCHLEN"));
        assertEquals(arr(bulk("matches"), "*0\r\n", bulk("len"), integer(0)), r.call("LCS", "missing", "missing2", "IDX"));
    }

    @Test
    void lcsErrors() {
        r.call("SET", "k1", "ohmytext");
        r.call("SET", "k2", "mynewtext");
        String both = error("ERR If you want both the length and indexes, please just use IDX.");
        assertEquals(both, r.call("LCS", "k1", "k2", "LEN", "IDX"));
        assertEquals(both, r.call("LCS", "k1", "k2", "IDX", "LEN"));
        assertEquals(SYNTAX, r.call("LCS", "k1", "k2", "MINMATCHLEN"));
        assertEquals(SYNTAX, r.call("LCS", "k1", "k2", "FOO"));
        assertEquals(NOT_INT, r.call("LCS", "k1", "k2", "MINMATCHLEN", "x"));
        putHash("h");
        String notStrings = error("ERR The specified keys must contain string values");
        assertEquals(notStrings, r.call("LCS", "k1", "h"));
        assertEquals(notStrings, r.call("LCS", "h", "k1", "FOO"));
        // The table Redis would allocate is checked against proto-max-bulk-len.
        r.call("CONFIG", "SET", "proto-max-bulk-len", "1mb");
        r.call("SET", "big1", "a".repeat(600));
        r.call("SET", "big2", "b".repeat(600));
        assertEquals(error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"),
                r.call("LCS", "big1", "big2", "LEN"));
        r.call("SET", "big2", "b".repeat(400));
        assertEquals(integer(0), r.call("LCS", "big1", "big2", "LEN"));
    }

    // ---- table entries ---------------------------------------------------------------------------------------

    @Test
    void wrongArity() {
        for (String[] c : new String[][] {{"SETBIT", "k", "0"}, {"GETBIT", "k"}, {"BITCOUNT"}, {"BITPOS", "k"},
                {"BITOP", "AND", "d"}, {"BITOP", "NOT", "d"}, {"BITFIELD"}, {"BITFIELD_RO"}, {"LCS", "k"}}) {
            assertEquals(error("ERR wrong number of arguments for '" + c[0].toLowerCase() + "' command"), r.call(c));
        }
        assertTrue(r.isOpen());
    }

    @Test
    void multiKeyCommandsDeclareEveryKey() {
        assertEquals(array("d", "a", "b"), r.call("COMMAND", "GETKEYS", "BITOP", "AND", "d", "a", "b"));
        assertEquals(array("a", "b"), r.call("COMMAND", "GETKEYS", "LCS", "a", "b", "IDX"));
        assertTrue(r.call("COMMAND", "INFO", "bitop").startsWith("*1\r\n*10\r\n$5\r\nbitop\r\n:-4\r\n*2\r\n+write\r\n"
                + "+denyoom\r\n:2\r\n:-1\r\n:1\r\n*3\r\n+@write\r\n+@bitmap\r\n+@slow\r\n"));
        assertTrue(r.call("COMMAND", "INFO", "lcs").startsWith("*1\r\n*10\r\n$3\r\nlcs\r\n:-3\r\n*1\r\n+readonly\r\n"
                + ":1\r\n:2\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@slow\r\n"));
        assertTrue(r.call("COMMAND", "INFO", "bitfield_ro").startsWith("*1\r\n*10\r\n$11\r\nbitfield_ro\r\n:-2\r\n*2\r\n"
                + "+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@bitmap\r\n+@fast\r\n"));
    }
}
