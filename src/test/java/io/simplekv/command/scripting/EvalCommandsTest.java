package io.simplekv.command.scripting;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ParameterizedClass
@EnumSource(EngineKind.class)
class EvalCommandsTest extends ServerTestBase {
    @Override
    protected java.util.Map<String, String> config() {
        return java.util.Map.of("enable-debug-command", "yes");
    }

    @Test
    void evalReturnsValuesConvertedAsRedisDoes() {
        assertEquals(integer(1), r.call("EVAL", "return 1", "0"));
        assertEquals(bulk("hello"), r.call("EVAL", "return 'hello'", "0"));
        assertEquals(integer(3), r.call("EVAL", "return 3.99", "0"), "numbers truncate");
        assertEquals("$-1\r\n", r.call("EVAL", "return nil", "0"));
        assertEquals(integer(1), r.call("EVAL", "return true", "0"));
        assertEquals("$-1\r\n", r.call("EVAL", "return false", "0"));
        assertEquals("*3\r\n:1\r\n:2\r\n$1\r\nx\r\n", r.call("EVAL", "return {1, 2, 'x', nil, 4}", "0"), "arrays stop at the first nil");
        assertEquals("+fine\r\n", r.call("EVAL", "return {ok='fine'}", "0"));
        assertEquals(error("My Error"), r.call("EVAL", "return redis.error_reply('My Error')", "0"));
        assertEquals("+OK\r\n", r.call("EVAL", "return redis.status_reply('OK')", "0"));
        assertEquals(array("k1", "a1"), r.call("EVAL", "return {KEYS[1], ARGV[1]}", "1", "k1", "a1"));
    }

    /**
     * Strings cross between Lua and Java byte for byte: a quick path reads ASCII text through a Java string, and
     * whatever a modified UTF-8 reading would change (NUL, bytes from 0x80, sequences valid and not) must not take it.
     */
    @Test
    void bytesCrossIntoLuaAndBackUnchanged() {
        StringBuilder every = new StringBuilder();
        for (int b = 0; b < 256; b++) every.append((char) b);
        String[] samples = {"plain", "", "a\0b", "\0", "\u00e9", "\u00c3\u00a9", "\u00c0\u0080", "\u00c1\u0081",
                "\u00f0\u009f\u0098\u0080", "\u00ed\u00a0\u0080\u00ed\u00b0\u0080", "x\u00c3", "\u007f\u0080",
                every.toString()};
        String script = "redis.call('SET', KEYS[1], ARGV[1]) local v = redis.call('GET', KEYS[1]) "
                + "return {v, #v, KEYS[1], {ok = string.gsub(v, '[\\r\\n]', '')}}";
        for (String sample : samples) {
            byte[] value = sample.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] key = ("k" + sample).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            String status = sample.replace("\r", "").replace("\n", "");
            String expected = "*4\r\n$" + value.length + "\r\n" + sample + "\r\n:" + value.length + "\r\n$" + key.length
                    + "\r\nk" + sample + "\r\n+" + status + "\r\n";
            String reply = r.call("EVAL".getBytes(), script.getBytes(), "1".getBytes(), key, value);
            assertEquals(expected, reply, "sample of " + value.length + " bytes");
            assertEquals("$" + value.length + "\r\n" + sample + "\r\n", r.call("GET".getBytes(), key));
        }
    }

    @Test
    void redisCallRunsCommandsInTheScript() {
        assertEquals(OK, r.call("EVAL", "return redis.call('SET', KEYS[1], ARGV[1])", "1", "k", "v"));
        assertEquals(bulk("v"), r.call("GET", "k"));
        assertEquals(integer(11), r.call("EVAL", "redis.call('SET', 'n', 10) return redis.call('INCR', 'n')", "0"));
        assertEquals(bulk("10.5"), r.call("EVAL", "return redis.call('INCRBYFLOAT', 'f', 10.5)", "0"), "numbers as %.17g");
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", r.call("EVAL", "redis.call('RPUSH', 'l', 'a', 'b') return redis.call('LRANGE', 'l', 0, -1)", "0"));
        String wrongType = r.call("EVAL", "return redis.call('LPUSH', 'k', 'x')", "0");
        assertTrue(wrongType.startsWith("-WRONGTYPE Operation against a key holding the wrong kind of value script: "), wrongType);
        assertEquals(error("WRONGTYPE Operation against a key holding the wrong kind of value"),
                r.call("EVAL", "return redis.pcall('LPUSH', 'k', 'x')", "0"));
    }

    @Test
    void errorsHaveRedisTexts() {
        assertEquals(error("ERR Number of keys can't be greater than number of args"), r.call("EVAL", "return 1", "2", "a"));
        assertEquals(error("ERR Number of keys can't be negative"), r.call("EVAL", "return 1", "-1"));
        assertEquals(error("NOSCRIPT No matching script. Please use EVAL."), r.call("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"));
        assertEquals(error("NOSCRIPT No matching script. Please use EVAL."), r.call("EVALSHA", "abc", "0"));
        String compile = r.call("EVAL", "return (", "0");
        assertTrue(compile.startsWith("-ERR Error compiling script (new function): user_script:1: "), compile);
        String global = r.call("EVAL", "return a", "0");
        assertTrue(global.startsWith("-ERR user_script:1: Script attempted to access nonexistent global variable 'a' script: "), global);
        String unknown = r.call("EVAL", "return redis.call('nosuch')", "0");
        assertTrue(unknown.startsWith("-ERR Unknown Redis command called from script script: "), unknown);
        String readonly = r.call("EVAL", "x = 1", "0");
        assertTrue(readonly.contains("Attempt to modify a readonly table"), readonly);
    }

    @Test
    void scriptsAreCachedBySha() {
        String sha = r.call("SCRIPT", "LOAD", "return 'cached'");
        assertEquals(bulk("a85d26a2b5cec8d5a4d0b8e1b61d3d6fe8e6c6ce").length(), sha.length());
        String digest = sha.split("\r\n")[1];
        assertEquals(bulk("cached"), r.call("EVALSHA", digest, "0"));
        assertEquals(bulk("cached"), r.call("EVALSHA", digest.toUpperCase(), "0"));
        assertEquals("*2\r\n:1\r\n:0\r\n", r.call("SCRIPT", "EXISTS", digest, "ffffffffffffffffffffffffffffffffffffffff"));
        assertEquals(OK, r.call("SCRIPT", "FLUSH"));
        assertEquals("*1\r\n:0\r\n", r.call("SCRIPT", "EXISTS", digest));
    }

    @Test
    void shebangFlagsAreRespected() {
        assertEquals(error("ERR Can not execute a script with write flag using *_ro command."),
                r.call("EVAL_RO", "#!lua\nreturn 1", "0"));
        String denied = r.call("EVAL", "#!lua flags=no-writes\nreturn redis.call('SET', 'x', 1)", "0");
        assertTrue(denied.startsWith("-ERR Write commands are not allowed from read-only scripts."), denied);
        assertEquals(error("ERR Unexpected flag in script shebang: bogus"), r.call("EVAL", "#!lua flags=bogus\nreturn 1", "0"));
        assertEquals(integer(1), r.call("EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"));
    }

    @Test
    void aScriptInsideMultiRuns() {
        r.call("MULTI");
        r.call("SET", "a", "1");
        r.call("EVAL", "return redis.call('INCR', 'a')", "0");
        r.call("GET", "a");
        assertEquals("*3\r\n+OK\r\n:2\r\n$1\r\n2\r\n", r.call("EXEC"));
    }

    /** Redis counts a script's own error replies, but not a failed redis.call's error it passes on (counted then). */
    @Test
    void scriptErrorsCountInErrorStatsOnceAndFailTheCall() {
        r.call("CONFIG", "RESETSTAT");
        assertEquals(error("MY_ERR_CODE custom msg"), r.call("EVAL", "return redis.error_reply('MY_ERR_CODE custom msg')", "0"));
        assertTrue(r.call("INFO", "errorstats").contains("errorstat_MY_ERR_CODE:count=1\r\n"));
        r.call("SET", "s", "x");
        r.call("CONFIG", "RESETSTAT");
        assertTrue(r.call("EVAL", "return redis.call('LPUSH', 's', 'v')", "0").startsWith("-WRONGTYPE"));
        String stats = r.call("INFO", "errorstats");
        assertTrue(stats.contains("errorstat_WRONGTYPE:count=1\r\n"), stats);
        String commands = r.call("INFO", "commandstats");
        assertTrue(commands.contains("cmdstat_eval:calls=1,") && commands.contains("rejected_calls=0,failed_calls=1"), commands);
        assertTrue(r.call("INFO", "stats").contains("total_error_replies:1\r\n"));
    }

    @Test
    void sortByAConstantInAScriptSortsASetByItsBytes() {
        r.call("SADD", "myset", "c", "aa", "b", "a", "azz");
        assertEquals(array("a", "aa", "azz", "b", "c"), r.call("EVAL", "return redis.call('SORT', KEYS[1], 'BY', '_')", "1", "myset"));
    }

    /** Each malformed shape once crashed the process in native code (a raw get on a non-table). */
    @Test
    void verbatimStringTablesConvertAndMalformedOnesFallBackToAnArray() {
        assertEquals(bulk("hi"), r.call("EVAL", "return {verbatim_string={format='txt', string='hi'}}", "0"));
        assertEquals("*0\r\n", r.call("EVAL", "return {verbatim_string={format=1}}", "0"));
        assertEquals("*0\r\n", r.call("EVAL", "return {verbatim_string={string='x'}}", "0"));
        assertEquals("*0\r\n", r.call("EVAL", "return {verbatim_string=5}", "0"));
        assertEquals("*2\r\n$1\r\na\r\n:1\r\n", r.call("EVAL", "return {map={a=1}, 7}", "0"), "RESP2 flattens a map");
    }

    /** Redis's lua_newtable for a RESP3 map: pairs() sees the order Redis's scripts see (Redis 7.0.15's bytes). */
    @Test
    void aResp3MapReachesTheScriptAsRedisBuildsIt() {
        assertEquals(OK, r.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1"));
        assertEquals(bulk("{\"map\":{\"1\":true,\"2\":false,\"0\":false}}"),
                r.call("EVAL", "redis.setresp(3) return cjson.encode(redis.call('debug','protocol','map'))", "0"));
        assertEquals("*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n",
                r.call("EVAL", "return redis.call('debug','protocol','map')", "0"));
        r.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0");
    }

    @Test
    void anErrorTableWithoutAMessageIsAnErrorNotACrash() {
        // redis-server 7.0.15 (Debian) crashes on this one (a null message); we answer and keep serving.
        String reply = r.call("EVAL", "error({})", "0");
        assertTrue(reply.startsWith("-ERR unknown error script: "), reply);
        assertTrue(r.call("EVAL", "error(setmetatable({}, {__tostring = function() return 'x' end}))", "0")
                .startsWith("-ERR unknown error script: "));
        assertEquals("+PONG\r\n", r.call("PING"));
    }

    @Test
    void timeStandsStillInsideAScript() {
        r.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1");
        // Redis 7 judges TTLs at the script's start: a 1 ms key outlives a 10 ms sleep inside the script.
        assertEquals(":1\r\n", r.call("EVAL", "redis.call('SET', 'key', 'v', 'PX', '1') redis.call('DEBUG', 'SLEEP', '0.01') "
                + "return redis.call('EXISTS', 'key')", "0"));
        assertEquals(":0\r\n", r.call("EXISTS", "key"));
    }

    @Test
    void debugObjectDescribesAnExpiredKeyNothingDeletedYet() {
        r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        r.call("SET", "key", "v", "PX", "1");
        long until = System.currentTimeMillis() + 5;
        while (System.currentTimeMillis() < until) Thread.onSpinWait();
        assertTrue(r.call("DEBUG", "OBJECT", "key").startsWith("+Value at:"));
        assertEquals(":0\r\n", r.call("EVAL", "return redis.call('EXISTS', 'key')", "0"));
        assertEquals(error("ERR no such key"), r.call("DEBUG", "OBJECT", "key"));
    }
}
