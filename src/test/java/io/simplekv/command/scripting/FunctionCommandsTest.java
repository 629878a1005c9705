package io.simplekv.command.scripting;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FUNCTION and FCALL; the expected replies are redis-server 7.0.15's for the same requests. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class FunctionCommandsTest extends ServerTestBase {
    private static final String LIB = "#!lua name=lib\n"
            + "redis.register_function('f1', function(keys, args) return {keys[1], args[1], redis.call('ping')} end)\n"
            + "redis.register_function{function_name='f2', callback=function() return x end, flags={'no-writes'}, description='desc'}";

    @Test
    void loadAndCall() {
        assertEquals(bulk("lib"), r.call("FUNCTION", "LOAD", LIB));
        assertEquals("*3\r\n$1\r\nk\r\n$1\r\na\r\n+PONG\r\n", r.call("FCALL", "f1", "1", "k", "a"));
        assertEquals(error("ERR user_function:3: Script attempted to access nonexistent global variable 'x' script: f2, on @user_function:3."),
                r.call("FCALL", "f2", "0"));
        assertEquals(error("ERR Can not execute a script with write flag using *_ro command."), r.call("FCALL_RO", "f1", "0"));
        assertEquals(error("ERR Function not found"), r.call("FCALL", "nosuch", "0"));
        assertEquals(error("ERR Bad number of keys provided"), r.call("FCALL", "f1", "x"));
        assertEquals(error("ERR Library 'lib' already exists"), r.call("FUNCTION", "LOAD", LIB));
        assertEquals(bulk("lib"), r.call("FUNCTION", "LOAD", "REPLACE", LIB));
        assertEquals(error("ERR Function f1 already exists"),
                r.call("FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('f1', function() return 1 end)"));
        String list = r.call("FUNCTION", "LIST");
        assertEquals("*1\r\n*6\r\n$12\r\nlibrary_name\r\n$3\r\nlib\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*2\r\n"
                + "*6\r\n$4\r\nname\r\n$2\r\nf1\r\n$11\r\ndescription\r\n$-1\r\n$5\r\nflags\r\n*0\r\n"
                + "*6\r\n$4\r\nname\r\n$2\r\nf2\r\n$11\r\ndescription\r\n$4\r\ndesc\r\n$5\r\nflags\r\n*1\r\n+no-writes\r\n", list);
        assertEquals(OK, r.call("FUNCTION", "DELETE", "lib"));
        assertEquals(error("ERR Library not found"), r.call("FUNCTION", "DELETE", "lib"));
        assertEquals("*0\r\n", r.call("FUNCTION", "LIST"));
    }

    @Test
    void loadErrorsHaveRedisTexts() {
        assertEquals(error("ERR Error registering functions: ERR FUNCTION LOAD timeout"),
                r.call("FUNCTION", "LOAD", "#!lua name=lib\nlocal a = 1\nwhile 1 do a = a + 1 end"));
        assertEquals(error("ERR Error registering functions: ERR user_function:2: Attempt to modify a readonly table"),
                r.call("FUNCTION", "LOAD", "#!lua name=lib\na = 1"));
        assertEquals(error("ERR Error registering functions: ERR wrong number of arguments to redis.register_function"),
                r.call("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function()"));
        assertEquals(error("ERR No functions registered"), r.call("FUNCTION", "LOAD", "#!lua name=lib\nreturn 1"));
        assertEquals(error("ERR Missing library metadata"), r.call("FUNCTION", "LOAD", "lua"));
        assertEquals(error("ERR Library name was not given"), r.call("FUNCTION", "LOAD", "#!lua\nx"));
        assertEquals(error("ERR Invalid metadata value given: b=c"), r.call("FUNCTION", "LOAD", "#!lua name=a b=c\nx"));
        assertEquals(error("ERR Engine 'js' not found"), r.call("FUNCTION", "LOAD", "#!js name=a\nx"));
        assertEquals(error("ERR Error compiling function: user_function:2: unexpected symbol near '<eof>'"),
                r.call("FUNCTION", "LOAD", "#!lua name=x\nlocal x = ("));
        assertEquals(error("ERR Error registering functions: ERR user_function:3: Script attempted to access nonexistent global variable 'math'"),
                r.call("FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('f3', function() return 1 end)\nredis.math.random()"));
        assertEquals("*0\r\n", r.call("FUNCTION", "LIST"), "a failed load leaves nothing behind");
    }

    @Test
    void dumpAndRestoreRoundTrip() {
        r.call("FUNCTION", "LOAD", LIB);
        String dump = r.call("FUNCTION", "DUMP");
        assertEquals(OK, r.call("FUNCTION", "FLUSH"));
        assertEquals(error("ERR Function not found"), r.call("FCALL", "f1", "0"));
        // A bulk reply read as ISO-8859-1 text: its content after the header line, byte for byte.
        String body = dump.substring(dump.indexOf("\r\n") + 2, dump.length() - 2);
        byte[] payload = body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(OK, r.call("FUNCTION".getBytes(), "RESTORE".getBytes(), payload));
        assertEquals(error("ERR Library lib already exists"), r.call("FUNCTION".getBytes(), "RESTORE".getBytes(), payload));
        assertEquals(OK, r.call("FUNCTION".getBytes(), "RESTORE".getBytes(), payload, "REPLACE".getBytes()));
        payload[3] ^= 1;
        assertEquals(error("ERR DUMP payload version or checksum are wrong"), r.call("FUNCTION".getBytes(), "RESTORE".getBytes(), payload));
        assertTrue(r.call("FCALL", "f1", "1", "k", "a").startsWith("*3\r\n"));
    }

    @Test
    void functionsWriteThroughTheirCaller() {
        r.call("FUNCTION", "LOAD", "#!lua name=w\nredis.register_function('inc', function(keys) return redis.call('INCR', keys[1]) end)");
        assertEquals(integer(1), r.call("FCALL", "inc", "1", "n"));
        assertEquals(integer(2), r.call("FCALL", "inc", "1", "n"));
        assertEquals(bulk("2"), r.call("GET", "n"));
        assertTrue(r.call("FUNCTION", "STATS").contains("$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:1\r\n"));
    }

    @Test
    void functionNamesMatchWhateverTheirCaseAndExtraArgumentsGetTheSubcommandError() {
        assertEquals(bulk("lib"), r.call("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('hello', function() return 'hi' end)"));
        assertEquals(bulk("hi"), r.call("FCALL", "HELLO", "0"));
        assertEquals(error("ERR Function HeLLo already exists"),
                r.call("FUNCTION", "LOAD", "#!lua name=other\nredis.register_function('HeLLo', function() return 1 end)"));
        assertEquals(error("ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP."),
                r.call("FUNCTION", "restore", "a", "b", "c"));
        assertEquals(error("ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP."),
                r.call("FUNCTION", "flush", "sync", "extra"));
        assertEquals(error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option"), r.call("FUNCTION", "flush", "bad"));
    }
}
