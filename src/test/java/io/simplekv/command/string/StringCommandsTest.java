package io.simplekv.command.string;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ParameterizedClass
@EnumSource(EngineKind.class)
class StringCommandsTest extends ServerTestBase {


    @Test
    void setAndGet() {
        assertEquals(NIL, r.call("GET", "k"));
        assertEquals(OK, r.call("SET", "k", "v"));
        assertEquals(bulk("v"), r.call("GET", "k"));
        assertEquals(OK, r.call("set", "k", ""));
        assertEquals(bulk(""), r.call("get", "k"));
    }

    @Test
    void binarySafeValues() {
        byte[] value = new byte[256];
        for (int i = 0; i < 256; i++) value[i] = (byte) i;
        assertEquals(OK, r.call("SET".getBytes(), "bin".getBytes(), value));
        String reply = r.call("GET", "bin");
        assertEquals("$256\r\n" + new String(value, StandardCharsets.ISO_8859_1) + "\r\n", reply);
    }

    @Test
    void setNxXxAndGet() {
        assertEquals(OK, r.call("SET", "k", "1", "NX"));
        assertEquals(NIL, r.call("SET", "k", "2", "NX"));
        assertEquals(NIL, r.call("SET", "missing", "2", "XX"));
        assertEquals(OK, r.call("SET", "k", "3", "XX"));
        assertEquals(bulk("3"), r.call("SET", "k", "4", "GET"));
        assertEquals(NIL, r.call("SET", "new", "4", "GET"));
        assertEquals(bulk("4"), r.call("SET", "k", "5", "NX", "GET"));
        assertEquals(bulk("4"), r.call("GET", "k"));
        assertEquals(SYNTAX, r.call("SET", "k", "v", "NX", "XX"));
        assertEquals(SYNTAX, r.call("SET", "k", "v", "EX", "10", "PX", "100"));
        assertEquals(SYNTAX, r.call("SET", "k", "v", "KEEPTTL", "EX", "10"));
        assertEquals(SYNTAX, r.call("SET", "k", "v", "EX"));
        assertEquals(SYNTAX, r.call("SET", "k", "v", "FOO"));
    }

    @Test
    void setExpiryOptions() {
        assertEquals(OK, r.call("SET", "k", "v", "EX", "100"));
        assertEquals(integer(100), r.call("TTL", "k"));
        assertEquals(OK, r.call("SET", "k", "v", "KEEPTTL"));
        assertEquals(integer(100), r.call("TTL", "k"));
        assertEquals(OK, r.call("SET", "k", "v"));
        assertEquals(integer(-1), r.call("TTL", "k"));
        assertEquals(OK, r.call("SET", "k", "v", "PX", "100000"));
        assertEquals(integer(100), r.call("TTL", "k"));
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertEquals(OK, r.call("SET", "k", "v", "EXAT", Long.toString(at)));
        assertEquals(integer(at), r.call("EXPIRETIME", "k"));
        assertEquals(OK, r.call("SET", "k", "v", "PXAT", Long.toString(at * 1000)));
        assertEquals(integer(at * 1000), r.call("PEXPIRETIME", "k"));
        assertEquals(error("ERR invalid expire time in 'set' command"), r.call("SET", "k", "v", "EX", "0"));
        assertEquals(error("ERR invalid expire time in 'set' command"), r.call("SET", "k", "v", "EX", "-1"));
        assertEquals(error("ERR invalid expire time in 'set' command"), r.call("SET", "k", "v", "EX", "9223372036854775807"));
        assertEquals(NOT_INT, r.call("SET", "k", "v", "EX", "ten"));
        assertEquals(OK, r.call("SET", "gone", "v", "PXAT", "1"));
        assertEquals(NIL, r.call("GET", "gone"));
    }

    @Test
    void setexAndPsetex() {
        assertEquals(OK, r.call("SETEX", "k", "100", "v"));
        assertEquals(integer(100), r.call("TTL", "k"));
        assertEquals(OK, r.call("PSETEX", "k", "100000", "v"));
        assertEquals(integer(100), r.call("TTL", "k"));
        assertEquals(error("ERR invalid expire time in 'setex' command"), r.call("SETEX", "k", "0", "v"));
        assertEquals(error("ERR invalid expire time in 'psetex' command"), r.call("PSETEX", "k", "-5", "v"));
        assertEquals(NOT_INT, r.call("SETEX", "k", "x", "v"));
    }

    @Test
    void setnxGetsetGetdel() {
        assertEquals(integer(1), r.call("SETNX", "k", "a"));
        assertEquals(integer(0), r.call("SETNX", "k", "b"));
        assertEquals(bulk("a"), r.call("GETSET", "k", "c"));
        assertEquals(NIL, r.call("GETSET", "other", "c"));
        assertEquals(bulk("c"), r.call("GETDEL", "k"));
        assertEquals(NIL, r.call("GETDEL", "k"));
        assertEquals(integer(0), r.call("EXISTS", "k"));
    }

    @Test
    void getexChangesTtl() {
        assertEquals(NIL, r.call("GETEX", "missing", "EX", "10"));
        r.call("SET", "k", "v");
        assertEquals(bulk("v"), r.call("GETEX", "k", "EX", "100"));
        assertEquals(integer(100), r.call("TTL", "k"));
        assertEquals(bulk("v"), r.call("GETEX", "k"));
        assertEquals(integer(100), r.call("TTL", "k"));
        assertEquals(bulk("v"), r.call("GETEX", "k", "PERSIST"));
        assertEquals(integer(-1), r.call("TTL", "k"));
        assertEquals(SYNTAX, r.call("GETEX", "k", "PERSIST", "EX", "10"));
        assertEquals(error("ERR invalid expire time in 'getex' command"), r.call("GETEX", "k", "EX", "0"));
        assertEquals(bulk("v"), r.call("GETEX", "k", "PXAT", "1"));
        assertEquals(integer(0), r.call("EXISTS", "k"));
    }

    @Test
    void msetMgetMsetnx() {
        assertEquals(OK, r.call("MSET", "a", "1", "b", "2"));
        putHash("h");
        assertEquals(array("1", "2", null, null), r.call("MGET", "a", "b", "c", "h"));
        assertEquals(error("ERR wrong number of arguments for 'mset' command"), r.call("MSET", "a", "1", "b"));
        assertEquals(integer(0), r.call("MSETNX", "a", "9", "z", "9"));
        assertEquals(integer(0), r.call("EXISTS", "z"));
        assertEquals(integer(1), r.call("MSETNX", "y", "9", "z", "9"));
        assertEquals(array("9", "9"), r.call("MGET", "y", "z"));
    }

    @Test
    void incrementsAndTheirErrors() {
        assertEquals(integer(1), r.call("INCR", "n"));
        assertEquals(integer(11), r.call("INCRBY", "n", "10"));
        assertEquals(integer(10), r.call("DECR", "n"));
        assertEquals(integer(-10), r.call("DECRBY", "n", "20"));
        r.call("SET", "n", "9223372036854775807");
        assertEquals(error("ERR increment or decrement would overflow"), r.call("INCR", "n"));
        r.call("SET", "n", "-9223372036854775808");
        assertEquals(error("ERR increment or decrement would overflow"), r.call("DECR", "n"));
        assertEquals(error("ERR decrement would overflow"), r.call("DECRBY", "n", "-9223372036854775808"));
        for (String bad : new String[] {"abc", " 1", "1 ", "+1", "01", "1.5", "", "99999999999999999999"}) {
            r.call("SET", "s", bad);
            assertEquals(NOT_INT, r.call("INCR", "s"), "value '" + bad + "'");
        }
        assertEquals(NOT_INT, r.call("INCRBY", "n", "x"));
        putHash("h");
        assertEquals(WRONGTYPE, r.call("INCR", "h"));
    }

    @Test
    void incrementKeepsTtl() {
        r.call("SET", "n", "1", "EX", "100");
        r.call("INCR", "n");
        assertEquals(integer(100), r.call("TTL", "n"));
    }

    @Test
    void incrbyfloat() {
        assertEquals(bulk("10.5"), r.call("INCRBYFLOAT", "f", "10.5"));
        assertEquals(bulk("10.6"), r.call("INCRBYFLOAT", "f", "0.1"));
        assertEquals(bulk("5.6"), r.call("INCRBYFLOAT", "f", "-5"));
        r.call("SET", "f", "5.0e3");
        assertEquals(bulk("5200"), r.call("INCRBYFLOAT", "f", "2.0e2"));
        r.call("SET", "g", "0.1");
        assertEquals(bulk("0.3"), r.call("INCRBYFLOAT", "g", "0.2"));
        assertEquals(error("ERR value is not a valid float"), r.call("INCRBYFLOAT", "f", "abc"));
        assertEquals(error("ERR increment would produce NaN or Infinity"), r.call("INCRBYFLOAT", "f", "inf"));
        r.call("SET", "s", "x");
        assertEquals(error("ERR value is not a valid float"), r.call("INCRBYFLOAT", "s", "1"));
    }

    @Test
    void appendAndStrlen() {
        assertEquals(integer(5), r.call("APPEND", "k", "hello"));
        assertEquals(integer(11), r.call("APPEND", "k", " world"));
        assertEquals(bulk("hello world"), r.call("GET", "k"));
        assertEquals(integer(11), r.call("STRLEN", "k"));
        assertEquals(integer(0), r.call("STRLEN", "missing"));
        assertEquals(bulk("raw"), r.call("OBJECT", "ENCODING", "k"));
        putHash("h");
        assertEquals(WRONGTYPE, r.call("APPEND", "h", "x"));
        assertEquals(WRONGTYPE, r.call("STRLEN", "h"));
        assertEquals(WRONGTYPE, r.call("GET", "h"));
    }

    @Test
    void getrange() {
        r.call("SET", "k", "This is a string");
        assertEquals(bulk("This"), r.call("GETRANGE", "k", "0", "3"));
        assertEquals(bulk("ing"), r.call("GETRANGE", "k", "-3", "-1"));
        assertEquals(bulk("This is a string"), r.call("GETRANGE", "k", "0", "-1"));
        assertEquals(bulk("string"), r.call("GETRANGE", "k", "10", "100"));
        assertEquals(bulk(""), r.call("GETRANGE", "k", "5", "3"));
        assertEquals(bulk(""), r.call("GETRANGE", "k", "-1", "-5"));
        assertEquals(bulk(""), r.call("GETRANGE", "missing", "0", "-1"));
        assertEquals(NOT_INT, r.call("GETRANGE", "k", "a", "1"));
    }

    @Test
    void setrange() {
        r.call("SET", "k", "Hello World");
        assertEquals(integer(11), r.call("SETRANGE", "k", "6", "Redis"));
        assertEquals(bulk("Hello Redis"), r.call("GET", "k"));
        assertEquals(integer(6), r.call("SETRANGE", "pad", "1", "Redis"));
        assertEquals(bulk("\0Redis"), r.call("GET", "pad"));
        assertEquals(integer(0), r.call("SETRANGE", "empty", "5", ""));
        assertEquals(integer(0), r.call("EXISTS", "empty"));
        assertEquals(error("ERR offset is out of range"), r.call("SETRANGE", "k", "-1", "x"));
        assertEquals(error("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
                r.call("SETRANGE", "k", "536870911", "xx"));
    }

    @Test
    void encodings() {
        r.call("SET", "i", "12345");
        assertEquals(bulk("int"), r.call("OBJECT", "ENCODING", "i"));
        r.call("SET", "e", "short string");
        assertEquals(bulk("embstr"), r.call("OBJECT", "ENCODING", "e"));
        r.call("SET", "raw", "x".repeat(45));
        assertEquals(bulk("raw"), r.call("OBJECT", "ENCODING", "raw"));
        assertEquals(NIL, r.call("OBJECT", "ENCODING", "missing"));
    }

    @Test
    void wrongArity() {
        assertEquals(error("ERR wrong number of arguments for 'get' command"), r.call("GET"));
        assertEquals(error("ERR wrong number of arguments for 'set' command"), r.call("SET", "k"));
        assertEquals(error("ERR wrong number of arguments for 'getrange' command"), r.call("GETRANGE", "k", "1"));
        assertTrue(r.isOpen());
    }
}
